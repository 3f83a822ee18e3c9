"""Buyer segments: who the buyers are and how each kind reacts to reminders and trouble.

A segment may leave out any key; the defaults are the "short of balance" buyer of the seller
articles, the most common reason for an order placed but not paid.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from sim.scenario.distributions import Distribution, Exponential, Lognormal
from sim.scenario.fields import Name, NonNegative, Probability, Section

__all__ = ["CHANNELS", "Channel", "ChannelChances", "Segment"]

Channel = Literal["phone", "im", "sms", "auto"]
CHANNELS: tuple[Channel, ...] = ("phone", "im", "sms", "auto")


class ChannelChances(Section):
    """One chance per reminder channel; a channel left out of the table has chance 0."""

    phone: Probability = Field(default=0.0, description="a phone call by an agent")
    im: Probability = Field(default=0.0, description="an IM (Wangwang) message by an agent")
    sms: Probability = Field(default=0.0, description="a text message (costs shop.sms_cost)")
    auto: Probability = Field(default=0.0, description="the platform's automatic reminder")

    def of(self, channel: Channel) -> float:
        """The chance for one channel, by name."""
        return float(getattr(self, channel))


class Segment(Section):
    """A kind of buyer, with its share of all orders and its behaviour."""

    name: Name = Field(description="required; unique among segments")
    share: Probability = Field(description="required; share of orders (all segments sum to 1)")
    pays_unprompted: Probability = Field(
        default=0.85, description="chance the buyer pays with no reminder at all"
    )
    pay_hours: Distribution = Field(
        default=Lognormal(dist="lognormal", median=18.0, sigma=0.5),
        description="hours from placement to paying unprompted",
    )
    cancels: Probability = Field(
        default=0.05, description="chance a buyer who won't pay unprompted cancels"
    )
    cancel_hours: Distribution = Field(
        default=Exponential(dist="exponential", mean=10.0),
        description="hours from placement to the buyer's cancellation",
    )
    response: ChannelChances = Field(
        default=ChannelChances(phone=0.5, im=0.4, sms=0.3, auto=0.1),
        description="chance one reminder that reaches the buyer wins them, by channel "
        "(a partial table: channels not given are 0)",
    )
    response_hours: Distribution = Field(
        default=Exponential(dist="exponential", mean=2.0),
        description="hours from a winning reminder to payment",
    )
    annoyance: ChannelChances = Field(
        default=ChannelChances(phone=0.03, im=0.01, sms=0.01, auto=0.0),
        description="chance one reminder earns a low rating, by channel "
        "(a partial table: channels not given are 0)",
    )
    annoyance_growth: NonNegative = Field(
        default=2.0, description="the k-th reminder multiplies annoyance by growth**(k-1)"
    )
    complains: Probability = Field(
        default=0.5, description="chance of complaining when out of stock or shipped late"
    )
    accepts_alternative: Probability = Field(
        default=0.3, description="chance of taking another item when out of stock"
    )
    refuses_delivery: Probability = Field(
        default=0.01, description="chance of refusing the parcel, no fault of the seller"
    )
    disputes: Probability = Field(default=0.01, description="chance of a dispute after delivery")
    orders_per_buyer: Annotated[int, Strict(), Field(ge=1)] = Field(
        default=1, description="orders placed at once (malicious buyers place several)"
    )
    returns: Probability = Field(
        default=0.0, description="chance the buyer comes back for another order later"
    )
    return_days: Distribution = Field(
        default=Exponential(dist="exponential", mean=14.0),
        description="days until the buyer comes back (within the arrival window)",
    )
    reorders: Probability = Field(
        default=0.0,
        description="chance that a buyer whose order closed unpaid (by the platform's timeout "
        "or by themselves) places it again",
    )
    reorder_hours: Distribution = Field(
        default=Exponential(dist="exponential", mean=6.0),
        description="hours from the close to the re-order (the articles: payment-problem "
        "buyers re-submit the order that evening)",
    )
    returning_share: Probability = Field(
        default=0.0,
        description="share of the segment's buyers who bought from the shop before "
        '(a step\'s only_if.buyer = "new" | "returning" tells them apart)',
    )
    malicious: Annotated[bool, Strict()] = Field(
        default=False,
        description="the seller's malicious-order policy applies to these buyers",
    )

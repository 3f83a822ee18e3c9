"""Buyer segments: who the buyers are and how each kind reacts to reminders and trouble.

A segment may leave out any key; the defaults are the "short of balance" buyer of the seller
articles, the most common reason for an order placed but not paid.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from sim.scenario.distributions import Distribution, Exponential, Lognormal
from sim.scenario.fields import Name, NonNegative, Probability, Section, number_keyed

__all__ = ["CHANNELS", "Channel", "ChannelChances", "HourCurve", "Segment"]

Channel = Literal["phone", "im", "sms", "auto"]
CHANNELS: tuple[Channel, ...] = ("phone", "im", "sms", "auto")


class ChannelChances(Section):
    """One chance per reminder channel: state every channel a strategy sends to the segment."""

    phone: Probability = Field(default=0.0, description="a phone call by an agent")
    im: Probability = Field(default=0.0, description="an IM (Wangwang) message by an agent")
    sms: Probability = Field(default=0.0, description="a text message (costs shop.sms_cost)")
    auto: Probability = Field(default=0.0, description="the platform's automatic reminder")

    def of(self, channel: Channel) -> float:
        """The chance for one channel, by name."""
        return float(getattr(self, channel))


# hours since placement -> multiplier of the response (response_by_hours)
HourCurve = number_keyed(NonNegative, what="hours since placement", least=0.0)


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
        description="chance one reminder that reaches the buyer wins them, by channel; "
        "required for every channel a strategy sends to the segment (no default stands in "
        "for it); a channel no strategy uses may be left out",
    )
    response_by_hours: HourCurve = Field(
        default={},
        description="hours since placement -> multiplier of the response, e.g. "
        "{ 0 = 0.2, 20 = 1.0 } (a step curve: each point holds until the next; before the "
        "first point its value; {} = 1 at every hour). Balance-short buyers respond little "
        "before they have topped up",
    )
    response_hours: Distribution = Field(
        default=Exponential(dist="exponential", mean=2.0),
        description="hours from a winning reminder to payment",
    )
    annoyance: ChannelChances = Field(
        default=ChannelChances(phone=0.03, im=0.01, sms=0.01, auto=0.0),
        description="chance one reminder earns a low rating, by channel; required like "
        "response for every channel a strategy sends to the segment",
    )
    opts_out: ChannelChances = Field(
        default=ChannelChances(),
        description="per channel: chance a reminder that reaches the buyer makes them opt out "
        "or block the shop, after which no reminder of that order reaches them and they place "
        "no re-order (published: 1.5-2.5% per message; an assumption, default 0)",
    )
    chargebacks: Probability = Field(
        default=0.0,
        description="chance the buyer's card issuer reverses the payment of a delivered order "
        "the buyer kept (拒付, a card chargeback: not a platform dispute; AliExpress), times "
        "the strategy's levers on quality.chargeback_causes; default 0",
    )
    reports_harassment: Probability = Field(
        default=0.0,
        description="chance that a buyer who complained of harassment (骚扰) on an order "
        "reports it to the platform, which takes platform.harassment_points from the shop "
        "(once per order; only where annoyance shows as complaints, today's reading; an "
        "assumption, default 0)",
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
    returns_goods: Probability = Field(
        default=0.0,
        description="chance of sending delivered goods back without a reason within "
        "platform.no_reason_return_days (七天无理由退货); the buyer pays the return freight "
        "unless the shop is insured",
    )
    returns_if_insured: Probability | None = Field(
        default=None,
        description="returns_goods when shop.freight_insurance makes the return free to the "
        "buyer (default: returns_goods)",
    )
    return_multiplier_if_won: NonNegative = Field(
        default=1.0,
        description="a buyer won by a reminder (who would not have paid without it) returns "
        "with chance returns_goods x this (capped at 1); an assumption",
    )
    accepts_sign_and_return: Probability = Field(
        default=0.5,
        description='with policy.refusal = "ask_to_sign": chance a buyer who would refuse a '
        "damaged or wrong parcel signs for it and returns it instead (an assumption)",
    )
    pays_on_credit: Probability = Field(
        default=0.0,
        description="share of the segment's orders paid at placement by credit (花呗) or "
        "use first, pay later (先用后付): they never sit unpaid (an assumption)",
    )
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
    phone_callable: Probability | None = Field(
        default=None,
        description="this segment's share of buyers who can be called (default: "
        "channels.phone_callable)",
    )
    new_account_share: Probability = Field(
        default=0.0,
        description="chance a returning buyer comes back under a new account, which the "
        "blacklist and the purchase limit do not know (attackers switch accounts)",
    )

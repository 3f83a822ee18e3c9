"""Strategies: what the seller does about unpaid orders and after-sale trouble.

A strategy is a list of reminder steps plus policies and paid-for levers. Each step knows when
it fires and which channel it uses for a buyer's segment, so the engine asks the step instead of
re-reading the format.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import ConfigDict, Field, PlainValidator, Strict, WithJsonSchema

from sim.scenario.buyers import Channel
from sim.scenario.fields import MAX_HOURS, Count, Name, NonNegative, Positive, Section, tag_required
from sim.scenario.targeting import OnlyIf

__all__ = [
    "PEAK_HOURS",
    "Deadline",
    "Discount",
    "FreeShipping",
    "Gift",
    "Incentive",
    "Levers",
    "Policy",
    "ReminderStep",
    "ReminderTime",
    "Strategy",
]

PEAK_HOURS = (10.0, 21.0)
_NAMED_TIMES = ("next_day_same_hour", "next_peak")


def _check_at(value: object) -> float | str:
    """Hours after placement (a number >= 0) or one of the named moments; one clean message."""
    if isinstance(value, str) and value in _NAMED_TIMES:
        return value
    if isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value):
        if 0 <= value <= MAX_HOURS:
            return float(value)
        if value > MAX_HOURS:
            raise ValueError(f"must be at most {MAX_HOURS:g} hours (a year) after placement")
        raise ValueError("must be at least 0 hours after placement")
    raise ValueError("must be hours after placement (a number >= 0), "
                     "'next_day_same_hour' or 'next_peak'")  # fmt: skip


ReminderTime = Annotated[
    float | Literal["next_day_same_hour", "next_peak"],
    PlainValidator(_check_at),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": MAX_HOURS},
                {"enum": list(_NAMED_TIMES)},
            ]
        }
    ),
]


class Discount(Section):
    """A price cut offered with the reminder: the buyer pays less, responds more."""

    model_config = ConfigDict(json_schema_extra=tag_required("kind"))

    kind: Literal["discount"] = Field(default="discount", description="which incentive")
    rate: Annotated[float, Strict(), Field(gt=0.0, lt=1.0)] = Field(
        description="share of the price taken off"
    )
    uplift: NonNegative = Field(default=0.0, description="response is multiplied by 1 + uplift")


class Gift(Section):
    """A small gift promised with the reminder, at a fixed cost per paid order."""

    model_config = ConfigDict(json_schema_extra=tag_required("kind"))

    kind: Literal["gift"] = Field(default="gift", description="which incentive")
    cost: NonNegative = Field(description="what the gift costs the seller")
    uplift: NonNegative = Field(default=0.0, description="response is multiplied by 1 + uplift")


class FreeShipping(Section):
    """Free shipping offered with the reminder: the seller pays the outbound freight."""

    model_config = ConfigDict(json_schema_extra=tag_required("kind"))

    kind: Literal["free_shipping"] = Field(default="free_shipping", description="which incentive")
    uplift: NonNegative = Field(default=0.0, description="response is multiplied by 1 + uplift")


class Deadline(Section):
    """A reminder that the discounted price ends soon ("your discount ends in 8 hours").

    It costs the seller nothing; it only makes the reminder more persuasive.
    """

    model_config = ConfigDict(json_schema_extra=tag_required("kind"))

    kind: Literal["deadline"] = Field(default="deadline", description="which incentive")
    uplift: NonNegative = Field(default=0.0, description="response is multiplied by 1 + uplift")


Incentive = Annotated[Discount | Gift | FreeShipping | Deadline, Field(discriminator="kind")]


class ReminderStep(Section):
    """One reminder, sent only if the order is still unpaid (and not closed) at that moment."""

    at: ReminderTime | None = Field(
        default=None,
        description='a number = hours after placement; "next_day_same_hour" = placement + 24 h; '
        '"next_peak" = the next 10:00 or 21:00 strictly after placement; exactly one of at '
        "and before_close",
    )
    before_close: Positive | None = Field(
        default=None,
        description="hours before the order's own unpaid auto-close (its kind's, see "
        '[[order_kinds]]), as reminder tools time it ("2 hours before the order closes"); '
        "a moment before placement (a fixed closes_at) means at placement",
    )
    channel: Literal["phone", "im", "sms", "auto", "by_segment"] = Field(
        description="phone | im | sms | auto | by_segment (then by_segment picks per segment)"
    )
    by_segment: dict[str, Literal["phone", "im", "sms", "auto", "none"]] | None = Field(
        default=None,
        description="segment name -> phone | im | sms | auto | none; required when channel = "
        '"by_segment", forbidden otherwise; segments not listed get no reminder from this step. '
        "It assumes the seller knows each buyer's hidden type; only_if aims at what a seller "
        "can see",
    )
    incentive: Incentive | None = Field(
        default=None,
        description='{ kind = "discount", rate, uplift } | { kind = "gift", cost, uplift } | '
        '{ kind = "free_shipping", uplift } | { kind = "deadline", uplift }; uplift multiplies '
        "response by (1 + uplift)",
    )
    only_if: OnlyIf | None = Field(
        default=None,
        description="{ price_min, price_max, buyer, placed_hours, not_reached_by }: send the "
        "step only to orders that meet every condition given",
    )

    def fire_time(self, placed_hours: Any, close_hours: Any = None) -> Any:
        """When this step is due, in hours since scenario start (00:00 of `scenario.start`),
        for one placement time or an array of them; ``close_hours`` (same shape) is when each
        order closes unpaid, which a ``before_close`` step counts back from."""
        placed = np.asarray(placed_hours, dtype=float)
        if self.before_close is not None:
            if close_hours is None:
                raise ValueError("a before_close step needs the orders' close times")
            due = np.maximum(np.asarray(close_hours, dtype=float) - self.before_close, placed)
        elif self.at == "next_day_same_hour":
            due = placed + 24.0
        elif self.at == "next_peak":  # the first peak hour strictly after placement
            day = np.floor(placed / 24.0) * 24.0
            hour = placed - day
            due = day + 24.0 + PEAK_HOURS[0]
            for peak in reversed(PEAK_HOURS):
                due = np.where(hour < peak, day + peak, due)
        else:
            due = placed + float(self.at)
        return due if due.ndim else float(due)

    def channel_for(self, segment: str) -> Channel | None:
        """The channel this step uses for a buyer of `segment`; None = no reminder."""
        if self.channel != "by_segment":
            return self.channel
        chosen = (self.by_segment or {}).get(segment, "none")
        return None if chosen == "none" else chosen


class Policy(Section):
    """How the seller handles stock-outs, late shipments and malicious orders."""

    stockout: Literal["proactive", "alternative", "pay_on_claim", "on_complaint"] = Field(
        default="pay_on_claim",
        description="proactive (compensate every buyer at once) | alternative (offer another "
        "item) | pay_on_claim (compensate a buyer who claims, before the platform steps in: no "
        "points) | on_complaint (wait for the platform: compensation and penalty points)",
    )
    late_shipment: Literal["proactive", "pay_on_claim", "on_complaint"] = Field(
        default="pay_on_claim",
        description="proactive | pay_on_claim | on_complaint (as for stockout)",
    )
    malicious: Literal["report", "close"] = Field(
        default="report",
        description="report | close (closing invites a 成交不卖 complaint and penalty points)",
    )
    blacklist_after: Count = Field(
        default=0,
        description="block a buyer after this many unpaid orders; 0 = never "
        "(a blocked buyer's later orders are refused at placement)",
    )
    refusal: Literal["at_the_door", "ask_to_sign"] = Field(
        default="at_the_door",
        description="at_the_door (a buyer refuses a damaged or wrong parcel: freight both ways) "
        "| ask_to_sign (the buyer is asked to sign and return it, freight insurance paying the "
        "return first; insured shops only)",
    )
    malicious_close_hours: Annotated[float, Strict(), Field(ge=0.0, le=MAX_HOURS)] = Field(
        default=1.0,
        description='extension: with malicious = "close", hours after placement at which the '
        "seller closes a malicious buyer's order",
    )
    purchase_limit: Count = Field(
        default=0,
        description="限购: most unpaid orders one buyer account may hold at once; an order "
        "beyond it is refused at placement (counted in blocked_rate); 0 = no limit",
    )
    reserve_stock_on: Literal["order", "payment"] | None = Field(
        default=None,
        description='this strategy\'s listing setting for [inventory]: 拍下减库存 ("order") or '
        '付款减库存 ("payment"); default: inventory.reserve_on',
    )


class Levers(Section):
    """Shop improvements this strategy pays for (real photos, better packing, ...)."""

    dispute_multipliers: dict[str, NonNegative] = Field(
        default={},
        description="dispute cause (a key of quality.dispute_causes) -> multiplier of its chance",
    )
    chargeback_multipliers: dict[str, NonNegative] = Field(
        default={},
        description="chargeback cause (a key of quality.chargeback_causes) -> multiplier of its "
        "chance (fraud screening, tracked shipping, real photos)",
    )
    damage_multiplier: NonNegative = Field(
        default=1.0, description="multiplies quality.damage_or_wrong_item (better packing)"
    )
    cost_per_order: NonNegative = Field(
        default=0.0, description="what the levers cost per order placed"
    )

    def dispute_multiplier(self, cause: str) -> float:
        """The multiplier of one dispute cause (1 when the strategy does not touch it)."""
        return float(self.dispute_multipliers.get(cause, 1.0))

    def chargeback_multiplier(self, cause: str) -> float:
        """The multiplier of one chargeback cause (1 when the strategy does not touch it)."""
        return float(self.chargeback_multipliers.get(cause, 1.0))


class Strategy(Section):
    """What the seller does: reminder steps in order, policies and levers."""

    name: Name = Field(description="required; unique among strategies")
    reminders: tuple[ReminderStep, ...] = Field(
        default=(), description="reminder steps, each sent only if the order is still unpaid"
    )
    policy: Policy = Field(default=Policy(), description="after-sale policies")
    levers: Levers = Field(
        default=Levers(), description="optional shop levers this strategy pays for"
    )
    max_per_buyer_per_day: Annotated[int, Strict(), Field(ge=1)] | None = Field(
        default=None,
        description="at most this many reminders (any channel) to one buyer in one calendar "
        "day, as reminder tools cap them; a step that would exceed it is skipped and counted "
        "(capped_reminders_per_order); none = no cap",
    )

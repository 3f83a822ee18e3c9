"""Platform rules: named presets that a scenario's [platform] keys override one by one.

The numbers are the platforms' published rules as the seller articles quote them
(docs/rules.md §3, §7); platforms revise them, which is why every one is a key. Where the
articles give no number for a platform (most of AliExpress's), its preset leaves the key unset
(None) instead of borrowing Taobao's: a scenario that needs the number must give it, and the
load checks name the key if it does not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PlainValidator,
    Strict,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sim.scenario.fields import Count, Days, Hours, NonNegative, Probability, Section, number_keyed
from sim.scenario.readings import CLOSED, PRESETS, TODAY, PresetName, Reading, numbers, presets_say

__all__ = [
    "CLOSED",
    "PRESETS",
    "TODAY",
    "PenaltyLadder",
    "Platform",
    "PresetName",
    "Reading",
]

# The taobao preset under the articles' reading: the model's defaults (the validator lays the
# scenario's preset and reading over them before any default is used).
_DEFAULT = numbers("taobao", "articles")
_UNSET = "unset: give it when the scenario needs it"


def _presets(key: str) -> str:
    """What the presets set for ``key`` (from the tables, so descriptions cannot drift)."""
    return f"presets: {presets_say(key)}".replace(" unset", f" {_UNSET}")


def _check_days(value: object) -> float | str:
    """Days without selling: a number > 0, or "closed" for the rest of the run."""
    if value == CLOSED:
        return CLOSED
    if isinstance(value, Real) and not isinstance(value, bool) and 0 < value < math.inf:
        return float(value)
    raise ValueError('must be days the shop cannot sell (a number > 0) or "closed"')


BanDays = Annotated[
    float | str,
    PlainValidator(_check_days),
    WithJsonSchema({"anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"const": CLOSED}]}),
]
# points -> days without selling, the rungs sorted by their points
PenaltyLadder = number_keyed(BanDays, what="points", least=1, whole=True)


class Platform(Section):
    """The marketplace's rules: a preset, and any key written here overrides it.

    A key the preset leaves unset is None; the load checks require it where a scenario uses it.
    """

    preset: PresetName = Field(
        default="taobao",
        description="taobao | tmall | aliexpress; the other keys of [platform] override it",
    )
    rules_as: Reading = Field(
        default="articles",
        description='"articles" (the seller articles\' reading, the documented source) or '
        '"today" (today\'s rules as sellers report them, assumptions); the preset applies the '
        "reading's numbers and the other keys of [platform] override them (docs/rules.md)",
    )
    closing_unpaid_penalised: Annotated[bool, Strict()] = Field(
        default=_DEFAULT["closing_unpaid_penalised"],
        description="closing a malicious buyer's unpaid order can draw a 成交不卖 complaint "
        "and its points (today closing with the reason 恶意拍下 draws none; "
        f"{_presets('closing_unpaid_penalised')})",
    )
    ban_effect: Literal["no_new_listings", "no_sales"] = Field(
        default=_DEFAULT["ban_effect"],
        description='what a ban stops: "no_new_listings" (停止铺货: the share '
        'listing_ban_sales_loss of orders is lost while banned) or "no_sales" (no order at '
        f"all; {_presets('ban_effect')})",
    )
    listing_ban_sales_loss: Probability = Field(
        default=_DEFAULT["listing_ban_sales_loss"],
        description="share of would-be orders lost while a no_new_listings ban lasts (an "
        "assumption: 1 = every order, as ordersim read bans before this key)",
    )
    points_cap_per_day: NonNegative = Field(
        default=_DEFAULT["points_cap_per_day"],
        description="most penalty points taken per day of the run (from 00:00); points beyond "
        "it that day do not count toward the ladder "
        f"(0 = no cap; {_presets('points_cap_per_day')})",
    )
    auto_compensation: Annotated[bool, Strict()] = Field(
        default=_DEFAULT["auto_compensation"],
        description="the platform pays out-of-stock and late-shipment compensation from the "
        "seller's account as soon as the buyer claims it, without points, so "
        f'"on_complaint" acts as "pay_on_claim" ({_presets("auto_compensation")})',
    )
    stockout_compensation_min: NonNegative = Field(
        default=_DEFAULT["stockout_compensation_min"],
        description="least out-of-stock compensation per order "
        f"({_presets('stockout_compensation_min')})",
    )
    annoyance_shows_as: Literal["low_rating", "complaint"] = Field(
        default=_DEFAULT["annoyance_shows_as"],
        description='what an annoying reminder costs: "low_rating" (a low service rating from '
        'a buyer who received the goods) or "complaint" (a harassment complaint, 骚扰, whatever '
        "became of the order; reminders no longer feed ratings; "
        f"{_presets('annoyance_shows_as')})",
    )
    harassment_points: Count = Field(
        default=_DEFAULT["harassment_points"],
        description="penalty points per order whose buyer reports a harassment complaint to "
        "the platform (segments.*.reports_harassment; counted where annoyance_shows_as = "
        f'"complaint"; {_presets("harassment_points")})',
    )
    traffic_per_low_rating: NonNegative = Field(
        default=0.0,
        description="share of traffic lost per low rating per 1,000 orders over "
        "rating_window_days: later would-be orders are lost on their own draw (an assumption; "
        "0 = off; counts where annoyance shows as low ratings, the articles' reading)",
    )
    traffic_per_complaint: NonNegative = Field(
        default=0.0,
        description="the same per harassment complaint (today's reading; an assumption, 0 = off)",
    )
    traffic_per_dispute: NonNegative = Field(
        default=0.0,
        description="the same per dispute opened (AliExpress: dispute rates feed the seller's "
        "rating and traffic; an assumption, 0 = off)",
    )
    rating_window_days: Days = Field(
        default=30.0,
        description="the window over which low ratings, complaints and disputes cost traffic "
        "(an assumption)",
    )
    unpaid_auto_close_hours: Hours = Field(
        default=_DEFAULT["unpaid_auto_close_hours"],
        description="the platform closes an unpaid order after this long "
        f"({_presets('unpaid_auto_close_hours')})",
    )
    stockout_compensation_rate: Probability | None = Field(
        default=_DEFAULT["stockout_compensation_rate"],
        description="out-of-stock compensation as a share of the item price "
        f"({_presets('stockout_compensation_rate')})",
    )
    stockout_compensation_cap: NonNegative | None = Field(
        default=_DEFAULT["stockout_compensation_cap"],
        description="out-of-stock compensation cap per order "
        f"({_presets('stockout_compensation_cap')})",
    )
    late_shipment_rate: Probability | None = Field(
        default=_DEFAULT["late_shipment_rate"],
        description="late-shipment compensation as a share of the paid amount "
        f"({_presets('late_shipment_rate')})",
    )
    late_shipment_min: NonNegative | None = Field(
        default=_DEFAULT["late_shipment_min"],
        description=f"least late-shipment compensation per order ({_presets('late_shipment_min')})",
    )
    late_shipment_max: NonNegative | None = Field(
        default=_DEFAULT["late_shipment_max"],
        description=f"most late-shipment compensation per order ({_presets('late_shipment_max')})",
    )
    intervention_penalty_points: Count | None = Field(
        default=_DEFAULT["intervention_penalty_points"],
        description="penalty points when the platform intervenes before the seller "
        f"compensated ({_presets('intervention_penalty_points')})",
    )
    penalty_ladder: PenaltyLadder | None = Field(
        default=dict(_DEFAULT["penalty_ladder"]),
        description="points -> days the shop cannot sell once it has that many "
        '("closed" = for the rest of the run; {} = no bans; '
        f"{_presets('penalty_ladder')})",
    )
    points_at_start: Count = Field(
        default=0, description="penalty points the shop already has when the run starts"
    )
    auto_confirm_days: Days | None = Field(
        default=_DEFAULT["auto_confirm_days"],
        description="delivered orders complete by themselves after this many days "
        f"({_presets('auto_confirm_days')})",
    )
    dispute_settle_hours: Hours = Field(
        default=_DEFAULT["dispute_settle_hours"],
        description="extension (not in the seller articles): how long a dispute takes to settle, "
        "from opening to the decision for the seller or the buyer",
    )
    lost_dispute: Literal["return", "refund_only", "keep"] = Field(
        default=_DEFAULT["lost_dispute"],
        description='after a dispute settled for the buyer: "return" (the goods come back) or '
        '"refund_only" (仅退款: the buyer keeps them; "keep" is its older name; '
        f"{_presets('lost_dispute')})",
    )
    dispute_fee: NonNegative | None = Field(
        default=_DEFAULT["dispute_fee"],
        description=f"charged to the seller per dispute lost ({_presets('dispute_fee')})",
    )
    chargeback_fee: NonNegative | None = Field(
        default=_DEFAULT["chargeback_fee"],
        description="charged to the seller per card chargeback (拒付), beyond the reversed "
        f"payment ({_presets('chargeback_fee')})",
    )
    partial_refund_share: Probability = Field(
        default=1.0,
        description="share of the paid amount a dispute the seller loses refunds; below 1 the "
        "buyer keeps the goods (a partial refund, common on AliExpress; 1 = the whole amount)",
    )
    platform_logistics: Annotated[bool, Strict()] = Field(
        default=False,
        description="the platform's own logistics carry the parcels: a dispute of cause "
        '"logistics" the seller would lose is the platform\'s loss (no refund, fee or return)',
    )
    fully_managed: Annotated[bool, Strict()] = Field(
        default=False,
        description="全托管: the platform runs the shop's after-sales, so the seller bears no "
        "lost dispute (no refund, fee or return)",
    )
    no_reason_return_days: Days | None = Field(
        default=_DEFAULT["no_reason_return_days"],
        description="days after delivery within which a buyer may send goods back without a "
        f"reason (七天无理由退货; {_presets('no_reason_return_days')})",
    )

    @field_validator("lost_dispute")
    @classmethod
    def _older_name(cls, value: str) -> str:
        """The older name "keep" is refund_only: one meaning, one name after loading."""
        return "refund_only" if value == "keep" else value

    @model_validator(mode="before")
    @classmethod
    def _fill_from_preset(cls, data: Any) -> Any:
        """Start from the preset's numbers; keys given explicitly win."""
        if not isinstance(data, Mapping):
            return data
        name, reading = data.get("preset", "taobao"), data.get("rules_as")
        base = numbers(name if isinstance(name, str) else "taobao", reading)
        return {**base, **data}

    def unset(self) -> list[str]:
        """The keys the preset left without a number and the scenario did not set."""
        return [name for name in type(self).model_fields if getattr(self, name) is None]

    def ban_rungs(self) -> tuple[tuple[int, float], ...]:
        """The penalty ladder as (points, days) in rising order; "closed" is infinite days."""
        ladder = self.penalty_ladder or {}
        return tuple(
            (int(points), math.inf if days == CLOSED else float(days))
            for points, days in ladder.items()
        )

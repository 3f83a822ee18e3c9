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
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    PlainValidator,
    Strict,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sim.scenario.fields import Count, Days, Hours, NonNegative, Probability, Section

__all__ = [
    "CLOSED",
    "PRESETS",
    "TODAY",
    "PenaltyLadder",
    "Platform",
    "PresetName",
    "Reading",
]

PresetName = Literal["taobao", "tmall", "aliexpress"]
Reading = Literal["articles", "today"]

# The general-violation ladder as commonly published for Taobao and Tmall (an assumption to
# check against the current rules): points reached -> days the shop cannot sell.
_LADDER: Mapping[str, float | str] = MappingProxyType(
    {"12": 7.0, "24": 14.0, "36": 21.0, "48": "closed"}
)

# The articles' reading of the rules that today's platforms changed (docs/rules.md, "Two
# readings of the platform"): what every preset carries under rules_as = "articles".
_ARTICLES: Mapping[str, object] = MappingProxyType(
    {
        "closing_unpaid_penalised": True,
        "ban_effect": "no_new_listings",
        "listing_ban_sales_loss": 1.0,
        "points_cap_per_day": 0.0,
        "auto_compensation": False,
        "stockout_compensation_min": 0.0,
        "annoyance_shows_as": "low_rating",
    }
)

_TAOBAO: Mapping[str, object] = MappingProxyType(
    {
        "unpaid_auto_close_hours": 24.0,
        "stockout_compensation_rate": 0.30,
        "stockout_compensation_cap": 30.0,
        "late_shipment_rate": 0.05,
        "late_shipment_min": 1.0,
        "late_shipment_max": 30.0,
        "intervention_penalty_points": 3,
        "penalty_ladder": _LADDER,
        "auto_confirm_days": 10.0,
        "dispute_settle_hours": 168.0,
        "lost_dispute": "return",
        "dispute_fee": 0.0,
        "no_reason_return_days": 7.0,
        **_ARTICLES,
    }
)

# Known for AliExpress: it waits much longer before closing an unpaid order, and cross-border
# buyers who win a dispute mostly keep the goods. The rest is not in the articles: unset.
_ALIEXPRESS: Mapping[str, object] = MappingProxyType(
    {
        "unpaid_auto_close_hours": 480.0,
        "stockout_compensation_rate": None,
        "stockout_compensation_cap": None,
        "late_shipment_rate": None,
        "late_shipment_min": None,
        "late_shipment_max": None,
        "intervention_penalty_points": None,
        "penalty_ladder": None,
        "auto_confirm_days": None,
        "dispute_settle_hours": 168.0,
        "lost_dispute": "refund_only",
        "dispute_fee": None,
        "no_reason_return_days": None,
        **_ARTICLES,
    }
)

PRESETS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "taobao": _TAOBAO,
        "tmall": MappingProxyType({**_TAOBAO, "stockout_compensation_cap": 500.0}),
        "aliexpress": _ALIEXPRESS,
    }
)

# Today's rules as sellers who run Taobao and Tmall shops report them (none confirmed from a
# published rule text: assumptions, docs/rules.md "Two readings of the platform"); laid over
# the preset when rules_as = "today". The 48-point closure belongs to serious violations, so
# the general-violation ladder stops at 21 days.
_TODAY_TAOBAO: Mapping[str, object] = MappingProxyType(
    {
        "closing_unpaid_penalised": False,
        "ban_effect": "no_sales",
        "penalty_ladder": MappingProxyType({"12": 7.0, "24": 14.0, "36": 21.0, "48": 21.0}),
        "auto_compensation": True,
        "late_shipment_min": 5.0,
        "annoyance_shows_as": "complaint",
        # a lost dispute often ends as a refund without return (仅退款), as sellers report it
        "lost_dispute": "refund_only",
    }
)

TODAY: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "taobao": _TODAY_TAOBAO,
        "tmall": MappingProxyType(
            {
                **_TODAY_TAOBAO,
                "late_shipment_rate": 0.30,
                "late_shipment_min": 5.0,
                "late_shipment_max": 500.0,
                "stockout_compensation_min": 5.0,
            }
        ),
        # the sellers' review gives AliExpress no numbers for these rules: the preset stays
        "aliexpress": MappingProxyType({}),
    }
)

CLOSED = "closed"
_UNSET = "aliexpress: unset, give it when the scenario needs it"


def _check_points(value: object) -> str:
    """A rung's points: a whole number >= 1, written as a TOML key ("12") or a number."""
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not text.isdigit() or int(text) < 1:
        raise ValueError("points must be a whole number of at least 1")
    return str(int(text))


def _check_days(value: object) -> float | str:
    """Days without selling: a number > 0, or "closed" for the rest of the run."""
    if value == CLOSED:
        return CLOSED
    if isinstance(value, Real) and not isinstance(value, bool) and 0 < value < math.inf:
        return float(value)
    raise ValueError('must be days the shop cannot sell (a number > 0) or "closed"')


def _sorted_ladder(value: dict[str, float | str]) -> dict[str, float | str]:
    return dict(sorted(value.items(), key=lambda item: int(item[0])))


LadderPoints = Annotated[str, PlainValidator(_check_points), WithJsonSchema({"type": "string"})]
BanDays = Annotated[
    float | str,
    PlainValidator(_check_days),
    WithJsonSchema({"anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"const": CLOSED}]}),
]
PenaltyLadder = Annotated[dict[LadderPoints, BanDays], AfterValidator(_sorted_ladder)]


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
        default=True,
        description="closing a malicious buyer's unpaid order can draw a 成交不卖 complaint "
        "and its points (articles: true; today: false, closing with the reason 恶意拍下 "
        "draws none)",
    )
    ban_effect: Literal["no_new_listings", "no_sales"] = Field(
        default="no_new_listings",
        description='what a ban stops: "no_new_listings" (articles, 停止铺货: the share '
        'listing_ban_sales_loss of orders is lost while banned) or "no_sales" (today: no '
        "order at all)",
    )
    listing_ban_sales_loss: Probability = Field(
        default=1.0,
        description="share of would-be orders lost while a no_new_listings ban lasts (an "
        "assumption: 1 = every order, as ordersim read bans before this key)",
    )
    points_cap_per_day: NonNegative = Field(
        default=0.0,
        description="most penalty points taken per day of the run (from 00:00); points beyond "
        "it that day do not count toward the ladder (0 = no cap, both readings)",
    )
    auto_compensation: Annotated[bool, Strict()] = Field(
        default=False,
        description="the platform pays out-of-stock and late-shipment compensation from the "
        "seller's account as soon as the buyer claims it, without points (today: true), so "
        '"on_complaint" acts as "pay_on_claim" (articles: false)',
    )
    stockout_compensation_min: NonNegative = Field(
        default=0.0,
        description="least out-of-stock compensation per order (articles: 0; today tmall: 5)",
    )
    annoyance_shows_as: Literal["low_rating", "complaint"] = Field(
        default="low_rating",
        description='what an annoying reminder costs: "low_rating" (articles: a low service '
        'rating from a buyer who received the goods) or "complaint" (today: a harassment '
        "complaint, 骚扰, whatever became of the order; reminders no longer feed ratings)",
    )
    unpaid_auto_close_hours: Hours = Field(
        default=24.0,
        description="the platform closes an unpaid order after this long "
        "(presets: taobao 24, tmall 24, aliexpress 480)",
    )
    stockout_compensation_rate: Probability | None = Field(
        default=0.30,
        description="out-of-stock compensation as a share of the item price "
        f"(taobao, tmall: 0.3; {_UNSET})",
    )
    stockout_compensation_cap: NonNegative | None = Field(
        default=30.0,
        description=f"out-of-stock compensation cap per order (taobao 30, tmall 500; {_UNSET})",
    )
    late_shipment_rate: Probability | None = Field(
        default=0.05,
        description="late-shipment compensation as a share of the paid amount "
        f"(taobao, tmall: 0.05; {_UNSET})",
    )
    late_shipment_min: NonNegative | None = Field(
        default=1.0,
        description="least late-shipment compensation per order (taobao, tmall: 1; today "
        f"Taobao uses 5 for most categories; {_UNSET})",
    )
    late_shipment_max: NonNegative | None = Field(
        default=30.0,
        description=f"most late-shipment compensation per order (taobao, tmall: 30; {_UNSET})",
    )
    intervention_penalty_points: Count | None = Field(
        default=3,
        description="penalty points when the platform intervenes before the seller "
        f"compensated (taobao, tmall: 3; {_UNSET})",
    )
    penalty_ladder: PenaltyLadder | None = Field(
        default=dict(_LADDER),
        description="points -> days the shop cannot sell once it has that many, e.g. "
        '{ 12 = 7, 24 = 14, 36 = 21, 48 = "closed" } (the taobao and tmall presets; "closed" '
        f"= for the rest of the run; {{}} = no bans; {_UNSET})",
    )
    points_at_start: Count = Field(
        default=0, description="penalty points the shop already has when the run starts"
    )
    auto_confirm_days: Days | None = Field(
        default=10.0,
        description="delivered orders complete by themselves after this many days "
        f"(taobao, tmall: 10; {_UNSET})",
    )
    dispute_settle_hours: Hours = Field(
        default=168.0,
        description="extension (not in the seller articles): how long a dispute takes to settle, "
        "from opening to the decision for the seller or the buyer",
    )
    lost_dispute: Literal["return", "refund_only", "keep"] = Field(
        default="return",
        description='after a dispute settled for the buyer: "return" (the goods come back; '
        'taobao, tmall as the articles give them) or "refund_only" (仅退款: the buyer keeps '
        'them; aliexpress, cross-border; "keep" is its older name)',
    )
    dispute_fee: NonNegative | None = Field(
        default=0.0,
        description=f"charged to the seller per dispute lost (taobao, tmall: 0; {_UNSET})",
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
        default=7.0,
        description="days after delivery within which a buyer may send goods back without a "
        f"reason (七天无理由退货; taobao, tmall: 7; {_UNSET})",
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
        name = data.get("preset", "taobao")
        base = PRESETS.get(name, _TAOBAO) if isinstance(name, str) else _TAOBAO
        if data.get("rules_as") == "today":
            base = {**base, **TODAY.get(name, _TODAY_TAOBAO)}
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

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
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sim.scenario.fields import Count, Days, Hours, NonNegative, Probability, Section

__all__ = ["CLOSED", "PRESETS", "PenaltyLadder", "Platform", "PresetName"]

PresetName = Literal["taobao", "tmall", "aliexpress"]

# The general-violation ladder as commonly published for Taobao and Tmall (an assumption to
# check against the current rules): points reached -> days the shop cannot sell.
_LADDER: Mapping[str, float | str] = MappingProxyType(
    {"12": 7.0, "24": 14.0, "36": 21.0, "48": "closed"}
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
    }
)

PRESETS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "taobao": _TAOBAO,
        "tmall": MappingProxyType({**_TAOBAO, "stockout_compensation_cap": 500.0}),
        "aliexpress": _ALIEXPRESS,
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

"""Platform rules: named presets that a scenario's [platform] keys override one by one.

The numbers are the platforms' published rules as the seller articles quote them
(docs/rules.md §3, §7); platforms revise them, which is why every one is a key. After loading,
`Platform` holds a concrete number for every key, so the engine never needs to know which
preset was used.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

from pydantic import Field, model_validator

from sim.scenario.fields import Count, NonNegative, Positive, Probability, Section

__all__ = ["PRESETS", "Platform", "PresetName"]

PresetName = Literal["taobao", "tmall", "aliexpress"]

_TAOBAO: Mapping[str, float | int] = MappingProxyType(
    {
        "unpaid_auto_close_hours": 24.0,
        "stockout_compensation_rate": 0.30,
        "stockout_compensation_cap": 30.0,
        "late_shipment_rate": 0.05,
        "late_shipment_min": 1.0,
        "late_shipment_max": 30.0,
        "intervention_penalty_points": 3,
        "auto_confirm_days": 10.0,
        "dispute_settle_hours": 168.0,
    }
)

PRESETS: Mapping[str, Mapping[str, float | int]] = MappingProxyType(
    {
        "taobao": _TAOBAO,
        "tmall": MappingProxyType({**_TAOBAO, "stockout_compensation_cap": 500.0}),
        "aliexpress": MappingProxyType({**_TAOBAO, "unpaid_auto_close_hours": 480.0}),
    }
)


class Platform(Section):
    """The marketplace's rules: a preset, and any key written here overrides it."""

    preset: PresetName = Field(
        default="taobao",
        description="taobao | tmall | aliexpress; the other keys of [platform] override it",
    )
    unpaid_auto_close_hours: Positive = Field(
        default=24.0,
        description="the platform closes an unpaid order after this long "
        "(presets: taobao 24, tmall 24, aliexpress 480)",
    )
    stockout_compensation_rate: Probability = Field(
        default=0.30, description="out-of-stock compensation as a share of the item price"
    )
    stockout_compensation_cap: NonNegative = Field(
        default=30.0, description="out-of-stock compensation cap per order (tmall preset: 500)"
    )
    late_shipment_rate: Probability = Field(
        default=0.05, description="late-shipment compensation as a share of the paid amount"
    )
    late_shipment_min: NonNegative = Field(
        default=1.0,
        description="least late-shipment compensation per order "
        "(today Taobao uses 5 for most categories)",
    )
    late_shipment_max: NonNegative = Field(
        default=30.0, description="most late-shipment compensation per order"
    )
    intervention_penalty_points: Count = Field(
        default=3,
        description="penalty points when the platform intervenes before the seller compensated",
    )
    auto_confirm_days: Positive = Field(
        default=10.0, description="delivered orders complete by themselves after this many days"
    )
    dispute_settle_hours: Positive = Field(
        default=168.0,
        description="extension (not in the seller articles): how long a dispute takes to settle, "
        "from opening to the decision for the seller or the buyer",
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_from_preset(cls, data: Any) -> Any:
        """Start from the preset's numbers; keys given explicitly win."""
        if not isinstance(data, Mapping):
            return data
        name = data.get("preset", "taobao")
        base = PRESETS.get(name, _TAOBAO) if isinstance(name, str) else _TAOBAO
        return {**base, **data}

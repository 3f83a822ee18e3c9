"""The platform presets' numbers under each reading of the rules, each number written once.

A preset's numbers are layers laid one over the other: the articles' reading of the rules
every preset shares, then the preset's own numbers (tmall is taobao with its own out-of-stock
cap), then, under ``rules_as = "today"``, today's rules as sellers report them. The sources
are in docs/rules.md ("Two readings of the platform", §3, §7).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

__all__ = ["CLOSED", "PRESETS", "TODAY", "PresetName", "Reading", "numbers", "presets_say"]

PresetName = Literal["taobao", "tmall", "aliexpress"]
Reading = Literal["articles", "today"]
CLOSED = "closed"

# The general-violation ladder as commonly published for Taobao and Tmall (an assumption to
# check against the current rules): points reached -> days the shop cannot sell.
_LADDER: Mapping[str, float | str] = MappingProxyType(
    {"12": 7.0, "24": 14.0, "36": 21.0, "48": CLOSED}
)

# The articles' reading of the rules that today's platforms changed: every preset carries it
# under rules_as = "articles".
_ARTICLES: Mapping[str, object] = MappingProxyType(
    {
        "closing_unpaid_penalised": True,
        "ban_effect": "no_new_listings",
        "listing_ban_sales_loss": 1.0,
        "points_cap_per_day": 0.0,
        "auto_compensation": False,
        "stockout_compensation_min": 0.0,
        "annoyance_shows_as": "low_rating",
        "harassment_points": 0,
    }
)

# The numbers the articles quote for Taobao (and Tmall, which differs only in its cap).
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
        "chargeback_fee": 0.0,  # buyers pay through Alipay: no card chargebacks (an assumption)
        "no_reason_return_days": 7.0,
    }
)

# Known for AliExpress: it waits much longer before closing an unpaid order, and cross-border
# buyers who win a dispute mostly keep the goods. The rest of Taobao's numbers are not in the
# articles for AliExpress: unset (None), so a scenario that needs one must give it.
_ALIEXPRESS: Mapping[str, object] = MappingProxyType(
    {
        **dict.fromkeys(_TAOBAO, None),
        "unpaid_auto_close_hours": 480.0,
        "dispute_settle_hours": 168.0,
        "lost_dispute": "refund_only",
    }
)

PRESETS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "taobao": MappingProxyType({**_TAOBAO, **_ARTICLES}),
        "tmall": MappingProxyType({**_TAOBAO, **_ARTICLES, "stockout_compensation_cap": 500.0}),
        "aliexpress": MappingProxyType({**_ALIEXPRESS, **_ARTICLES}),
    }
)

# Today's rules as sellers who run Taobao and Tmall shops report them (none confirmed from a
# published rule text: assumptions), laid over the preset when rules_as = "today". The 48-point
# closure belongs to serious violations, so the general-violation ladder stops at 21 days.
_TODAY_TAOBAO: Mapping[str, object] = MappingProxyType(
    {
        "closing_unpaid_penalised": False,
        "ban_effect": "no_sales",
        "penalty_ladder": MappingProxyType({**_LADDER, "48": 21.0}),
        "auto_compensation": True,
        "late_shipment_min": 5.0,
        "annoyance_shows_as": "complaint",
        # a reported harassment (骚扰他人) is a general violation like the others (an assumption)
        "harassment_points": 3,
        # a lost dispute often ends as a refund without return (仅退款), as sellers report it
        "lost_dispute": "refund_only",
    }
)

TODAY: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "taobao": _TODAY_TAOBAO,
        # Tmall's own terms: late shipment 30% within 5 to 500 yuan, out of stock at least 5
        "tmall": MappingProxyType(
            {
                **_TODAY_TAOBAO,
                "late_shipment_rate": 0.30,
                "late_shipment_max": 500.0,
                "stockout_compensation_min": 5.0,
            }
        ),
        # the sellers' review gives AliExpress no numbers for these rules: the preset stays
        "aliexpress": MappingProxyType({}),
    }
)


def numbers(preset: str, reading: str) -> dict[str, object]:
    """The preset's numbers under the reading (an unknown preset reads as taobao: the model's
    own validation names it)."""
    name = preset if preset in PRESETS else "taobao"
    return {**PRESETS[name], **(TODAY[name] if reading == "today" else {})}


def _say(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_say(v)}" for k, v in value.items()) + " }"
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value:g}" if isinstance(value, float) else str(value)


def _grouped(values: Mapping[str, object]) -> str:
    groups: dict[str, list[str]] = {}
    for name, value in values.items():
        groups.setdefault(_say(value), []).append(name)
    return "; ".join(f"{', '.join(names)} {value}" for value, names in groups.items())


def presets_say(key: str) -> str:
    """The key's number in each preset, presets with equal numbers grouped, then where today's
    reading differs ("taobao, tmall 0.3; aliexpress unset; today: tmall 5"): descriptions
    quote the tables, never a copy of them."""
    articles = {name: numbers(name, "articles")[key] for name in PRESETS}
    today = {
        name: numbers(name, "today")[key]
        for name in PRESETS
        if numbers(name, "today")[key] != articles[name]
    }
    said = _grouped(articles)
    return f"{said}; today: {_grouped(today)}" if today else said

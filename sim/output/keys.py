"""Which rows of a summary to show, and under what names: one place for tables, report and plots.

A sweep repeats every strategy for each value; a strategy the swept key does not touch gives the
same numbers at every value, so it is shown once, under its own name. Whether the experiment
layer already ran it once (a key without "@") or ran it per value (identical statistics), the
display is the same. Also here: which KPIs a run's question needs (the swept key's and values'
names are `sim.output.swept`'s).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sim.experiment.results import MAIN_KPIS
from sim.output.swept import parameter_label, value_label, value_name

__all__ = [
    "Group",
    "choose_kpis",
    "comparison",
    "display_groups",
    "display_name",
    "key_parts",
    "parameter_label",
    "shown_keys",
    "uses_totals",
    "value_label",
    "value_shown",
]

# KPIs added to the main ones when they vary between the strategies shown: each is the number
# some seller question turns on (agents' wait, lost sales, compensation, refusals, disputes...).
_WHEN_THEY_VARY = (
    "reminder_wait_hours",
    "agent_utilization",
    "lost_sales_rate",
    "blocked_rate",
    "compensation_per_order",
    "discount_per_order",
    "incentive_cost_per_order",
    "reminder_cost_per_order",
    "insurance_cost_per_order",
    "refunded_rate",
    "refused_rate",
    "disputed_rate",
    "freight_loss_per_order",
    "lever_cost_per_order",
    "harassment_complaints_per_order",
    "harassment_reports_per_order",
    "traffic_lost_rate",
    "chargeback_rate",
    "chargeback_fee_per_order",
    "opted_out_rate",
    "ban_days",
    "banned_order_rate",
    "buyer_paid_rate",
    "dispute_fee_per_order",
    "returned_rate",
    "return_cost_per_order",
)


def key_parts(summary: Mapping, key: str) -> tuple[str, str | None]:
    """(strategy, sweep value as text or None) of a summary key."""
    if "sweep" in summary and "@" in key:
        strategy, value = key.split("@", 1)
        return strategy, value
    return key, None


def comparison(summary: Mapping, key: str, kpi: str) -> dict[str, float | None] | None:
    """{mean, ci_low, ci_high, significant} of key minus baseline, or None (the baseline)."""
    comp = summary.get("comparisons", {}).get(key, {}).get(kpi)
    if comp is None:
        return None
    mean = comp.get("mean", comp.get("diff"))
    low, high = comp.get("ci_low"), comp.get("ci_high")
    significant = comp.get("significant")
    if significant is None:
        significant = low is not None and high is not None and (low > 0 or high < 0)
    return {"mean": mean, "ci_low": low, "ci_high": high, "significant": bool(significant)}


@dataclass
class Group:
    """A set of keys shown together: one strategy across sweep values, or plain strategies."""

    title: str | None
    keys: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)  # the swept keys the labels name


def _same(summary: Mapping, keys: Sequence[str]) -> bool:
    """Whether the keys have identical statistics and comparisons (a strategy the sweep
    does not touch)."""
    stats = summary["strategies"]
    comps = summary.get("comparisons", {})
    first = keys[0]
    return all(stats[k] == stats[first] and comps.get(k) == comps.get(first) for k in keys[1:])


def display_groups(
    summary: Mapping, unchanged_title: str = "unchanged by the sweep"
) -> list[Group]:
    """The keys to show, grouped: without a sweep one group of every strategy; with one, a
    group per strategy the sweep changes (labelled by value) and one group of those it does not
    change (each shown once, labelled by name). On a grid, a strategy one axis does not touch
    (no reminder: the reminder's moment) is shown once per value of the other axes."""
    keys = list(summary["strategies"])
    if "sweep" not in summary:
        return [Group(None, keys, keys)]
    by_strategy: dict[str, list[str]] = {}
    for key in keys:
        by_strategy.setdefault(key_parts(summary, key)[0], []).append(key)
    unchanged = Group(unchanged_title)
    groups = []
    for strategy, members in by_strategy.items():
        once = len(members) == 1 and key_parts(summary, members[0])[1] is None
        if once or _same(summary, members):
            unchanged.keys.append(members[0])
            unchanged.labels.append(strategy)
        else:
            groups.append(_swept_group(summary, strategy, members))
    return ([unchanged] if unchanged.keys else []) + groups


def _axes(summary: Mapping) -> list[str]:
    """The swept keys, one per axis (a grid has several)."""
    sweep = summary.get("sweep", {})
    if "grid" in sweep:
        return [axis["parameter"] for axis in sweep["grid"]]
    parameter = sweep.get("parameter")
    return [parameter] if isinstance(parameter, str) else []


def _swept_group(summary: Mapping, strategy: str, members: list[str]) -> Group:
    """A strategy across the sweep's values; on a grid, an axis along which every member's
    statistics are identical is held at its first value and left out of the labels."""
    axes = _axes(summary)
    parts = {key: (key_parts(summary, key)[1] or "").split(",") for key in members}
    if len(axes) < 2 or any(len(p) != len(axes) for p in parts.values()):
        labels = [key_parts(summary, k)[1] or k for k in members]
        return Group(strategy, members, labels, axes)
    first = parts[members[0]]
    kept, used = list(members), []
    for axis in range(len(axes)):

        def at_first(key: str, axis: int = axis) -> str:
            moved = [first[axis] if i == axis else v for i, v in enumerate(parts[key])]
            return f"{strategy}@{','.join(moved)}"

        if all(at_first(k) in parts and _same(summary, [at_first(k), k]) for k in kept):
            kept = [k for k in kept if parts[k][axis] == first[axis]]
        else:
            used.append(axis)
    labels = [",".join(parts[k][i] for i in used) for k in kept]
    return Group(strategy, kept, labels, [axes[i] for i in used])


def display_name(summary: Mapping, key: str, lang: str = "en") -> str:
    """How a key is shown: an unchanged strategy by its name, a swept one with its value and
    unit ("sms-once @ 15 min", on a grid "sms-once @ 15 min, 72 h"), others as they are."""
    strategy, value = key_parts(summary, key)
    axes = _axes(summary)
    parts = (value or "").split(",") if len(axes) > 1 else [value]
    for group in display_groups(summary):
        if key in group.keys and group.title == "unchanged by the sweep":
            return strategy
        if group.title == strategy and 0 < len(group.parameters) < len(axes) == len(parts):
            # the axes it depends on (a repeat along another axis is named as the one shown)
            parts = [parts[axes.index(p)] for p in group.parameters]
            axes = list(group.parameters)
    if value is None or not axes or len(parts) != len(axes):
        return key
    shown = ", ".join(value_label(a, v, lang) for a, v in zip(axes, parts, strict=True))
    return f"{strategy} @ {shown}"


def value_shown(
    summary: Mapping, value: str, lang: str = "en", parameters: Sequence[str] | None = None
) -> str:
    """A sweep value as a column or a tick shows it: a word of the format (a platform reading,
    true) in the reader's language, a number as it is (the key's unit is in the title); a grid
    point's values ("0.25,72", or those of ``parameters``) each so, joined by commas."""
    axes = list(parameters) if parameters is not None else _axes(summary)
    parts = value.split(",") if len(axes) > 1 else [value]
    if not axes or len(parts) != len(axes):
        return value
    return ", ".join(value_name(a, v, lang) or v for a, v in zip(axes, parts, strict=True))


def shown_keys(summary: Mapping) -> list[str]:
    """Every key shown once (the first key of an unchanged strategy stands for it)."""
    return [key for group in display_groups(summary) for key in group.keys]


def _mean(summary: Mapping, key: str, kpi: str) -> float | None:
    value = summary["strategies"].get(key, {}).get(kpi, {}).get("mean")
    return None if value is None or not math.isfinite(value) else float(value)


def uses_totals(summary: Mapping) -> bool:
    """Whether the strategies place different numbers of orders (blacklist, stock), so that
    per-order figures mislead and totals (net_profit, paid_orders) must be compared."""
    orders = [_mean(summary, key, "orders") for key in summary["strategies"]]
    known = [o for o in orders if o is not None]
    if not known:
        return False
    return max(known) - min(known) > 1e-9 * max(1.0, abs(known[0]))


def _varies(summary: Mapping, keys: Sequence[str], kpi: str) -> bool:
    values = [_mean(summary, key, kpi) for key in keys]
    known = [v for v in values if v is not None]
    if not known:
        return False
    if len(known) < len(values):  # defined for some strategies only (agents' wait)
        return True
    spread = max(known) - min(known)
    return spread > 0.2 * max(abs(v) for v in known) and spread > 1e-12


def choose_kpis(summary: Mapping, main: Sequence[str] = MAIN_KPIS) -> list[str]:
    """The rows of the main tables: the totals first when strategies place different numbers
    of orders, the main KPIs, then the question-specific ones that vary between strategies."""
    keys = shown_keys(summary)
    present = set(next(iter(summary["strategies"].values()), {}))
    kpis = [k for k in ("net_profit", "paid_orders") if uses_totals(summary) and k in present]
    kpis += [k for k in main if k not in kpis]
    kpis += [k for k in _WHEN_THEY_VARY if k in present and _varies(summary, keys, k)]
    return kpis

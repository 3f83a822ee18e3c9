"""What a seller's reminder tool reports (credited) beside what the reminders really won
(incremental): the same few lines for a simulated run and for a trial export.

A 催付 tool counts every reminded order that is then paid as its success, and that order's amount
as "recovered" (挽回): every buyer who would have paid anyway is credited to the reminder. The
increment is the difference against a control on the same buyers: in a simulation, the baseline
strategy in the same replication (common random numbers); in a trial, the control arm. Both
callers hand in plain KPI mappings, so a trial export that gives `reminded_rate`,
`credited_paid_rate`, `credited_amount_per_order`, `paid_rate` and `gmv_per_order` per arm (see
`tool_figures` for per-order arrays) gets the same figures. docs/kpis.md defines each figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

__all__ = [
    "PAIRED_KPIS",
    "against_control",
    "credited_over_incremental",
    "reminder_spend",
    "tool_figures",
    "tool_roi",
]

# figures of a strategy against the baseline in the same replication (mean and paired interval;
# credited_over_incremental is the ratio of the means)
PAIRED_KPIS: tuple[str, ...] = (
    "incremental_paid_rate",
    "incremental_amount_per_order",
    "credited_over_incremental",
    "real_roi",
)

_TOOL_FIGURES = (
    "reminded_rate",
    "credited_paid_rate",
    "credited_amount_per_order",
    "paid_rate",
    "gmv_per_order",
)

# what the reminders cost: SMS fees and agent time, gifts, and the discounts buyers used
_SPEND = ("reminder_cost_per_order", "incentive_cost_per_order", "discount_per_order")


def _get(kpis: Mapping[str, float], name: str) -> float:
    value = kpis.get(name, math.nan)
    return math.nan if value is None else float(value)


def tool_figures(reminded: np.ndarray, paid: np.ndarray, amount: np.ndarray) -> dict[str, float]:
    """The tool's figures of one arm from per-order arrays (a trial export): whether each order
    was reminded (or the chance it was, where the export cannot tell: a trial's buyer-closed
    order with no close time), whether it was paid (after the reminder: a reminder is only sent
    to an unpaid order), and the amount paid (0 when unpaid)."""
    reminded = np.asarray(reminded, dtype=float)
    paid = np.asarray(paid, dtype=bool)
    amount = np.asarray(amount, dtype=float)
    n = reminded.size
    if n == 0:
        return dict.fromkeys(_TOOL_FIGURES, math.nan)
    credited = reminded * paid
    total = float(reminded.sum())
    return {
        "reminded_rate": total / n,
        "credited_paid_rate": float(credited.sum()) / total if total > 0 else math.nan,
        "credited_amount_per_order": float((amount * credited).sum()) / n,
        "paid_rate": float(paid.sum()) / n,
        "gmv_per_order": float(amount[paid].sum()) / n,
    }


def reminder_spend(kpis: Mapping[str, float]) -> float:
    """What the reminders cost per order placed: messages, agent time, gifts and discounts."""
    return sum(_get(kpis, name) for name in _SPEND)


def tool_roi(kpis: Mapping[str, float]) -> float:
    """The tool's ROI: the credited ("recovered") amount per yuan the reminders cost (NaN when
    they cost nothing)."""
    spend = reminder_spend(kpis)
    return _get(kpis, "credited_amount_per_order") / spend if spend > 0 else math.nan


def against_control(arm: Mapping[str, float], control: Mapping[str, float]) -> dict[str, float]:
    """The incremental figures of ``arm`` against ``control`` on the same buyers (one
    replication of a strategy and of the baseline, or a trial's arm and its control arm).

    The real ROI is the margin the reminders add (net profit before their own cost, arm minus
    control) per yuan they cost in the arm; NaN when the arm's reminders cost nothing or a
    figure is missing (a trial export without profit).
    """
    spend = reminder_spend(arm)
    margin = (_get(arm, "net_profit_per_order") + spend) - (
        _get(control, "net_profit_per_order") + reminder_spend(control)
    )
    return {
        "incremental_paid_rate": _get(arm, "paid_rate") - _get(control, "paid_rate"),
        "incremental_amount_per_order": _get(arm, "gmv_per_order") - _get(control, "gmv_per_order"),
        "real_roi": margin / spend if spend > 0 else math.nan,
    }


def credited_over_incremental(credited_per_order: float, incremental: float) -> float:
    """Credited orders per order the reminders really won (NaN unless the increment is > 0)."""
    if not (math.isfinite(incremental) and incremental > 0) or not math.isfinite(
        credited_per_order
    ):
        return math.nan
    return credited_per_order / incremental

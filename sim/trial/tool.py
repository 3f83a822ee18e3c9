"""What the seller's reminder tool would report for each arm of a trial, and what the reminders
really caused against the control arm (docs/kpis.md, "Credited and incremental").

The formulas are those of a simulated run (sim/experiment/credited.py): the tool's figures of an
arm from per-order arrays (`tool_figures`), the increment against the control arm
(`against_control`) and the credited orders per order won (`credited_over_incremental`); the
answer's sentence is the run's (`sim.output.credited_view.tool_lines`).

Which orders count: those whose fate the export shows, placed at least the auto-close before
the export's end (an order still open at the end could yet pay). An order counts as reminded
when its arm's first reminder (the tool's log, or the strategy's timing) fell before the order
was paid or closed: a paid order paid after that moment, or an order closed by the time-out, was
open then. An order the buyer closed has no close time in an export; without the tool's log it
counts by the chance, under the fitted model, that it was still open at that moment given that
it then closed unpaid. With the log, the logged orders are the reminded ones.

Intervals (95%, the arms are independent samples of orders): the increment's from the two arms'
variances, the tool's success rate's from its reminded orders, credited-over-incremental's
from the increment's interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.experiment.credited import against_control, credited_over_incremental, tool_figures
from sim.output.credited_view import ToolFacts, tool_lines
from sim.output.i18n import Lang

from .model import ArmData, Unprompted, _cancelled, _q

__all__ = ["ArmTool", "arm_tool", "tool_json", "tool_text"]

_Z = 1.959963984540054


@dataclass(frozen=True)
class ArmTool:
    """One reminding arm: the tool's figures and the real ones against the control arm."""

    name: str
    orders: int  # orders counted (fate known)
    reminded: float  # orders reminded (a chance for buyer-closed orders without the log)
    figures: dict[str, float]  # tool_figures, against_control, credited_over_incremental
    low: dict[str, float]
    high: dict[str, float]
    amounts: bool  # the export gives each order's amount


def _first(tau: np.ndarray) -> np.ndarray:
    return tau.min(axis=1) if tau.size else np.full(tau.shape[0], np.inf)


def open_if_cancelled(arm: ArmData, un: Unprompted, rho: np.ndarray, mean: float, rows):
    """The chance each order of ``rows`` (closed by the buyer) was still open at its first
    reminder, given that it closed unpaid before the auto-close (the fitted model)."""
    tau, reach, seen = arm.tau[rows], arm.reach[rows], arm.seen[rows]
    q = _q(arm, rho, reach)
    first = _first(tau)
    weight = un.share * (1.0 - un.pays) * un.cancels  # (S,)
    closed = _cancelled(q, tau, seen, un.cancel_times, mean) @ weight
    before = _cancelled(q, tau, np.minimum(first, seen), un.cancel_times, mean) @ weight
    return np.where(closed > 0, np.clip((closed - before) / np.maximum(closed, 1e-300), 0, 1), 0)


def _paid_amounts(orders, keep: np.ndarray) -> np.ndarray | None:
    if orders.amount is None:
        return None
    return np.nan_to_num(np.asarray(orders.amount, dtype=float)[keep])


def _complete(orders, auto_close: float) -> np.ndarray:
    return orders.placed + auto_close <= orders.end


def arm_tool(
    name: str,
    orders,
    arm: ArmData,
    control_orders,
    auto_close: float,
    un: Unprompted,
    rho: np.ndarray,
    mean: float,
    logged: bool,
) -> ArmTool:
    """The figures of one arm (``orders`` aligned with ``arm``) against the control arm."""
    keep = _complete(orders, auto_close)
    paid = orders.paid[keep]
    delay = np.where(paid, orders.pay_delay[keep], np.inf)
    first = _first(arm.tau)[keep]
    reminded = (np.isfinite(first) & (delay > first)).astype(float)
    if not logged:
        buyer = np.flatnonzero(keep)[orders.closed[keep] & (orders.close[keep] != "timeout")]
        where = np.flatnonzero(orders.closed[keep] & (orders.close[keep] != "timeout"))
        chance = open_if_cancelled(arm, un, rho, mean, buyer)
        reminded[where] = np.where(np.isfinite(first[where]), chance, 0.0)
    amount = _paid_amounts(orders, keep)
    figures = tool_figures(reminded, paid, amount if amount is not None else np.zeros(paid.size))
    ckeep = _complete(control_orders, auto_close)
    cpaid = control_orders.paid[ckeep]
    camount = _paid_amounts(control_orders, ckeep)
    control = tool_figures(
        np.zeros(cpaid.size), cpaid, camount if camount is not None else 0 * cpaid
    )
    figures.update(against_control(figures, control))
    figures["control_paid_rate"] = control["paid_rate"]
    credited = figures["credited_paid_rate"] * figures["reminded_rate"]
    figures["credited_over_incremental"] = credited_over_incremental(
        credited, figures["incremental_paid_rate"]
    )
    low, high = _intervals(figures, reminded, paid, cpaid, amount, camount)
    if amount is None:
        for key in ("credited_amount_per_order", "gmv_per_order", "incremental_amount_per_order"):
            figures[key] = low[key] = high[key] = math.nan
    return ArmTool(name, int(keep.sum()), float(reminded.sum()), figures, low, high,
                   amount is not None)  # fmt: skip


def _intervals(figures, reminded, paid, cpaid, amount, camount):
    n, m = max(paid.size, 1), max(cpaid.size, 1)
    low, high = {}, {}

    def put(key: str, half: float) -> None:
        low[key], high[key] = figures[key] - half, figures[key] + half

    p1, p0 = figures["paid_rate"], figures["control_paid_rate"]
    put("incremental_paid_rate", _Z * math.sqrt(p1 * (1 - p1) / n + p0 * (1 - p0) / m))
    r = float(reminded.sum())
    s = figures["credited_paid_rate"]
    put("credited_paid_rate", _Z * math.sqrt(s * (1 - s) / r) if r > 0 else math.nan)
    if amount is not None and camount is not None:
        gain = _Z * math.sqrt(np.var(amount * paid) / n + np.var(camount * cpaid) / m)
        put("incremental_amount_per_order", gain)
        put(
            "credited_amount_per_order", _Z * float(np.std(amount * reminded * paid)) / math.sqrt(n)
        )
    credited = figures["credited_paid_rate"] * figures["reminded_rate"]
    lo, hi = low["incremental_paid_rate"], high["incremental_paid_rate"]
    ratio = figures["credited_over_incremental"]
    low["credited_over_incremental"] = (
        credited / hi if hi > 0 and math.isfinite(ratio) else math.nan
    )
    high["credited_over_incremental"] = (
        credited / lo if lo > 0 and math.isfinite(ratio) else math.inf
    )
    return low, high


def tool_json(tool: ArmTool, logged: bool) -> dict:
    """One arm's entry of trial.json's ``tool_view``."""

    def est(key: str) -> dict:
        return {"value": tool.figures[key], "low": tool.low.get(key), "high": tool.high.get(key)}

    return {
        "arm": tool.name,
        "orders": tool.orders,
        "reminded": tool.reminded,
        "reminded_from": "the reminder log" if logged else "the strategy's timing",
        "reminded_rate": tool.figures["reminded_rate"],
        "paid_rate": tool.figures["paid_rate"],
        "control_paid_rate": tool.figures["control_paid_rate"],
        **{
            key: est(key)
            for key in (
                "credited_paid_rate",
                "credited_amount_per_order",
                "incremental_paid_rate",
                "incremental_amount_per_order",
                "credited_over_incremental",
            )
        },
    }


def tool_text(tool: ArmTool, lang: Lang) -> list[str]:
    """The run's answer lines for one arm: what the tool would report, and the real gain."""
    f = tool.figures
    gain = {
        "mean": f["incremental_paid_rate"],
        "ci_low": tool.low["incremental_paid_rate"],
        "ci_high": tool.high["incremental_paid_rate"],
    }
    if tool.amounts:
        facts = ToolFacts(
            success=f["credited_paid_rate"],
            recovered=f["credited_amount_per_order"],
            ratio=f["credited_over_incremental"],
            gain=gain,
            gain_amount=f["incremental_amount_per_order"],
            tool_roi=math.nan,
            real_roi=math.nan,
            anyway_coupons=0.0,
        )
        return [f"{tool.name}: " + line for line in tool_lines(facts, lang)[:1]] + tool_lines(
            facts, lang
        )[1:]
    points = f"{100 * gain['mean']:.1f} [{100 * gain['ci_low']:.1f}, {100 * gain['ci_high']:.1f}]"
    return [
        lang.tr(
            "{arm}: your reminder tool would report {success} success ({reminded} orders "
            "reminded); the real gain is {points} points of paid orders (no amount column: "
            "no yuan figures)",
            arm=tool.name,
            success=f"{f['credited_paid_rate']:.0%}",
            reminded=f"{tool.reminded:,.0f}",
            points=points,
        )
    ]

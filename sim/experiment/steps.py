"""Per reminder step: what the tool credits to each step, and what each step really adds.

A step's increment is the strategy minus the same strategy without that step (the step never
sent, every other step as it was), replication by replication on the same draws (common random
numbers); ``shared`` is what the steps win together beyond the sum of their increments
(docs/kpis.md, "Per step"). The engine counts the credited figures (last touch) in every run;
the increments need one more run per step plus one without any step, so a unit makes them only
for strategies of two or more steps and in runs without a sweep.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..engine.plan import Plan
from ..engine.simulate import simulate_plan

__all__ = ["label_steps", "step_increments", "step_label", "steps_summary", "without_steps"]

# the unit's per-step lists (curves), one entry per step
_CREDITED = {
    "reminded_rate": "step_reminded",
    "credited_rate": "step_credited",
    "credited_amount_per_order": "step_credited_amount",
}
_INCREMENTS = {
    "incremental_paid_rate": "step_incremental_paid",
    "incremental_amount_per_order": "step_incremental_amount",
}


def without_steps(plan: Plan, drop: set[int]) -> Plan:
    """``plan`` with the steps in ``drop`` never sent (their indices kept, so an only_if
    naming a dropped step reads it as "not reached")."""
    steps = tuple(
        dataclasses.replace(step, channel_by_segment=np.full_like(step.channel_by_segment, -1))
        if j in drop
        else step
        for j, step in enumerate(plan.steps)
    )
    return dataclasses.replace(plan, steps=steps)


def step_increments(
    plan: Plan, replication: int, engine: str, kpis: Mapping[str, float]
) -> dict[str, list[float]]:
    """Each step's increment of paid rate and amount per order (the strategy's ``kpis`` minus
    the strategy without the step), and the strategy's increment over no step at all."""
    out: dict[str, list[float]] = {name: [] for name in _INCREMENTS.values()}
    every = set(range(len(plan.steps)))
    totals = []
    for drop in [{j} for j in sorted(every)] + [every]:
        other = simulate_plan(without_steps(plan, drop), replication, engine=engine).kpis()
        paid = kpis["paid_rate"] - other["paid_rate"]
        amount = kpis["gmv_per_order"] - other["gmv_per_order"]
        if drop == every and len(every) > 1:
            totals = [paid, amount]
        else:
            out["step_incremental_paid"].append(paid)
            out["step_incremental_amount"].append(amount)
    out["steps_incremental_total"] = totals
    return out


def _interval(values: Sequence[float], confidence: float) -> dict[str, float | None]:
    from .stats import t_interval

    return t_interval(values, confidence)


def steps_summary(
    curves_by_rep: Sequence[Mapping[str, list[float]]], confidence: float
) -> list[dict[str, Any]] | None:
    """The summary's per-step entries of one candidate (None for fewer than two steps)."""
    rows = [c for c in curves_by_rep if len(c.get("step_reminded", ())) >= 2]
    if not rows:
        return None
    steps = len(rows[0]["step_reminded"])
    with_increments = all(row.get("step_incremental_paid") for row in rows)
    figures = {**_CREDITED, **(_INCREMENTS if with_increments else {})}
    entries: list[dict[str, Any]] = []
    for j in range(steps):
        entry: dict[str, Any] = {"step": j}
        for name, curve in figures.items():
            entry[name] = _interval([row[curve][j] for row in rows], confidence)
        entries.append(entry)
    if with_increments:
        # what the steps win together beyond the sum of their own increments
        total = [row["steps_incremental_total"][0] for row in rows]
        shared = [t - sum(row["step_incremental_paid"]) for t, row in zip(total, rows, strict=True)]
        entries.append(
            {
                "step": "shared",
                "incremental_paid_rate": _interval(shared, confidence),
                "all_steps_incremental_paid_rate": _interval(total, confidence),
            }
        )
    return entries


def step_label(step: Any) -> str:
    """A step as a seller names it: "sms at 2 h", "auto 0.1 h before close", "phone next_peak"."""
    when = (
        f"{step.before_close:g} h before close"
        if step.before_close is not None
        else f"at {step.at:g} h"
        if isinstance(step.at, float)
        else str(step.at)
    )
    return f"{step.channel} {when}"


def label_steps(summary: dict, scenario: Any) -> None:
    """Name each per-step entry of the summary after its step (the strategy's own list)."""
    for key, entries in summary.get("steps", {}).items():
        strategy = scenario.strategy(key.split("@", 1)[0] if "sweep" in summary else key)
        for entry in entries:
            if isinstance(entry["step"], int):
                entry["label"] = f"{entry['step']}: {step_label(strategy.reminders[entry['step']])}"

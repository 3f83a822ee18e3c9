"""Run one work unit: a plain function of plain, picklable data (what every executor calls)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine.plan import compile_plan
from ..engine.simulate import simulate_plan
from .plan import WorkUnit
from .results import UnitResult, sweep_key
from .steps import step_increments

__all__ = ["RunSettings", "run_unit"]


@dataclass(frozen=True)
class RunSettings:
    """What every unit of a run shares besides the scenario.

    ``events`` is handed in by the caller (the API layer): anything with
    ``open(file_stem, replication=, strategy=, segment_names=, start=)`` returning a writer with
    ``write(rows)`` and ``close()``; None = no event log.
    """

    engine: str = "auto"
    events: Any = None
    step_increments: bool = True  # each step's increment (extra runs; off in sweeps)


def run_unit(scenario: Any, unit: WorkUnit, settings: RunSettings) -> UnitResult:
    """Simulate one (strategy, replication[, sweep value]) and return its KPIs and curves.

    ``scenario`` is the unit's own variant (its sweep value already applied).
    """
    plan = compile_plan(scenario, unit.strategy)
    writer = None
    if settings.events is not None:
        writer = settings.events.open(
            unit.file_stem,
            replication=unit.replication,
            strategy=sweep_key(unit.strategy, unit.sweep_value),
            segment_names=plan.segment_names,
            start=scenario.scenario.start,
        )
    try:
        acc = simulate_plan(
            plan,
            unit.replication,
            engine=settings.engine,
            on_events=writer.write if writer is not None else None,
        )
        if writer is not None:
            writer.close()
    except BaseException as exc:
        if writer is not None:
            if isinstance(exc, OSError):  # how far it got, for the disk-full message
                exc.part_bytes = writer.size()  # type: ignore[attr-defined]
            writer.abort()  # a full disk or a stop: no half-written event part left
        raise
    kpis, curves = acc.kpis(), acc.curves()
    if settings.step_increments and len(plan.steps) >= 2:
        curves.update(step_increments(plan, unit.replication, settings.engine, kpis))
    return UnitResult(unit.strategy, unit.replication, unit.sweep_value, kpis, curves)

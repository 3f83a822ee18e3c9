"""Run one work unit: a plain function of plain, picklable data (what every executor calls)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.lifecycle import transition_rows
from ..engine.plan import compile_plan
from ..engine.simulate import simulate_plan
from .plan import WorkUnit
from .results import UnitResult, sweep_key

__all__ = ["RunSettings", "run_unit"]


@dataclass(frozen=True)
class RunSettings:
    """What every unit of a run shares besides the scenario."""

    engine: str = "auto"
    events_dir: str | None = None  # write this unit's event part file here
    events_format: str = "csv"


def run_unit(scenario: Any, unit: WorkUnit, settings: RunSettings) -> UnitResult:
    """Simulate one (strategy, replication[, sweep value]) and return its KPIs and curves.

    ``scenario`` is the unit's own variant (its sweep value already applied).
    """
    sc = scenario
    plan = compile_plan(sc, unit.strategy)
    writer = None
    on_chunk = None
    if settings.events_dir is not None:
        from ..output.events import EventWriter  # pandas: only when the log is wanted

        suffix = "parquet" if settings.events_format == "parquet" else "csv"
        writer = EventWriter(
            Path(settings.events_dir) / f"{unit.file_stem}.events.{suffix}",
            settings.events_format,
            replication=unit.replication,
            strategy=sweep_key(unit.strategy, unit.sweep_value),
            segment_names=plan.segment_names,
            start=sc.scenario.start,
        )

        def on_chunk(book, outcome, life) -> None:
            writer.write(transition_rows(book, outcome, life))

    acc = simulate_plan(plan, unit.replication, engine=settings.engine, on_chunk=on_chunk)
    if writer is not None:
        writer.close()
    return UnitResult(unit.strategy, unit.replication, unit.sweep_value, acc.kpis(), acc.curves())

"""Running a scenario at many settings of its behaviour numbers, with common random numbers.

A *point* sets some dotted keys to values. Each point is validated once into a scenario (its
sweep values, if any, become variants of it), and every candidate (strategy, or strategy at a
sweep value) runs replications 0..r-1 from the scenario's one seed, so replication k of every
point and candidate sees the same buyers: differences between points and strategies are
paired. The units of a batch of points go to the run's executor in one call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.experiment.executors import execute
from sim.experiment.plan import Candidate, WorkUnit, plan_candidates, scenario_variants
from sim.experiment.progress import RunProgress
from sim.experiment.results import KPI_DIRECTIONS, with_derived
from sim.experiment.runner import RunSettings
from sim.scenario.dotted import assign
from sim.scenario.load import scenario_from_dict
from sim.scenario.paths import scenario_input

__all__ = ["Evaluator", "PointValues"]

PointValues = dict[str, np.ndarray]  # option -> the KPI (signed: higher is better) per replication


@dataclass
class Evaluator:
    """Runs points of one scenario; counts the units it ran (the cost of the design)."""

    scenario: Any
    kpi: str
    replications: int
    executor: str = "serial"
    workers: int | None = None
    scheduler: str | None = None
    engine: str = "auto"
    progress: bool | None = False
    units_run: int = 0
    _data: dict = field(default_factory=dict)
    _full: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._data = scenario_input(self.scenario)
        self._data.pop("sources", None)  # provenance does not change what is simulated
        self._full = self.scenario.model_dump()
        self.sign = KPI_DIRECTIONS.get(self.kpi, 1) or 1

    def scenario_at(self, point: Mapping[str, float]) -> Any:
        """The scenario with each key of `point` set (validated once)."""
        data = self._data
        for key, value in point.items():
            data = assign(data, key, float(value), fill=self._full)
        return scenario_from_dict(data, self.scenario._source)

    def run(
        self,
        points: Sequence[Mapping[str, float]],
        options: Sequence[str] | None = None,
        title: str = "robust",
        replications: int | None = None,
    ) -> list[PointValues]:
        """Each point's option values (one array of replications per option); ``options``
        limits the run to those candidates (a break-even search needs only two);
        ``replications`` overrides the evaluator's own (the stated point runs a plain run's)."""
        reps = replications or self.replications
        variants: list[Any] = []
        plans: list[list[Candidate]] = []
        for p, point in enumerate(points):
            sc = self.scenario_at(point)
            own = scenario_variants(sc)
            offset = len(variants)
            variants += own
            chosen = [
                Candidate(c.strategy, (p, c.sweep_value), offset + c.sweep_index)
                for c in plan_candidates(sc, own)
                if options is None or _option(c) in options
            ]
            plans.append(chosen)
        units = [
            WorkUnit(0, c.strategy, r, c.sweep_value, c.sweep_index)
            for chosen in plans
            for c in chosen
            for r in range(reps)
        ]
        units = [
            WorkUnit(i, u.strategy, u.replication, u.sweep_value, u.sweep_index)
            for i, u in enumerate(units)
        ]
        with RunProgress(len(units), enabled=self.progress, title=title) as bar:
            results = execute(
                variants,
                units,
                RunSettings(engine=self.engine),
                executor=self.executor,
                workers=self.workers,
                scheduler=self.scheduler,
                on_done=lambda unit, result: bar.advance(unit.label),
            )
        self.units_run += len(units)
        out: list[PointValues] = [{} for _ in points]
        for unit in units:
            p, value = unit.sweep_value
            option = _option(Candidate(unit.strategy, value))
            kpis = with_derived(results[unit.index].kpis)
            x = kpis.get(self.kpi, math.nan)
            x = math.nan if x is None else self.sign * float(x)
            out[p].setdefault(option, np.full(reps, math.nan))[unit.replication] = x
        return out


def _option(candidate: Candidate) -> str:
    """A candidate as the answer names it: "strategy" or "strategy@value"."""
    return candidate.key

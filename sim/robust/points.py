"""Running a scenario at many settings of its behaviour numbers, with common random numbers.

A *point* sets some dotted keys to values. The scenario and its sweep variants are validated
once; a point is a typed copy of each with its numbers replaced (`sim.scenario.typed`), inside
ranges whose ends were validated (`sim.robust.space`). Every candidate (strategy, or strategy
at a sweep value) runs replications 0..r-1 from the scenario's one seed, so replication k of
every point and candidate sees the same buyers: differences between points and strategies are
paired. The units of a batch of points go to the run's execution (executor, progress, the unit
store of --resume) in one call; unit indices continue from batch to batch, and which batches
run depends only on the results, so a resumed check runs the same units to the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.experiment.execution import Execution
from sim.experiment.plan import Candidate, WorkUnit, plan_candidates, scenario_variants
from sim.experiment.results import KPI_DIRECTIONS, with_derived
from sim.output.i18n import get_lang
from sim.output.swept import option_label, swept_parameters
from sim.scenario.typed import replace_number

__all__ = ["Evaluator", "PointValues"]

PointValues = dict[str, np.ndarray]  # option -> the KPI (signed: higher is better) per replication


@dataclass
class Evaluator:
    """Runs points of one scenario; counts the units it ran (the cost of the design).

    ``on_start`` is called once with the first batch's units before they run (the CLI says
    there how many a resumed check keeps); ``words`` (a `sim.output.i18n.Lang`) names the
    batches and options on the progress bar in the run's language."""

    scenario: Any
    kpi: str
    replications: int
    execution: Execution
    on_start: Callable[[list[WorkUnit]], None] | None = None
    words: Any = None
    units_run: int = 0
    _variants: list[Any] = field(default_factory=list)
    _candidates: list[Candidate] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._variants = scenario_variants(self.scenario)
        # a strategy that needs each buyer's hidden type is never the answer (as in a run)
        hidden = {
            s.name for s in self.scenario.strategies if any(r.by_segment for r in s.reminders)
        }
        every = plan_candidates(self.scenario, self._variants)
        self._candidates = [c for c in every if c.strategy not in hidden] or every
        self.sign = KPI_DIRECTIONS.get(self.kpi, 1) or 1
        self.words = self.words or get_lang("en")
        self._parameters = swept_parameters(self.scenario)

    def label(self, unit: WorkUnit) -> str:
        """A unit on the progress bar: its option in words and its replication (the point is
        the first part of its sweep value)."""
        _point, value = unit.sweep_value
        option = option_label(unit.strategy, value, self._parameters, self.words.code)
        return f"{option} #{unit.replication}"

    def variants_at(self, point: Mapping[str, float]) -> list[Any]:
        """The scenario's variants (one per sweep value) with each key of `point` set."""
        out = []
        for variant in self._variants:
            for key, value in point.items():
                variant = replace_number(variant, key, float(value))
            out.append(variant)
        return out

    def run(
        self,
        points: Sequence[Mapping[str, float]],
        options: Sequence[str] | None = None,
        title: str = "",
        replications: int | Sequence[int] | None = None,
    ) -> list[PointValues]:
        """Each point's option values (one array of replications per option); ``options``
        limits the run to those candidates (a break-even search needs only two);
        ``replications`` overrides the evaluator's own, for all points or point by point (the
        stated point runs a plain run's)."""
        if replications is None or isinstance(replications, int):
            reps = [replications or self.replications] * len(points)
        else:
            reps = list(replications)
        variants: list[Any] = []
        units: list[WorkUnit] = []
        for p, point in enumerate(points):
            offset = len(variants)
            variants += self.variants_at(point)
            for c in self._candidates:
                if options is not None and c.key not in options:
                    continue
                for r in range(reps[p]):
                    index = self.units_run + len(units)
                    value = (p, c.sweep_value)
                    units.append(WorkUnit(index, c.strategy, r, value, offset + c.sweep_index))
        if self.on_start is not None:
            self.on_start(units)
            self.on_start = None
        results = self.execution(variants, units, title, self.label)
        self.units_run += len(units)
        out: list[PointValues] = [{} for _ in points]
        for unit in units:
            p, value = unit.sweep_value
            option = Candidate(unit.strategy, value).key
            kpis = with_derived(results[unit.index].kpis)
            x = kpis.get(self.kpi, math.nan)
            x = math.nan if x is None else self.sign * float(x)
            out[p].setdefault(option, np.full(reps[p], math.nan))[unit.replication] = x
        return out

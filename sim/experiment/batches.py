"""The units of a run so far, and running more replications of some candidates in a batch.

Selection and precision targets decide from the results how many more replications to run.
Added replications continue the numbering (replication 10, 11, ... of a candidate), so their
draws come from the same SeedSequence tree as the first ones and keep the common random
numbers; unit indices continue in the order the units are added, which depends only on the
results, so the same seed gives the same units on every executor.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container, Sequence

from .plan import Candidate, WorkUnit
from .results import UnitResult, with_derived

__all__ = ["UnitPool", "new_units"]

RunUnits = Callable[[list[WorkUnit]], dict[int, UnitResult]]


def new_units(
    candidates: Sequence[Candidate],
    stop: int,
    start: int = 0,
    known: Container[tuple[str, int]] = (),
    first_index: int = 0,
) -> list[tuple[tuple[str, int], WorkUnit]]:
    """The units of replications start..stop-1 of every candidate not ``known`` yet, keyed by
    (candidate, replication) and numbered from ``first_index`` in candidate order."""
    missing = [(c, r) for c in candidates for r in range(start, stop) if (c.key, r) not in known]
    return [
        ((c.key, r), WorkUnit(first_index + n, c.strategy, r, c.sweep_value, c.sweep_index))
        for n, (c, r) in enumerate(missing)
    ]


class UnitPool:
    """Every unit planned so far with its result; ``extend`` runs the missing ones."""

    def __init__(self, run: RunUnits) -> None:
        self._run = run
        self.units: list[WorkUnit] = []
        self.results: dict[int, UnitResult] = {}
        self._index: dict[tuple[str, int], int] = {}

    def extend(self, candidates: Sequence[Candidate], stop: int, start: int = 0) -> int:
        """Make sure every candidate has replications start..stop-1; returns how many ran."""
        new = new_units(candidates, stop, start, self._index, len(self.units))
        for key, unit in new:
            self.units.append(unit)
            self._index[key] = unit.index
        if new:
            self.results.update(self._run([unit for _, unit in new]))
        return len(new)

    def replications(self, candidate: Candidate) -> int:
        """How many consecutive replications (from 0) the candidate has."""
        n = 0
        while (candidate.key, n) in self._index:
            n += 1
        return n

    def values(self, candidate: Candidate, kpi: str, start: int, stop: int) -> list[float]:
        """The candidate's `kpi` in replications start..stop-1 (NaN where undefined)."""
        out = []
        for rep in range(start, stop):
            kpis = with_derived(self.results[self._index[(candidate.key, rep)]].kpis)
            value = kpis.get(kpi, math.nan)
            out.append(math.nan if value is None else float(value))
        return out

    def ordered(self) -> list[UnitResult]:
        """Every result, in unit order."""
        return [self.results[u.index] for u in self.units]

"""The work of a run: every (sweep value, strategy, replication), in one fixed order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["WorkUnit", "plan_units", "scenario_variants"]


@dataclass(frozen=True)
class WorkUnit:
    """One independent piece of work; the same unit gives the same bits on any executor."""

    index: int
    strategy: str
    replication: int
    sweep_value: Any = None  # None without a sweep
    sweep_index: int = 0  # which scenario variant the unit runs (0 without a sweep)

    @property
    def label(self) -> str:
        at = "" if self.sweep_value is None else f"@{self.sweep_value}"
        return f"{self.strategy}{at} #{self.replication}"

    @property
    def file_stem(self) -> str:
        return f"unit-{self.index:06d}"


def plan_units(scenario: Any, replications: int) -> list[WorkUnit]:
    """Units in output order: sweep value, then strategy, then replication."""
    values = list(scenario.sweep.values) if scenario.sweep is not None else [None]
    names = [s.name for s in scenario.strategies]
    units = []
    for v, value in enumerate(values):
        for name in names:
            for rep in range(replications):
                units.append(WorkUnit(len(units), name, rep, value, v))
    return units


def scenario_variants(scenario: Any) -> list[Any]:
    """The scenario each unit runs, by ``sweep_index``: validated once here, not once per unit."""
    from ..scenario.paths import sweep_variants

    variants = sweep_variants(scenario)
    return [variant for _value, variant in variants] if variants else [scenario]

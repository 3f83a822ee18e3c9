"""The work of a run: every (sweep value, strategy, replication), in one fixed order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["WorkUnit", "plan_units"]


@dataclass(frozen=True)
class WorkUnit:
    """One independent piece of work; the same unit gives the same bits on any executor."""

    index: int
    strategy: str
    replication: int
    sweep_value: Any = None  # None without a sweep

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
    for value in values:
        for name in names:
            for rep in range(replications):
                units.append(WorkUnit(len(units), name, rep, value))
    return units

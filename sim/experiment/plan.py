"""The work of a run: every (sweep value, strategy, replication), in one fixed order.

A *candidate* is one thing a run compares: a strategy, or with a sweep a strategy at one sweep
value (a grid point with several swept parameters). A strategy that the sweep does not change
(its scenario, seen from that strategy, is the same at every value) is one candidate, run once
at the first value and shown once: running it again would give the same numbers bit for bit,
since its draws depend only on the seed, the replication and what it simulates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .results import sweep_key

__all__ = ["Candidate", "WorkUnit", "plan_candidates", "plan_units", "scenario_variants"]


@dataclass(frozen=True)
class WorkUnit:
    """One independent piece of work; the same unit gives the same bits on any executor."""

    index: int
    strategy: str
    replication: int
    sweep_value: Any = None  # None without a sweep (or for a strategy the sweep leaves alone)
    sweep_index: int = 0  # which scenario variant the unit runs (0 without a sweep)

    @property
    def label(self) -> str:
        return f"{sweep_key(self.strategy, self.sweep_value)} #{self.replication}"

    @property
    def file_stem(self) -> str:
        return f"unit-{self.index:06d}"


@dataclass(frozen=True)
class Candidate:
    """A strategy at one sweep value (or at none): what one summary key stands for."""

    strategy: str
    sweep_value: Any = None
    sweep_index: int = 0

    @property
    def key(self) -> str:
        return sweep_key(self.strategy, self.sweep_value)


def _unchanged(variants: Sequence[Any], name: str) -> bool:
    """True when the scenario seen by strategy `name` is the same at every sweep value."""

    def seen(variant: Any) -> dict:
        dump = variant.model_dump(mode="json")
        dump["strategies"] = [s for s in dump["strategies"] if s["name"] == name]
        dump.pop("sweep", None)
        return dump

    first = seen(variants[0])
    return all(seen(v) == first for v in variants[1:])


def plan_candidates(scenario: Any, variants: Sequence[Any] | None = None) -> list[Candidate]:
    """Every candidate in output order (sweep value, then strategy).

    With ``variants`` (the scenario at each sweep value), a strategy the sweep leaves alone is
    one candidate without a sweep value, provided the baseline is left alone too (else it must
    be compared with the baseline at each value).
    """
    names = [s.name for s in scenario.strategies]
    if scenario.sweep is None:
        return [Candidate(name) for name in names]
    values = list(scenario.sweep.points)
    once: set[str] = set()
    if variants is not None and len(variants) > 1:
        once = {name for name in names if _unchanged(variants, name)}
        if scenario.baseline not in once:
            once = set()
    out = [Candidate(name) for name in names if name in once]
    for v, value in enumerate(values):
        out += [Candidate(name, value, v) for name in names if name not in once]
    return out


def plan_units(
    scenario: Any, replications: int, candidates: Sequence[Candidate] | None = None
) -> list[WorkUnit]:
    """Units in output order: candidate (sweep value, then strategy), then replication."""
    units = []
    for c in candidates if candidates is not None else plan_candidates(scenario):
        for rep in range(replications):
            units.append(WorkUnit(len(units), c.strategy, rep, c.sweep_value, c.sweep_index))
    return units


def scenario_variants(scenario: Any) -> list[Any]:
    """The scenario each unit runs, by ``sweep_index``: validated once here, not once per unit."""
    from ..scenario.paths import sweep_variants

    variants = sweep_variants(scenario)
    return [variant for _value, variant in variants] if variants else [scenario]

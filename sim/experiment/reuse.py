"""Units that would simulate the same thing run once.

A unit's numbers are a function of its compiled plan and its replication (its draws depend only
on the seed, the replication and what it simulates). A sweep often leaves a strategy's plan
unchanged in all but what the strategy never reads: a strategy that sends no reminder through an
agent never reads how many agents there are or when they work, so a sweep of ``staff.agents``
(how-many-agents) need not run it again at every value. Such units are twins: the first runs,
the others take its KPIs and curves under their own sweep value, and the output is what running
each would give, bit for bit.

Plans are compared whole (pickled), with the agents' number and shift set aside only for a plan
that never needs an agent; anything else a sweep changes in a plan makes its units run. With an
event log every unit runs (each writes its own rows).
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from collections.abc import Sequence
from typing import Any

from ..engine.plan import compile_plan
from .plan import WorkUnit
from .results import UnitResult

__all__ = ["as_twin", "twins"]


def _plan_key(scenario: Any, strategy: str) -> bytes | None:
    """What decides the numbers of a strategy's units (None: cannot tell, run them all)."""
    plan = compile_plan(scenario, strategy)
    if not plan.uses_agents:  # the agents' number and shift are never read
        plan = dataclasses.replace(plan, agents=0, on_duty=(0.0, 24.0))
    try:
        return pickle.dumps(plan)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def twins(variants: Sequence[Any], units: Sequence[WorkUnit], events: bool) -> dict[int, WorkUnit]:
    """For each unit (by index) that would repeat an earlier unit of ``units``: that unit."""
    if events:
        return {}
    keys: dict[tuple[int, str], bytes | None] = {}
    first: dict[tuple[bytes, int], WorkUnit] = {}
    same: dict[int, WorkUnit] = {}
    for unit in units:
        where = (unit.sweep_index, unit.strategy)
        if where not in keys:
            keys[where] = _plan_key(variants[unit.sweep_index], unit.strategy)
        key = keys[where]
        if key is None:
            continue
        earlier = first.setdefault((key, unit.replication), unit)
        if earlier is not unit:
            same[unit.index] = earlier
    return same


def as_twin(unit: WorkUnit, result: UnitResult) -> UnitResult:
    """``result`` (of the unit ``unit`` repeats) as ``unit``'s own."""
    kpis, curves = copy.deepcopy((result.kpis, result.curves))
    return UnitResult(unit.strategy, unit.replication, unit.sweep_value, kpis, curves)

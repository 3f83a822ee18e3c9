"""Changing one key of a loaded scenario: sweeps and API overrides.

An override edits the scenario *as written* and validates the result again, so a change keeps
the meaning the file would have had: other platform keys still follow the preset, the baseline
still defaults to the first strategy, and every check runs on the new value.
"""

from __future__ import annotations

from typing import Any

from sim.errors import PathError, Problem, ScenarioError
from sim.scenario.dotted import assign, resolve
from sim.scenario.load import scenario_from_dict
from sim.scenario.models import Scenario

__all__ = ["apply_override", "resolve", "scenario_input", "sweep_variants"]


def scenario_input(scenario: Scenario) -> dict[str, Any]:
    """The data the scenario was validated from (its full dump if it was built in code)."""
    data = scenario._input
    return data if data is not None else scenario.model_dump()


def apply_override(scenario: Scenario, dotted: str, value: Any) -> Scenario:
    """A new, validated Scenario with the key at `dotted` set to `value`.

    `dotted` may name list items by index or by name ("strategies.next-day.reminders.0.at").
    Raises ScenarioError if the path names nothing or the result is invalid.
    """
    source = scenario._source
    full = scenario.model_dump()
    try:
        resolve(full, dotted)
        data = assign(scenario_input(scenario), dotted, value, fill=full)
    except PathError as exc:
        raise ScenarioError([Problem(source, str(dotted), f"no such key: {exc}")]) from None
    return scenario_from_dict(data, source)


def sweep_variants(scenario: Scenario) -> tuple[tuple[Any, Scenario], ...]:
    """(value, scenario with that value applied and no sweep) for each sweep value, in order;
    with a grid, value is the tuple of one value per parameter, every combination in order.

    Empty when the scenario has no sweep. The values were already checked at load.
    """
    sweep = scenario.sweep
    if sweep is None:
        return ()
    full = scenario.model_dump()
    base = scenario_input(scenario)
    variants = []
    for value in sweep.points:
        data = base
        for (parameter, _values), part in zip(sweep.axes, _parts(sweep, value), strict=True):
            data = assign(data, parameter, part, fill=full)
        data.pop("sweep", None)
        variants.append((value, scenario_from_dict(data, scenario._source)))
    return tuple(variants)


def _parts(sweep: Any, value: Any) -> tuple[Any, ...]:
    """The value of each swept parameter at one sweep point (a grid point is a tuple)."""
    return tuple(value) if sweep.is_grid else (value,)

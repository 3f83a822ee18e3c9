"""ordersim: what happens to marketplace orders after "order placed", and how to get more paid.

``sim.run(path_or_scenario, **overrides) -> Results`` is the Python entry point (a bundled
scenario by its name, ``sim.run("how-many-agents")``; ``sim.scenarios()`` lists them); the engine,
experiment layer and outputs live in the subpackages. Importing ``sim`` does no work: the API is
loaded on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Results", "load_scenario", "run", "scenarios"]


def scenarios() -> list[str]:
    """The names of the bundled scenarios, each usable as ``sim.run(name)``."""
    from .cli_scenario import bundled_scenarios

    return [path.stem for path in bundled_scenarios()]


def __dir__() -> list[str]:
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    if name in ("run", "Results"):
        from . import api

        return getattr(api, name)
    if name == "load_scenario":
        from .scenario.load import load_scenario

        return load_scenario
    raise AttributeError(f"module 'sim' has no attribute {name!r}")

"""Where the time goes: cProfile tottime grouped by whose code it is.

Categories by the function's file: ordersim (``sim/``, ``fsm/``), SimPy (``simpy/``),
numpy/scipy (their packages) and other (stdlib, pydantic, the interpreter). Built-in C functions
have no file (pstats shows ``~``): those named after numpy count as numpy; the rest (``heappush``,
``min``, ``len``, dict and list methods ...) are charged to the category of the Python code that
called them, split by the time spent under each caller, so that SimPy's ``heappush`` is SimPy's.
"""

from __future__ import annotations

import cProfile
import pstats
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["CATEGORIES", "profile_call", "shares", "top_functions"]

CATEGORIES = ("ordersim", "simpy", "numpy/scipy", "other")


def _roots() -> list[tuple[str, str]]:
    import numpy
    import scipy
    import simpy

    import fsm
    import sim

    def root(module) -> str:
        return str(Path(module.__file__).resolve().parent) + "/"

    return [
        (root(sim), "ordersim"),
        (root(fsm), "ordersim"),
        (root(simpy), "simpy"),
        (root(numpy), "numpy/scipy"),
        (root(scipy), "numpy/scipy"),
    ]


def profile_call(fn: Callable[[], Any]) -> tuple[Any, pstats.Stats]:
    prof = cProfile.Profile()
    result = prof.runcall(fn)
    return result, pstats.Stats(prof)


def _category(func: tuple[str, int, str], roots: list[tuple[str, str]]) -> str | None:
    """The category of a function, or None for a built-in to charge to its callers."""
    filename, _, name = func
    if filename == "~" or filename.startswith("<"):
        if "numpy" in name or "scipy" in name:
            return "numpy/scipy"
        return None
    resolved = str(Path(filename).resolve()) if filename.startswith("/") else filename
    for prefix, category in roots:
        if resolved.startswith(prefix):
            return category
    return "other"


def shares(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of tottime by category (built-ins charged to their callers)."""
    roots = _roots()
    table: dict = stats.stats  # func -> (cc, nc, tottime, cumtime, callers)
    out: dict[str, float] = defaultdict(float)
    for func, (_cc, _nc, tottime, _ct, callers) in table.items():
        category = _category(func, roots)
        if category is not None:
            out[category] += tottime
            continue
        charged = 0.0
        for caller, row in callers.items():
            caller_cat = _category(caller, roots) or "other"
            part = row[2] if isinstance(row, tuple) else 0.0  # tottime under this caller
            out[caller_cat] += part
            charged += part
        out["other"] += max(0.0, tottime - charged)
    return {c: out.get(c, 0.0) for c in CATEGORIES}


def top_functions(stats: pstats.Stats, n: int = 6) -> list[tuple[str, float, int]]:
    """(function label, tottime seconds, calls) of the ``n`` heaviest functions by tottime."""
    rows = []
    for (filename, line, name), (_cc, nc, tottime, _ct, _callers) in stats.stats.items():
        if filename == "~":
            label = name
        else:
            parts = Path(filename).parts
            label = f"{'/'.join(parts[-2:])}:{line}({name})"
        rows.append((label, tottime, nc))
    rows.sort(key=lambda r: r[1], reverse=True)
    return rows[:n]

"""Fewer garbage collections while the event loop runs, scoped to the run.

Each live order holds a few closures and records; the cyclic collector kept scanning them (40% of
a run). Young-generation collections become rare during a run; reference counting still frees
every finished order at once. The collector's thresholds are process-wide and Dask runs units in
threads, so nested or concurrent runs share one count and the last to leave restores them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["fewer_collections"]

_lock = threading.Lock()
_state: dict[str, object] = {"depth": 0, "saved": None}  # process-wide, like the collector


@contextmanager
def fewer_collections(threshold: int = 200_000) -> Iterator[None]:
    with _lock:
        if _state["depth"] == 0:
            _state["saved"] = gc.get_threshold()
            gc.set_threshold(threshold, 50, 50)
        _state["depth"] = int(_state["depth"]) + 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] = int(_state["depth"]) - 1
            if _state["depth"] == 0:
                gc.set_threshold(*_state["saved"])

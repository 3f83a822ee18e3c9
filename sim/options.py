"""The choices of the run options, written once (the CLI, the API and the engine read them).

Kept free of heavy imports so ``ordersim --help`` stays fast.
"""

from __future__ import annotations

__all__ = ["ENGINES", "EVENT_FORMATS", "EXECUTORS"]

EXECUTORS: tuple[str, ...] = ("auto", "serial", "process", "dask")
ENGINES: tuple[str, ...] = ("auto", "fast", "simpy")
EVENT_FORMATS: tuple[str, ...] = ("csv", "parquet")

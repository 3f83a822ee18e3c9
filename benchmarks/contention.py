"""How much CPU other processes took while a measurement ran.

The machine is shared (other tests, other tenants): the machine's busy CPU time and this process
tree's CPU time (reaped pool and cluster workers included) are read before and after a block;
what is busy but not ours is the others' load, in cores.
"""

from __future__ import annotations

import resource
import time

import psutil

__all__ = ["OtherLoad"]


def _busy_seconds() -> float:
    t = psutil.cpu_times()
    idle = t.idle + getattr(t, "iowait", 0.0)
    guest = getattr(t, "guest", 0.0) + getattr(t, "guest_nice", 0.0)  # already in user/nice
    return sum(t) - idle - guest


def _own_cpu_seconds() -> float:
    """CPU of this process and of every descendant it (or they) reaped: pool and cluster
    workers are joined when their executor closes, so they are counted without a thread."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class OtherLoad:
    """Context manager: mean cores used over the block by other processes (``cores``) and by
    this process and its descendants (``own_cores``).

    It runs no thread: a thread in the measuring process would make ordersim's process
    executor avoid ``fork`` (unsafe with threads) and so change what is measured.
    """

    def __init__(self) -> None:
        self.cores = 0.0
        self.own_cores = 0.0

    def __enter__(self) -> OtherLoad:
        self._t0, self._busy0, self._own0 = time.perf_counter(), _busy_seconds(), _own_cpu_seconds()
        return self

    def __exit__(self, *exc) -> None:
        wall = max(time.perf_counter() - self._t0, 1e-9)
        busy = _busy_seconds() - self._busy0
        own = _own_cpu_seconds() - self._own0
        self.cores = max(0.0, busy - own) / wall
        self.own_cores = own / wall

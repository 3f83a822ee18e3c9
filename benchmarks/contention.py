"""How much CPU other processes took while a measurement ran.

The machine is shared (other tests, other tenants): a sampling thread reads the machine's busy
CPU time and this process tree's CPU time (children, pool and cluster workers included) every
``interval`` seconds; what is busy but not ours is the others' load, in cores.
"""

from __future__ import annotations

import threading
import time

import psutil

__all__ = ["OtherLoad"]


def _busy_seconds() -> float:
    t = psutil.cpu_times()
    idle = t.idle + getattr(t, "iowait", 0.0)
    guest = getattr(t, "guest", 0.0) + getattr(t, "guest_nice", 0.0)  # already in user/nice
    return sum(t) - idle - guest


def _tree_cpu(root: psutil.Process) -> dict[int, float]:
    out = {}
    for proc in [root, *root.children(recursive=True)]:
        try:
            t = proc.cpu_times()
            out[proc.pid] = t.user + t.system
        except psutil.Error:
            pass
    return out


class OtherLoad:
    """Context manager: mean cores used over the block by other processes (``cores``) and by
    this process and its descendants (``own_cores``)."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.cores = 0.0
        self.own_cores = 0.0
        self._root = psutil.Process()
        self._stop = threading.Event()
        self._own = 0.0
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        last = _tree_cpu(self._root)
        while not self._stop.wait(self.interval):
            last = self._step(last)
        self._step(last)

    def _step(self, last: dict[int, float]) -> dict[int, float]:
        now = _tree_cpu(self._root)
        self._own += sum(cpu - last.get(pid, 0.0) for pid, cpu in now.items())
        return now

    def __enter__(self) -> OtherLoad:
        self._t0, self._busy0 = time.perf_counter(), _busy_seconds()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        wall = time.perf_counter() - self._t0
        busy = _busy_seconds() - self._busy0
        wall = max(wall, 1e-9)
        self.cores = max(0.0, busy - self._own) / wall
        self.own_cores = self._own / wall

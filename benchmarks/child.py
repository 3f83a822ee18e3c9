"""One measurement in a fresh process: ``python -m benchmarks.child '<json spec>'``.

The child prints one JSON line (prefixed with ``RESULT ``): wall and CPU seconds of the measured
call only (imports and scenario building excluded), its own peak RSS (``ru_maxrss`` of this
process: nothing left over from earlier measurements), RSS before the call (the interpreter,
imports and scenario), and the 1-minute load average before and after (other tenants of the
machine show up there).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import psutil

from .contention import OtherLoad
from .scenarios import (
    AGENTS_STRATEGY,
    CLOSED_FORM_STRATEGY,
    STAFFED_CALL_MINUTES,
    agents_scenario,
    closed_form_scenario,
    queue_scenario,
    reference_scenario,
)

__all__ = ["MEASURES", "measure"]

PREFIX = "RESULT "
KEEP_KPIS = ("orders", "paid_rate", "reminders_per_order", "auto_closed_rate", "time_to_pay_hours",
             "reminder_wait_hours", "agent_utilization")  # fmt: skip


def _scenario(spec: dict) -> tuple[Any, str]:
    if spec["case"] == "a":
        return closed_form_scenario(spec["orders"]), CLOSED_FORM_STRATEGY
    if spec["case"] == "c":
        return agents_scenario(spec["orders"]), AGENTS_STRATEGY
    if spec["case"] in ("d", "e"):
        return queue_scenario(spec["case"], spec["orders"]), AGENTS_STRATEGY
    return reference_scenario(spec["orders"]), spec["strategy"]


def _ordersim(spec: dict) -> tuple[Callable[[], Any], Callable[[Any], dict]]:
    from sim.engine.simulate import simulate

    scenario, strategy = _scenario(spec)

    def call():
        if not spec.get("gc", True):  # diagnosis: the cyclic GC off during the run
            gc.disable()
        try:
            return simulate(scenario, strategy, 0, engine=spec["engine"]).kpis()
        finally:
            gc.enable()

    return call, lambda kpis: {"kpis": {k: kpis[k] for k in KEEP_KPIS}}


def _bare(spec: dict) -> tuple[Callable[[], Any], Callable[[Any], dict]]:
    """The bare heapq loop of case (a), or of the agent case (c) or (d) (``spec["case"]``)."""
    from .bare import bare_loop
    from .bare_agents import bare_agents

    case = spec.get("case", "a")
    if case == "d":
        loop = partial(bare_agents, call_hours=STAFFED_CALL_MINUTES / 60.0)
    else:
        loop = bare_agents if case == "c" else bare_loop

    def report(r) -> dict:
        kpis = {
            "orders": r.orders,
            "paid_rate": r.paid_rate,
            "reminders_per_order": r.reminders / r.orders,
            "auto_closed_rate": r.closed / r.orders,
            "time_to_pay_hours": r.mean_hours_to_pay,
        }
        return {"kpis": kpis, "events": r.events}

    return lambda: loop(spec["orders"], spec.get("seed", 1)), report


def _ciw(spec: dict) -> tuple[Callable[[], Any], Callable[[Any], dict]]:
    """Case (e)'s queue in Ciw (benchmark-only extra)."""
    from .ciw_queue import ciw_night

    def report(r) -> dict:
        return {"kpis": {"orders": r.calls, "reminder_wait_hours": r.mean_wait_hours}}

    return lambda: ciw_night(spec["orders"], spec.get("seed", 1)), report


def _profile(spec: dict) -> tuple[Callable[[], Any], Callable[[Any], dict]]:
    from .profile_share import profile_call, shares, top_functions

    call, _ = _ordersim(spec)

    def report(out) -> dict:
        kpis, stats = out
        steps = sum(
            row[1]
            for (filename, _, name), row in stats.stats.items()
            if name == "step" and filename.endswith("simpy/core.py")
        )
        return {
            "simpy_events": steps,
            "orders": kpis["orders"],
            "shares": shares(stats),
            "total": stats.total_tt,
            "top": top_functions(stats),
        }

    return lambda: profile_call(call), report


def _parallel(spec: dict) -> tuple[Callable[[], Any], Callable[[Any], dict]]:
    """``sim.api.run`` of case (a): each replication is one unit of ``spec["orders"]`` orders."""
    from sim.api import run

    scenario = closed_form_scenario(spec["orders"], spec["replications"])

    def call():
        return run(
            scenario, executor=spec["executor"], workers=spec.get("workers"), out=None, plots=False
        )

    def report(results) -> dict:
        return {"units": len(results.units), "orders": sum(u.kpis["orders"] for u in results.units)}

    return call, report


HEAVY_IMPORTS = ("pandas", "pyarrow", "matplotlib", "scipy.stats", "pydantic", "transitions")


def _import(spec: dict) -> tuple[Callable[[], Any], Callable[[Any], dict]]:
    """What a pool or Dask worker pays before its first unit: importing ``run_unit``."""

    def call():
        import sim.experiment.runner  # noqa: F401

    def report(_out) -> dict:
        return {"heavy": [m for m in HEAVY_IMPORTS if m in sys.modules]}

    return call, report


MEASURES = {
    "ordersim": _ordersim,
    "bare": _bare,
    "ciw": _ciw,
    "profile": _profile,
    "parallel": _parallel,
    "import": _import,
}


class _GcTimer:
    """Seconds spent in the cyclic garbage collector while installed (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds, self.collections, self._start = 0.0, 0, 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections += 1

    def __enter__(self) -> _GcTimer:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self)


def measure(spec: dict) -> dict:
    """Run one measurement in this process and describe it as plain data.

    With ``spec["repeat"] = k`` the call runs k times and the fastest (by wall time) is kept:
    other tenants of the machine only ever slow a run down. Peak RSS covers all k runs.
    """
    call, report = MEASURES[spec["kind"]](spec)
    base_rss = psutil.Process().memory_info().rss
    load_before = os.getloadavg()[0]
    best = None
    for _ in range(max(1, int(spec.get("repeat", 1)))):
        with _GcTimer() as gc_timer, OtherLoad() as others:
            cpu0, t0 = time.process_time(), time.perf_counter()
            out = call()
            wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        if best is None or wall < best[0]:
            best = (wall, cpu, gc_timer, others, out)
    wall, cpu, gc_timer, others, out = best
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "spec": spec,
        "wall": wall,
        "cpu": cpu,
        "gc_s": gc_timer.seconds,
        "gc_collections": gc_timer.collections,
        "base_rss_mb": base_rss / 2**20,
        "peak_rss_mb": peak_kb / 1024,
        "load": [load_before, os.getloadavg()[0]],
        "others_cores": others.cores,
        "own_cores": others.own_cores,
        **report(out),
    }


def main(argv: list[str]) -> int:
    spec = json.loads(argv[0])
    print(PREFIX + json.dumps(measure(spec)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

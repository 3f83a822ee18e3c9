"""The benchmark sections: each runs its measurements in fresh processes and returns tables.

Every section appends (target, measured, verdict) rows to ``Suite.targets`` for the summary.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console

from . import report
from .isolate import run_isolated
from .scenarios import reference_strategies

__all__ = ["Sizes", "Suite"]

RATIO_TARGET = 0.5
AGENTS_RATIO_TARGET = 3.0  # issue 12: agent-bound orders only in the event loop
QUEUE_RATIO_TARGET = 3.0  # calls that wait: (d) against its bare loop, (e) against Ciw
REFERENCE_RATE_TARGET = 100_000
BIG_RSS_TARGET_MB = 1024
PROCESS_SPEEDUP_TARGET = 1.8
DASK_SLACK = 0.15
AGENT_REPEAT = 5  # case (c) runs take well under a second each: best of 5 on both sides
PARALLEL_ATTEMPTS = 3  # each executor's run is the best of this many, in fresh processes


@dataclass(frozen=True)
class Sizes:
    orders: int  # fast path, bare loop, reference scenario
    simpy_orders: int  # the SimPy engine (about 10x slower)
    agent_orders: int  # the agent cases (c) and (d), ordersim and its bare loop
    night_orders: int  # the night-shift queue (e), ordersim and Ciw
    profile_fast: int
    profile_simpy: int
    big_orders: int
    parallel_unit_orders: int
    parallel_serial_seconds: float

    @classmethod
    def for_run(cls, orders: int, quick: bool, big_orders: int) -> Sizes:
        simpy = max(10_000, min(100_000, orders // 10))
        return cls(
            orders=orders,
            simpy_orders=simpy,
            agent_orders=20_000 if quick else max(20_000, min(200_000, orders // 5)),
            night_orders=7_200 if quick else 36_000,
            profile_fast=orders,  # the fast path profiles at full size (cProfile costs it little)
            profile_simpy=max(5_000, simpy // 2),
            big_orders=big_orders,
            parallel_unit_orders=100_000 if quick else 500_000,
            parallel_serial_seconds=3.0 if quick else 20.0,
        )


@dataclass
class Suite:
    sizes: Sizes
    console: Console
    targets: list[tuple[str, str, bool | None]] = field(default_factory=list)

    def _run(self, label: str, spec: dict) -> dict:
        with self.console.status(f"measuring {label} ..."):
            return run_isolated(spec)

    def _ratio_target(self, label: str, ours: dict, bare: dict, target: float) -> None:
        """A speed-ratio target of ordersim's run against the bare loop's, wall and CPU."""
        ow, oc = report.rate(ours)
        bw, bc = report.rate(bare)
        self._target_wall_and_cpu(label, ow / bw, oc / bc, target)

    def _target_wall_and_cpu(
        self, name: str, wall: float, cpu: float, target: float, fmt: str = ".2f"
    ) -> None:
        """A target judged on both wall and CPU time (borderline when they disagree)."""
        self.targets.append(
            (
                name,
                f"{wall:{fmt}} wall, {cpu:{fmt}} cpu",
                report.both(wall >= target, cpu >= target),
            )
        )

    # -- 1 and 2 ----------------------------------------------------------------------------
    def case_a(self) -> None:
        n, ns = self.sizes.orders, self.sizes.simpy_orders
        fast = self._run(
            "case (a) auto",
            {"kind": "ordersim", "case": "a", "orders": n, "engine": "auto", "repeat": 3},
        )
        simpy = self._run(
            "case (a) simpy",
            {"kind": "ordersim", "case": "a", "orders": ns, "engine": "simpy", "repeat": 2},
        )
        bare_n = self._run("bare loop", {"kind": "bare", "orders": n, "repeat": 2})
        bare_ns = (
            bare_n
            if ns == n
            else self._run("bare loop", {"kind": "bare", "orders": ns, "repeat": 3})
        )
        gc_off = self._run(
            "case (a) simpy, GC off",
            {"kind": "ordersim", "case": "a", "orders": ns, "engine": "simpy", "gc": False},
        )
        rows = [("ordersim auto", fast), ("ordersim simpy", simpy), ("bare heapq", bare_n)]
        if bare_ns is not bare_n:
            rows.append(("bare heapq", bare_ns))
        rows.append(("simpy, GC off*", gc_off))
        self.console.print(report.case_a_table(rows))
        events = bare_n["events"] / bare_n["kpis"]["orders"]
        self.console.print(
            f"  bare loop: numpy draws up front in blocks of 65,536 orders (tolist), "
            f"{events:.2f} heap events per order; ordersim also prices and accounts the whole "
            f"after-payment life of every order. GC = share of wall time in Python's cyclic "
            f"garbage collector (gc.callbacks); others = mean CPU cores used by other processes "
            f"on the machine during the run (it is shared). * diagnosis only: the SimPy engine "
            f"with gc.disable() around the run."
        )
        pairs = [("auto (= fast here)", fast, bare_n), ("simpy", simpy, bare_ns)]
        self.console.print(report.ratio_table(pairs, RATIO_TARGET, info=frozenset({"simpy"})))
        self.console.print(
            "  the target is ordersim's: case (a) has no agents, no shared stock and no "
            "blacklist, so `ordersim run` (engine auto) resolves it on the numpy fast path; "
            "the SimPy world (the reference engine, forced with --engine simpy) is shown for "
            "information, and section 4 shows where its time goes."
        )
        self._ratio_target(
            f"(a) ordersim (engine auto) / bare loop ≥ {RATIO_TARGET}", fast, bare_n, RATIO_TARGET
        )

    # -- 3 ----------------------------------------------------------------------------------
    def reference(self, with_simpy: bool = True) -> None:
        rows = []
        for strategy in reference_strategies():
            spec = _reference_spec(strategy, self.sizes.orders, "auto", repeat=3)
            r = self._run(f"reference {strategy}", spec)
            rows.append((strategy, "auto", r))
            self._target_wall_and_cpu(
                f"(b) {strategy} ≥ {REFERENCE_RATE_TARGET:,} orders/s/core",
                *report.rate(r),
                REFERENCE_RATE_TARGET,
                fmt=",.0f",
            )
        if with_simpy:
            for strategy in reference_strategies():
                spec = _reference_spec(strategy, self.sizes.simpy_orders, "simpy", repeat=2)
                rows.append((strategy, "simpy", self._run(f"reference {strategy} simpy", spec)))
        self.console.print(report.reference_table(rows, REFERENCE_RATE_TARGET))
        self.console.print(
            "  auto = the numpy fast path here (no agents, no inventory, no "
            "blacklist); simpy rows are for information (the reference engine). "
            "Sections 1-3: best of 2-3 runs in the same fresh process."
        )

    # -- 3c ---------------------------------------------------------------------------------
    def agents(self) -> None:
        n = self.sizes.agent_orders
        ours = self._run(
            "case (c) auto",
            {
                "kind": "ordersim",
                "case": "c",
                "orders": n,
                "engine": "auto",
                "repeat": AGENT_REPEAT,
            },
        )
        bare = self._run(
            "case (c) bare loop",
            {"kind": "bare", "case": "c", "orders": n, "repeat": AGENT_REPEAT},
        )
        self.console.print(report.agents_table([("ordersim auto", ours), ("bare heapq", bare)]))
        self.console.print(
            report.ratio_table(
                [("auto", ours, bare)],
                AGENTS_RATIO_TARGET,
                title="3c. Speed ratio on the agent case (c)",
            )
        )
        self.console.print(
            "  case (c): 80 phone agents on duty all day, 100k orders a day (fewer days for "
            "fewer orders), 85% pay on their own (98% of them within the hour), a call at 1 h "
            "wins 40%, auto-close at 24 h. The bare loop (benchmarks/bare_agents.py) runs the "
            "same model with its own draws: paid rates agree within noise, not to the digit. "
            f"Best of {AGENT_REPEAT} runs each (runs under a second: one slow moment of the "
            "machine would otherwise decide the ratio), in the same fresh process."
        )
        self._ratio_target(
            f"(c) agents: ordersim (engine auto) / bare loop ≥ {AGENTS_RATIO_TARGET:g}",
            ours,
            bare,
            AGENTS_RATIO_TARGET,
        )

    # -- 3d, 3e -----------------------------------------------------------------------------
    def queues(self) -> None:
        """Calls that wait: the staffed case (d) against its bare loop, the night-shift queue
        (e) against Ciw (which simulates the queue alone)."""
        n, night = self.sizes.agent_orders, self.sizes.night_orders
        staffed = self._run(
            "case (d) auto",
            {"kind": "ordersim", "case": "d", "orders": n, "engine": "auto",
             "repeat": AGENT_REPEAT},
        )  # fmt: skip
        bare = self._run(
            "case (d) bare loop",
            {"kind": "bare", "case": "d", "orders": n, "repeat": AGENT_REPEAT},
        )
        ours = self._run(
            "case (e) auto",
            {"kind": "ordersim", "case": "e", "orders": night, "engine": "auto", "repeat": 3},
        )
        ciw = self._run("case (e) Ciw", {"kind": "ciw", "orders": night, "repeat": 3})
        self.console.print(report.queues_table(
            [("(d) ordersim auto", staffed), ("(d) bare heapq", bare),
             ("(e) ordersim auto", ours), ("(e) Ciw", ciw)]))  # fmt: skip
        self.console.print(
            report.ratio_table(
                [("(d) auto / bare heapq", staffed, bare), ("(e) auto / Ciw", ours, ciw)],
                QUEUE_RATIO_TARGET,
                title="3d-e. Speed ratio when calls wait",
            )
        )
        self.console.print(
            "  (d): case (c) with 5.5-minute calls, so the 80 agents are about 80% busy and "
            "calls wait (a second or so on average). (e): 2 agents on duty 09:00-24:00, a call "
            "1 h after each of 360 orders a day (Exp, mean 4 minutes), nobody pays before it: "
            "night calls wait for the morning. Ciw (benchmarks/ciw_queue.py) simulates that "
            "queue alone, ordersim each order's whole life; mean waits agree within noise. "
            f"Best of {AGENT_REPEAT} runs for (d), 3 for (e), each side in its own fresh process."
        )
        for label, ours_, other in (("(d) staffed: auto / bare loop", staffed, bare),
                                    ("(e) night shift: auto / Ciw", ours, ciw)):  # fmt: skip
            self._ratio_target(f"{label} ≥ {QUEUE_RATIO_TARGET:g}", ours_, other,
                               QUEUE_RATIO_TARGET)  # fmt: skip

    # -- 4 ----------------------------------------------------------------------------------
    def profiles(self) -> None:
        strategy = "next-day-by-segment"
        rows = []
        for case in ("a", "b"):
            for engine in ("fast", "simpy"):
                orders = self.sizes.profile_fast if engine == "fast" else self.sizes.profile_simpy
                spec = {
                    "kind": "profile",
                    "case": case,
                    "orders": orders,
                    "engine": engine,
                    "strategy": strategy,
                }
                label = f"({case})" if case == "a" else f"(b) {strategy}"
                rows.append((label, engine, self._run(f"profile {label} {engine}", spec)))
        for table in report.profile_tables(rows):
            self.console.print(table)
        self.console.print(
            "  events/order = SimPy Environment.step calls per order. cProfile "
            "inflates Python-call-heavy code; GC time is charged to whichever "
            "function allocated when a collection ran."
        )

    # -- 5 ----------------------------------------------------------------------------------
    def big(self) -> None:
        rows = []
        for strategy in reference_strategies():
            r = self._run(f"--big {strategy}", _reference_spec(strategy, self.sizes.big_orders))
            rows.append((strategy, r))
            self.targets.append(
                (
                    f"--big (b) {strategy}: peak RSS < {BIG_RSS_TARGET_MB} MB",
                    f"{r['peak_rss_mb']:,.0f} MB in {r['wall']:.1f} s",
                    r["peak_rss_mb"] < BIG_RSS_TARGET_MB,
                )
            )
        self.console.print(report.big_table(rows, BIG_RSS_TARGET_MB))

    # -- 6 ----------------------------------------------------------------------------------
    def parallel(self, workers: int = 2) -> None:
        unit = self.sizes.parallel_unit_orders
        # one unit's engine time, imports and summary excluded (those are paid once per run,
        # so timing a short run would overstate a unit and make the run too short)
        probe = self._run(
            "parallel calibration",
            {"kind": "ordersim", "case": "a", "orders": unit, "engine": "auto", "repeat": 2},
        )
        per_unit = probe["wall"]
        reps = max(4, math.ceil(self.sizes.parallel_serial_seconds / per_unit))
        reps += reps % workers
        self.console.print(
            f"  calibration: {per_unit:.2f} s per replication of {unit:,} "
            f"orders → {reps} replications"
        )
        base = {"kind": "parallel", "orders": unit, "replications": reps}
        tiny = {"kind": "parallel", "orders": 1_000, "replications": workers}
        rows: list[tuple[str, int | None, dict]] = []
        startup: dict[str, float] = {}
        best: dict[str, dict] = {}
        walls: dict[str, list[float]] = {}
        executors = (("serial", None), ("process", workers), ("dask", workers))
        for attempt in range(PARALLEL_ATTEMPTS):  # interleaved, so a noisy spell hits all
            for executor, w in executors:
                spec = {**base, "executor": executor, "workers": w}
                r = self._run(f"--parallel {executor} ({attempt + 1}/{PARALLEL_ATTEMPTS})", spec)
                walls.setdefault(executor, []).append(r["wall"])
                if executor not in best or r["wall"] < best[executor]["wall"]:
                    best[executor] = r
        for executor, w in executors:
            rows.append((executor, w, best[executor]))
            spec = {**tiny, "executor": executor, "workers": w}
            startup[executor] = self._run(f"--parallel {executor} start-up", spec)["wall"]
        imported = self._run("worker imports", {"kind": "import"})
        serial = rows[0][2]["wall"]
        table = report.parallel_table(rows, startup, PROCESS_SPEEDUP_TARGET, DASK_SLACK)
        self.console.print(table)
        self.console.print(
            f"  wall = best of {PARALLEL_ATTEMPTS} runs per executor, each in a fresh process, "
            "interleaved (serial, process, dask, serial, ...): "
            + "; ".join(f"{k} {' / '.join(f'{w:.2f}' for w in v)} s" for k, v in walls.items())
            + ".\n"
            f"  start-up = wall time of the same call with {workers} units of 1,000 orders "
            "(imports, pool or cluster start, scenario shipping, summary); "
            "net = (wall - start-up) against serial's.\n"
            f"  worker start-up includes `import sim.experiment.runner`: {imported['wall']:.2f} s "
            f"in a fresh process (loads {', '.join(imported['heavy'])})."
        )
        process, dask = rows[1][2]["wall"], rows[2][2]["wall"]
        self.targets.append(
            (
                f"process executor ({workers} workers) ≥ {PROCESS_SPEEDUP_TARGET}x",
                f"{serial / process:.2f}x",
                serial / process >= PROCESS_SPEEDUP_TARGET,
            )
        )
        self.targets.append(
            (
                f"dask within {DASK_SLACK:.0%} of process",
                f"{dask / process - 1:+.0%} ({serial / dask:.2f}x)",
                dask <= process * (1 + DASK_SLACK),
            )
        )

    def sections(
        self, big: bool, parallel: bool, agents_only: bool = False
    ) -> list[Callable[[], None]]:
        if agents_only:
            return [self.agents, self.queues]
        out = [self.case_a, self.reference, self.agents, self.queues, self.profiles]
        if big:
            out.append(self.big)
        if parallel:
            out.append(self.parallel)
        return out


def _reference_spec(strategy: str, orders: int, engine: str = "auto", repeat: int = 1) -> dict:
    """One measurement of the reference scenario (b) for the child process."""
    return {
        "kind": "ordersim",
        "case": "b",
        "orders": orders,
        "engine": engine,
        "strategy": strategy,
        "repeat": repeat,
    }

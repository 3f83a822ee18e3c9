"""Where work units run: in this process, in a process pool, or on a Dask cluster.

Every executor calls the same ``run_unit`` on the same picklable arguments, and results are put
back in plan order, so the output is bit-identical whatever runs it and however many workers.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import FaultError, UsageError
from ..forking import fork_context, ignore_sigint, stop_pool
from ..options import EXECUTORS
from ..output.folder import sigint_deferred
from .plan import WorkUnit
from .results import UnitResult
from .reuse import as_twin, twins
from .runner import RunSettings, run_unit

__all__ = ["EXECUTORS", "MAX_POOL_RESTARTS", "WorkerLost", "auto_executor", "execute"]

MAX_POOL_RESTARTS = 3  # fresh pools after a worker died (Dask's allowed-failures is 3 too)


class WorkerLost(FaultError):
    """A unit whose worker process kept dying (the system killed it: memory, kill -9)."""

    def __init__(self, unit: WorkUnit, tries: int, finished: int) -> None:
        super().__init__(unit, tries, finished)
        self.unit, self.tries, self.finished = unit, tries, finished

    def __str__(self) -> str:
        return (
            f"the worker process running unit {self.unit.label} was killed {self.tries} times (by "
            f"the system: out of memory, or kill -9); {self.finished} finished units are kept: "
            "run the same command again with --resume to finish, with fewer --workers if "
            "memory is short"
        )


Done = Callable[[WorkUnit, UnitResult], None]
QUIET_LOCAL_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "10s",
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def execute(
    variants: list[Any],
    units: list[WorkUnit],
    settings: RunSettings,
    *,
    executor: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    on_done: Done | None = None,
) -> dict[int, UnitResult]:
    """Run ``units`` (each on ``variants[unit.sweep_index]``); ``on_done`` is called in the
    calling process as each one finishes. A unit that would repeat another (``reuse.twins``)
    takes its result as soon as that one finishes."""
    report = on_done or (lambda unit, result: None)
    same = twins(variants, units, settings.events is not None)
    by_index = {u.index: u for u in units}
    waiting: dict[int, list[WorkUnit]] = {}
    for index, earlier in same.items():
        waiting.setdefault(earlier.index, []).append(by_index[index])
    taken: dict[int, UnitResult] = {}

    def done(unit: WorkUnit, result: UnitResult) -> None:
        report(unit, result)
        for twin in waiting.pop(unit.index, ()):
            taken[twin.index] = as_twin(twin, result)
            report(twin, taken[twin.index])

    todo = [u for u in units if u.index not in same]
    results = _execute(variants, todo, settings, executor, workers, scheduler, done)
    results.update(taken)
    return results


def _execute(variants, units, settings, executor, workers, scheduler, on_done):
    if executor == "auto":
        executor = auto_executor(len(units), workers)
    if executor == "serial":
        return _serial(variants, units, settings, on_done)
    if executor == "process":
        return _process(variants, units, settings, workers or os.cpu_count() or 1, on_done)
    if executor == "dask":
        return _dask(variants, units, settings, workers, scheduler, on_done)
    raise UsageError(
        f"--executor: unknown executor (got {executor!r}); use one of " + ", ".join(EXECUTORS)
    )


def auto_executor(units: int, workers: int | None = None) -> str:
    """``auto``: a process pool when there are cores and units to share (forking it costs
    ~0.05 s), else this process. Results are the same either way."""
    cores = workers or os.cpu_count() or 1
    return "process" if min(cores, units) > 1 else "serial"


def _serial(variants, units, settings, on_done) -> dict[int, UnitResult]:
    results = {}
    for unit in units:
        results[unit.index] = run_unit(variants[unit.sweep_index], unit, settings)
        on_done(unit, results[unit.index])
    return results


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork where it is safe: workers start with the simulator already imported; otherwise
    forkserver (a clean server forks the workers), else spawn. Results do not depend on it:
    every unit draws from its own seeded streams."""
    methods = multiprocessing.get_all_start_methods()
    return fork_context() or multiprocessing.get_context(
        "forkserver" if "forkserver" in methods else "spawn"
    )


def _process(variants, units, settings, workers, on_done) -> dict[int, UnitResult]:
    """A process pool; a worker the system kills (out of memory, kill -9) breaks the pool, and
    the units it lost run again on a fresh one. A pool that dies before finishing any unit
    counts as a failure (one that made progress does not): after MAX_POOL_RESTARTS of them in
    a row (Dask also retries a task three times) WorkerLost names the unit. From the second
    such failure the fresh pool has one worker, so that unit is the one that kills it."""
    results: dict[int, UnitResult] = {}
    todo = list(units)
    failures = 0
    while True:
        size = min(workers, len(todo)) if failures < 2 else 1
        before = len(results)
        lost = _pool_round(variants, todo, settings, size, on_done, results)
        if lost is None:
            return results
        failures = failures + 1 if len(results) == before else 1
        if failures > MAX_POOL_RESTARTS:
            raise WorkerLost(lost, failures, len(results))
        todo = [u for u in todo if u.index not in results]


def _pool_round(variants, todo, settings, size, on_done, results) -> WorkUnit | None:
    """Run ``todo`` on a fresh pool of ``size`` workers, filling ``results``; returns the first
    unfinished unit (in plan order) when a worker died, None when every unit finished."""
    if not todo:
        return None
    pool = ProcessPoolExecutor(
        max_workers=size, mp_context=_pool_context(), initializer=ignore_sigint
    )
    try:
        try:
            with sigint_deferred():  # every worker started and known to the pool (stop_pool)
                pending = {
                    pool.submit(run_unit, variants[u.sweep_index], u, settings): u for u in todo
                }
        except (BrokenProcessPool, EOFError):  # a worker (or the forkserver) died at once
            stop_pool(pool)
            return todo[0]
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: pending[f].index):
                unit = pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    stop_pool(pool)
                    return next(u for u in todo if u.index not in results)
                results[unit.index] = result
                on_done(unit, result)
    except BaseException:
        stop_pool(pool)  # Ctrl-C, SIGTERM, a unit's error: no worker left running
        raise
    pool.shutdown()
    return None


def _dask(variants, units, settings, workers, scheduler, on_done) -> dict[int, UnitResult]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise UsageError(
            "--executor dask: dask.distributed is not installed "
            "(install it with: pip install 'ordersim[dask]')"
        ) from exc
    results: dict[int, UnitResult] = {}
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = _local_cluster(LocalCluster, workers or os.cpu_count() or 1)
        client = Client(cluster)
    try:
        # scenarios are a few kB: passed with each task rather than scattered, so no task
        # depends on data held by one worker and the scheduler spreads them evenly. They are
        # pickled once here (a pydantic model is slow to pickle, and Dask would do it per task),
        # and each result comes back with its completion notice rather than in a second round
        # trip: Dask's per-task cost is paid on the cores the workers use.
        blobs = [pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for v in variants]
        futures = {
            client.submit(_run_pickled, blobs[u.sweep_index], u, settings, pure=False): u
            for u in units
        }
        for future, result in as_completed(list(futures), with_results=True):
            unit = futures[future]
            results[unit.index] = result
            on_done(unit, result)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return results


def _run_pickled(scenario: bytes, unit: WorkUnit, settings: RunSettings) -> UnitResult:
    """``run_unit`` on a scenario pickled by the caller."""
    return run_unit(pickle.loads(scenario), unit, settings)


def _local_cluster(local_cluster_class, workers: int):
    """A LocalCluster tuned for short, numpy-heavy units (both measured in benchmarks/):

    - workers are forked from a fork server that has imported the simulator, so they start
      with it imported instead of spawning and re-importing it (~3 s). Not forked from this
      process: its Dask threads (the client's event loop, the nannies') may hold a lock at the
      moment of the fork, and a worker inheriting it held hung forever in its first log line
      (seen twice in the suite, a LocalCluster that never started);
    - workers keep glibc's adaptive malloc thresholds: the nannies' MALLOC_TRIM_THRESHOLD_=65536
      turns them off, and each large numpy block was then mapped and faulted in afresh (a unit
      ran 2.4x slower). Numpy's thread settings are kept;
    - no background work meant for the dashboard, which a local cluster here does not serve:
      the workers' statistical profiler (a thread sampling every stack each 10 ms), the
      system monitor, and the 20 ms event-loop tick. Each woke up a thread that took the GIL
      from the running unit (units ran ~5% slower and started ~0.15 s later). The memory
      monitors (nannies and workers) look once a second instead of ten times.
    """
    import dask

    environ = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    settings = {
        "distributed.nanny.pre-spawn-environ": {
            k: v for k, v in environ.items() if k != "MALLOC_TRIM_THRESHOLD_"
        },
        **QUIET_LOCAL_CLUSTER,
    }
    if "forkserver" in multiprocessing.get_all_start_methods():
        # the server is a fresh process (no thread, no held lock) that imports these once
        multiprocessing.set_forkserver_preload(["sim.experiment.executors", "distributed"])
        settings["distributed.worker.multiprocessing-method"] = "forkserver"
    with dask.config.set(settings):
        return local_cluster_class(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )


def iter_in_order(results: dict[int, UnitResult], units: Iterable[WorkUnit]) -> list[UnitResult]:
    """Results in plan order, whatever order they finished in."""
    return [results[u.index] for u in units]

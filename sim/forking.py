"""When a child process may be forked: the one rule the process pools of runs and of plots share."""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Executor
from multiprocessing.context import BaseContext

__all__ = ["fork_context", "ignore_sigint", "stop_pool"]


def fork_context() -> BaseContext | None:
    """The ``fork`` start method where it is safe (POSIX, and this process runs no other
    thread, whose locks a child could inherit held), else None. A forked child starts with
    everything already imported."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None


def ignore_sigint() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; a worker neither stops on it nor
    prints a traceback (the parent stops the pool). SIGTERM gets its default action back: a
    forked worker inherits the parent's handler, which would make a traceback of its stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def stop_pool(pool: Executor) -> None:
    """Stop a process pool now: queued work cancelled, running workers terminated and reaped,
    so an interrupted run leaves no process behind (shutdown alone waits for running units)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
    if manager is not None:  # its end lets the next pool fork (no other thread running)
        manager.join(timeout=10)

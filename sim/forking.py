"""When a child process may be forked: the one rule the process pools of runs and of plots share."""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.context import BaseContext

__all__ = ["fork_context", "ignore_sigint"]


def fork_context() -> BaseContext | None:
    """The ``fork`` start method where it is safe (POSIX, and this process runs no other
    thread, whose locks a child could inherit held), else None. A forked child starts with
    everything already imported."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None


def ignore_sigint() -> None:
    """Pool initializer: Ctrl-C is the parent's to handle; a worker neither stops on it nor
    prints a traceback (the parent shuts the pool down)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)

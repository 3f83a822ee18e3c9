"""A seller's command timed in a fresh process (shared by the fit and trial benchmarks).

The command runs as the seller types it, so the wall time includes the interpreter, imports,
reading and writing; its CPU time and peak RSS are the child's own (``os.wait4``), nothing left
over from this process. The export it reads is written by another child first, so the
generator's frames never sit in this process either.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["ROOT", "bench_main", "export_in_child", "one_core", "rows", "timed_command"]

ROOT = Path(__file__).resolve().parents[1]


def one_core() -> None:
    """Pin the calling process to one CPU (for a ``preexec_fn``)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def export_in_child(module: str, orders: int, path: Path) -> Path:
    """``benchmarks.<module>.write_export(orders, path)`` in a child process."""
    code = f"from benchmarks.{module} import write_export; write_export({orders}, {str(path)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return path


def rows(path: Path) -> int:
    """Data rows of a CSV export (its lines less the header)."""
    with path.open("rb") as f:
        return sum(1 for _ in f) - 1


def timed_command(args: list[str], *, pin: bool = False) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of ``python -m sim ARGS`` in a child process
    (``pin``: on one CPU)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=one_core if pin else None,
        cwd=ROOT,
    )
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own CPU time and peak RSS
    wall = time.perf_counter() - start
    assert proc.stderr is not None
    if status != 0:
        raise RuntimeError(f"ordersim {args[0]} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024.0,
    }


def bench_main(
    argv: list[str] | None, prog: str, doc: str | None, section: Callable, orders: int
) -> int:
    """A benchmark's command line: ``--orders N``, one section, its targets met or missed."""
    from rich.console import Console

    parser = argparse.ArgumentParser(prog=prog, description=doc)
    parser.add_argument("--orders", type=int, default=orders, help=f"orders (default {orders:,})")
    args = parser.parse_args(argv)
    targets: list = []
    console = Console()
    section(console, targets, args.orders)
    for name, measured, ok in targets:
        console.print(f"{name}: {measured} -> {'met' if ok else 'MISSED'}")
    return 0

"""``python -m benchmarks``: ordersim's speed and memory, measured in one run.

Sections: (1) case (a) on the fast path and the SimPy engine, (2) the same case as a bare
``heapq`` loop and the speed ratio, (3) the reference scenario (b) per strategy, (3c) the agent
case (c) against its own bare ``heapq`` loop, (4) a cProfile share by code owner; with
``--big`` 10M orders of (b), with ``--parallel`` serial vs process vs Dask executors. Every
measurement runs in its own fresh process; nothing asserts on times.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from rich.console import Console

from . import report
from .machine import machine_info
from .suite import Sizes, Suite


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--orders",
        type=int,
        default=1_000_000,
        help="orders per measurement (default 1,000,000; SimPy runs use a tenth)",
    )
    p.add_argument("--quick", action="store_true", help="100k orders: a smoke run")
    p.add_argument("--big", action="store_true", help="10M orders of the reference scenario")
    p.add_argument("--big-orders", type=int, default=10_000_000, help=argparse.SUPPRESS)
    p.add_argument(
        "--parallel",
        action="store_true",
        help="serial vs process vs dask executors on a ~20 s serial run (best of 3 each)",
    )
    p.add_argument("--workers", type=int, default=2, help="workers for --parallel (default 2)")
    p.add_argument(
        "--agents-only",
        action="store_true",
        help="only the agent case (c) against its bare heapq loop",
    )
    p.add_argument(
        "--fit", action="store_true", help="ordersim fit on a 1M-row Taobao export (< 30 s, < 2 GB)"
    )
    p.add_argument("--all", action="store_true", help="everything: --big, --parallel, --fit")
    args = p.parse_args(argv)
    if args.quick:
        args.orders = 100_000
    if args.all:
        args.big = args.parallel = args.fit = True
    if args.agents_only and (args.big or args.parallel):
        p.error("--agents-only: not with --big, --parallel or --all")
    if args.orders < 1000:
        p.error("--orders: at least 1000")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=max(140, Console().width))
    console.rule("[bold]ordersim benchmarks")
    console.print(report.machine_table(machine_info()))
    sizes = Sizes.for_run(args.orders, args.quick, args.big_orders)
    console.print(
        f"orders: {sizes.orders:,} (SimPy engine: {sizes.simpy_orders:,}; agent case (c): "
        f"{sizes.agent_orders:,}; profiles: "
        f"{sizes.profile_fast:,} fast / {sizes.profile_simpy:,} simpy"
        + (f"; --big: {sizes.big_orders:,}" if args.big else "")
        + ")"
    )
    suite = Suite(sizes, console)
    start = time.perf_counter()
    for section in suite.sections(args.big, args.parallel, args.agents_only):
        console.print()
        section()
    if args.fit:
        from .fit import fit_section

        console.print()
        fit_section(console, suite.targets, 100_000 if args.quick else 1_000_000)
    console.print()
    console.print(report.targets_table(suite.targets))
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    console.print(
        f"benchmark wall time {time.perf_counter() - start:.0f} s; load average now {load}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m benchmarks.fit``: `ordersim fit` on a large Taobao export (target < 30 s, < 2 GB).

The export (GBK, Chinese headers, ="..." order numbers) is made once by the synthetic
generator with a fixed seed; the fit runs as the command a seller types, in a fresh process,
so the wall time includes the interpreter, imports, decoding, parsing and writing the scenario,
and the peak RSS is that process's own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["FIT_MB", "FIT_SECONDS", "fit_section", "measure_fit", "write_export"]

FIT_SECONDS = 30.0
FIT_MB = 2048.0


def write_export(orders: int, path: Path) -> None:
    """A Taobao export of about ``orders`` orders over 60 days (seed 7)."""
    from sim.fit.synthetic import Truth, write_taobao

    write_taobao(Truth(days=60.0, orders_per_day=orders / 60.0, seed=7), path)


def make_export(orders: int, folder: Path) -> Path:
    """The export, written by a child process: the generator's frames never sit in this
    process, whose memory a forked child would otherwise count as its own peak."""
    path = folder / f"taobao-{orders}.csv"
    code = f"from benchmarks.fit import write_export; write_export({orders}, {str(path)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])
    return path


def measure_fit(export: Path, folder: Path) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of ``ordersim fit`` in a child process."""
    out = folder / "fitted.toml"
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "fit", str(export), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own CPU time and peak RSS
    wall = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"ordersim fit failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    rows = sum(1 for _ in export.open("rb")) - 1
    return {
        "rows": rows,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024.0,
        "mb": export.stat().st_size / 2**20,
    }


def fit_section(console, targets: list, orders: int = 1_000_000) -> None:
    """Measure and print one row; append the target verdict to ``targets``."""
    with tempfile.TemporaryDirectory(prefix="ordersim-fit-bench-") as tmp:
        console.rule("[bold]ordersim fit on a Taobao export")
        export = make_export(orders, Path(tmp))
        result = measure_fit(export, Path(tmp))
    console.print(
        f"{result['rows']:,} rows ({result['mb']:.0f} MB, GBK): fit {result['wall']:.1f} s "
        f"wall, {result['cpu']:.1f} s cpu, peak RSS {result['peak_mb']:.0f} MB"
    )
    ok = result["wall"] < FIT_SECONDS and result["peak_mb"] < FIT_MB
    targets.append(
        (
            f"fit {result['rows']:,} rows < 30 s, < 2 GB",
            f"{result['wall']:.1f} s wall, {result['cpu']:.1f} s cpu, {result['peak_mb']:.0f} MB",
            ok,
        )
    )


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    parser = argparse.ArgumentParser(prog="python -m benchmarks.fit", description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000, help="rows (default 1,000,000)")
    args = parser.parse_args(argv)
    targets: list = []
    console = Console()
    fit_section(console, targets, args.orders)
    for name, measured, ok in targets:
        console.print(f"{name}: {measured} -> {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m benchmarks.fit``: `ordersim fit` on a large Taobao export (target < 30 s, < 2 GB).

The export (GBK, Chinese headers, ="..." order numbers) is made once by the synthetic
generator with a fixed seed; the fit runs as the command a seller types, in a fresh process,
so the wall time includes the interpreter, imports, decoding, parsing and writing the scenario,
and the peak RSS is that process's own.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .timed import bench_main, export_in_child, rows, timed_command

__all__ = ["FIT_MB", "FIT_SECONDS", "fit_section", "measure_fit", "write_export"]

FIT_SECONDS = 30.0
FIT_MB = 2048.0


def write_export(orders: int, path: Path) -> None:
    """A Taobao export of about ``orders`` orders over 60 days (seed 7)."""
    from sim.fit.synthetic import Truth, write_taobao

    write_taobao(Truth(days=60.0, orders_per_day=orders / 60.0, seed=7), path)


def make_export(orders: int, folder: Path) -> Path:
    """The export, written by a child process (see benchmarks/timed.py)."""
    return export_in_child("fit", orders, folder / f"taobao-{orders}.csv")


def measure_fit(export: Path, folder: Path) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of ``ordersim fit`` in a child process."""
    result = timed_command(["fit", str(export), "--out", str(folder / "fitted.toml")])
    return {**result, "rows": rows(export), "mb": export.stat().st_size / 2**20}


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
    return bench_main(argv, "python -m benchmarks.fit", __doc__, fit_section, 1_000_000)


if __name__ == "__main__":
    sys.exit(main())

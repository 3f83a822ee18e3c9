"""Smoke test of benchmarks/fit.py: it writes an export, fits it in a child process and reads
that child's own figures. Correctness only: nothing here is timed."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:  # benchmarks/ is not an installed package
    sys.path.insert(0, ROOT)

from benchmarks.fit import make_export, measure_fit  # noqa: E402


def test_fit_benchmark_measures_one_child(tmp_path):
    export = make_export(1500, tmp_path)
    result = measure_fit(export, tmp_path)
    assert 1000 < result["rows"] < 2000
    assert result["cpu"] > 0 and result["peak_mb"] > 0
    assert (tmp_path / "fitted.toml").read_text(encoding="utf-8").startswith("# FITTED")

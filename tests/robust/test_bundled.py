"""`ordersim robust` on every bundled scenario (shrunk to a few orders): a clear answer, never a
traceback, also where there is nothing to vary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml"))
SMALL = ["--set", "scenario.replications=2", "--set", "scenario.arrival_days=1",
         "--set", "arrivals.orders_per_day=20", "--set", "scenario.warmup_days=0"]  # fmt: skip


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_robust_answers_every_bundled_scenario(path, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    argv = ["robust", str(path), "--out", str(out), "--quiet", "--points", "4",
            "--replications", "2", "--executor", "serial", *SMALL]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr()
    lines = printed.out.splitlines()
    assert lines[0].startswith(("Recommendation:", "No recommendation:"))
    assert all(len(line) <= 80 for line in lines), lines
    data = json.loads((out / "robust.json").read_text())
    if data["assumptions"]:
        assert data["points"] == 4
        assert sum(s["share"] for s in data["best_share"].values()) == pytest.approx(1.0)
    else:  # nothing stated to vary: said so, no joint design run
        assert data["points"] == 0 and data["best_share"] == {}
        assert any(line.strip().startswith("nothing to vary") for line in lines)
    assert "Traceback" not in printed.err
    assert (out / "report.html").read_text().count("<table>") >= (1 if data["assumptions"] else 0)

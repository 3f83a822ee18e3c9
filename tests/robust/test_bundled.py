"""`ordersim robust` on every bundled scenario (shrunk to a few orders): a clear answer that
fits 80 columns, never a traceback, also where there is nothing to vary."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli_scenario import load_with_overrides
from sim.output.i18n import get_lang
from sim.output.terminal import fill_cells
from sim.robust.answer import answer_lines
from sim.robust.cli import robust, write_robust

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml"))
SMALL = [("scenario.replications", 2), ("scenario.arrival_days", 1.0),
         ("arrivals.orders_per_day", 20.0), ("scenario.warmup_days", 0.0)]  # fmt: skip


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_robust_answers_every_bundled_scenario(path, tmp_path) -> None:
    scenario = load_with_overrides(path, SMALL)
    result = robust(scenario, points=4, replications=1)
    lines = answer_lines(result, scenario, get_lang("en"))
    assert lines[0].startswith(("Recommendation:", "No recommendation:"))
    for line in lines:
        assert all(len(part) <= 80 for part in fill_cells(line, 80, "    "))
    if result.assumptions:
        assert result.points == 4
        assert sum(s["share"] for s in result.best_share.values()) == pytest.approx(1.0)
    else:  # nothing stated to vary: said so, no joint design run, the files still written
        assert result.points == 0 and result.best_share == {}
        assert lines[1].strip().startswith("nothing to vary")
        written = write_robust(result, scenario, path, tmp_path, get_lang("zh"), lambda p: None)
        assert [p.name for p in written] == ["robust.json", "robust.png", "report.html"]

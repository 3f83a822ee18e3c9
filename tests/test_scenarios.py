"""The scenario library: every file in scenarios/ validates, is named after itself and runs.

The smoke runs use tiny volumes (a couple of days at 30 orders a day, two replications) so the
whole library is exercised end to end, outputs and plots included, in well under a minute.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from sim.api import run
from sim.experiment.plan import plan_candidates, scenario_variants
from sim.scenario.load import load_scenario

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.toml"))
TINY = {"arrivals.orders_per_day": 30, "scenario.arrival_days": 2}
RATE_LIKE = ("agent_utilization",)


def _id(path: Path) -> str:
    return path.stem


def test_the_library_has_at_least_ten_scenarios():
    assert len(FILES) >= 10, [f.name for f in FILES]


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_scenario_validates(path: Path):
    scenario = load_scenario(path)
    assert scenario.scenario.replications == 20
    assert scenario.scenario.description.strip(), "the description states the question"


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_file_name_is_the_scenario_name(path: Path):
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    assert data["scenario"]["name"] == path.stem


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_scenario_has_a_header_saying_where_the_answer_is(path: Path):
    head = path.read_text(encoding="utf-8").split("[scenario]")[0]
    comments = [line for line in head.splitlines() if line.startswith("#")]
    assert len(comments) >= 3, "a header comment block explains how to read the output"
    text = path.read_text(encoding="utf-8")
    assert "rules §" in text and "docs/rules.md" in text, "numbers cite docs/rules.md"


def _check_stat(where: str, kpi: str, stat: dict) -> None:
    for field, value in stat.items():
        assert value is None or (isinstance(value, int | float) and math.isfinite(value)), (
            f"{where}.{kpi}.{field} = {value!r}"
        )
    mean = stat.get("mean")
    if mean is not None and kpi == "incremental_paid_rate":  # a difference of two fractions
        assert -1.0 <= mean <= 1.0, f"{where}.{kpi} = {mean} is not a difference of fractions"
    elif mean is not None and (kpi.endswith("_rate") or kpi in RATE_LIKE):
        # the mean must be a fraction; a t-interval around it may poke past 0 or 1
        assert 0.0 <= mean <= 1.0, f"{where}.{kpi} = {mean} is not a fraction"


def _tiny(path: Path) -> dict:
    """TINY, and a sweep cut to its first and last values (loading checked every value)."""
    overrides = dict(TINY)
    sweep = load_scenario(path).sweep
    if sweep is not None and len(sweep.values) > 2:
        overrides["sweep.values"] = [sweep.values[0], sweep.values[-1]]
    return overrides


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_scenario_smoke_runs(path: Path, tmp_path: Path):
    overrides = _tiny(path)
    results = run(path, replications=2, out=tmp_path, overrides=overrides, plots=True)
    for name in (
        "summary.json",
        "replications.csv",
        "report.html",
        "kpis.png",
        "payment_curve.png",
    ):
        assert (tmp_path / name).is_file(), f"{name} was not written"
        assert (tmp_path / name).stat().st_size > 0, f"{name} is empty"
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary == json.loads(json.dumps(results.summary))
    assert summary["scenario"] == path.stem
    scenario = results.scenario
    # every strategy at every sweep value, except those the sweep leaves alone: once each
    expected = [c.key for c in plan_candidates(scenario, scenario_variants(scenario))]
    assert sorted(summary["strategies"]) == sorted(expected)
    for key, kpis in summary["strategies"].items():
        assert kpis["orders"]["mean"] > 0, f"{key}: no orders at all"
        for kpi, stat in kpis.items():
            _check_stat(f"strategies.{key}", kpi, stat)
    for key, kpis in summary["comparisons"].items():
        for kpi, stat in kpis.items():
            for field, value in stat.items():
                assert value is None or math.isfinite(value), f"{key}.{kpi}.{field}"

"""`ordersim trial design`: the two-proportion formula (hand-computed) and the simulated trials
agree, days come from the scenario's arrivals, alternating days ask for more days where the
shop's days differ, and the rule is printed in a seller's words."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from sim.cli import main
from sim.trial.assign import arms_by_rule, digit_groups
from sim.trial.design import formula_orders, orders_for_power

from .generator import COLUMNS, TrialTruth, write_trial

SCENARIO = Path(__file__).with_name("trial_scenario.toml")


def test_formula_is_the_textbook_one():
    # 0.5 vs 0.6, alpha 0.05, power 0.8: (1.95996 sqrt(2 x .55 x .45) + 0.84162 sqrt(.25 +
    # .24))^2 / 0.1^2 = 387.3 orders per arm
    assert formula_orders(0.5, 0.6, 0.05, 0.8) == pytest.approx(387.34, abs=0.05)


@pytest.mark.parametrize(("p0", "p1"), [(0.5, 0.6), (0.8, 0.82), (0.3, 0.27)])
def test_simulated_trials_agree_with_the_formula(p0, p1):
    simulated = orders_for_power(p0, p1, 0.05, 0.8, seed=3)
    assert simulated == pytest.approx(formula_orders(p0, p1, 0.05, 0.8), rel=0.06)


def _design(capsys, tmp_path: Path, scenario: Path, *extra: str) -> tuple[dict, str]:
    out = tmp_path / "design"
    args = ["trial", "design", str(scenario), "--arms", "control,sms-2h", "--detect"]
    assert main([*args, "paid_rate=0.03", "--out", str(out), *extra]) == 0
    return json.loads((out / "design.json").read_text()), capsys.readouterr().out


@pytest.fixture(scope="module")
def weekly(tmp_path_factory) -> Path:
    """The trial scenario with busy weekends (weekday weights that vary)."""
    path = tmp_path_factory.mktemp("design") / "weekly.toml"
    text = SCENARIO.read_text(encoding="utf-8").replace(
        "orders_per_day = 400",
        "orders_per_day = 400\nweekday_weights = [0.4, 0.5, 0.6, 0.8, 1.2, 1.9, 1.6]",
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_design_orders_and_days_from_the_scenario(capsys, tmp_path, weekly):
    design, out = _design(capsys, tmp_path, weekly)
    for key in ("orders_per_arm", "days", "baseline_rate", "power"):
        assert key in design
    p0 = design["baseline_rate"]
    assert 0.75 < p0 < 0.87  # the scenario's own paid share with no reminder
    assert design["formula_orders_per_arm"] == math.ceil(formula_orders(p0, p0 + 0.03, 0.05, 0.8))
    assert design["orders_per_arm"] == pytest.approx(design["formula_orders_per_arm"], rel=0.06)
    assert design["orders_per_day"] == pytest.approx(400, rel=0.01)
    # odd and even last digits: half of each day's orders per arm
    assert design["days"] == math.ceil(design["orders_per_arm"] / (0.5 * design["orders_per_day"]))
    assert "sms-2h: orders whose number ends in an odd digit (1, 3, 5, 7, 9)" in out
    assert max(len(line) for line in out.splitlines() if str(tmp_path) not in line) <= 80


def test_alternate_days_ask_for_more_days_where_days_differ(capsys, tmp_path, weekly):
    by_order, _ = _design(capsys, tmp_path / "a", weekly)
    by_day, out = _design(capsys, tmp_path / "b", weekly, "--assign", "alternate-days")
    assert by_day["units"] == "days" and by_day["days"] > by_order["days"]
    assert "switch the reminders by the day the order is placed" in out
    assert "control: 03-02, 03-04, ..." in out and "sms-2h: 03-03, 03-05, ..." in out
    half, out = _design(capsys, tmp_path / "c", weekly, "--assign", "alternate-half-days")
    assert half["units"] == "half-days" and half["days"] > by_order["days"]
    _, out = _design(capsys, tmp_path / "d", weekly, "--lang", "zh")
    assert "sms-2h: 订单编号尾号为奇数 (1, 3, 5, 7, 9) 的订单" in out


def test_assignment_csv_from_an_export_follows_the_rule(capsys, tmp_path):
    export = tmp_path / "orders.csv"
    frame = write_trial(TrialTruth(orders_per_day=30, days=7, seed=4), export)
    _design(capsys, tmp_path, SCENARIO, "--export", str(export), "--columns", COLUMNS)
    with open(tmp_path / "design" / "assignment.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(frame)
    for row in rows:
        odd = int(row["order"][-1]) % 2 == 1
        assert row["arm"] == ("sms-2h" if odd else "control")


def test_rules_by_digit_day_and_half_day():
    import numpy as np

    assert digit_groups(3) == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]
    ids = ["a17", "20", "x9y", "abc"]
    start = np.datetime64("2026-03-02T00:00:00")
    placed = np.array(
        ["2026-03-02T10:00", "2026-03-02T13:00", "2026-03-03T01:00", "2026-03-04T12:00"],
        dtype="datetime64[s]",
    )
    assert list(arms_by_rule("last-digit", 2, ids, placed, start)) == [1, 0, 1, -1]
    assert list(arms_by_rule("alternate-days", 2, ids, placed, start)) == [0, 0, 1, 0]
    assert list(arms_by_rule("alternate-half-days", 2, ids, placed, start)) == [0, 1, 1, 1]
    hashed = arms_by_rule("hash", 3, ids, placed, start)
    assert list(hashed) == list(arms_by_rule("hash", 3, ids, placed, start))
    assert set(hashed) <= {0, 1, 2}


def test_trial_design_and_fit_find_a_bundled_scenario_by_name(capsys, tmp_path, monkeypatch):
    """As `ordersim run NAME` does: the name reads the bundled file, so the design is the
    file's own, and a misspelt name exits 2 naming the nearest one."""
    from sim.cli_scenario import find_scenario

    monkeypatch.chdir(tmp_path)  # no file of that name here
    bundled = find_scenario("first-reminder-timing")
    args = ["--arms", "no-reminder,sms-once", "--detect", "paid_rate=0.03"]
    for name, given in (("by-name", "first-reminder-timing"), ("by-path", str(bundled))):
        assert main(["trial", "design", given, *args, "--out", name]) == 0
    capsys.readouterr()
    by_name, by_path = (
        json.loads(Path(d, "design.json").read_text()) for d in ("by-name", "by-path")
    )
    assert by_name.pop("scenario") == "first-reminder-timing"
    by_path.pop("scenario")
    assert by_name == by_path and by_name["orders_per_arm"] > 0
    export = tmp_path / "trial.csv"
    write_trial(TrialTruth(orders_per_day=60, days=14, seed=3), export)
    fit = ["trial", "fit", "first-reminder-timing", str(export), "--columns", COLUMNS]
    fit += ["--assign", "last-digit", "--arms", "no-reminder,sms-once"]
    assert main([*fit, "--out", "fitted"]) == 0
    from sim.scenario import load_scenario

    fitted = load_scenario(tmp_path / "fitted" / "scenario.toml")
    assert fitted.scenario.name == "first-reminder-timing"
    assert main(["trial", "design", "first-reminder-timng", *args]) == 2
    assert f"did you mean {bundled}?" in capsys.readouterr().err

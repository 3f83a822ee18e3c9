"""ordersim robust against plain runs at fixed values: the break-even where SMS starts to pay,
the share of the range where each strategy wins, and a number that decides nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import sim
from sim.robust.check import evppi, influence
from sim.robust.cli import robust
from sim.scenario.load import scenario_from_dict
from sim.scenario.paths import apply_override

LOW, HIGH = 0.05, 0.45
FLIP_TOML = (
    '[scenario]\nname = "flip"\nseed = 3\nreplications = 2\narrival_days = 1\n'
    "[arrivals]\norders_per_day = 200\n[shop]\nsms_cost = 6.0\n"
    '[[segments]]\nname = "all"\nshare = 1.0\npays_unprompted = 0.5\n'
    "response = { sms = 0.2 }\nannoyance = { sms = 0.01 }\n"
    '[[strategies]]\nname = "none"\n[[strategies]]\nname = "sms"\n'
    '[[strategies.reminders]]\nat = 2\nchannel = "sms"\n'
)


def flip_case(replications: int = 4):
    """SMS at 6 yuan a message pays only when enough buyers answer it (about 0.2 here)."""
    return scenario_from_dict(
        {
            "scenario": {
                "name": "flip",
                "seed": 3,
                "replications": replications,
                "arrival_days": 2,
            },
            "arrivals": {"orders_per_day": 300},
            "shop": {"sms_cost": 6.0},
            "segments": [
                {
                    "name": "all",
                    "share": 1.0,
                    "pays_unprompted": 0.5,
                    "cancels": 0.0,
                    "response": {"sms": 0.2},
                    "annoyance": {"sms": 0.01},
                },
            ],
            "strategies": [
                {"name": "none"},
                {"name": "sms", "reminders": [{"at": 2, "channel": "sms"}]},
            ],
        }
    )


@pytest.fixture(scope="module")
def checked():
    vary = [f"segments.all.response.sms={LOW}:{HIGH}", "segments.all.annoyance.sms=0:0.1"]
    return robust(flip_case(), vary=vary, points=32, replications=4)


@pytest.fixture(scope="module")
def plain():
    """SMS minus nothing (paired, the same seed and replications) at fixed response chances."""
    xs = np.round(np.arange(LOW, HIGH + 1e-9, 0.05), 2)
    diffs = []
    for x in xs:
        sc = apply_override(flip_case(), "segments.all.response.sms", float(x))
        diffs.append(sim.run(sc).summary["comparisons"]["sms"]["net_profit_per_order"]["diff"])
    return xs, np.array(diffs)


def test_break_even_agrees_with_plain_runs(checked, plain) -> None:
    xs, diffs = plain
    i = int(np.flatnonzero(np.diff(np.sign(diffs)))[0])
    root = xs[i] - diffs[i] * (xs[i + 1] - xs[i]) / (diffs[i + 1] - diffs[i])
    [response] = [a for a in checked.assumptions if a["key"].endswith("response.sms")]
    [flip] = response["break_even"]
    assert abs(flip["value"] - root) < 0.02
    assert {flip["from"], flip["to"]} == {"none", "sms"}


def test_share_of_the_range_agrees_with_plain_runs(checked, plain) -> None:
    xs, diffs = plain
    i = int(np.flatnonzero(np.diff(np.sign(diffs)))[0])
    root = xs[i] - diffs[i] * (xs[i + 1] - xs[i]) / (diffs[i + 1] - diffs[i])
    expected = (HIGH - root) / (HIGH - LOW)  # sms wins above the break-even
    share = checked.best_share["sms"]
    assert share["low"] <= expected <= share["high"]
    assert abs(share["share"] - expected) < 0.1
    assert checked.best_share["none"]["share"] == pytest.approx(1 - share["share"])


def test_a_number_that_decides_nothing_has_no_influence(checked) -> None:
    by_key = {a["key"]: a for a in checked.assumptions}
    # low ratings do not enter net profit: annoyance cannot move the lead
    assert by_key["segments.all.annoyance.sms"]["influence"] < 0.05
    assert by_key["segments.all.response.sms"]["influence"] > 0.8
    assert by_key["segments.all.annoyance.sms"]["evpi"] < 0.2 * max(
        by_key["segments.all.response.sms"]["evpi"], 1e-9
    )
    assert checked.assumptions[0]["key"] == "segments.all.response.sms"  # ranked first


def test_influence_and_evppi_on_known_functions() -> None:
    rng = np.random.default_rng(1)
    x, z = rng.random(256), rng.random(256)
    y = 3 * x + 0.1 * rng.standard_normal(256)
    assert influence(x, y, 8) > 0.9 and influence(z, y, 8) < 0.05
    # option 1 pays 1 above x = 0.5 and -1 below, option 0 pays 0: E[max] - max E = 0.5 - 0
    table = np.column_stack([np.zeros(256), np.where(x > 0.5, 1.0, -1.0)])
    assert evppi(x, table, 2) == pytest.approx(0.5, abs=0.02)
    assert evppi(z, table, 2) < 0.05


def test_cli_writes_robust_json_and_png_and_refuses_a_bad_vary(tmp_path) -> None:
    path = tmp_path / "flip.toml"
    path.write_text(FLIP_TOML)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "sim", "robust", str(path), "--points", "8", "--quiet",
               "--replications", "2", "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "robust.json").read_text())
    assert set(data) >= {"kpi", "recommended", "points", "best_share", "assumptions"}
    assert data["points"] == 8 and data["kpi"] == "net_profit_per_order"
    for item in data["assumptions"]:
        assert set(item) >= {"key", "stated", "low", "high", "influence", "evpi", "break_even"}
    assert (out / "robust.png").read_bytes()[:4] == b"\x89PNG"
    page = (out / "report.html").read_text()
    assert '<section id="robust">' in page and "data:image/png;base64," in page
    assert "segments.<wbr>all.<wbr>response.<wbr>sms" in page  # the numbers' table
    assert "Recommendation: Text every unpaid order 2 hours after it is placed" in page or (
        "No recommendation:" in page
    )
    assert done.stdout.splitlines()[0].startswith(("Recommendation:", "No recommendation:"))
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "summary.json").write_text('{"scenario": "flip"}')
    refused = subprocess.run([*command[:-1], str(tmp_path / "run")], capture_output=True,
                             text=True)  # fmt: skip
    assert refused.returncode == 2 and "holds the results of a run" in refused.stderr
    assert (tmp_path / "run" / "summary.json").exists()
    bad = subprocess.run([*command, "--vary", "segments.all.nope=0:1", "--vary", "x"],
                         capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2
    assert "--vary segments.all.nope: no such key" in bad.stderr
    assert "--vary: use KEY=LOW:HIGH" in bad.stderr


def test_every_executor_gives_the_same_robust_json() -> None:
    """Same seed: the same break-evens, shares and indices, byte for byte, on one process, a
    process pool and a Dask local cluster (as a run's summary)."""
    from sim.robust.cli import to_json

    vary = [f"segments.all.response.sms={LOW}:{HIGH}"]
    texts = set()
    for executor in ("serial", "process", "dask"):
        if executor == "dask":
            pytest.importorskip("dask.distributed")
        result = robust(flip_case(2), vary=vary, points=4, replications=2, executor=executor,
                        workers=2)  # fmt: skip
        assert result.assumptions[0]["break_even"]  # the search ran batches after the first
        texts.add(json.dumps(to_json(result)))
    assert len(texts) == 1


def test_the_answer_names_a_number_worth_measuring_only_when_knowing_it_is_worth_something(
    checked,
) -> None:
    """The flip case: knowing the SMS response is worth money; made worthless, the answer says
    so and names the number that moves the lead most instead."""
    import dataclasses

    from sim.output.i18n import get_lang
    from sim.robust.answer import answer_lines

    sc, en = flip_case(), get_lang("en")
    lines = answer_lines(checked, sc, en)
    assert any(line.strip().startswith("worth measuring first: segments.all.response.sms")
               for line in lines)  # fmt: skip
    worthless = [dict(a, evpi=0.0001) for a in checked.assumptions]
    lines = answer_lines(dataclasses.replace(checked, assumptions=worthless), sc, en)
    assert "  no number is worth measuring for this decision alone (knowing any one is worth " \
        "under 0.001 per order); the one that moves the lead most: segments.all.response.sms" \
        in lines  # fmt: skip


def test_a_run_beside_a_robust_check_of_its_scenario_says_how_robust_its_answer_is(
    tmp_path, capsys
) -> None:
    """robust.json in <out>-robust/ of the same scenario: the run's footing ranks the numbers by
    influence and its answer says where the recommendation holds and where it flips; a changed
    scenario (another SMS cost) takes nothing from it."""
    from sim.cli import main

    path = tmp_path / "flip.toml"
    path.write_text(FLIP_TOML)
    out = tmp_path / "flip"
    vary = ["--vary", f"segments.all.response.sms={LOW}:{HIGH}"]
    assert main(["robust", str(path), "--out", f"{out}-robust", "--quiet", "--points", "4",
                 "--replications", "2", "--executor", "serial", *vary]) == 0  # fmt: skip
    robust_json = json.loads((tmp_path / "flip-robust" / "robust.json").read_text())
    capsys.readouterr()
    run = ["run", str(path), "--out", str(out), "--brief", "--no-plots", "--executor", "serial"]
    assert main(run) == 0
    printed = capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text())
    assert summary["influence_order"] == ["segments.all.response.sms"]
    assert summary["robust"]["recommended"] == robust_json["recommended"]
    [flip] = summary["robust"]["flips"]
    assert flip["value"] == robust_json["assumptions"][0]["break_even"][0]["value"]
    if summary["best_vs_runner_up"]["best"] == robust_json["recommended"]:
        assert "of the plausible range (4 points)" in printed
    assert "those that matter most: segments.all.response.sms" in " ".join(printed.split())
    assert main([*run, "--set", "shop.sms_cost=5.0"]) == 0
    assert "robust" not in json.loads((out / "summary.json").read_text())


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "  sms-once @ 0.25 is best in 91% [81%, 96%] of the plausible range (64 points)"),
        ("zh", "  在合理范围的 91% [81%, 96%] 中 sms-once @ 0.25 最好 (64 个点)"),
    ],
)
def test_run_and_robust_word_the_share_of_the_range_alike(code: str, expected: str) -> None:
    """One function words where the recommendation is best, for robust's answer and for a run's
    answer beside a robust check, in each language."""
    from sim.output.answer import Answer, _robust_lines
    from sim.output.i18n import get_lang
    from sim.robust.answer import share_line

    share = {"share": 0.91, "low": 0.81, "high": 0.96}
    lang = get_lang(code)
    assert share_line("sms-once @ 0.25", share, 64, lang) == expected
    robust_json = {"recommended": "sms", "share": share, "points": 64, "flips": []}
    ans = Answer(kpi="net_profit_per_order", totals=False, best="sms", baseline="none",
                 best_is_baseline=False, replications=20, best_name="sms-once @ 0.25",
                 robust=robust_json)  # fmt: skip
    assert _robust_lines(ans, lang) == [expected]

"""`trial fit` reports what the seller's reminder tool would credit each arm and what the
reminder really caused (against the control arm), checked against the closed form of the
generator's rules; and it measures the groups an export tells apart (new or returning buyers,
price bands) one by one."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest
from scipy import integrate, stats

from sim.cli import main
from sim.scenario import load_scenario

from .generator import COLUMNS, TrialTruth, write_trial

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SCENARIO = Path(__file__).with_name("trial_scenario.toml")


def _closed_form(t: TrialTruth, at: float = 2.0, rho: float = 0.3) -> dict[str, float]:
    """Per order placed in the reminder arm, from the generator's rules by hand.

    An order placed at hour h of the day is reminded ``at`` hours later, or at 08:00 when that
    falls in the quiet hours 22:00-08:00: d(h) = 8 - h before 06:00, 32 - h from 20:00, else 2.
    For a segment (u pays unprompted with lognormal F; of the others c cancel at C ~ exp(mu),
    the rest wait; a reminder wins with chance r, the won buyer pays R ~ exp(m) later, before a
    canceller's C), with T = 24 h the auto-close and L = T - d:

        open at d       u (1 - F(d)) + (1 - u)(1 - c + c e^(-d/mu))
        won (increment) r [(u (1 - F(T)) + (1 - u)(1 - c)) P(R < L)
                           + (1 - u) c e^(-d/mu) P(R < min(E, L))],  E ~ exp(mu) (memoryless)
        credited        u (F(T) - F(d)) + won   (paid after the reminder)

    with P(R < min(E, L)) = a / (a + b) (1 - e^(-(a + b) L)), a = 1/m, b = 1/mu. Orders
    arrive evenly over the day, so each figure is the mixture over segments averaged over h."""
    T = 24.0

    def d_of(h: float) -> float:
        return 8.0 - h if h < 6 else (32.0 - h if h >= 20 else at)

    def figures(h: float) -> tuple[float, float, float]:
        d = d_of(h)
        out = [0.0, 0.0, 0.0]
        for w, u, median, sigma in zip(t.shares, t.pays, t.median, t.sigma, strict=True):
            F = stats.lognorm(sigma, scale=median).cdf
            alive = math.exp(-d / t.cancel_mean)
            a, b, L = 1 / t.mean_hours, 1 / t.cancel_mean, T - d
            won = rho * (
                (u * (1 - F(T)) + (1 - u) * (1 - t.cancels)) * (1 - math.exp(-L * a))
                + (1 - u) * t.cancels * alive * a / (a + b) * (1 - math.exp(-(a + b) * L))
            )
            out[0] += w * (u * (1 - F(d)) + (1 - u) * (1 - t.cancels + t.cancels * alive))
            out[1] += w * won
            out[2] += w * (u * (F(T) - F(d)) + won)
        return out[0], out[1], out[2]

    def mean(k: int) -> float:
        return integrate.quad(lambda h: figures(h)[k], 0, 24, points=[6, 20], limit=200)[0] / 24

    reminded, won, credited = mean(0), mean(1), mean(2)
    price = t.price_median * math.exp(0.5**2 / 2)  # the lognormal's mean
    return {
        "reminded_rate": reminded,
        "credited_paid_rate": credited / reminded,
        "credited_amount_per_order": price * credited,
        "incremental_paid_rate": won,
        "incremental_amount_per_order": price * won,
        "credited_over_incremental": credited / won,
    }


def test_credited_and_incremental_follow_the_closed_form(big_fit):
    out, printed = big_fit
    truth = _closed_form(TrialTruth(orders_per_day=500, seed=7))
    view = json.loads((out / "trial.json").read_text())["tool_view"]
    assert [v["arm"] for v in view] == ["sms-2h"]
    arm = view[0]
    n = arm["orders"]
    assert 5500 < n < 7000  # the arm's orders whose auto-close fell inside the export
    p = truth["reminded_rate"]
    assert arm["reminded_rate"] == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / n))
    for key in ("credited_paid_rate", "credited_amount_per_order", "incremental_paid_rate",
                "incremental_amount_per_order"):  # fmt: skip
        e = arm[key]
        se = (e["high"] - e["low"]) / (2 * 1.96)
        assert e["value"] == pytest.approx(truth[key], abs=4 * se), key
        assert 0 < se < 0.3 * abs(truth[key]), key  # an interval that says something
    ratio = arm["credited_over_incremental"]
    assert ratio["value"] == pytest.approx(
        arm["credited_paid_rate"]["value"]
        * arm["reminded_rate"]
        / arm["incremental_paid_rate"]["value"]
    )
    assert ratio["low"] <= truth["credited_over_incremental"] <= ratio["high"]
    # the sentence of a run's answer, for the arm
    printed = " ".join(printed.split())  # as wrapped at 80 columns
    assert "sms-2h: Your reminder tool would report" in printed
    assert "of those buyers would have paid anyway: the real gain is" in printed


def _returning_scenario(tmp_path: Path) -> Path:
    """The trial scenario with its segments as new (card) and returning (bank) buyers."""
    text = SCENARIO.read_text(encoding="utf-8")
    text = text.replace('name = "card"\n', 'name = "card"\nreturning_share = 0\n')
    text = text.replace('name = "bank"\n', 'name = "bank"\nreturning_share = 1\n')
    path = tmp_path / "returning.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_new_and_returning_buyers_are_measured_apart(capsys, tmp_path):
    """Returning buyers (segment bank) answer an SMS with 0.5, new ones (card) with 0.15: each
    group's fit recovers its own, and the scenario's segments get their group's numbers."""
    truth = TrialTruth(orders_per_day=400, days=21, seed=11, returning=True,
                       rho={"sms-2h": (0.15, 0.5)})  # fmt: skip
    path = tmp_path / "trial.csv"
    write_trial(truth, path)
    scenario = _returning_scenario(tmp_path)
    out = tmp_path / "out"
    args = ["trial", "fit", str(scenario), str(path), "--columns", COLUMNS, "--assign"]
    args += ["last-digit", "--arms", "control,sms-2h", "--by", "buyer", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    result = json.loads((out / "trial.json").read_text())
    groups = {g["group"]: g for g in result["groups"]["groups"]}
    assert groups["new"]["segments"] == ["segments.card"]
    assert groups["returning"]["segments"] == ["segments.bank"]
    for name, rho in (("new", 0.15), ("returning", 0.5)):
        sms = next(e for e in groups[name]["estimates"] if e["key"] == "response.sms")
        assert sms["low"] <= rho <= sms["high"] and sms["high"] - sms["low"] < 0.25
        hours = next(e for e in groups[name]["estimates"] if e["key"] == "response_hours.mean")
        assert hours["low"] <= 1.5 <= hours["high"]
    fitted = load_scenario(out / "scenario.toml")
    card, bank = fitted.segments
    assert abs(card.response.sms - 0.15) < 0.08 and abs(bank.response.sms - 0.5) < 0.12
    sources = tomllib.loads((out / "scenario.toml").read_text(encoding="utf-8"))["sources"]
    assert sources["segments.bank.response.sms"]["value"] == bank.response.sms
    assert "returning (" in printed and "segments.bank" in printed


def test_price_bands_are_reported_and_the_scenario_keeps_the_whole_trial(capsys, tmp_path):
    path = tmp_path / "trial.csv"
    write_trial(TrialTruth(orders_per_day=150, days=14, seed=12), path)
    out = tmp_path / "out"
    args = ["trial", "fit", str(SCENARIO), str(path), "--columns", COLUMNS, "--assign"]
    args += ["last-digit", "--arms", "control,sms-2h", "--by", "price=80", "--out", str(out)]
    assert main([*args, "--lang", "zh"]) == 0
    printed = capsys.readouterr().out
    result = json.loads((out / "trial.json").read_text())
    names = [g["group"] for g in result["groups"]["groups"]]
    assert names == ["price<80", "price>=80"]
    assert all(g["segments"] == [] for g in result["groups"]["groups"])
    whole = {e["key"]: e["value"] for e in result["estimates"]}
    fitted = load_scenario(out / "scenario.toml")
    assert fitted.segments[0].response.sms == pytest.approx(
        whole["segments.card.response.sms"], abs=0.01
    )
    # Chinese, at 80 columns (a Chinese character takes two)
    from rich.cells import cell_len

    assert "sms 的催付响应率" in printed and "仅报告" in printed
    page = (out / "trial.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and "催付试验" in page and "你的催付工具会报告" in page
    assert max(cell_len(line) for line in printed.splitlines() if str(tmp_path) not in line) <= 80
    refused = main([*args[:-2], "--by", "price=80,20", "--out", str(tmp_path / "never")])
    assert refused == 2 and not (tmp_path / "never").exists()  # bounds must increase
    assert "--by: give buyer or price=B1[,B2...] with increasing bounds" in capsys.readouterr().err

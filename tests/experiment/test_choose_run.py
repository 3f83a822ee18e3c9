"""Selection, precision targets and honest intervals through the public API and the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import sim.api as api
from benchmarks.scenarios import closed_form
from sim.cli import main
from sim.experiment.choose import default_delta
from sim.scenario.load import scenario_from_dict

PAID_WITHOUT = 0.6 * (1 - math.exp(-72 / 20))  # paid share without a reminder (closed form)
PAID_WITH = PAID_WITHOUT + (0.4 + 0.6 * math.exp(-72 / 20)) * 0.3 * (1 - math.exp(-42 / 5))


def tiny(orders_per_day: float = 60, days: float = 2, **meta) -> dict:
    """The closed-form case, small: one segment, an automatic reminder at 30 h or none."""
    data = closed_form(orders_per_day=orders_per_day, days=days)
    data["strategies"] = [
        {"name": "none"},
        {"name": "auto-at-30", "reminders": [{"at": 30, "channel": "auto"}]},
        {"name": "auto-at-60", "reminders": [{"at": 60, "channel": "auto"}]},
    ]
    data["scenario"].update({"replications": 5, **meta})
    return data


@pytest.mark.slow
def test_interval_coverage_on_a_closed_form_scenario_at_5_replications() -> None:
    """Paid rate without reminders is 0.6 (1 - e^(-72/20)) exactly in expectation; the 95%
    interval over 5 replications must cover it in about 95% of independent runs."""
    data = tiny(days=1)
    data["strategies"] = data["strategies"][:1]
    m = 150
    covered = 0
    for seed in range(m):
        data["scenario"]["seed"] = seed
        stat = api.run(scenario_from_dict(data)).summary["strategies"]["none"]["paid_rate"]
        covered += stat["ci_low"] <= PAID_WITHOUT <= stat["ci_high"]
    tolerance = 3.5 * math.sqrt(0.95 * 0.05 / m)
    assert abs(covered / m - 0.95) <= tolerance, covered / m


def test_select_picks_the_known_best_and_writes_the_agreed_keys(tmp_path) -> None:
    res = api.run(
        scenario_from_dict(tiny()), out=tmp_path, plots=False, select="paid_rate", delta=0.02
    )
    sel = json.loads((tmp_path / "summary.json").read_text())["selection"]
    assert PAID_WITH - PAID_WITHOUT > 0.1  # the reminder at 30 h is far ahead of none
    assert sel["best"] == "auto-at-30"
    assert {"best", "kpi", "delta", "confidence", "procedure", "replications", "eliminated"} <= (
        set(sel)
    )
    assert sel["kpi"] == "paid_rate" and sel["delta"] == 0.02 and sel["confidence"] == 0.95
    assert sel["first_stage"] == 10  # the scenario's 5 replications raised to the minimum
    assert set(sel["replications"]) == {"none", "auto-at-30", "auto-at-60"}
    assert all(n >= 10 for n in sel["replications"].values())
    assert {e["candidate"] for e in sel["eliminated"]} == {"none", "auto-at-60"}
    assert set(sel["mcb"]) == set(sel["replications"])
    mcb = sel["mcb"]["auto-at-30"]
    assert mcb["ci_low"] == 0.0 < mcb["ci_high"]  # it is the best ...
    assert sel["mcb"]["none"]["ci_high"] == 0.0  # ... and none is ruled out
    # every replication the procedure ran is in the results, numbered on from the first ones
    reps = {(u.strategy, u.replication) for u in res.units}
    for name, n in sel["replications"].items():
        assert {(name, r) for r in range(n)} <= reps


@pytest.mark.slow
def test_the_same_seed_gives_the_same_selection_on_every_executor(tmp_path) -> None:
    sc = scenario_from_dict(tiny(replications=2))
    # a delta small enough that survivors need batches of added replications
    kw = {"select": "net_profit_per_order", "delta": 0.01, "max_replications": 25}
    serial = api.run(sc, **kw)
    process = api.run(sc, executor="process", workers=2, **kw)
    assert serial.summary == process.summary
    assert max(serial.summary["selection"]["replications"].values()) > 10
    pytest.importorskip("dask.distributed")
    dask = api.run(sc, executor="dask", workers=2, **kw)
    assert dask.summary == serial.summary


def test_precision_target_adds_replications_until_reached() -> None:
    res = api.run(scenario_from_dict(tiny()), target_half_width={"paid_rate": 0.03})
    precision = res.summary["precision"]
    assert precision["reached"] is True
    n = precision["replications"]
    assert 5 < n <= 200 and res.summary["replications"] == n
    for key, comp in res.summary["comparisons"].items():
        half = (comp["paid_rate"]["ci_high"] - comp["paid_rate"]["ci_low"]) / 2
        assert half <= 0.03
        assert precision["half_widths"]["paid_rate"][key] == pytest.approx(half)


def test_precision_target_stops_at_max_replications() -> None:
    res = api.run(
        scenario_from_dict(tiny()), target_half_width={"paid_rate": 1e-6}, max_replications=8
    )
    assert res.summary["precision"]["reached"] is False
    assert res.summary["precision"]["replications"] == 8 == res.summary["replications"]


def test_default_delta_per_kpi() -> None:
    assert default_delta("paid_rate") == 0.01
    assert default_delta("net_profit_per_order") == 0.5
    assert default_delta("time_to_pay_hours") == 0.5
    assert default_delta("net_profit") == 500.0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--select", "paid_rat"], "--select: unknown KPI (got 'paid_rat')"),
        (["--select", "orders"], "--select: orders has no better direction"),
        (["--select", "paid_rate", "--delta", "0"], "--delta: must be a positive number"),
        (["--target-half-width", "paid_rate"], "must be KPI=H"),
        (["--target-half-width", "nope=0.1"], "--target-half-width: unknown KPI (got 'nope')"),
        (["--max-replications", "1"], "must be at least 2"),
        (["--delta", "0.1"], "--delta: only with --select"),
        (["--select", "paid_rate", "--confidence", "1"], "--confidence: must be at least 0.5"),
    ],
)
def test_bad_choice_options_are_one_clear_line(tmp_path, capsys, argv, message) -> None:
    import tomli_w

    path = tmp_path / "tiny.toml"
    path.write_bytes(tomli_w.dumps(tiny()).encode())
    status = main(["run", str(path), "--out", str(tmp_path / "out"), "--no-plots", *argv])
    assert status == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_select_prints_the_choice_and_one_replication_prints_one_note(tmp_path, capsys) -> None:
    import tomli_w

    path = tmp_path / "tiny.toml"
    path.write_bytes(tomli_w.dumps(tiny()).encode())
    run = ["run", str(path), "--out", str(tmp_path / "out"), "--no-plots", "--executor", "serial"]
    assert main([*run, "--select", "paid_rate"]) == 0
    text = " ".join(capsys.readouterr().out.split())  # titles wrap at the table's width
    assert "KN selection, 95% confidence, delta 1 pp" in text
    assert "Best vs runner-up on net profit per order" in text
    assert "selected" in text and "Best?" in text
    assert main([*run, "--replications", "1"]) == 0
    text = capsys.readouterr().out
    assert text.count("one replication gives no interval") == 1
    assert "± n/a" in text and " ± 0.0" not in text


def test_undefined_kpi_is_left_out_of_the_mean_and_counted_in_n() -> None:
    """Time to pay is undefined in a replication where nobody pays: that replication does not
    count as 0 hours, and `n` says how many replications gave a value."""
    data = tiny(orders_per_day=3, days=0.5, replications=12)
    res = api.run(scenario_from_dict(data))
    stat = res.summary["strategies"]["none"]["time_to_pay_hours"]
    values = np.array([u.kpis["time_to_pay_hours"] for u in res.units if u.strategy == "none"])
    defined = values[np.isfinite(values)]
    assert stat["n"] == defined.size
    if defined.size:
        assert stat["mean"] == pytest.approx(defined.mean())


def test_an_interrupted_selection_resumes_to_the_same_choice(tmp_path, monkeypatch) -> None:
    from sim.experiment import execution as execution_module
    from sim.experiment import executors as executors_module

    sc = scenario_from_dict(tiny(replications=2))
    kw = {"select": "net_profit_per_order", "delta": 0.01, "max_replications": 20}
    whole = api.run(sc, out=tmp_path / "whole", plots=False, **kw)
    real_execute = executors_module.execute
    batches = 0

    def interrupting(variants, units, settings, *, on_done=None, **options):
        nonlocal batches
        batches += 1
        if batches == 3:  # in the second batch of added replications
            raise KeyboardInterrupt
        return real_execute(variants, units, settings, on_done=on_done, **options)

    monkeypatch.setattr(execution_module, "execute", interrupting)
    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        api.run(sc, out=out, plots=False, **kw)
    monkeypatch.undo()
    ran = []
    real_run_unit = executors_module.run_unit

    def counting(variant, unit, settings):
        ran.append(unit.label)
        return real_run_unit(variant, unit, settings)

    monkeypatch.setattr(executors_module, "run_unit", counting)
    resumed = api.run(sc, out=out, plots=False, resume=True, **kw)
    assert resumed.summary == whole.summary
    assert 0 < len(ran) < len(whole.units)  # the finished batches were kept

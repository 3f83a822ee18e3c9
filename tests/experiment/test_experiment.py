"""Replications, executors, common random numbers and resume, through the public API and CLI."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

import sim.api as api
from sim.cli import main
from sim.errors import UsageError
from sim.experiment import execution as execution_module
from sim.experiment import executors as executors_module
from sim.experiment.stats import unpaired_interval
from sim.scenario.load import scenario_from_dict


def small_scenario(**changes) -> dict:
    data = {
        "scenario": {"name": "small", "seed": 5, "replications": 4, "arrival_days": 2},
        "arrivals": {"orders_per_day": 300},
        "segments": [
            {
                "name": "balance",
                "share": 0.7,
                "pays_unprompted": 0.6,
                "response": {"sms": 0.4, "auto": 0.1},
                "annoyance": {"phone": 0.03, "im": 0.01, "sms": 0.01, "auto": 0.0},
            },
            {
                "name": "curious",
                "share": 0.3,
                "pays_unprompted": 0.2,
                "response": {"sms": 0.2, "auto": 0.05},
                "annoyance": {"phone": 0.03, "im": 0.01, "sms": 0.01, "auto": 0.0},
            },
        ],
        "strategies": [
            {"name": "none"},
            {"name": "sms-2h", "reminders": [{"at": 2, "channel": "sms"}]},
        ],
    }
    data.update(changes)
    return data


@pytest.fixture
def scenario():
    return scenario_from_dict(small_scenario())


def test_serial_process_and_dask_give_identical_summaries(scenario, tmp_path):
    serial = api.run(scenario, out=tmp_path / "serial", plots=False)
    process = api.run(
        scenario, out=tmp_path / "process", plots=False, executor="process", workers=2
    )
    pytest.importorskip("dask.distributed")
    dask = api.run(scenario, out=tmp_path / "dask", plots=False, executor="dask", workers=2)
    texts = {(tmp_path / k / "summary.json").read_text() for k in ("serial", "process", "dask")}
    assert len(texts) == 1
    csvs = {(tmp_path / k / "replications.csv").read_bytes() for k in ("serial", "process", "dask")}
    assert len(csvs) == 1
    assert serial.summary == process.summary == dask.summary


@pytest.mark.parametrize(
    ("units", "workers", "cores", "expected"),
    [
        (8, None, 2, "process"),
        (8, None, 1, "serial"),
        (8, 1, 2, "serial"),
        (1, None, 2, "serial"),
        (2, 2, 1, "process"),
    ],
)
def test_auto_executor_uses_a_pool_only_when_there_is_something_to_share(
    units, workers, cores, expected, monkeypatch
):
    monkeypatch.setattr(executors_module.os, "cpu_count", lambda: cores)
    assert executors_module.auto_executor(units, workers) == expected


def test_auto_executor_gives_the_serial_summary(scenario):
    assert api.run(scenario, executor="auto", workers=2).summary == api.run(scenario).summary


def test_seed_decides_the_numbers(scenario):
    a = api.run(scenario, seed=1).summary
    b = api.run(scenario, seed=1).summary
    c = api.run(scenario, seed=2).summary
    assert a == b
    assert a["strategies"]["none"]["paid_rate"] != c["strategies"]["none"]["paid_rate"]
    assert c["seed"] == 2


def test_common_random_numbers_narrow_the_paired_interval():
    data = small_scenario(
        scenario={"name": "crn", "seed": 9, "replications": 20, "arrival_days": 1}
    )
    for segment in data["segments"]:
        segment["response"] = {"sms": 0.1}  # a small effect: most variance is the buyers'
    sc = scenario_from_dict(data)
    res = api.run(sc)
    df = res.to_pandas()
    base = df[df.strategy == "none"].sort_values("replication").paid_rate.to_numpy()
    sms = df[df.strategy == "sms-2h"].sort_values("replication").paid_rate.to_numpy()
    paired = res.summary["comparisons"]["sms-2h"]["paid_rate"]
    unpaired = unpaired_interval(sms, base)
    paired_width = paired["ci_high"] - paired["ci_low"]
    unpaired_width = unpaired["ci_high"] - unpaired["ci_low"]
    assert paired_width < unpaired_width / 2.5, (paired_width, unpaired_width)
    # the same buyers: strategies differ only where the reminder acts
    assert (sms >= base).all()


def test_orders_are_the_same_for_every_strategy(scenario):
    df = api.run(scenario).to_pandas()
    per_rep = df.pivot(index="replication", columns="strategy", values="orders")
    assert (per_rep["none"] == per_rep["sms-2h"]).all()


def test_sweep_runs_once_what_it_does_not_change_and_keeps_the_numbers(tmp_path):
    data = small_scenario(
        sweep={"parameter": "strategies.sms-2h.reminders.0.at", "values": [1, 6, 23]}
    )
    res = api.run(scenario_from_dict(data), replications=3, out=tmp_path, plots=False)
    # the baseline does not use the swept step: it is run and shown once, not once per value
    assert list(res.summary["strategies"]) == ["none", "sms-2h@1", "sms-2h@6", "sms-2h@23"]
    assert set(res.summary["comparisons"]) == {f"sms-2h@{v}" for v in (1, 6, 23)}
    assert len(res.to_pandas()) == 3 + 3 * 3
    # ... with the numbers it has when each value is run on its own
    alone = api.run(
        scenario_from_dict(small_scenario()),
        replications=3,
        overrides={"strategies.sms-2h.reminders.0.at": 6},
    )
    assert res.summary["strategies"]["none"] == alone.summary["strategies"]["none"]
    assert res.summary["strategies"]["sms-2h@6"] == alone.summary["strategies"]["sms-2h"]
    assert (
        res.summary["comparisons"]["sms-2h@6"]["paid_rate"]["diff"]
        == (alone.summary["comparisons"]["sms-2h"]["paid_rate"]["diff"])
    )


def test_interrupted_then_resumed_equals_uninterrupted(scenario, tmp_path, monkeypatch):
    whole = api.run(scenario, out=tmp_path / "whole", plots=False)
    real_execute = executors_module.execute

    def interrupting(sc, units, settings, *, on_done=None, **kw):
        count = 0

        def done(unit, result):
            nonlocal count
            on_done(unit, result)
            count += 1
            if count == 3:
                raise KeyboardInterrupt

        return real_execute(sc, units, settings, on_done=done, **kw)

    monkeypatch.setattr(execution_module, "execute", interrupting)
    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        api.run(scenario, out=out, plots=False)
    assert not (out / "summary.json").exists()  # nothing half-written
    monkeypatch.undo()
    ran: list[str] = []
    real_run_unit = executors_module.run_unit

    def counting(sc, unit, settings):
        ran.append(unit.label)
        return real_run_unit(sc, unit, settings)

    monkeypatch.setattr(executors_module, "run_unit", counting)
    resumed = api.run(scenario, out=out, plots=False, resume=True)
    assert len(ran) == 8 - 3
    assert resumed.summary == whole.summary
    assert (out / "summary.json").read_text() == (tmp_path / "whole" / "summary.json").read_text()
    assert not (out / ".ordersim-work").exists()


def test_summary_json_has_the_contract_shape(scenario, tmp_path):
    api.run(scenario, out=tmp_path, plots=False)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["scenario"] == "small" and summary["seed"] == 5
    assert summary["replications"] == 4 and summary["baseline"] == "none"
    stat = summary["strategies"]["sms-2h"]["paid_rate"]
    assert set(stat) == {"mean", "ci_low", "ci_high", "std", "n"}
    assert stat["ci_low"] <= stat["mean"] <= stat["ci_high"]
    assert set(summary["comparisons"]["sms-2h"]["paid_rate"]) == {
        "diff",
        "ci_low",
        "ci_high",
        "ci_low_unadjusted",
        "ci_high_unadjusted",
        "significant",
        "n",
    }
    assert summary["adjustment"] == "none"
    assert set(summary["best_vs_runner_up"]) == {
        "kpi",
        "best",
        "runner_up",
        "mean",
        "ci_low",
        "ci_high",
        "distinguishable",
    }
    assert "none" not in summary["comparisons"]


def write_toml(tmp_path: Path) -> Path:
    import tomli_w

    path = tmp_path / "small.toml"
    path.write_bytes(tomli_w.dumps(small_scenario()).encode())
    return path


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--replications", "0"], "--replications"),
        (["--workers", "-1"], "--workers"),
        (["--executor", "cluster"], "--executor"),
        (["--seed", "x"], "--seed"),
    ],
)
def test_bad_options_exit_2(tmp_path, capsys, args, needle):
    path = write_toml(tmp_path)
    assert main(["run", str(path), "--out", str(tmp_path / "o"), *args]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_out_exits_2(tmp_path, capsys):
    path = write_toml(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    assert main(["run", str(path), "--out", str(locked / "o")]) == 2


def test_out_that_is_a_file_exits_2(tmp_path, capsys):
    path = write_toml(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["run", str(path), "--out", str(blocker / "o"), "--quiet"]) == 2
    assert "--out: cannot write" in capsys.readouterr().err


def test_dask_missing_gives_a_clear_message(scenario, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError("No module named 'dask'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(UsageError, match=r"pip install 'ordersim\[dask\]'"):
        api.run(scenario, executor="dask")


def test_cli_run_writes_everything(tmp_path, capsys):
    path = write_toml(tmp_path)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--replications", "2", "--events"]) == 0
    printed = capsys.readouterr().out
    assert "Paid" in printed and "sms-2h" in printed
    for name in ("summary.json", "replications.csv", "events.csv", "report.html", "kpis.png"):
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text())
    for stats in summary["strategies"].values():
        for kpi, stat in stats.items():
            assert stat["mean"] is None or math.isfinite(stat["mean"]), kpi

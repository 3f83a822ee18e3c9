"""The output folder is replaced whole: old files go, Ctrl-C keeps the old set, foreign
folders are refused, and --resume notes say what they kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.errors import UsageError
from sim.output.folder import OutputFolder

SMALL = {"replications": 2, "arrivals__orders_per_day": 40, "scenario__arrival_days": 1.0}
SCENARIO = Path(__file__).parents[2] / "scenarios" / "auto-reminder-helps-or-hurts.toml"
ARGS = ["run", str(SCENARIO), "--replications", "2", "--set", "arrivals.orders_per_day=40",
        "--quiet", "--no-plots"]  # fmt: skip


def _run(out: Path, **kw):
    return sim.run(SCENARIO, out=out, **{"plots": False, **SMALL, **kw})


def test_a_rerun_removes_files_the_earlier_run_wrote_and_this_one_does_not(tmp_path) -> None:
    out = tmp_path / "out"
    _run(out)
    (out / "sweep.png").write_bytes(b"an old sweep plot")
    res = _run(out)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["replications.csv", "summary.json"]
    assert sorted(p.name for p in res.files) == names
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging left"


def test_a_folder_of_another_scenario_is_refused_naming_out(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text(json.dumps({"scenario": "someone-else"}))
    with pytest.raises(UsageError, match=r"--out: .*'someone-else'"):
        _run(out)
    assert (out / "summary.json").exists()


def test_a_folder_with_foreign_files_is_refused(tmp_path) -> None:
    (tmp_path / "thesis.docx").write_text("mine")
    with pytest.raises(UsageError, match=r"--out: .*thesis\.docx"):
        _run(tmp_path)
    assert (tmp_path / "thesis.docx").read_text() == "mine"


def test_ctrl_c_while_plotting_leaves_the_old_complete_set(tmp_path, monkeypatch) -> None:
    out = tmp_path / "out"
    _run(out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    import sim.output.plots as plots

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(plots, "_forked_pool", lambda tasks: None)
    monkeypatch.setattr(plots, "PLOTTERS", (plots.plot_kpis, interrupted))
    with pytest.raises(KeyboardInterrupt):
        _run(out, seed=99, plots=True)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging left"


def test_commit_holds_ctrl_c_back_until_the_swap_is_done(tmp_path) -> None:
    import os
    import signal

    folder = OutputFolder(tmp_path / "out", "x")
    folder.check()
    with folder.staging() as stage:
        (stage / "summary.json").write_text("{}")
    real_rename = os.rename

    def rename_then_interrupt(a, b):
        real_rename(a, b)
        os.kill(os.getpid(), signal.SIGINT)

    os.rename = rename_then_interrupt
    try:
        with pytest.raises(KeyboardInterrupt):
            folder.commit()
    finally:
        os.rename = real_rename
    assert (tmp_path / "out" / "summary.json").exists()


def test_resume_notes_say_what_was_kept_and_that_a_resumable_run_exists(tmp_path) -> None:
    out = tmp_path / "out"
    notes: list[str] = []
    folder = OutputFolder(out, "auto-reminder-helps-or-hurts")
    import sim.api as api

    real = api.OutputFolder.commit
    api.OutputFolder.commit = lambda self: (_ for _ in ()).throw(KeyboardInterrupt())
    try:
        with pytest.raises(KeyboardInterrupt):
            _run(out)
    finally:
        api.OutputFolder.commit = real
    assert folder.work.exists()
    _run(out, resume=True, notify=notes.append)
    assert notes == ["--resume: kept 10 finished units of 10; nothing left to run"]
    notes.clear()
    _run(out, notify=notes.append)
    assert notes == []


def test_cli_tells_a_rerun_without_resume_about_the_resumable_run(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    import sim.api as api

    real = api.OutputFolder.commit
    api.OutputFolder.commit = lambda self: (_ for _ in ()).throw(KeyboardInterrupt())
    try:
        assert main([*ARGS, "--out", str(out)]) == 130
    finally:
        api.OutputFolder.commit = real
    capsys.readouterr()
    assert main([*ARGS, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "held 10 finished units of an interrupted run" in err and "--resume" in err

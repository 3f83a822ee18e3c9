"""Ctrl-C stops `ordersim robust` as it stops a run (SIGTERM takes the same path, tested on
run): exit 130 with one line, no worker left, the previous results untouched, and --resume
keeps the finished units and gives the bytes of an undisturbed check (on another executor,
too)."""

from __future__ import annotations

import shutil

import pytest
from faultkit import SIGNALS, alive, children, leftovers, signal_when, snapshot, start, units_done

from sim.cli import main


def robust_args(path, out, *extra: str) -> list[str]:
    return ["robust", str(path), "--out", str(out), "--quiet", "--points", "8",
            "--replications", "2", "--set", "arrivals.orders_per_day=600", *extra]  # fmt: skip


@pytest.fixture(scope="module")
def robust_reference(setup, tmp_path_factory):
    """An undisturbed check (serial) and an earlier check's folder (another seed)."""
    path = setup[0]
    root = tmp_path_factory.mktemp("robust")
    reference, previous = root / "reference", root / "previous"
    assert main([*robust_args(path, reference), "--executor", "serial"]) == 0
    argv = [*robust_args(path, previous), "--executor", "serial", "--set", "scenario.seed=5"]
    assert main(argv) == 0
    return path, snapshot(reference), previous


def test_a_stopped_check_resumes_to_the_bytes_of_an_undisturbed_one(
    robust_reference, tmp_path, capsys
):
    path, reference, previous = robust_reference
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    before = snapshot(out)
    argv = robust_args(path, out, "--executor", "process", "--workers", "2")
    process = start(argv)
    seen: set[int] = set()

    def ready() -> bool:
        seen.update(children(process.pid))
        return units_done(out) >= 3

    signal_when(process, SIGNALS["SIGINT"], ready, "three finished units")
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "--resume" in err
    assert not alive(seen), "a worker outlived the check"
    assert snapshot(out) == before  # the earlier check's files, untouched
    assert leftovers(out) == []
    kept = units_done(out)
    assert main([*robust_args(path, out), "--resume", "--executor", "serial"]) == 0
    note = capsys.readouterr().err
    assert f"--resume: kept {kept} finished units" in note
    assert snapshot(out) == reference
    assert leftovers(out) == []

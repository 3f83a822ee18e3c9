"""Faults injected into real runs (their own processes): SIGTERM and SIGINT while simulating and
while writing, worker processes killed with SIGKILL, two runs on one folder. After each: the
previous result is byte-identical, nothing is left beside it, no process survives, and
--resume (or the run itself) gives the bytes of an undisturbed run."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from pathlib import Path

import pytest
from faultkit import (
    SIGNALS,
    alive,
    children,
    leftovers,
    run_args,
    signal_when,
    snapshot,
    staging,
    start,
    units_done,
    wait_for,
)

from sim.cli import main
from sim.output.lock import lock_path


def _fresh(setup, tmp_path):
    """A folder holding the previous result, as a user's results folder would."""
    path, previous, _ = setup
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    return path, out, snapshot(previous)


def _workers(pid: int) -> set[int]:
    """The pool's workers among a run's processes (not multiprocessing's helper processes)."""
    out = set()
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing" not in command:
            out.add(child)
    return out


@pytest.mark.parametrize(
    ("name", "moment"),
    [("SIGTERM", "simulating"), ("SIGINT", "simulating"), ("SIGTERM", "writing")],
)
def test_a_stop_signal_keeps_the_previous_result_and_resume_finishes_it(
    setup, tmp_path, capsys, name, moment
):
    path, out, before = _fresh(setup, tmp_path)
    if moment == "simulating":
        extra = ["--no-plots", "--events", "--executor", "process", "--workers", "2"]
        argv = run_args(path, out, "--seed", "2", *extra)
        process = start(argv)
        seen: set[int] = set()

        def ready() -> bool:
            seen.update(children(process.pid))
            return units_done(out) >= 1

        signal_when(process, SIGNALS[name], ready, "a finished unit")
    else:  # the plots take seconds to draw: the signal comes while the staging folder is full
        argv = run_args(path, out, "--seed", "2", "--events", "--executor", "serial")
        process = start(argv)
        seen = set()

        def ready() -> bool:
            seen.update(children(process.pid))
            return any(p.glob("*.png") for p in staging(out))

        signal_when(process, SIGNALS[name], ready, "a plot in the staging folder")
    _, err = process.communicate(timeout=120)
    assert process.returncode == (143 if name == "SIGTERM" else 130), err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert not alive(seen), "a worker outlived the run"
    assert snapshot(out) == before
    assert leftovers(out) == []
    assert main([*argv, "--resume", "--no-plots", "--executor", "serial"]) == 0
    assert snapshot(out) == setup[2]
    assert leftovers(out) == []


def test_a_killed_worker_is_replaced_and_the_run_gives_the_same_bytes(setup, tmp_path):
    path, out, _ = _fresh(setup, tmp_path)
    argv = run_args(path, out, "--seed", "2", "--no-plots", "--events", "--executor", "process")
    process = start([*argv, "--workers", "2"])
    victims: set[int] = set()

    def a_worker_is_busy() -> bool:
        victims.update(_workers(process.pid))
        return bool(victims) and units_done(out) >= 1

    wait_for(a_worker_is_busy, process, "a busy worker")
    os.kill(min(victims), signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert snapshot(out) == setup[2]
    assert leftovers(out) == []


def test_workers_that_keep_dying_end_in_one_line_naming_the_unit_and_resume(setup, tmp_path):
    path, out, before = _fresh(setup, tmp_path)
    # units far longer than the killer's rounds, even on a loaded machine: a unit finishing
    # between two rounds counts as progress, and the message would name another unit
    slow = ("--set", "arrivals.orders_per_day=400000")
    argv = run_args(path, out, "--seed", "2", "--no-plots", "--executor", "process", *slow)
    process = start([*argv, "--workers", "2"])
    seen: set[int] = set()
    while process.poll() is None:  # the system's OOM killer, relentless
        workers = _workers(process.pid)
        seen |= children(process.pid)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "the worker process running unit none #0 was killed 4 times" in lines[0]
    assert "--resume" in lines[0]
    assert not alive(seen)
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_a_second_run_on_a_busy_folder_exits_2_naming_the_first(setup, tmp_path, capsys):
    path, out, _ = _fresh(setup, tmp_path)
    argv = run_args(path, out, "--seed", "2", "--no-plots", "--events", "--executor", "serial")
    first = start(argv)
    lock = lock_path(out)
    wait_for(lambda: lock.exists() and lock.read_text().strip().isdigit(), first, "the lock")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"is being written by another ordersim run (process {first.pid})" in err
    _, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert snapshot(out) == setup[2]
    assert leftovers(out) == []

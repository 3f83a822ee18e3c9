"""What the fault tests share: a small scenario, a run started as a real process, the processes
it spawned, and the checks made after every fault (previous result byte-identical, nothing left
behind, no process alive)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCENARIO = """\
[scenario]
name = "faults"
seed = 1
replications = 4
arrival_days = 2

[arrivals]
orders_per_day = 1200

[[segments]]
name = "buyers"
share = 1.0
pays_unprompted = 0.6
pay_hours = { dist = "exponential", mean = 3 }
response = { sms = 0.3 }
annoyance = { sms = 0.01 }  # the old default table's sms chance, now stated

[[strategies]]
name = "none"

[[strategies]]
name = "sms"
reminders = [{ at = 1, channel = "sms" }]
"""


def scenario(tmp: Path) -> Path:
    path = tmp / "faults.toml"
    path.write_text(SCENARIO)
    return path


def run_args(path: Path, out: Path, *extra: str) -> list[str]:
    return ["run", str(path), "--out", str(out), "--quiet", *extra]


def _ctrl_c_as_at_a_terminal() -> None:
    """Give the child Ctrl-C's default action back. A shell without job control starts its
    background jobs (`pytest ... &`, as CI scripts may) with SIGINT ignored, and the ignoring
    is inherited; Python then installs no KeyboardInterrupt handler and ordersim, as any
    well-behaved program, leaves the signal ignored, so a SIGINT test would see the run
    finish with 0. The tests are about a run started at a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(argv: list[str]) -> subprocess.Popen:
    """`ordersim ARGV` as its own process (stdout and stderr captured), Ctrl-C live."""
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )


def children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def wait_for(condition, process: subprocess.Popen, what: str, limit: float = 120.0) -> None:
    """Poll until ``condition()``; fails if the process ends first (or after ``limit`` s, so a
    broken run cannot hang the suite)."""
    end = time.monotonic() + limit
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the run ended before {what}: {process.communicate()}")
        if time.monotonic() > end:
            process.kill()
            raise AssertionError(f"never saw {what}")
        time.sleep(0.02)


def units_done(out: Path) -> int:
    return len(list((out / ".ordersim-work").glob("*/*.json")))


def staging(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.new-*"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a result folder (hidden work folder left out) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".ordersim-work" not in p.parts
    }


def leftovers(out: Path) -> list[str]:
    """Anything beside the result folder that a run may leave: staging folders, old folders,
    temporary files, the lock."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def signal_when(process: subprocess.Popen, sig: int, condition, what: str) -> None:
    wait_for(condition, process, what)
    os.kill(process.pid, sig)


SIGNALS = {"SIGTERM": signal.SIGTERM, "SIGINT": signal.SIGINT}

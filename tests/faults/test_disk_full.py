"""A disk that fills up while event parts are simulated and while the outputs are written.

Where the test may mount one (a user and mount namespace: `unshare -rm`), the run writes to a
small tmpfs that really fills (ENOSPC), which is then grown for --resume; elsewhere each file's
size is capped with RLIMIT_FSIZE (EFBIG at the write that crosses it). Either way: exit 1 with
one line naming the path and the space needed, the previous result byte-identical, no staging
folder or half-written event part, and --resume (once there is room) gives the bytes of an
undisturbed run."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys

import pytest
from faultkit import leftovers, run_args, snapshot


def _can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt 2>/dev/null"],
        capture_output=True,
    )
    return probe.returncode == 0


MOUNT = _can_mount()
SCRIPT = """\
set -u
mount -t tmpfs -o size={size} none "$1" || exit 90
cp -a "$2" "$1/out"
"$3" -m sim {args} > /dev/null 2> "$4/err.txt"
echo $? > "$4/rc.txt"
mkdir "$4/after" && cp -a "$1/." "$4/after/"
mount -o remount,size=1g "$1"
"$3" -m sim {args} --resume > /dev/null 2> "$4/resume-err.txt" || exit 91
mkdir "$4/resumed" && cp -a "$1/." "$4/resumed/"
"""


def _parts(folder):
    return sorted(p.name for p in (folder / ".ordersim-work").rglob("*.events.csv"))


@pytest.mark.parametrize("moment", ["simulating", "writing"])
def test_a_full_disk_says_so_in_one_line_and_keeps_the_previous_result(setup, tmp_path, moment):
    path, previous, reference = setup
    events = len(reference["events.csv"])
    argv = run_args(path, tmp_path / "mnt" / "out", "--seed", "2", "--no-plots", "--events")
    argv += ["--executor", "serial"]
    (tmp_path / "mnt").mkdir()
    if MOUNT:  # one unit's part does not fit / the parts fit but their merge does not
        size = events // 24 if moment == "simulating" else events * 3 // 2
        script = SCRIPT.format(size=size, args=" ".join(argv))
        subprocess.run(
            ["unshare", "-rm", "bash", "-c", script, "-", str(tmp_path / "mnt"), str(previous),
             sys.executable, str(tmp_path)],
            check=True,
        )  # fmt: skip
        after, resumed = tmp_path / "after", tmp_path / "resumed"
        err = (tmp_path / "err.txt").read_text()
        status = int((tmp_path / "rc.txt").read_text())
    else:
        limit = events // 24 if moment == "simulating" else events // 2
        shutil.copytree(previous, tmp_path / "mnt" / "out")

        def cap() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        done = subprocess.run(
            [sys.executable, "-m", "sim", *argv], capture_output=True, text=True, preexec_fn=cap
        )
        status, err = done.returncode, done.stderr
        after = tmp_path / "after"
        shutil.copytree(tmp_path / "mnt", after)
        rerun = subprocess.run([sys.executable, "-m", "sim", *argv, "--resume"], check=True)
        assert rerun.returncode == 0
        resumed = tmp_path / "mnt"
    assert status == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    where = "out/.ordersim-work/" if moment == "simulating" else "out: "
    assert where in lines[0] and "the run needs about" in lines[0], lines[0]
    assert snapshot(after / "out") == snapshot(previous)
    assert leftovers(after / "out") == []
    finished = {p.name.split(".")[0] for p in (after / "out" / ".ordersim-work").rglob("*.json")}
    assert {p.split(".")[0] for p in _parts(after / "out")} <= finished  # no half-written part
    assert snapshot(resumed / "out") == reference
    assert leftovers(resumed / "out") == []

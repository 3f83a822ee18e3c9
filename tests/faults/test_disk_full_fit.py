"""`ordersim fit --report` on a disk that fills while the report is written.

The same technique as test_disk_full.py: where a user and mount namespace is allowed (`unshare
-rm`), the report folder is a small tmpfs that really fills (ENOSPC); elsewhere each file's size
is capped with RLIMIT_FSIZE (EFBIG at the first PNG, which is over 10 kB). Either way: exit 1, one
line naming the path, no traceback, and no half-written file (no temporary left, no partial
PNG or page) in the report folder."""

from __future__ import annotations

import resource
import subprocess
import sys

from faultkit import snapshot
from test_disk_full import MOUNT

from sim.fit.synthetic import Truth, write_taobao

SCRIPT = """\
set -u
mount -t tmpfs -o size=12k none "$1" || exit 90
"$2" -m sim fit "$3" --out "$4/shop.toml" --report "$1/report" > /dev/null 2> "$4/err.txt"
echo $? > "$4/rc.txt"
mkdir "$4/after" && cp -a "$1/." "$4/after/"
"""


def test_fit_report_on_a_full_disk_says_so_in_one_line(tmp_path):
    orders = tmp_path / "orders.csv"
    write_taobao(Truth(days=7.0, orders_per_day=120.0, seed=3), orders)
    (tmp_path / "mnt").mkdir()
    if MOUNT:
        subprocess.run(
            ["unshare", "-rm", "bash", "-c", SCRIPT, "-", str(tmp_path / "mnt"), sys.executable,
             str(orders), str(tmp_path)],
            check=True,
        )  # fmt: skip
        status = int((tmp_path / "rc.txt").read_text())
        err = (tmp_path / "err.txt").read_text()
        report = tmp_path / "after" / "report"
    else:

        def cap() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))

        done = subprocess.run(
            [sys.executable, "-m", "sim", "fit", str(orders), "--out", str(tmp_path / "shop.toml"),
             "--report", str(tmp_path / "mnt" / "report")],
            capture_output=True, text=True, preexec_fn=cap,
        )  # fmt: skip
        status, err = done.returncode, done.stderr
        report = tmp_path / "mnt" / "report"
    assert status == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "report" in lines[0] and "cannot write" in lines[0], lines[0]
    written = snapshot(report) if report.exists() else {}
    # nothing half-written: no temporary file, and every file that is there is whole
    assert all(not name.startswith(".") and ".tmp" not in name for name in written), written
    for name, data in written.items():
        if name.endswith(".png"):
            assert data.endswith(b"IEND\xaeB`\x82"), name
        if name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), name
    assert (tmp_path / "shop.toml").stat().st_size > 0  # the scenario itself was written whole

"""A non-editable install carries what a seller opens: `ordersim run NAME` works from a wheel.

The wheel is built from a copy of the project (no build isolation: setuptools and wheel come with
the test extra, so nothing is downloaded) and installed without dependencies into a fresh venv;
the venv sees the test environment's dependencies through a .pth line, but not its editable
ordersim (a .pth file in a directory added that way is not run). A bundled scenario then runs by
name from an empty folder, and the package data (scenarios, docs, examples, the message
catalogue, the font, the report templates) is in the wheel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("sim", "fsm", "scenarios", "docs", "examples", "pyproject.toml", "README.md")


def _build_wheel(tmp: Path) -> Path:
    source = tmp / "src"
    source.mkdir()
    for name in COPIED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(
                path, source / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(path, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(tmp / "dist"), str(source)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return next((tmp / "dist").glob("ordersim-*.whl"))


def test_the_wheel_runs_a_bundled_scenario_by_name(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "sim/bundled/scenarios/how-many-agents.toml",
        "sim/bundled/docs/rules.md",
        "sim/bundled/examples/taobao-orders.csv",
        "sim/locale/zh/LC_MESSAGES/ordersim.mo",
        "sim/fonts/OrdersimCJKSC-Regular.otf",
        "sim/output/templates/report.html.j2",
    ):
        assert path in names, path

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # installing a pure wheel is unpacking it
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "empty"
    work.mkdir()
    done = subprocess.run(
        [str(python), "-c",
         "import sim, sys; from sim.cli import main; print(sim.__file__);"
         "sys.exit(main(['run', 'incentive-choice', '--replications', '2', '--brief',"
         " '--set', 'arrivals.orders_per_day=100', '--lang', 'zh']))"],
        cwd=work, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(site)  # the wheel's ordersim, not the checkout's
    assert (
        "结论" in done.stdout and (work / "results" / "incentive-choice" / "report.html").is_file()
    )

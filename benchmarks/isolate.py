"""Run a measurement in a fresh child process and read its JSON result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .child import PREFIX

__all__ = ["MeasurementFailed", "run_isolated"]

ROOT = Path(__file__).resolve().parent.parent


class MeasurementFailed(RuntimeError):
    pass


def run_isolated(spec: dict, timeout: float | None = 3600) -> dict:
    """``python -m benchmarks.child spec`` from the project root; its result as a dict."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", json.dumps(spec)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(PREFIX):
            return json.loads(line[len(PREFIX) :])
    tail = "\n".join((proc.stderr or proc.stdout).splitlines()[-15:])
    raise MeasurementFailed(f"{spec} failed (exit {proc.returncode}):\n{tail}")

"""The runs every fault test compares with, written once per session."""

from __future__ import annotations

import pytest
from faultkit import run_args, scenario, snapshot

from sim.cli import main


@pytest.fixture(scope="session")
def setup(tmp_path_factory):
    """The scenario, its previous result (seed 1) and an undisturbed run of seed 2, each
    written once."""
    root = tmp_path_factory.mktemp("faults")
    path = scenario(root)
    previous, reference = root / "previous", root / "reference"
    assert main(run_args(path, previous, "--no-plots", "--executor", "serial")) == 0
    argv = run_args(path, reference, "--seed", "2", "--no-plots", "--events")
    assert main([*argv, "--executor", "serial"]) == 0
    return path, previous, snapshot(reference)

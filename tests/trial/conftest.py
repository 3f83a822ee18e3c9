"""One large synthetic trial and its `trial fit` through the CLI, shared by the trial tests
(fitting it is the costly part: once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main

from .generator import COLUMNS, TrialTruth, write_trial

SCENARIO = Path(__file__).with_name("trial_scenario.toml")


@pytest.fixture(scope="session")
def big_trial(tmp_path_factory) -> Path:
    """About 14,000 orders over 28 days, two arms by the last digit, the generator's truth."""
    path = tmp_path_factory.mktemp("trial") / "trial.csv"
    write_trial(TrialTruth(orders_per_day=500, seed=7), path)
    return path


@pytest.fixture(scope="session")
def big_fit(tmp_path_factory, big_trial) -> tuple[Path, str]:
    """``trial fit`` on the big trial: the output folder and what it printed."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("fit") / "out"
    args = ["trial", "fit", str(SCENARIO), str(big_trial), "--columns", COLUMNS]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(
            [*args, "--assign", "last-digit", "--arms", "control,sms-2h", "--out", str(out)]
        )
    assert code == 0
    return out, printed.getvalue()

"""Fixtures: synthetic runs (3 strategies x 10 replications, and a small sweep)."""

from __future__ import annotations

import pytest
from synthetic_runs import make_summary, make_units

from sim.experiment.results import UnitResult


@pytest.fixture()
def units() -> list[UnitResult]:
    return make_units()


@pytest.fixture()
def summary(units: list[UnitResult]) -> dict:
    return make_summary(units)


@pytest.fixture()
def sweep_units() -> list[UnitResult]:
    return make_units(replications=5, sweep=[1, 6, 12, 24])


@pytest.fixture()
def sweep_summary(sweep_units: list[UnitResult]) -> dict:
    return make_summary(sweep_units, "strategies.phone-next-day.reminders.0.at")

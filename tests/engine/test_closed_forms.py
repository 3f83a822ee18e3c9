"""Numbers that can be derived on paper: the engine must land inside its own intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from engine_scenarios import build, closed_form
from scipy import stats

from sim.cases import CLOSED_FORM_PAID_RATE
from sim.engine.kpis import KPI_NAMES
from sim.engine.simulate import simulate

PAID_WITHOUT = 0.6 * (1 - math.exp(-72 / 20))  # 0.58361


def _paid_with_reminder() -> float:
    """Unprompted payers pay by 72 h; at 30 h the rest (and late payers) may be won."""
    not_by_72 = 0.6 * math.exp(-72 / 20)
    won_in_time = 0.3 * (1 - math.exp(-42 / 5))
    return PAID_WITHOUT + (0.4 + not_by_72) * won_in_time  # 0.70850


def t_interval(values: list[float]) -> tuple[float, float, float]:
    arr = np.asarray(values)
    half = stats.t.ppf(0.975, arr.size - 1) * arr.std(ddof=1) / math.sqrt(arr.size)
    return arr.mean(), arr.mean() - half, arr.mean() + half


def test_closed_form_values_match_the_issue():
    assert pytest.approx(0.58361, abs=1e-5) == PAID_WITHOUT
    assert _paid_with_reminder() == pytest.approx(0.70850, abs=1e-5)
    assert _paid_with_reminder() == pytest.approx(CLOSED_FORM_PAID_RATE, abs=1e-5)


@pytest.mark.parametrize(
    ("reminder", "expected"), [(False, PAID_WITHOUT), (True, _paid_with_reminder())]
)
def test_paid_rate_closed_form(reminder, expected):
    sc = build(closed_form(reminder=reminder))
    paid = [simulate(sc, "auto-at-30", r).kpis()["paid_rate"] for r in range(20)]
    mean, low, high = t_interval(paid)
    assert low <= expected <= high, (mean, low, high)
    assert high - mean < 0.01  # 1000 orders/day x 7 days x 20 replications


def test_erlang_c_mean_wait_for_two_agents():
    """800 phone reminders a day, 3-minute exponential calls, 2 agents always on duty:
    M/M/2 with a = 5/3 erlangs; Erlang C gives Wq = 0.1136 h and utilisation 5/6."""
    a, c, mu = 800 / 24 / 20, 2, 20.0
    top = a**c / math.factorial(c) * c / (c - a)
    erlang_c = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    wq = erlang_c / (c * mu - a * mu)
    assert wq == pytest.approx(0.1136, abs=1e-4)
    data = {
        "scenario": {"name": "mm2", "seed": 11, "arrival_days": 30},
        "platform": {"unpaid_auto_close_hours": 1000},
        "arrivals": {"orders_per_day": 800, "hourly_weights": "flat", "weekday_weights": "flat"},
        "staff": {
            "agents": 2,
            "on_duty": [0, 24],
            "phone_minutes": {"dist": "exponential", "mean": 3},
        },
        "channels": {"phone_reach": "always"},
        "shop": {"quiet_hours": []},  # calls around the clock
        "segments": [
            {"name": "all", "share": 1, "pays_unprompted": 0, "cancels": 0, "response": {}}
        ],
        "strategies": [{"name": "call", "reminders": [{"at": 0, "channel": "phone"}]}],
    }
    sc = build(data)
    runs = [simulate(sc, "call", r).kpis() for r in range(10)]
    mean, low, high = t_interval([k["reminder_wait_hours"] for k in runs])
    assert low <= wq <= high, (mean, low, high)
    util = np.mean([k["agent_utilization"] for k in runs])
    assert util == pytest.approx(5 / 6, abs=0.01)


def test_the_engine_reports_exactly_its_kpi_list():
    """Everything downstream reads KPI_NAMES: the engine's dictionary must match it."""
    acc = simulate(build(closed_form(orders_per_day=50, days=1)), "auto-at-30", 0)
    assert tuple(acc.kpis()) == KPI_NAMES

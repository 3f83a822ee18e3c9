"""Reach by hour of day and same-instant ties, by hand, on both engines where they apply.

Each case is built so that a wrong hour in the reach lookup, or a reminder let through at the
instant its order is paid, changes a count that is worked out here from the placement times.
"""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import build, deterministic, fixed

from fsm.table import compiled_table
from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate_plan

# reach 1 from 00:00 to 11:59 and 0 after; hours 9-11 and 21-23 sit next to a change, so a lookup
# a few hours off reaches a different set of buyers
HALF_DAY = [1.0] * 12 + [0.0] * 12


def run(data: dict, engine: str) -> tuple[dict[str, float], np.ndarray]:
    """The one call into the engine in this module: KPIs and every order's placement time."""
    rows: list[dict] = []
    acc = simulate_plan(compile_plan(build(data), "s"), 0, engine=engine, on_events=rows.append)
    wait = compiled_table().trigger_id["await_payment"]
    return acc.kpis(), np.concatenate([r["time"][r["trigger"] == wait] for r in rows])


def never_pays(**changes) -> list[dict]:
    """Buyers who pay only when a reminder reaches them: then surely, after ``response_hours``."""
    base = deterministic()["segments"][0]
    return [{**base, "pays_unprompted": 0.0, **changes}]


def reached(moments: np.ndarray, profile: list[float]) -> int:
    """How many reminders sent at ``moments`` reach a buyer, by the hour of day they are sent."""
    return int(np.asarray(profile)[(moments % 24.0).astype(int)].sum())


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_sms_reach_follows_the_hour_it_is_sent(engine):
    data = deterministic(
        arrivals={"orders_per_day": 600},
        channels={"sms_reach": HALF_DAY},
        segments=never_pays(),
        strategies=[{"name": "s", "reminders": [{"at": 1, "channel": "sms"}]}],
    )
    k, placed = run(data, engine)
    assert placed.size > 400
    assert k["reminders_per_order"] == 1.0  # every order is reminded, reached or not
    assert k["paid_orders"] == reached(placed + 1.0, HALF_DAY)
    assert 0.3 < k["paid_rate"] < 0.7  # both halves of the day are exercised


@pytest.mark.parametrize("engine", ["simpy", "auto"])
def test_phone_reach_follows_the_hour_the_call_ends(engine):
    # 50 agents for ~10 orders an hour and 6-minute calls: nobody waits, every call ends 0.1 h
    # after placement, and the buyer is reached by the hour the call ends
    data = deterministic(
        arrivals={"orders_per_day": 300},
        staff={"agents": 50, "on_duty": [0, 24], "phone_minutes": fixed(6)},
        channels={"phone_reach": HALF_DAY},
        segments=never_pays(),
        strategies=[{"name": "s", "reminders": [{"at": 0, "channel": "phone"}]}],
    )
    k, placed = run(data, engine)
    assert placed.size > 200
    assert k["reminder_wait_hours"] == 0.0
    assert k["reminders_per_order"] == 1.0
    assert k["paid_orders"] == reached(placed + 0.1, HALF_DAY)
    assert 0.3 < k["paid_rate"] < 0.7


@pytest.mark.parametrize("engine", ["fast", "simpy"])
@pytest.mark.parametrize(("at", "reminders"), [(1, 1.0), (2, 0.0), (3, 0.0)])
def test_a_reminder_due_when_the_buyer_pays_is_not_sent(engine, at, reminders):
    # everyone pays 2 h after placing; a step at 2 h falls on the same instant: payment wins
    data = deterministic(strategies=[{"name": "s", "reminders": [{"at": at, "channel": "sms"}]}])
    k, _ = run(data, engine)
    assert k["paid_rate"] == 1.0
    assert k["reminders_per_order"] == reminders
    assert k["time_to_pay_hours"] == pytest.approx(2.0)


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_a_reminder_due_when_a_won_buyer_pays_is_not_sent(engine):
    # two SMS steps at the same instant; the first wins the buyer, who pays at once (response
    # 0 h): the second falls on the payment and is not sent
    steps = [{"at": 1, "channel": "sms"}, {"at": 1, "channel": "sms"}]
    data = deterministic(
        segments=never_pays(response_hours=fixed(0)),
        strategies=[{"name": "s", "reminders": steps}],
    )
    k, _ = run(data, engine)
    assert k["paid_rate"] == 1.0
    assert k["reminders_per_order"] == 1.0
    assert k["reminder_cost_per_order"] == pytest.approx(0.05)
    assert k["time_to_pay_hours"] == pytest.approx(1.0)


@pytest.mark.parametrize("engine", ["simpy", "auto"])
def test_a_call_that_wins_makes_a_same_instant_sms_too_late(engine):
    # Orders placed 05:00-06:00 call at once; 40 agents open at 09:00 (9 - t is exact for these
    # t, so every call starts at exactly 9.0), talk 30 minutes and win every buyer, who pays
    # 30 minutes later: at exactly 10:00, the next peak, when an SMS step is due. The payment
    # runs first, so the SMS is never sent: one reminder per order, the call.
    hourly = [0.0] * 24
    hourly[5] = 1.0
    steps = [{"at": 0, "channel": "phone"}, {"at": "next_peak", "channel": "sms"}]
    data = deterministic(
        arrivals={"orders_per_day": 10, "hourly_weights": hourly},
        staff={"agents": 40, "on_duty": [9, 17], "phone_minutes": fixed(30)},
        channels={"phone_reach": "always"},
        segments=never_pays(response_hours=fixed(0.5)),
        strategies=[{"name": "s", "reminders": steps}],
    )
    k, placed = run(data, engine)
    assert 3 <= placed.size <= 40
    assert k["paid_rate"] == 1.0
    assert k["reminders_per_order"] == 1.0
    assert k["reminder_cost_per_order"] == pytest.approx(0.5 * 25)  # the call, no SMS
    assert k["time_to_pay_hours"] == pytest.approx(float(np.mean(10.0 - placed)))
    assert k["reminder_wait_hours"] == pytest.approx(float(np.mean(9.0 - placed)))

"""Common random numbers that hold, and the warm-up.

A step that cannot change anything (its channel's response and annoyance are 0) must leave every
outcome exactly as it was: reminder draws are keyed by channel and by the n-th reminder on that
channel, and annoyance grows only with reminders that can annoy. Orders placed in the warm-up
are simulated but not counted.
"""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import build, deep_update, deterministic

from fsm.table import compiled_table
from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate_plan

OUTCOMES = (
    "orders",
    "paid_rate",
    "cancelled_rate",
    "auto_closed_rate",
    "completed_rate",
    "refunded_rate",
    "time_to_pay_hours",
    "low_ratings_per_order",
    "gmv_per_order",
    "compensation_per_order",
)


def _shop(inert: str, steps: list[dict], agents: int = 0) -> dict:
    segment = {
        "name": "all",
        "share": 1.0,
        "pays_unprompted": 0.4,
        "pay_hours": {"dist": "exponential", "mean": 10},
        "cancels": 0.3,
        "cancel_hours": {"dist": "exponential", "mean": 8},
        "response": {"sms": 0.3, "auto": 0.2, "phone": 0.4, "im": 0.3, inert: 0.0},
        "response_hours": {"dist": "exponential", "mean": 2},
        "annoyance": {"sms": 0.05, "phone": 0.1, "auto": 0.02, "im": 0.05, inert: 0.0},
        "annoyance_growth": 2.0,
    }
    data = deterministic(
        scenario={"seed": 11, "arrival_days": 2},
        arrivals={"orders_per_day": 400},
        staff={"agents": agents, "on_duty": [0, 24]},
        strategies=[
            {"name": "without", "reminders": steps},
            {"name": "with", "reminders": [{"at": 1, "channel": inert}, *steps]},
        ],
    )
    data["segments"] = [segment]
    return data


@pytest.mark.parametrize(
    ("inert", "steps", "agents"),
    [
        ("auto", [{"at": 2, "channel": "sms"}, {"at": 6, "channel": "sms"}], 0),
        # in the SimPy world (agents); an inert agent step would still take agents' time
        ("auto", [{"at": 2, "channel": "sms"}, {"at": 5, "channel": "phone"}], 3),
    ],
)
def test_a_step_that_cannot_change_anything_changes_no_outcome(inert, steps, agents):
    sc = build(_shop(inert, steps, agents))
    for replication in range(3):
        base = simulate_plan(compile_plan(sc, "without"), replication).kpis()
        noop = simulate_plan(compile_plan(sc, "with"), replication).kpis()
        for name in OUTCOMES:
            assert noop[name] == base[name], name
        assert noop["reminders_per_order"] > base["reminders_per_order"]  # it was sent


def test_two_calls_of_one_order_read_their_own_service_draws():
    """Two phone steps due at once for each order, served together by idle agents: the agent
    time booked on each order is the sum of two different draws."""
    data = _shop("auto", [{"at": 1, "channel": "phone"}, {"at": 1, "channel": "phone"}], 50)
    data["segments"][0]["pays_unprompted"] = 0.0
    data["segments"][0]["cancels"] = 0.0
    data["segments"][0]["response"]["phone"] = 0.0
    data["staff"]["phone_minutes"] = {"dist": "exponential", "mean": 3}
    plan = compile_plan(build(data), "without")
    booked: list[np.ndarray] = []
    from sim.engine import simulate as simulate_module

    original = simulate_module.finish_chunk

    def spy(acc, book, outcome, on_events):
        expected = book.service_hours(0, 0) + book.service_hours(0, 1)
        booked.append(outcome.agent_hours - expected)
        original(acc, book, outcome, on_events)

    simulate_module.finish_chunk = spy
    try:
        simulate_plan(plan, 0, engine="simpy")
    finally:
        simulate_module.finish_chunk = original
    assert booked and all(np.allclose(diff, 0.0) for diff in booked)


def test_orders_placed_in_the_warm_up_are_not_counted():
    data = deterministic(scenario={"arrival_days": 3})
    rows: list[dict] = []
    plan = compile_plan(build(data), "s")
    all_orders = simulate_plan(plan, 0, on_events=rows.append).kpis()
    wait = compiled_table().trigger_id["await_payment"]
    placed_at = np.concatenate([r["time"][r["trigger"] == wait] for r in rows])
    warm = compile_plan(build(deep_update(data, {"scenario": {"warmup_days": 1}})), "s")
    counted = simulate_plan(warm, 0).kpis()
    assert counted["orders"] == int((placed_at >= 24.0).sum()) < all_orders["orders"]
    assert counted["paid_rate"] == all_orders["paid_rate"] == 1.0
    # every buyer pays 2 h after placing: a warm-up changes what is counted, not what happens
    assert counted["net_profit"] == pytest.approx(
        all_orders["net_profit"] * counted["orders"] / all_orders["orders"]
    )

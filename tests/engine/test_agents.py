"""Agents on a shift, by hand: orders placed at night wait for 09:00 and are called in turn."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import build, deterministic, fixed

from sim.engine.arrivals import chunks
from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate_plan


def night_orders(agents: int, **strategy) -> dict:
    hourly = [0.0] * 24
    hourly[2] = 1.0  # every order arrives between 02:00 and 03:00 on day one
    return deterministic(
        arrivals={"orders_per_day": 10, "hourly_weights": hourly},
        staff={"agents": agents, "on_duty": [9, 17], "phone_minutes": fixed(6)},
        channels={"phone_reach": "always"},
        segments=[
            {**deterministic()["segments"][0], "pays_unprompted": 0.0, "response": {"phone": 0.0}}
        ],
        strategies=[{"name": "s", "reminders": [{"at": 0, "channel": "phone"}], **strategy}],
    )


@pytest.mark.parametrize("agents", [1, 2])
def test_calls_wait_for_the_shift_and_queue_in_order(agents):
    plan = compile_plan(build(night_orders(agents)), "s")
    placed = np.concatenate([c.time for c in chunks(plan, 0)])
    n = placed.size
    assert n >= 3
    rows = []
    acc = simulate_plan(plan, 0, on_events=rows.append)
    from fsm.table import compiled_table

    remind = compiled_table().trigger_id["remind"]
    times = np.sort(np.concatenate([r["time"][r["trigger"] == remind] for r in rows]))
    # the i-th call (in order of placement) starts at 9 + 0.1 * (i // agents)
    starts = 9.0 + 0.1 * (np.arange(n) // agents)
    np.testing.assert_allclose(times, starts + 0.1)
    k = acc.kpis()
    assert k["reminder_wait_hours"] == pytest.approx(np.mean(starts - placed))
    assert k["reminder_cost_per_order"] == pytest.approx(0.1 * 25)  # 6 agent-minutes each
    # utilisation over the trading day: n calls of 0.1 h against agents x 8 on-duty hours
    assert k["agent_utilization"] == pytest.approx(n * 0.1 / (agents * 8))


def test_no_agents_means_no_calls():
    k = simulate_plan(compile_plan(build(night_orders(0)), "s"), 0).kpis()
    assert k["reminders_per_order"] == 0.0 and k["auto_closed_rate"] == 1.0


def test_a_task_for_a_paid_order_is_dropped():
    data = night_orders(1)
    data["segments"][0]["pays_unprompted"] = 1.0
    data["segments"][0]["pay_hours"] = fixed(3)  # pays at ~05:xx, before the shift opens
    k = simulate_plan(compile_plan(build(data), "s"), 0).kpis()
    assert k["paid_rate"] == 1.0
    assert k["reminders_per_order"] == 0.0 and k["reminder_cost_per_order"] == 0.0


def test_overtime_counts_as_time_on_duty():
    # one agent, shift 09:00-17:00, 10-hour calls: every call runs into overtime
    data = night_orders(1)
    data["staff"]["phone_minutes"] = fixed(600)
    k = simulate_plan(compile_plan(build(data), "s"), 0).kpis()
    assert 0.99 < k["agent_utilization"] <= 1.0


def test_shift_wages_charge_every_on_duty_hour():
    calls = simulate_plan(compile_plan(build(night_orders(2)), "s"), 0).kpis()
    data = night_orders(2)
    data["staff"]["wage_basis"] = "shifts"
    shifts = simulate_plan(compile_plan(build(data), "s"), 0).kpis()
    # 2 agents x 8 on-duty hours over the one-day trading period, at 25 yuan an hour
    assert shifts["reminder_cost_per_order"] * shifts["orders"] == pytest.approx(2 * 8 * 25)
    assert calls["reminder_cost_per_order"] == pytest.approx(0.1 * 25)
    assert shifts["net_profit"] < calls["net_profit"]

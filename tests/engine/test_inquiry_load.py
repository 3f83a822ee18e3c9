"""staff.inquiry_load by hand: buyers' pre-sales questions take a share of the agents' time, so
a reminder holds its agent longer in a busy hour and the calls behind it wait; the reminder's
cost stays its own minutes. On the numpy waves and in the SimPy world, to the bit."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import build
from test_agent_split import assert_same_as_world
from test_agents import night_orders

from fsm.table import compiled_table
from sim.engine import fcfs
from sim.engine.arrivals import chunks
from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate_plan
from sim.errors import ScenarioError
from sim.scenario.load import scenario_from_dict

ENGINES = ["auto", "simpy"]


def _reminder_times(plan, engine: str) -> tuple[np.ndarray, dict[str, float]]:
    rows: list[dict] = []
    acc = simulate_plan(plan, 0, engine=engine, on_events=rows.append)
    remind = compiled_table().trigger_id["remind"]
    times = np.sort(np.concatenate([r["time"][r["trigger"] == remind] for r in rows]))
    return times, acc.kpis()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_busy_first_hour_doubles_the_calls_begun_in_it(engine):
    """One agent from 09:00, 6-minute calls, every order placed between 02:00 and 03:00.
    Questions take half the agent's time in hour 9 only: a call begun in hour 9 holds the agent
    0.2 h, one begun from 10:00 on 0.1 h. So calls begin at 9.0, 9.2, 9.4, 9.6, 9.8, then 10.0,
    10.1, 10.2, ... and each reminder lands when its call ends."""
    data = night_orders(1)
    load = [0.0] * 24
    load[9] = 0.5
    data["staff"]["inquiry_load"] = load
    plan = compile_plan(build(data), "s")
    placed = np.concatenate([c.time for c in chunks(plan, 0)])
    n = placed.size
    assert n >= 7
    starts, held, t = [], [], 9.0
    for _ in range(n):
        starts.append(t)
        h = 0.1 * (2.0 if int(t % 24) == 9 else 1.0)
        held.append(h)
        t = t + h
    times, k = _reminder_times(plan, engine)
    np.testing.assert_allclose(times, np.array(starts) + np.array(held), rtol=0, atol=1e-12)
    assert k["reminder_wait_hours"] == pytest.approx(np.mean(np.array(starts) - placed))
    assert k["reminder_cost_per_order"] == pytest.approx(0.1 * 25)  # its own 6 minutes
    # the agent is held 0.2 h by each of the five calls begun in hour 9, 0.1 h by the others
    assert k["agent_utilization"] == pytest.approx(sum(held) / 8)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_load_in_every_hour_stretches_every_call(engine):
    """Load 0.75 all day, two agents: every call holds its agent 0.1 / 0.25 = 0.4 h, so the
    i-th call (in order of placement) begins at 9 + 0.4 * (i // 2)."""
    data = night_orders(2)
    data["staff"]["inquiry_load"] = 0.75
    plan = compile_plan(build(data), "s")
    n = np.concatenate([c.time for c in chunks(plan, 0)]).size
    starts = 9.0 + 0.4 * (np.arange(n) // 2)
    times, k = _reminder_times(plan, engine)
    np.testing.assert_allclose(times, starts + 0.4, rtol=0, atol=1e-12)
    assert k["reminder_cost_per_order"] == pytest.approx(0.1 * 25)


def test_no_load_gives_the_same_bits_as_before():
    plain = compile_plan(build(night_orders(1)), "s")
    data = night_orders(1)
    data["staff"]["inquiry_load"] = [0.0] * 24
    zero = compile_plan(build(data), "s")
    assert plain.inquiry_stretch is None and zero.inquiry_stretch is None
    a = simulate_plan(plain, 0).kpis()
    b = simulate_plan(zero, 0).kpis()
    assert a.keys() == b.keys()
    assert all(a[key] == b[key] or (a[key] != a[key] and b[key] != b[key]) for key in a)


def test_waves_and_world_agree_on_a_loaded_queue():
    data = night_orders(1)
    data["arrivals"]["orders_per_day"] = 60
    data["staff"]["inquiry_load"] = [0.1 * (h % 8) for h in range(24)]
    assert_same_as_world(compile_plan(build(data), "s"))


def test_the_queue_loop_stretches_by_the_hour_a_call_begins():
    """Calls asked at 0.5 and 0.9 (one agent, an hour each): the first begins in hour 0 (load
    0.5: held 2 h, to 2.5), the second waits until 2.5 and begins in hour 2 (no load: to 3.5)."""
    stretch = np.ones(24)
    stretch[0] = 2.0
    served = fcfs.serve(np.array([0.5, 0.9]), np.array([1.0, 1.0]), np.full(2, np.inf),
                        np.full(1, -np.inf), 2, ((0.0, 24.0), ()), stretch=stretch)  # fmt: skip
    assert served is not None
    np.testing.assert_array_equal(served.start, [0.5, 2.5])
    np.testing.assert_array_equal(served.after, [3.5])


@pytest.mark.parametrize(
    ("load", "message"),
    [
        (1.0, "staff.inquiry_load: must be a share in [0, 1)"),
        (-0.1, "staff.inquiry_load: must be a share in [0, 1)"),
        ([0.5] * 23 + [1.0], "staff.inquiry_load.23: must be less than 1"),
        ([0.1] * 23, "exactly 24 values, not 23"),
        ("busy", "a share in [0, 1) for every hour or a list of 24"),
    ],
)
def test_a_bad_load_is_named_at_load(load, message):
    data = night_orders(1)
    data["staff"]["inquiry_load"] = load
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data, "shop.toml")
    text = str(caught.value)
    assert "staff.inquiry_load" in text and message in text

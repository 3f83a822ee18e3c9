"""The numpy call pass in waves (``agent_waves``, ``calls_fast``), the agents' queue loop
(``fcfs``) and the exact agent ledger, by hand and against the SimPy world.

The queue loop is checked on hand-computed cases and, compiled or not, gives the same bits; the
figures of the agents are added up in integer ticks, so the order in which calls are booked
changes no bit; scenarios whose calls wait give the world's numbers without the world.
"""

from __future__ import annotations

import math
from unittest import mock

import numpy as np
import pytest
from engine_scenarios import build, deterministic, fixed
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_agent_split import (
    GROUPS,
    _path,
    agents_only,
    assert_same_as_world,
    assert_same_outcomes,
    grouped,
    paths,
)
from test_engine_properties import scenarios

from fsm.table import compiled_table
from sim.engine import agent_waves, fcfs
from sim.engine.agent_ledger import AgentLedger
from sim.engine.agents import AgentStats
from sim.engine.arrivals import chunks
from sim.engine.buyers import open_chunk
from sim.engine.calls_fast import resolve_calls
from sim.engine.clock import next_working, working
from sim.engine.plan import compile_plan
from sim.engine.unpaid_fast import resolve_unpaid
from sim.scenario.hours import in_window, release_after


@given(
    st.floats(0, 500, allow_nan=False),
    st.sampled_from([(0.0, 24.0), (9.0, 22.0), (8.0, 20.5)]),
    st.sampled_from([(), (22.0, 8.0), (0.0, 6.0), (12.0, 13.5)]),
)
def test_working_is_next_working_over_arrays(t, on_duty, quiet):
    assert bool(working(np.array([t]), on_duty, quiet)[0]) == (next_working(t, on_duty, quiet) == t)


@given(
    st.floats(0, 500, allow_nan=False),
    st.sampled_from([(0.0, 24.0), (9.0, 22.0), (8.0, 20.5)]),
    st.sampled_from([(), (22.0, 8.0), (0.0, 6.0), (12.0, 13.5), (22.5, 9.0)]),
)
def test_next_working_follows_the_shift_and_the_quiet_hours(t, on_duty, quiet):
    """The scalar opening (compiled into the queue loop) against the array definitions of the
    quiet hours: the first moment on duty and outside them, at or after ``t``."""
    opens = next_working(t, on_duty, quiet)
    assert opens >= t and bool(working(np.array([opens]), on_duty, quiet)[0])
    if opens > t:  # nothing in between is a working moment, and a release lands where it must
        grid = np.linspace(t, opens, 200, endpoint=False)
        assert not working(grid, on_duty, quiet).any()
    if quiet and in_window(np.array([t]), quiet)[0] and working(np.array([t]), on_duty, ()).all():
        assert opens == float(release_after(np.array([t]), quiet)[0]) or opens > t


def _serve(asked, hours, withdraw=None, agents=1, on_duty=(0.0, 24.0), quiet=(), m=None,
           compiled=True, stretch=None):  # fmt: skip
    asked, hours = np.array(asked, dtype=float), np.array(hours, dtype=float)
    withdraw = np.full(asked.size, np.inf) if withdraw is None else np.array(withdraw, float)
    free = np.full(agents, -np.inf)
    m = asked.size if m is None else m
    return fcfs.serve(asked, hours, withdraw, free, m, (on_duty, quiet), compiled=compiled,
                      stretch=stretch)  # fmt: skip


@pytest.mark.parametrize("compiled", [True, False])
def test_queue_by_hand(compiled):
    """Two agents, hour-long calls at 0, 0.5 and 0.8: the third waits for the first agent
    (1.0), a fourth for the second (1.5); agents on duty 9-22 take a call asked at 8 at 9."""
    served = _serve([0.0, 0.5, 0.8, 0.9], [1.0] * 4, agents=2, compiled=compiled)
    np.testing.assert_array_equal(served.start, [0.0, 0.5, 1.0, 1.5])
    np.testing.assert_array_equal(np.sort(served.after), [2.0, 2.5])
    shift = _serve([8.0, 8.5, 21.5], [1.0, 1.0, 2.0], on_duty=(9.0, 22.0), compiled=compiled)
    np.testing.assert_array_equal(shift.start, [9.0, 10.0, 21.5])  # the last runs past 22:00
    # the quiet hours 22:00-08:30: no call begun in them, even on duty
    quiet = _serve([21.9, 22.5], [0.5, 0.5], on_duty=(0.0, 24.0), quiet=(22.0, 8.5),
                   compiled=compiled)  # fmt: skip
    np.testing.assert_array_equal(quiet.start, [21.9, 24 + 8.5])


@pytest.mark.parametrize("compiled", [True, False])
def test_a_call_whose_order_ends_first_is_withdrawn(compiled):
    """One agent busy until 1.0; the call asked at 0.2 belongs to an order that ends at 0.6,
    so it takes no agent and the call asked at 0.3 begins at 1.0; the state after the first
    two calls is kept apart (``m``)."""
    served = _serve([0.0, 0.2, 0.3], [1.0, 1.0, 1.0], [9.0, 0.6, 9.0], m=2, compiled=compiled)
    np.testing.assert_array_equal(served.start, [0.0, np.inf, 1.0])
    np.testing.assert_array_equal(served.after, [1.0])
    # an order ending at the very instant an agent could take its call: SimPy's order decides
    assert _serve([0.0, 0.2], [1.0, 1.0], [9.0, 1.0], compiled=compiled) is None


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**32),
    st.integers(1, 5),
    st.sampled_from([(0.0, 24.0), (9.0, 22.0), (8.0, 20.5)]),
    st.sampled_from([(), (22.0, 8.0), (12.0, 13.5)]),
)
def test_compiled_queue_gives_the_same_bits(seed, agents, on_duty, quiet):
    """numba's loop and the plain Python one: same starts, same agents' state, to the bit."""
    if fcfs.compiled_loop() is None:
        pytest.skip("numba is not installed: only the Python loop runs")
    rng = np.random.default_rng(seed)
    n = 200
    asked = np.sort(rng.uniform(0, 96, n))
    hours = rng.exponential(0.5, n)
    withdraw = asked + rng.exponential(6.0, n)
    args = (asked, hours, withdraw, agents, on_duty, quiet, n // 2)
    stretch = 1.0 / (1.0 - rng.uniform(0, 0.8, 24)) if seed % 2 else None  # questions' load
    a = _serve(*args, compiled=True, stretch=stretch)
    b = _serve(*args, compiled=False, stretch=stretch)
    assert (a is None) == (b is None)
    if a is not None:
        np.testing.assert_array_equal(a.start, b.start)
        np.testing.assert_array_equal(a.after, b.after)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 4))
def test_queue_against_a_plain_multi_server_recursion(seed, agents):
    """On duty all day, nobody withdrawn: the start of call i is the later of its request and
    the (agents)-th latest end among the calls before it (Kiefer-Wolfowitz)."""
    rng = np.random.default_rng(seed)
    n = 300
    asked = np.sort(rng.uniform(0, 50, n))
    hours = rng.exponential(0.3 * agents, n)
    served = _serve(asked, hours, agents=agents)
    ends: list[float] = []
    for i in range(n):
        free = sorted(ends)[-agents] if len(ends) >= agents else -math.inf
        # each agent is free at the end of its last call: the k-th smallest of the current
        # ends of the agents; keep only the agents' latest ends
        start = max(float(asked[i]), free if len(ends) >= agents else float(asked[i]))
        assert served.start[i] == start
        ends = sorted([*ends, start + float(hours[i])])[-agents:]


@pytest.mark.parametrize(("on_duty", "overtime"), [((9.0, 24.0), 0.5), ((0.0, 24.0), 0.0)])
def test_ledger_by_hand(on_duty, overtime):
    """Two days measured: a call from 23:30 to 00:30 is half an hour in hour 23 and half in
    hour 0; with a shift ending at midnight, half an hour of it is overtime; with agents on
    duty all day, none is."""
    ledger = AgentLedger((0.0, 48.0), on_duty)
    ledger.call(23.0, 23.5, 1.0)
    ledger.queued(23.0, 23.5)
    stats = AgentStats()
    ledger.close(stats, agents=2)
    assert stats.served == 1 and stats.wait_hours == 0.5
    assert stats.busy_hours == 1.0 and stats.overtime_hours == overtime
    assert stats.on_duty_hours == 2 * 2 * (on_duty[1] - on_duty[0]) + overtime
    busy = np.zeros(24)
    busy[[0, 23]] = 0.5 / 2  # half an hour over two days' worth of each hour
    np.testing.assert_array_equal(stats.busy_by_hour, busy)
    queue = np.zeros(24)
    queue[23] = 0.5 / 2
    np.testing.assert_array_equal(stats.queue_by_hour, queue)


@given(st.integers(0, 2**32), st.integers(1, 7))
def test_ledger_totals_do_not_depend_on_booking_order(seed, parts):
    rng = np.random.default_rng(seed)
    n = 300
    asked = rng.uniform(0, 100, n)
    start = asked + rng.exponential(0.5, n) * (rng.random(n) < 0.5)
    hours = rng.exponential(0.3, n)
    window, on_duty = (10.0, 90.0), (8.0, 21.0)
    batch, single = AgentLedger(window, on_duty), AgentLedger(window, on_duty)
    for part in np.array_split(np.arange(n), parts):
        batch.add_calls(asked[part], start[part], hours[part])
    for i in rng.permutation(n):
        single.call(float(asked[i]), float(start[i]), float(hours[i]))
    a, b = AgentStats(), AgentStats()
    batch.close(a, 3)
    single.close(b, 3)
    for name in ("served", "wait_hours", "busy_hours", "overtime_hours", "on_duty_hours"):
        assert getattr(a, name) == getattr(b, name), name
    np.testing.assert_array_equal(a.busy_by_hour, b.busy_by_hour)


def _phone_then_sms(*sms_at: float, days: float = 1) -> dict:
    """Nobody pays; a phone call at 1 h (an hour long), then SMSs at ``sms_at``; 50 agents."""
    segment = deterministic()["segments"][0]
    steps = [{"at": 1, "channel": "phone"}] + [{"at": t, "channel": "sms"} for t in sms_at]
    return deterministic(
        scenario={"arrival_days": days},
        arrivals={"orders_per_day": 40},
        staff={"agents": 50, "on_duty": [0, 24], "phone_minutes": fixed(60)},
        channels={"phone_reach": "always", "sms_reach": "always"},
        segments=[{**segment, "pays_unprompted": 0.0, "response": {"phone": 0, "sms": 0}}],
        strategies=[{"name": "s", "reminders": steps}],
    )


def test_numpy_call_pass_by_hand():
    """The call ends at 2 h, before the SMS at 2.5 h: two reminders each, an agent-hour each,
    and the reminder of the call lands when the call ends. No order enters the world."""
    plan = compile_plan(build(_phone_then_sms(2.5)), "s")
    acc, rows, runs = paths(plan)
    assert runs == []
    k = acc.kpis()
    assert k["reminders_per_order"] == 2.0 and k["reminder_wait_hours"] == 0.0
    assert k["reminder_cost_per_order"] == pytest.approx(1.0 * 25 + 0.05)  # agent-hour, SMS
    remind = compiled_table().trigger_id["remind"]
    placed = np.concatenate([c.time for c in chunks(plan, 2)])
    times = np.sort(np.concatenate([r["time"][r["trigger"] == remind] for r in rows]))
    np.testing.assert_array_equal(times, np.sort(np.concatenate((placed + 1 + 1, placed + 2.5))))
    assert_same_as_world(plan)


@pytest.mark.parametrize(
    ("sms_at", "order"),
    [
        ((2.0,), ["sms", "phone"]),  # the SMS step was scheduled before the call was picked up
        ((1.5, 2.0), ["sms", "phone", "sms"]),  # the 2 h SMS was scheduled after the pick-up
    ],
)
def test_a_call_ending_as_a_step_falls_due_keeps_the_worlds_order(sms_at, order):
    """At one instant SimPy runs events of equal priority in the order they were scheduled:
    the step right after the call's own goes first, a later one after the call's end."""
    plan = compile_plan(build(_phone_then_sms(*sms_at)), "s")
    chunk = next(chunks(plan, 2))
    book, outcome = open_chunk(plan, 2, chunk)
    bound = np.flatnonzero(resolve_unpaid(book, outcome, stop_at_agents=True))
    assert bound.size == chunk.n
    resolve_calls(book, outcome, bound)
    names = [c.name for c in plan.channels]
    assert [names[c] for c in outcome.reminder_channel[:, 0]] == order
    assert (outcome.reminder_channel == outcome.reminder_channel[:, :1]).all()  # every order
    assert assert_same_outcomes(plan)
    assert assert_same_as_world(plan) == []


@pytest.mark.parametrize(("group", "runs"), [(1, [2]), (60, [2]), (10**9, [0])])
def test_the_world_takes_over_after_chunks_the_numpy_pass_finished(group, runs):
    """Three daily chunks of about 40 orders; the waves give up at their last horizon: the
    third with each chunk alone, the second with the first two chunks read together (two
    chunks finished either way), the first with all three together (none finished). The world
    replays the chunks already finished without finishing them again, and the numbers are the
    world's."""
    plan = compile_plan(build(_phone_then_sms(2.5, days=3)), "s")
    assert plan.chunk_hours == 24
    real = agent_waves._settle
    seen = iter(range(100))

    def settle(*args):
        return next(seen) < {1: 2, 60: 1, 10**9: 0}[group] and real(*args)

    with mock.patch.object(agent_waves, "_settle", settle), grouped(group):
        assert assert_same_as_world(plan) == runs


def test_calls_that_wait_by_hand():
    """One agent, hour-long calls at 1 h after each order, 40 orders a day: calls queue; the
    waves give the world's numbers without the world, and the mean wait is that of the queue
    loop over the same calls (each order's call asked at placement + 1 h; nobody pays, so an
    order ends when it is auto-closed, and a call still waiting then is withdrawn)."""
    data = _phone_then_sms(30.0, days=2)
    data["staff"]["agents"] = 1
    plan = compile_plan(build(data), "s")
    acc, _, runs = paths(plan)
    assert runs == []
    placed = np.concatenate([c.time for c in chunks(plan, 2)])
    asked = placed + 1.0
    served = _serve(asked, np.ones(asked.size), placed + plan.auto_close_hours)
    lo, hi = plan.measured_window
    waits = (served.start - asked)[(asked >= lo) & (asked < hi) & (served.start < np.inf)]
    assert waits.max() > 1.0 and (served.start == np.inf).any()
    assert acc.kpis()["reminder_wait_hours"] == pytest.approx(waits.mean(), rel=1e-9)
    assert_same_as_world(plan)


@st.composite
def queued_scenarios(draw) -> dict:
    """Agent scenarios where calls wait: few agents, long calls, shifts and quiet hours."""
    data = agents_only(draw(scenarios(agents=True)))
    steps = data["strategies"][0].setdefault("reminders", [])
    for _ in range(draw(st.integers(1, 2))):
        steps.append(
            {
                "at": draw(st.sampled_from([0.5, 1, 3, 20])),
                "channel": draw(st.sampled_from(["phone", "im"])),
            }
        )
    minutes = draw(st.sampled_from([{"dist": "fixed", "value": 60},
                                    {"dist": "exponential", "mean": 30},
                                    {"dist": "gamma", "mean": 20, "cv": 0.5}]))  # fmt: skip
    data["staff"].update(
        agents=draw(st.integers(1, 3)),
        phone_minutes=minutes,
        im_minutes=minutes,
        on_duty=draw(st.sampled_from([[0, 24], [9, 24], [9, 22], [8, 20.5]])),
    )
    data["arrivals"]["orders_per_day"] = draw(st.floats(20, 200))
    if draw(st.booleans()):
        data["shop"]["quiet_hours"] = draw(st.sampled_from([[], [22, 8], [21, 9], [12, 13]]))
    if draw(st.booleans()):  # a reached buyer may opt out: later reminders reach them no more
        for segment in data["segments"]:
            segment["opts_out"] = {"phone": draw(st.floats(0, 0.5)), "sms": draw(st.floats(0, 0.5))}
    if draw(st.booleans()):  # some buyers cannot be called: their phone steps are not made
        data["channels"]["phone_callable"] = draw(st.floats(0.3, 1))
    if draw(st.booleans()):  # buyers' questions take agents' time, by hour
        data["staff"]["inquiry_load"] = draw(
            st.one_of(st.floats(0, 0.8), st.lists(st.floats(0, 0.8), min_size=24, max_size=24))
        )
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queued_scenarios(), GROUPS)
def test_waves_equal_all_orders_in_the_world(data, group):
    """Calls wait (overload, shifts, quiet hours, ties, reach profiles): KPIs, curves and every
    event row are the world's, and so is each chunk's outcome, with chunks read alone or in
    groups."""
    plan = compile_plan(build(data), "s")
    with grouped(group):
        if not plan.independent_orders:
            assert_same_outcomes(plan)
        runs = assert_same_as_world(plan)
    event(_path(plan, runs))


def test_a_call_that_opts_the_buyer_out_is_withdrawn_when_its_order_would_end_without_it():
    """One agent, hour-long phone calls at 1 h and IM chats at 2 h (neither wins; a reached
    chat makes the buyer opt out), an SMS at 3 h that wins every buyer it reaches: a chat that
    has not begun by 4 h is withdrawn (the SMS won the buyer), although with the chat the order
    would have run to its auto-close. The queue is long, so many chats wait past 4 h."""
    segment = deterministic()["segments"][0]
    data = deterministic(
        scenario={"arrival_days": 2},
        arrivals={"orders_per_day": 30},
        staff={
            "agents": 1,
            "on_duty": [0, 24],
            "phone_minutes": fixed(60),
            "im_minutes": fixed(60),
        },
        channels={"phone_reach": "always", "im_reach": "always", "sms_reach": "always"},
        segments=[
            {
                **segment,
                "pays_unprompted": 0.0,
                "response": {"phone": 0, "im": 0, "sms": 1},
                "opts_out": {"im": 1.0},
            }
        ],
        strategies=[
            {
                "name": "s",
                "reminders": [
                    {"at": 1, "channel": "phone"},
                    {"at": 2, "channel": "im"},
                    {"at": 3, "channel": "sms"},
                ],
            }
        ],
    )
    plan = compile_plan(build(data), "s")
    _, _, runs = paths(plan)
    assert runs == []
    assert_same_outcomes(plan)
    assert_same_as_world(plan)

"""The numpy call pass (``no_wait``, ``calls_fast``) and the exact agent ledger, by hand.

Whether each call found a free agent is checked over all calls in time order; the figures of the
agents are added up in integer ticks, so the order in which calls are booked changes no bit.
"""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import numpy as np
import pytest
from engine_scenarios import build, deterministic, fixed
from hypothesis import given
from hypothesis import strategies as st
from test_agent_split import assert_same_as_world, assert_same_outcomes, paths

from fsm.table import compiled_table
from sim.engine import no_wait
from sim.engine.agent_ledger import AgentLedger
from sim.engine.agents import AgentStats
from sim.engine.arrivals import chunks
from sim.engine.buyers import open_chunk
from sim.engine.calls_fast import Calls, resolve_calls
from sim.engine.clock import next_working, working
from sim.engine.no_wait import NoWaitCheck
from sim.engine.plan import compile_plan
from sim.engine.unpaid_fast import resolve_unpaid


@given(
    st.floats(0, 500, allow_nan=False),
    st.sampled_from([(0.0, 24.0), (9.0, 22.0), (8.0, 20.5)]),
    st.sampled_from([(), (22.0, 8.0), (0.0, 6.0), (12.0, 13.5)]),
)
def test_working_is_next_working_over_arrays(t, on_duty, quiet):
    assert bool(working(np.array([t]), on_duty, quiet)[0]) == (next_working(t, on_duty, quiet) == t)


def _check(agents: int, on_duty=(0.0, 24.0), quiet=()) -> NoWaitCheck:
    return NoWaitCheck(SimpleNamespace(agents=agents, on_duty=on_duty, quiet_hours=quiet))


def _calls(*pairs: tuple[float, float]) -> Calls:
    asked, hours = zip(*pairs, strict=True)
    return Calls(np.array(asked), np.array(hours))


def test_a_third_call_among_two_agents_would_wait():
    check = _check(2)
    assert check.add(_calls((0.0, 1.0), (0.5, 1.0), (0.8, 1.0)))
    assert not check.advance(24.0)


def test_a_call_ending_at_the_instant_another_is_asked_counts_as_busy():
    tight, loose = _check(2), _check(2)
    assert tight.add(_calls((0.0, 1.0), (0.5, 1.0), (1.0, 1.0)))
    assert not tight.advance(24.0)  # the first call ends at 1.0: treated as still under way
    assert loose.add(_calls((0.0, 1.0), (0.5, 1.0), (1.25, 1.0)))
    assert loose.advance(24.0) and loose.advance(np.inf)


def test_a_call_running_into_the_next_chunk_keeps_its_agent():
    check = _check(1)
    assert check.add(_calls((0.5, 30.0)))  # runs from 00:30 on day 1 to 06:30 on day 2
    assert check.advance(24.0)
    assert check.add(_calls((25.0, 1.0)))  # asked at 01:00 on day 2: the only agent is busy
    assert not check.advance(48.0)


def test_a_call_asked_off_duty_or_in_the_quiet_hours_would_wait():
    assert not _check(5, on_duty=(9.0, 22.0)).add(_calls((8.5, 0.1)))
    assert not _check(5, quiet=(22.0, 8.0)).add(_calls((23.0, 0.1)))
    assert _check(5, on_duty=(9.0, 22.0), quiet=(22.0, 8.0)).add(_calls((9.0, 0.1)))


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


def test_the_world_takes_over_after_chunks_the_numpy_pass_finished():
    """Three daily chunks; the check gives up at its third horizon: the world replays the
    chunks already finished without finishing them again, and the numbers are the world's."""
    plan = compile_plan(build(_phone_then_sms(2.5, days=3)), "s")
    assert plan.chunk_hours == 24
    real = no_wait.NoWaitCheck.advance
    seen = iter(range(100))

    def advance(self, horizon):
        return next(seen) < 2 and real(self, horizon)

    with mock.patch.object(no_wait.NoWaitCheck, "advance", advance):
        runs = assert_same_as_world(plan)
    assert runs == [2]

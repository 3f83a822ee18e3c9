"""The numpy path's sweep for bans and put-off buyers: its shortcuts give what the order-by-order
questions give."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from engine_scenarios import build
from hypothesis import given
from hypothesis import strategies as st
from test_engine_properties import scenarios

from sim.engine.arrivals import chunks
from sim.engine.bans import Bans
from sim.engine.buyers import open_chunk
from sim.engine.fulfilment import fulfil_paid
from sim.engine.outcome import End
from sim.engine.plan import compile_plan
from sim.engine.unpaid_fast import resolve_unpaid


@given(st.lists(st.floats(0, 100), min_size=1, max_size=30), st.floats(0.1, 50))
def test_after_the_last_rung_the_last_ban_is_final(point_times, days):
    bans = Bans(((6, days),), points_at_start=0)
    bans.add(np.array(point_times), np.full(len(point_times), 3.0))
    times = np.linspace(0.0, 3000.0, 400)
    first = np.flatnonzero(times > max(point_times))[0] + 1  # every point is taken by then
    asked = [bans.banned(float(t)) for t in times[:first]]
    if bans.active:  # fewer than two points: the rung is never reached
        assert len(point_times) < 2
        return
    one_by_one = Bans(((6, days),), points_at_start=0)
    one_by_one.add(np.array(point_times), np.full(len(point_times), 3.0))
    expected = [one_by_one.banned(float(t)) for t in times]
    got = asked + bans.banned_after_the_last_rung(times[first:]).tolist()
    assert got == expected


def test_no_shortcut_while_a_rung_is_left():
    with pytest.raises(ValueError):
        Bans(((6, 1.0),), points_at_start=0).banned_after_the_last_rung(np.zeros(1))


@given(scenarios(agents=False), st.integers(0, 2**32))
def test_the_lives_of_some_paid_orders_are_those_of_the_whole_batch(data, seed):
    plan = compile_plan(build(data), "s")
    chunk = next(c for c in chunks(plan, 0))
    book, outcome = open_chunk(plan, 0, chunk)
    resolve_unpaid(book, outcome)
    paid = np.flatnonzero(outcome.end == End.PAID)
    keep = np.random.default_rng(seed).random(paid.size) < 0.5
    whole = fulfil_paid(plan, book, outcome, paid).subset(keep)
    alone = fulfil_paid(plan, book, outcome, paid[keep])
    for f in fields(whole):
        np.testing.assert_array_equal(getattr(whole, f.name), getattr(alone, f.name))

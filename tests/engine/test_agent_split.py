"""Agent scenarios: the numpy passes change no number.

``engine="auto"`` runs every order in numpy, the agents' queue resolved in waves
(``agent_waves``); at a same-instant tie the waves cannot order, the SimPy world runs the
replication again with only the agent-bound orders in its event loop, and does not finish twice
the chunks the numpy pass finished. ``engine="simpy"`` runs every order in the world. With agents
as the only link between orders, all must agree to the bit: KPIs, curves and every event row,
whichever path was taken. The numpy passes read consecutive chunks as one (``chunk_group``);
the tests draw how many orders a group holds: a chunk each, a few chunks, the whole run.
"""

from __future__ import annotations

import math
from unittest import mock

import numpy as np
from engine_scenarios import build
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from test_engine_properties import check_event_chains, check_invariants, scenarios

from sim.engine import agent_waves
from sim.engine import simulate as simulate_module
from sim.engine.agents import AgentStats
from sim.engine.bans import Bans
from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate_plan
from sim.engine.world import World


class _SpyWorld(World):
    """The world, noting how many chunks it was told were finished already."""

    runs: list[int]

    def __init__(self, *args, replayed: int = 0, **kwargs) -> None:
        type(self).runs.append(replayed)
        super().__init__(*args, replayed=replayed, **kwargs)


GROUPS = st.sampled_from([1, 150, 10**9])  # orders a group of chunks holds at least


def grouped(orders: int):
    """Read chunks in groups of at least ``orders`` orders (1: each chunk alone)."""
    return mock.patch.object(agent_waves, "GROUP_ORDERS", orders)


def paths(plan, engine: str = "auto"):
    """(accumulator, event rows, the replayed count of each world run) of one replication."""
    rows: list[dict] = []
    spy = type("Spy", (_SpyWorld,), {"runs": []})
    with mock.patch.object(simulate_module, "World", spy):
        acc = simulate_plan(plan, 2, engine=engine, on_events=rows.append)
    return acc, rows, spy.runs


_OUTCOME = ("end", "end_time", "reminders", "reminder_time", "reminder_channel", "low_ratings",
            "incentive_step", "agent_hours")  # fmt: skip


def assert_same_outcomes(plan) -> bool:
    """Compare each chunk's unpaid-phase outcome (which reminders, in which order, on which
    channel) of the numpy call pass with the all-SimPy world's; False if the pass gave up."""
    numpy_side: list = []
    world_side: list = []
    gave_up = agent_waves.run_agent_waves(plan, 2, AgentStats(), lambda b, o: numpy_side.append(o))
    World(plan, 2, AgentStats(), lambda b, o: world_side.append(o),
          Bans(plan.ban_rungs, plan.points_at_start)).run()  # fmt: skip
    if gave_up is not None:
        return False
    assert len(numpy_side) == len(world_side)
    for a, b in zip(numpy_side, world_side, strict=True):
        for name in _OUTCOME:
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    return True


def agents_only(data: dict) -> dict:
    """Take out every link between orders but the agents (stock, blacklist, bans, returns)."""
    data.pop("inventory", None)
    data["strategies"][0]["policy"]["blacklist_after"] = 0
    data["platform"]["penalty_ladder"] = {}  # bans link orders too: no split then
    for segment in data["segments"]:
        segment["returns"] = 0.0  # so does a buyer put off by a reminder who would come back
    return data


def assert_same_as_world(plan, engine: str = "auto") -> list[int]:
    """Run ``plan`` with ``engine`` and with every order in the world; return the world runs
    of the first (the replayed count of each)."""
    split, split_rows, runs = paths(plan, engine)
    world, world_rows, _ = paths(plan, "simpy")
    a, b = split.kpis(), world.kpis()
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name] or (math.isnan(a[name]) and math.isnan(b[name])), name
    assert split.curves() == world.curves()
    assert len(split_rows) == len(world_rows)
    for x, y in zip(split_rows, world_rows, strict=True):
        for col in x:
            np.testing.assert_array_equal(x[col], y[col])
    check_invariants(a)
    check_event_chains(split_rows)
    return runs


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(agents=True), GROUPS)
def test_agent_bound_split_equals_all_orders_in_the_world(data, group):
    plan = compile_plan(build(agents_only(data)), "s")
    assert plan.only_agents_interact
    with grouped(group):
        runs = assert_same_as_world(plan)
    event(_path(plan, runs))


def _path(plan, runs: list[int]) -> str:
    if plan.independent_orders:
        return "no agent step"
    return "numpy throughout" if not runs else f"world after {runs[0]} chunks in numpy"


@st.composite
def roomy_scenarios(draw) -> dict:
    """Agent scenarios where calls often never wait: many agents, often on duty all day."""
    data = agents_only(draw(scenarios(agents=True)))
    steps = data["strategies"][0].setdefault("reminders", [])
    if not any(step["channel"] in ("phone", "im") for step in steps):
        steps.append(
            {"at": draw(st.integers(1, 30)), "channel": draw(st.sampled_from(["phone", "im"]))}
        )
    if draw(st.booleans()):  # whole-hour calls: a call can end as a step or payment falls due
        hour = {"dist": "fixed", "value": 60}
        data["staff"].update(phone_minutes=hour, im_minutes=hour)
    data["staff"]["agents"] = draw(st.sampled_from([1, 4, 60]))
    data["staff"]["on_duty"] = draw(st.sampled_from([[0, 24], [0, 24], [9, 22]]))
    if draw(st.booleans()):
        data["shop"]["quiet_hours"] = []
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roomy_scenarios(), GROUPS)
def test_numpy_call_pass_equals_all_orders_in_the_world(data, group):
    plan = compile_plan(build(data), "s")
    with grouped(group):
        if not plan.independent_orders:
            assert_same_outcomes(plan)
        runs = assert_same_as_world(plan)
    event(_path(plan, runs))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roomy_scenarios(), st.integers(1, 6), GROUPS)
def test_a_world_taking_over_midway_equals_the_world(data, confirmed, group):
    """Make the check give up after ``confirmed`` horizons, whatever the calls: the world then
    replays the chunks already finished, and the numbers must still be the world's."""
    plan = compile_plan(build(data), "s")
    assume(not plan.independent_orders)  # some step needs an agent
    real = agent_waves._settle
    calls = iter(range(10**9))

    def settle(*args):
        return next(calls) < confirmed and real(*args)

    with mock.patch.object(agent_waves, "_settle", settle), grouped(group):
        runs = assert_same_as_world(plan)
    assert len(runs) <= 1  # the world ran at most once, after the numpy pass gave up
    event(_path(plan, runs))

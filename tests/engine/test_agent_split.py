"""Agent scenarios: resolving agent-free orders on the numpy path changes no number.

``engine="auto"`` runs only agent-bound orders in the SimPy world; ``engine="simpy"`` runs every
order there. With agents as the only link between orders, both must agree to the bit: KPIs,
curves and every event row.
"""

from __future__ import annotations

import math

import numpy as np
from engine_scenarios import build
from hypothesis import HealthCheck, given, settings
from test_engine_properties import check_event_chains, check_invariants, scenarios

from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate_plan


def _run(plan, engine: str):
    rows: list[dict] = []
    acc = simulate_plan(plan, 2, engine=engine, on_events=rows.append)
    return acc, rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(agents=True))
def test_agent_bound_split_equals_all_orders_in_the_world(data):
    data.pop("inventory", None)
    data["strategies"][0]["policy"]["blacklist_after"] = 0
    data["platform"]["penalty_ladder"] = {}  # bans link orders too: no split then
    for segment in data["segments"]:
        segment["returns"] = 0.0  # so does a buyer put off by a reminder who would come back
    plan = compile_plan(build(data), "s")
    assert plan.only_agents_interact
    split, split_rows = _run(plan, "auto")
    world, world_rows = _run(plan, "simpy")
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

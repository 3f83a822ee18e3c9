"""Grid sweeps: several swept parameters run as a full factorial, checked at load."""

from __future__ import annotations

from typing import Any

import pytest

from sim.errors import ScenarioError
from sim.experiment.plan import plan_candidates, scenario_variants
from sim.scenario import scenario_from_dict, sweep_variants

# every channel's response and annoyance stated (the format has no default for a used channel)
STATED = {
    "response": {"phone": 0.5, "im": 0.4, "sms": 0.3, "auto": 0.1},
    "annoyance": {"phone": 0.03, "im": 0.01, "sms": 0.01, "auto": 0.0},
}


def grid(parameter: Any, values: Any) -> dict[str, Any]:
    return {
        "scenario": {"name": "grid"},
        "segments": [{"name": "everyone", "share": 1.0, **STATED}],
        "strategies": [
            {"name": "nothing"},
            {"name": "sms", "reminders": [{"at": 2, "channel": "sms"}]},
        ],
        "sweep": {"parameter": parameter, "values": values},
    }


def test_grid_runs_every_combination_in_order() -> None:
    sc = scenario_from_dict(
        grid(["strategies.sms.reminders.0.at", "staff.agents"], [[1, 6, 12], [1, 2]])
    )
    assert sc.sweep.is_grid
    assert sc.sweep.label == "strategies.sms.reminders.0.at × staff.agents"
    variants = sweep_variants(sc)
    assert [point for point, _ in variants] == [
        (1, 1), (1, 2), (6, 1), (6, 2), (12, 1), (12, 2)
    ]  # fmt: skip
    for (at, agents), variant in variants:
        assert variant.strategy("sms").reminders[0].at == at
        assert variant.staff.agents == agents
        assert variant.sweep is None


def test_a_single_parameter_sweep_is_unchanged() -> None:
    sc = scenario_from_dict(grid("strategies.sms.reminders.0.at", [1, 6]))
    assert not sc.sweep.is_grid and sc.sweep.points == (1, 6)
    assert sc.sweep.axes == (("strategies.sms.reminders.0.at", (1, 6)),)


@pytest.mark.parametrize(
    ("parameter", "values", "where", "message"),
    [
        (["staff.agents", "staff.agentz"], [[1], [2]], "sweep.parameter.1", "no such key"),
        (["staff.agents", "staff.agents"], [[1], [2]], "sweep.parameter", "names a key twice"),
        (["staff.agents", "shop.freight"], [[1, 2]], "sweep.values", "one list of values"),
        (["staff.agents", "shop.freight"], [[1], 5], "sweep.values.1", "non-empty list"),
        (["staff.agents", "shop.freight"], [[1, -2], [5]], "sweep.values", "invalid"),
        (["sweep.values", "shop.freight"], [[1], [5]], "sweep.parameter.0", "cannot change"),
    ],
)
def test_bad_grids_are_reported_at_load(parameter, values, where, message) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(grid(parameter, values), "g.toml")
    problems = info.value.problems
    assert any(p.path == where and message in p.message for p in problems), problems


def test_a_strategy_the_grid_leaves_alone_is_one_candidate() -> None:
    sc = scenario_from_dict(
        grid(["strategies.sms.reminders.0.at", "strategies.sms.reminders.0.channel"],
             [[1, 6], ["sms", "im"]])
    )  # fmt: skip
    keys = [c.key for c in plan_candidates(sc, scenario_variants(sc))]
    assert keys == ["nothing", "sms@1,sms", "sms@1,im", "sms@6,sms", "sms@6,im"]
    # a grid that changes what every strategy sees runs every strategy at every point
    sc = scenario_from_dict(grid(["shop.freight", "staff.agents"], [[5, 8], [1]]))
    keys = [c.key for c in plan_candidates(sc, scenario_variants(sc))]
    assert keys == ["nothing@5,1", "sms@5,1", "nothing@8,1", "sms@8,1"]

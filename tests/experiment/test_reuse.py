"""Units that would repeat another run once (``sim.experiment.reuse``): a strategy that sends no
reminder through an agent is not run again at every value of a sweep of the agents, and every
output is what running each unit gives."""

from __future__ import annotations

import pytest
from test_experiment import small_scenario

import sim.api as api
from sim.experiment import executors as executors_module
from sim.experiment.plan import plan_candidates, plan_units, scenario_variants
from sim.experiment.reuse import twins
from sim.experiment.runner import RunSettings
from sim.scenario.load import scenario_from_dict


def staffed(sweep: dict) -> dict:
    """Two strategies, an SMS at 2 h and a call at 1 h, and a sweep."""
    data = small_scenario(
        staff={"agents": 1, "on_duty": [9, 24]},
        strategies=[
            {"name": "sms", "reminders": [{"at": 2, "channel": "sms"}]},
            {"name": "phone", "reminders": [{"at": 1, "channel": "phone"}]},
        ],
        sweep=sweep,
    )
    data["scenario"]["baseline"] = "sms"
    for segment in data["segments"]:
        segment["response"]["phone"] = 0.5
    return data


def _units(data: dict, replications: int = 2):
    sc = scenario_from_dict(data)
    variants = scenario_variants(sc)
    return variants, plan_units(sc, replications, plan_candidates(sc, variants))


def test_an_agents_sweep_runs_the_strategy_without_agents_once_with_the_same_numbers(
    monkeypatch, tmp_path
):
    data = staffed({"parameter": "staff.agents", "values": [1, 2, 3]})
    ran = []
    real = executors_module.run_unit

    def counting(scenario, unit, settings):
        ran.append((unit.strategy, unit.sweep_value))
        return real(scenario, unit, settings)

    monkeypatch.setattr(executors_module, "run_unit", counting)
    reused = api.run(scenario_from_dict(data), replications=2, out=tmp_path / "a", plots=False)
    # the SMS strategy at the first value only; the calls at every value
    assert sorted(ran) == sorted([("sms", 1)] * 2 + [("phone", v) for v in (1, 2, 3)] * 2)
    ran.clear()
    monkeypatch.setattr(executors_module, "twins", lambda *args: {})
    each = api.run(scenario_from_dict(data), replications=2, out=tmp_path / "b", plots=False)
    assert len(ran) == 12
    assert reused.summary == each.summary
    assert reused.to_pandas().equals(each.to_pandas())
    for name in ("summary.json", "replications.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_every_unit_is_reported_as_it_finishes_twins_too():
    variants, units = _units(staffed({"parameter": "staff.agents", "values": [1, 4]}))
    seen = []
    results = executors_module.execute(
        variants, units, RunSettings(step_increments=False), on_done=lambda u, r: seen.append(u)
    )
    assert sorted(u.index for u in seen) == sorted(results) == [u.index for u in units]
    for unit in units:
        got = results[unit.index]
        assert (got.strategy, got.replication, got.sweep_value) == (
            unit.strategy,
            unit.replication,
            unit.sweep_value,
        )
    first, second = (results[u.index] for u in units if u.strategy == "sms" and u.replication == 0)
    assert first.kpis == second.kpis and first.kpis is not second.kpis


@pytest.mark.parametrize(
    ("sweep", "events", "twins_of"),
    [
        ({"parameter": "staff.agents", "values": [1, 2]}, False, {"sms"}),
        ({"parameter": "staff.on_duty", "values": [[9, 24], [0, 24]]}, False, {"sms"}),
        ({"parameter": "staff.agents", "values": [1, 2]}, True, set()),  # each writes events
        ({"parameter": "shop.sms_cost", "values": [0.05, 0.1]}, False, set()),  # sms reads it
        ({"parameter": "shop.agent_cost_per_hour", "values": [20, 30]}, False, set()),
    ],
)
def test_units_are_twins_only_when_their_plans_are_the_same_but_for_unread_agents(
    sweep, events, twins_of
):
    variants, units = _units(staffed(sweep))
    same = twins(variants, units, events)
    assert {units[i].strategy for i in same} == twins_of
    for index, earlier in same.items():
        unit = units[index]
        assert (earlier.strategy, earlier.replication) == (unit.strategy, unit.replication)
        assert earlier.sweep_index == 0 < unit.sweep_index

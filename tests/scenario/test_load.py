"""Loading scenarios: the reference file, defaults, presets, profiles, distributions, overrides."""

from __future__ import annotations

import copy
import datetime as dt
import math
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from sim.errors import MISSING, Problem, ScenarioError
from sim.scenario import (
    Discount,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    ReminderStep,
    Scenario,
    Uniform,
    apply_override,
    load_scenario,
    resolve,
    scenario_from_dict,
    scenario_json_schema,
    sweep_variants,
)
from sim.scenario.profiles import HOURLY_PROFILES, REACH_PROFILES, WEEKDAY_PROFILES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REFERENCE = Path(__file__).parents[2] / "docs/reference.toml"

TAOBAO_HOURLY = [2.0, 1.0, 0.5, 0.3, 0.2, 0.2, 0.4, 1.0, 2.0, 3.5, 5.0, 4.5,
                 3.5, 4.0, 4.2, 4.3, 4.2, 3.8, 3.5, 4.0, 5.0, 6.0, 5.8, 4.0]  # fmt: skip
DAYTIME = [0.1] * 8 + [0.5] + [0.8] * 12 + [0.6, 0.3, 0.1]


ALIEXPRESS_GIVEN = {
    "stockout_compensation_rate": 0.3,
    "stockout_compensation_cap": 30,
    "late_shipment_rate": 0.05,
    "late_shipment_min": 1,
    "late_shipment_max": 30,
    "intervention_penalty_points": 3,
    "penalty_ladder": {},
    "dispute_fee": 0,
    "chargeback_fee": 15,
    "no_reason_return_days": 15,
}


def minimal() -> dict[str, Any]:
    return {
        "scenario": {"name": "minimal"},
        "segments": [{"name": "everyone", "share": 1.0}],
        "strategies": [{"name": "nothing"}],
    }


def reference_data() -> dict[str, Any]:
    """The reference file as data, with segment shares made to sum to 1.

    The reference's two example segments have shares 0.30 and 0.02, which the format rejects
    (shares must sum to 1); the first share takes up the rest so every other key is exercised.
    """
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    others = sum(segment["share"] for segment in data["segments"][1:])
    data["segments"][0]["share"] = 1.0 - others
    return data


def test_reference_loads_every_key() -> None:
    s = scenario_from_dict(reference_data(), "reference.toml")
    assert s.scenario.name == "reference"
    assert (s.scenario.seed, s.scenario.replications) == (20261122, 20)
    assert s.scenario.baseline == "no-reminder"
    assert s.scenario.start == dt.date(2026, 6, 1)
    assert s.scenario.arrival_days == 7
    assert s.platform.unpaid_auto_close_hours == 72
    assert s.shop.price == Lognormal(median=120, sigma=0.5)
    assert s.channels.phone_reach == tuple(DAYTIME)
    assert s.channels.im_reach == (1.0,) * 24
    assert [seg.name for seg in s.segments] == ["short-of-balance", "malicious"]
    malicious = s.segment("malicious")
    assert malicious.malicious and malicious.orders_per_buyer == 10
    assert malicious.response.of("phone") == 0.0
    assert malicious.cancels == 0.05  # "other keys as the defaults"
    step = s.strategy("next-day-by-segment").reminders[0]
    assert step.at == "next_day_same_hour"
    assert step.channel_for("short-of-balance") == "sms"
    assert step.incentive == Discount(rate=0.05, uplift=0.3)
    levers = s.strategies[1].levers
    assert levers.dispute_multiplier("not_as_described") == 0.5
    assert levers.dispute_multiplier("logistics") == 1.0
    assert s.inventory is None and s.sweep is None


def test_reference_file_loads_and_only_warns_about_its_segment_shares() -> None:
    from sim.scenario.checks import scenario_warnings

    scenario = load_scenario(REFERENCE)
    assert [p.path for p in scenario_warnings(scenario, "ref")] == ["segments"]


def test_defaults_fill_a_minimal_file() -> None:
    s = scenario_from_dict(minimal())
    assert s.scenario.baseline == "nothing"
    assert (s.scenario.seed, s.scenario.replications) == (0, 10)
    assert s.scenario.start == dt.date(2026, 6, 1) and s.scenario.start.weekday() == 0
    assert s.scenario.arrival_days == 7
    seg = s.segments[0]
    assert seg.pays_unprompted == 0.85 and seg.cancels == 0.05
    assert seg.pay_hours == Lognormal(median=18, sigma=0.5)
    assert seg.cancel_hours == Exponential(mean=10)
    assert (seg.response.phone, seg.response.im, seg.response.sms, seg.response.auto) == (
        0.5, 0.4, 0.3, 0.1,
    )  # fmt: skip
    assert seg.annoyance.phone == 0.03 and seg.annoyance.auto == 0.0
    assert seg.annoyance_growth == 2.0 and seg.orders_per_buyer == 1
    assert seg.return_days == Exponential(mean=14) and not seg.malicious
    assert s.arrivals.orders_per_day == 400
    assert s.arrivals.hourly_weights == tuple(TAOBAO_HOURLY)
    assert s.staff.agents == 2 and s.staff.on_duty == (9, 24)
    assert s.staff.phone_minutes == Exponential(mean=3)
    assert all(s.channels.reach(c) == (1.0,) * 24 for c in ("phone", "im", "sms", "auto"))
    assert s.quality.dispute_causes == {
        "not_as_described": 0.4, "logistics": 0.3, "quality": 0.2, "service": 0.1,
    }  # fmt: skip
    strategy = s.strategies[0]
    assert strategy.reminders == ()
    assert strategy.policy.stockout == "pay_on_claim"
    assert strategy.policy.late_shipment == "pay_on_claim"
    assert strategy.policy.malicious_close_hours == 1.0
    assert strategy.levers.cost_per_order == 0.0
    assert s.shop.free_shipping and not s.shop.freight_insurance
    assert s.inventory is None and s.sweep is None


def test_partial_channel_tables_leave_the_rest_at_zero() -> None:
    data = minimal()
    data["segments"][0]["response"] = {"sms": 0.2}
    seg = scenario_from_dict(data).segments[0]
    assert (seg.response.phone, seg.response.im, seg.response.sms) == (0.0, 0.0, 0.2)


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ({}, {"unpaid_auto_close_hours": 24, "stockout_compensation_cap": 30}),
        ({"preset": "tmall"}, {"unpaid_auto_close_hours": 24, "stockout_compensation_cap": 500}),
        ({"preset": "aliexpress", "auto_confirm_days": 15}, {"unpaid_auto_close_hours": 480}),
        ({"preset": "tmall", "stockout_compensation_cap": 100}, {"stockout_compensation_cap": 100}),
        ({"late_shipment_min": 5}, {"late_shipment_min": 5, "late_shipment_max": 30}),
    ],
)
def test_presets_and_overrides_resolve(platform: dict[str, Any], expected: dict) -> None:
    data = minimal()
    data["platform"] = platform
    if platform.get("preset") == "aliexpress":  # its unset numbers, as a scenario must give them
        data["platform"] = {**ALIEXPRESS_GIVEN, **platform}
    resolved = scenario_from_dict(data).platform
    for key, value in expected.items():
        assert getattr(resolved, key) == value
    assert None not in resolved.model_dump().values()
    assert resolved.dispute_settle_hours == 168
    assert resolved.intervention_penalty_points == 3


def test_profiles_resolve_to_the_contract_numbers() -> None:
    data = minimal()
    data["arrivals"] = {"hourly_weights": "flat", "weekday_weights": "taobao"}
    data["channels"] = {"phone_reach": "daytime", "sms_reach": [0.5] * 24}
    s = scenario_from_dict(data)
    assert s.arrivals.hourly_weights == (1.0,) * 24
    assert s.arrivals.weekday_weights == (1.0, 1.1, 1.0, 1.0, 0.95, 0.9, 0.95)
    assert s.channels.phone_reach == tuple(DAYTIME)
    assert s.channels.sms_reach == (0.5,) * 24
    assert s.channels.im_reach == (1.0,) * 24
    assert s.channels.reach("auto") == (1.0,) * 24
    assert HOURLY_PROFILES["taobao"] == tuple(TAOBAO_HOURLY)
    assert len(WEEKDAY_PROFILES["flat"]) == 7 and REACH_PROFILES["always"] == (1.0,) * 24


def test_custom_weights_become_float_tuples() -> None:
    data = minimal()
    data["arrivals"] = {"hourly_weights": list(range(24)), "weekday_weights": [1] * 7}
    weights = scenario_from_dict(data).arrivals.hourly_weights
    assert weights == tuple(float(h) for h in range(24))
    assert all(isinstance(w, float) for w in weights)


U = np.linspace(0.0005, 0.9995, 101)


@pytest.mark.parametrize(
    ("dist", "frozen"),
    [
        (Exponential(mean=6), stats.expon(scale=6)),
        (Lognormal(median=20, sigma=0.4), stats.lognorm(s=0.4, scale=20)),
        (Uniform(low=1, high=3), stats.uniform(loc=1, scale=2)),
        (Uniform(low=0, high=5), stats.uniform(loc=0, scale=5)),
        (Gamma(mean=4, cv=0.5), stats.gamma(a=4.0, scale=1.0)),
        (Gamma(mean=10, cv=2.0), stats.gamma(a=0.25, scale=40.0)),
    ],
)
def test_ppf_matches_scipy(dist: Any, frozen: Any) -> None:
    np.testing.assert_allclose(dist.ppf(U), frozen.ppf(U), rtol=1e-9)
    assert math.isclose(dist.mean, frozen.mean(), rel_tol=1e-9)


def test_fixed_ppf_is_constant() -> None:
    fixed = Fixed(value=3)
    assert fixed.ppf(U).shape == U.shape
    assert set(fixed.ppf(U)) == {3.0} and fixed.mean == 3.0


@given(
    mean=st.floats(0.01, 1e3),
    cv=st.floats(0.05, 4.0),
    u=st.lists(st.floats(1e-6, 1 - 1e-6), min_size=2, max_size=20),
)
def test_gamma_ppf_is_non_negative_and_monotone(mean: float, cv: float, u: list[float]) -> None:
    draws = Gamma(mean=mean, cv=cv).ppf(np.sort(u))
    assert np.all(draws >= 0) and np.all(np.diff(draws) >= -1e-9 * mean)


@pytest.mark.parametrize(
    ("at", "placed", "due"),
    [
        (6, 5.0, 11.0),
        ("next_day_same_hour", 13.25, 37.25),
        ("next_peak", 9.5, 10.0),
        ("next_peak", 10.0, 21.0),
        ("next_peak", 21.0, 34.0),
        ("next_peak", 47.0, 58.0),
    ],
)
def test_step_fire_time(at: Any, placed: float, due: float) -> None:
    assert ReminderStep(at=at, channel="sms").fire_time(placed) == due


def test_apply_override_by_index_and_by_name() -> None:
    base = scenario_from_dict(reference_data(), "reference.toml")
    by_index = apply_override(base, "strategies.1.reminders.0.at", 6)
    by_name = apply_override(base, "strategies.next-day-by-segment.reminders.0.at", 6)
    assert by_index.strategies[1].reminders[0].at == 6.0
    assert by_name == by_index
    assert base.strategies[1].reminders[0].at == "next_day_same_hour"  # unchanged
    edited = apply_override(base, "segments.malicious.pay_hours.median", 5)
    assert edited.segment("malicious").pay_hours == Lognormal(median=5, sigma=0.5)
    assert resolve(edited.model_dump(), "segments.malicious.pay_hours.median") == 5


def test_override_keeps_preset_and_default_semantics() -> None:
    base = scenario_from_dict(minimal())
    tmall = apply_override(base, "platform.preset", "tmall")
    assert tmall.platform.stockout_compensation_cap == 500
    renamed = apply_override(base, "strategies.0.name", "renamed")
    assert renamed.scenario.baseline == "renamed"
    flat = apply_override(base, "arrivals.hourly_weights", "flat")
    assert flat.arrivals.hourly_weights == (1.0,) * 24


@pytest.mark.parametrize(
    ("dotted", "value", "path"),
    [
        ("segments.0.share", 2, "segments.everyone.share"),
        ("segments.5.share", 1, "segments.5.share"),
        ("shop.prise", 1, "shop.prise"),
        ("strategies.nobody.name", "x", "strategies.nobody.name"),
    ],
)
def test_bad_override_raises_scenario_error(dotted: str, value: Any, path: str) -> None:
    with pytest.raises(ScenarioError) as info:
        apply_override(scenario_from_dict(minimal()), dotted, value)
    assert [p.path for p in info.value.problems] == [path]


def test_sweep_variants_apply_each_value() -> None:
    data = reference_data()
    data["sweep"] = {"parameter": "strategies.next-day-by-segment.reminders.0.at", "values": [1, 6]}
    s = scenario_from_dict(data)
    variants = sweep_variants(s)
    assert [value for value, _ in variants] == [1, 6]
    assert [v.strategies[1].reminders[0].at for _, v in variants] == [1.0, 6.0]
    assert all(v.sweep is None for _, v in variants)


def test_pickle_round_trip_keeps_overrides_working() -> None:
    s = scenario_from_dict(reference_data(), "reference.toml")
    back = pickle.loads(pickle.dumps(s))
    assert back == s and isinstance(back, Scenario)
    assert apply_override(back, "platform.preset", "tmall").platform.preset == "tmall"
    error = ScenarioError([Problem("f.toml", "a.b", "bad", 3)])
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_problem_format() -> None:
    assert str(Problem("f.toml", "a.b", "must be a number", "x")) == (
        "f.toml: a.b: must be a number (got 'x')"
    )
    assert str(Problem("f.toml", "a.b", "required key is missing")) == (
        "f.toml: a.b: required key is missing"
    )
    long = str(Problem("f", "p", "m", list(range(100))))
    assert long.endswith("...)") and len(long) < 90
    assert Problem("f", "p", "m").value is MISSING


def test_all_problems_are_collected() -> None:
    data = copy.deepcopy(minimal())
    data["scenario"]["replications"] = 0
    data["segments"][0]["share"] = "all"
    data["shop"] = {"prise": 3}
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data, "x.toml")
    text = str(info.value)
    assert "x.toml: scenario.replications: must be at least 1 (got 0)" in text
    assert "x.toml: segments.everyone.share: must be a number (got 'all')" in text
    assert "x.toml: shop.prise: unknown key; did you mean 'price'?" in text


def test_json_schema_describes_the_format() -> None:
    schema = scenario_json_schema()
    assert set(schema["required"]) == {"scenario", "segments", "strategies"}
    segment = schema["$defs"]["Segment"]
    assert segment["required"] == ["name", "share"]
    assert "without" in segment["properties"]["pays_unprompted"]["description"] or (
        "no reminder" in segment["properties"]["pays_unprompted"]["description"]
    )
    assert (
        "dispute"
        in schema["$defs"]["Platform"]["properties"]["dispute_settle_hours"]["description"]
    )
    assert schema["$defs"]["Lognormal"]["required"][0] == "dist"

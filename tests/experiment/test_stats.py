"""The statistics: t-intervals, paired and Welch differences, and the summary.json shape."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps

from sim.experiment.results import (
    COST_COMPONENTS,
    KPI_LABELS,
    KPI_NAMES,
    UnitResult,
    total_cost_per_order,
)
from sim.experiment.stats import (
    paired_difference,
    summarize,
    sweep_key,
    t_interval,
    t_quantile,
    unpaired_interval,
)

T975_3 = 3.182446305284263  # t(0.975, 3), from tables


def _kpis(**given: float) -> dict[str, float]:
    return {name: given.get(name, 0.0) for name in KPI_NAMES}


def _units(values: dict[str, list[float]], kpi: str = "paid_rate", sweep=None) -> list[UnitResult]:
    return [
        UnitResult(strategy, rep, sweep, _kpis(**{kpi: v}), {})
        for strategy, series in values.items()
        for rep, v in enumerate(series)
    ]


def _summary(units: list[UnitResult], baseline: str = "base", **kw) -> dict:
    return summarize(units, baseline, scenario="t", seed=1, replications=4, **kw)


def test_kpi_names_cover_the_contract_and_have_labels() -> None:
    assert KPI_NAMES[:2] == ("orders", "paid_rate")
    assert KPI_NAMES[24] == "discount_per_order"  # the 24 contract KPIs come first
    paid = KPI_NAMES.index("paid_orders")
    assert KPI_NAMES[paid + 1] == "net_profit"  # the totals, side by side
    assert len(set(KPI_NAMES)) == len(KPI_NAMES) >= 32  # later rounds add KPIs
    assert all(name in KPI_LABELS for name in KPI_NAMES)
    assert KPI_LABELS["net_profit_per_order"] == "Net profit per order (yuan)"


def test_t_interval_matches_hand_computation() -> None:
    stat = t_interval([1, 2, 3, 4])
    s = math.sqrt(5 / 3)  # sample std of 1..4
    assert stat["mean"] == pytest.approx(2.5)
    assert stat["std"] == pytest.approx(s)
    half = T975_3 * s / 2
    assert half == pytest.approx(2.05426, abs=1e-5)
    assert stat["ci_low"] == pytest.approx(2.5 - half)
    assert stat["ci_high"] == pytest.approx(2.5 + half)


@given(
    st.floats(min_value=0.5, max_value=0.9999),
    st.floats(min_value=1.0, max_value=1e6, allow_nan=False),
)
def test_t_quantile_is_scipy_stats_t_ppf(p: float, df: float) -> None:
    assert t_quantile(p, df) == pytest.approx(sps.t.ppf(p, df), rel=1e-12)


def test_one_value_gives_no_interval() -> None:
    assert t_interval([0.7]) == {"mean": 0.7, "ci_low": None, "ci_high": None, "std": None, "n": 1}


def test_nan_values_are_left_out_and_all_nan_gives_none() -> None:
    stat = t_interval([1.0, math.nan, 3.0, math.inf])
    assert stat["mean"] == pytest.approx(2.0)
    assert stat["ci_high"] - stat["mean"] == pytest.approx(sps.t.ppf(0.975, 1))  # s/sqrt(n) = 1
    assert stat["n"] == 2
    empty = {**dict.fromkeys(("mean", "ci_low", "ci_high", "std")), "n": 0}
    assert t_interval([math.nan, None]) == empty


def test_paired_difference_is_the_t_interval_of_the_differences() -> None:
    a, b = [3.0, 5.0, 4.0, 7.0, 6.0], [1.0, 2.0, 2.5, 3.0, 5.0]
    expected = t_interval([x - y for x, y in zip(a, b, strict=True)])
    assert paired_difference(a, b) == {
        "diff": expected["mean"],
        "ci_low": expected["ci_low"],
        "ci_high": expected["ci_high"],
        "n": 5,
    }


def test_paired_difference_drops_incomplete_pairs() -> None:
    got = paired_difference([1.0, math.nan, 3.0], [0.0, 5.0, 1.0])
    assert got == paired_difference([1.0, 3.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="length"):
        paired_difference([1.0], [1.0, 2.0])


def test_welch_interval_matches_scipy() -> None:
    a, b = [3.1, 2.9, 3.6, 4.0, 3.3], [2.0, 2.8, 1.9, 2.2, 2.6, 3.1, 2.4]
    expected = sps.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    got = unpaired_interval(a, b)
    assert got["diff"] == pytest.approx(np.mean(a) - np.mean(b))
    assert got["ci_low"] == pytest.approx(expected.low)
    assert got["ci_high"] == pytest.approx(expected.high)


def test_common_random_numbers_make_the_paired_interval_much_narrower() -> None:
    rng = np.random.default_rng(3)
    shared = rng.normal(0.7, 0.05, 20)  # what replication k's buyers do under any strategy
    base = shared + rng.normal(0, 0.003, 20)
    strategy = shared + 0.02 + rng.normal(0, 0.003, 20)
    paired = paired_difference(list(strategy), list(base))
    unpaired = unpaired_interval(strategy, base)
    assert paired["diff"] == pytest.approx(unpaired["diff"])
    paired_width = paired["ci_high"] - paired["ci_low"]
    assert paired_width < 0.2 * (unpaired["ci_high"] - unpaired["ci_low"])
    assert paired["ci_low"] > 0 > unpaired["ci_low"]  # only the paired test sees the effect


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (None, "next-day"),
        (24, "next-day@24"),
        (24.0, "next-day@24"),
        (np.int64(6), "next-day@6"),
        (0.5, "next-day@0.5"),
        ("next_peak", "next-day@next_peak"),
    ],
)
def test_sweep_key(value, key: str) -> None:
    assert sweep_key("next-day", value) == key


def test_summary_has_the_contract_shape() -> None:
    units = _units({"base": [0.60, 0.62, 0.64, 0.61], "sms": [0.66, 0.69, 0.70, 0.66]})
    summary = _summary(units)
    assert set(summary) == {
        "scenario",
        "seed",
        "replications",
        "baseline",
        "confidence",
        "strategies",
        "comparisons",
        "adjustment",
        "best_vs_runner_up",
    }
    assert summary["adjustment"] == "none"  # one comparison: nothing to adjust for
    assert (summary["scenario"], summary["seed"], summary["replications"]) == ("t", 1, 4)
    assert list(summary["strategies"]) == ["base", "sms"]
    assert list(summary["comparisons"]) == ["sms"]
    assert set(summary["strategies"]["sms"]) >= set(KPI_NAMES) | {"cost_per_order"}
    stat_keys = {"mean", "ci_low", "ci_high", "std", "n"}
    assert set(summary["strategies"]["sms"]["paid_rate"]) == stat_keys
    comp = summary["comparisons"]["sms"]["paid_rate"]
    plain = paired_difference([0.66, 0.69, 0.70, 0.66], [0.60, 0.62, 0.64, 0.61])
    assert comp == {
        **plain,
        "ci_low_unadjusted": plain["ci_low"],
        "ci_high_unadjusted": plain["ci_high"],
        "significant": True,
    }
    assert json.loads(json.dumps(summary, allow_nan=False)) == summary


def test_comparisons_pair_by_replication_not_by_position() -> None:
    units = _units({"base": [1.0, 2.0, 3.0], "sms": [1.5, 2.5, 3.5]})
    summary = _summary(list(reversed(units)))
    comp = summary["comparisons"]["sms"]["paid_rate"]
    assert comp["diff"] == pytest.approx(0.5)
    assert comp["ci_low"] == pytest.approx(0.5) == comp["ci_high"]


def test_one_replication_gives_no_interval_and_no_nan() -> None:
    summary = _summary(_units({"base": [0.6], "sms": [0.7]}))
    text = json.dumps(summary, allow_nan=False)  # raises on NaN
    assert "NaN" not in text
    stat = summary["strategies"]["sms"]["paid_rate"]
    assert stat == {"mean": 0.7, "ci_low": None, "ci_high": None, "std": None, "n": 1}
    comp = summary["comparisons"]["sms"]["paid_rate"]
    assert comp["diff"] == pytest.approx(0.1)
    assert comp["ci_low"] is comp["ci_high"] is comp["ci_low_unadjusted"] is None
    assert comp["significant"] is False


def test_kpi_nan_in_some_replications_and_in_all() -> None:
    nan = math.nan
    units = _units({"base": [2.0, nan, 4.0], "sms": [nan, nan, nan]}, kpi="time_to_pay_hours")
    summary = _summary(units)
    assert summary["strategies"]["base"]["time_to_pay_hours"]["mean"] == pytest.approx(3.0)
    assert summary["strategies"]["base"]["time_to_pay_hours"]["n"] == 2
    assert summary["strategies"]["sms"]["time_to_pay_hours"] == {
        **dict.fromkeys(("mean", "ci_low", "ci_high", "std")),
        "n": 0,
    }
    assert summary["comparisons"]["sms"]["time_to_pay_hours"]["diff"] is None
    json.dumps(summary, allow_nan=False)


def test_sweep_keys_and_pairing_by_sweep_value() -> None:
    units = []
    for value in (6, 24):
        shift = 0.01 * value  # the swept value moves both strategies
        units += _units(
            {"base": [0.5 + shift, 0.6 + shift], "sms": [0.55 + shift, 0.65 + shift]}, sweep=value
        )
    summary = _summary(units, sweep_parameter="strategies.sms.reminders.0.at")
    assert summary["sweep"] == {"parameter": "strategies.sms.reminders.0.at", "values": [6, 24]}
    assert list(summary["strategies"]) == ["base@6", "base@24", "sms@6", "sms@24"]
    assert list(summary["comparisons"]) == ["sms@6", "sms@24"]
    for key in ("sms@6", "sms@24"):
        assert summary["comparisons"][key]["paid_rate"]["diff"] == pytest.approx(0.05)


def test_derived_cost_per_order_is_the_sum_of_its_components() -> None:
    kpis = _kpis(**{name: float(i + 1) for i, name in enumerate(COST_COMPONENTS)})
    assert len(COST_COMPONENTS) == 10  # 1 + 2 + ... + 10 = 55
    assert total_cost_per_order(kpis) == 55.0
    summary = _summary([UnitResult("base", 0, None, kpis, {})])
    assert summary["strategies"]["base"]["cost_per_order"]["mean"] == 55.0
    assert math.isnan(total_cost_per_order({}))


def test_bad_inputs_are_refused_with_the_offending_value() -> None:
    units = _units({"base": [0.6], "sms": [0.7]})
    with pytest.raises(ValueError, match="'nope'"):
        _summary(units, baseline="nope")
    with pytest.raises(ValueError, match="duplicate"):
        _summary(units + units[:1])
    with pytest.raises(ValueError, match="no unit"):
        _summary([])


_values = st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=30)


@given(_values)
def test_interval_contains_the_mean(values: list[float]) -> None:
    stat = t_interval(values)
    assert stat["ci_low"] <= stat["mean"] + 1e-9
    assert stat["mean"] <= stat["ci_high"] + 1e-9
    assert stat["std"] >= 0


@given(st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=2, max_size=30))
def test_paired_diff_is_the_difference_of_means(pairs: list[tuple[float, float]]) -> None:
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    got = paired_difference(a, b)
    assert got["diff"] == pytest.approx(np.mean(a) - np.mean(b), abs=1e-6)
    assert got["ci_low"] <= got["diff"] + 1e-9 <= got["ci_high"] + 2e-9

"""The statistics keep their promises, checked by macro-replications with known truths.

Each test repeats an experiment many times (M macro-replications) where the right answer is
known, and checks the rate at which the method is right against its nominal level. Tolerances
are set from M: a binomial rate estimated from M trials has standard error sqrt(p (1 - p) / M),
and each test allows a few of those (the chance of a false alarm is then below ~0.1%).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.experiment.adjust import compare_with_baseline
from sim.experiment.selection import kn_eta, kn_select, mcb_intervals
from sim.experiment.stats import t_interval


def _tolerance(p: float, m: int, sigmas: float = 3.5) -> float:
    return sigmas * math.sqrt(p * (1 - p) / m)


def test_t_interval_covers_the_true_mean_95_percent_of_the_time_at_5_replications() -> None:
    m, n, mean = 4000, 5, 0.58
    rng = np.random.default_rng(20260601)
    samples = rng.normal(mean, 0.03, size=(m, n))
    stats = [t_interval(row) for row in samples]
    covered = np.mean([s["ci_low"] <= mean <= s["ci_high"] for s in stats])
    assert abs(covered - 0.95) <= _tolerance(0.95, m), covered
    assert all(s["n"] == n for s in stats)


def _no_effect_pairs(rng: np.random.Generator, strategies: int, n: int) -> dict:
    """Paid rates of `strategies` strategies that all do nothing, with common random numbers
    (replication k shares its buyers) plus each strategy's own noise."""
    shared = rng.normal(0.6, 0.03, n)
    rows = [shared + rng.normal(0, 0.01, n) for _ in range(strategies + 1)]
    reps = [{r: {"paid_rate": float(row[r])} for r in range(n)} for row in rows]
    return {f"s{i}": (reps[i], reps[0]) for i in range(1, strategies + 1)}


@pytest.mark.slow
def test_adjusted_comparisons_keep_the_family_wise_error_at_most_nominal() -> None:
    m, strategies, n = 2000, 4, 5
    rng = np.random.default_rng(7)
    adjusted = unadjusted = 0
    for _ in range(m):
        method, comps = compare_with_baseline(_no_effect_pairs(rng, strategies, n), ["paid_rate"])
        assert method == "bonferroni"
        adjusted += any(c["paid_rate"]["significant"] for c in comps.values())
        unadjusted += any(
            c["paid_rate"]["ci_low_unadjusted"] > 0 or c["paid_rate"]["ci_high_unadjusted"] < 0
            for c in comps.values()
        )
    assert adjusted / m <= 0.05 + _tolerance(0.05, m), adjusted / m
    # what the adjustment prevents: about 1 - 0.95^4 = 19% of runs colour a cell
    assert unadjusted / m >= 0.12, unadjusted / m


def _crn_sampler(means: np.ndarray, rng: np.random.Generator, size: int = 2000):
    """A `draw` for kn_select: candidate i's value in replication r is mean_i + Z_r + e_ir,
    Z_r shared by every candidate (common random numbers)."""
    shared = rng.normal(0, 1.0, size)
    own = rng.normal(0, 1.0, (size, means.size))
    table = means + shared[:, None] + own
    index = {f"c{i}": i for i in range(means.size)}

    def draw(names, start, stop):
        return {name: table[start:stop, index[name]] for name in names}

    return draw, list(index)


def test_kn_eta_matches_the_formula_of_the_paper() -> None:
    # k = 2, n0 = 10, alpha = 0.05: eta = ((2 * 0.05 / 1) ** (-2 / 9) - 1) / 2
    assert kn_eta(2, 10, 0.05) == pytest.approx(0.5 * (0.1 ** (-2 / 9) - 1))
    assert kn_eta(5, 10, 0.05) > kn_eta(2, 10, 0.05)  # more candidates, wider triangle


@pytest.mark.slow
@pytest.mark.parametrize("direction", [1, -1])
def test_kn_selects_the_true_best_at_least_at_its_confidence(direction: int) -> None:
    """Slippage configuration (the hardest for an indifference-zone procedure): the best is
    exactly delta ahead of three equal others."""
    m, delta, confidence = 400, 0.5, 0.95
    means = direction * np.array([0.0, 0.0, delta, 0.0])
    rng = np.random.default_rng(11 if direction > 0 else 12)
    correct, total_reps = 0, 0
    for _ in range(m):
        draw, names = _crn_sampler(means, rng)
        picked = kn_select(
            names, draw, n0=10, delta=delta, confidence=confidence, direction=direction
        )
        correct += picked.best == "c2"
        total_reps += sum(picked.replications.values())
        assert picked.stopped_by in ("one left", "indifference")
    assert correct / m >= confidence - _tolerance(confidence, m), correct / m
    assert total_reps / m < 4 * 200  # it stops well before a fixed-size cap would


def test_kn_stops_at_once_when_the_first_stage_already_decides() -> None:
    draw, names = _crn_sampler(np.array([0.0, 10.0, 0.0]), np.random.default_rng(1))
    picked = kn_select(names, draw, n0=10, delta=0.5)
    assert picked.best == "c1"
    assert picked.replications == {"c0": 10, "c1": 10, "c2": 10}
    assert [e["after_replications"] for e in picked.eliminated] == [10, 10]


def test_kn_stops_at_max_replications_and_says_so() -> None:
    draw, names = _crn_sampler(np.zeros(3), np.random.default_rng(2))
    picked = kn_select(names, draw, n0=10, delta=1e-6, max_replications=30)
    assert picked.stopped_by == "max replications"
    assert max(picked.replications.values()) == 30


@pytest.mark.slow
def test_mcb_intervals_hold_together_at_least_at_their_confidence() -> None:
    m, n = 1000, 10
    means = np.array([0.0, 0.3, 0.5, 0.45])
    truth = {f"c{i}": means[i] - max(np.delete(means, i)) for i in range(means.size)}
    rng = np.random.default_rng(5)
    covered = 0
    for _ in range(m):
        draw, names = _crn_sampler(means, rng, size=n)
        values = draw(names, 0, n)
        intervals = mcb_intervals(values, 0.95)
        covered += all(
            intervals[c]["ci_low"] - 1e-12 <= truth[c] <= intervals[c]["ci_high"] + 1e-12
            for c in names
        )
    assert covered / m >= 0.95 - _tolerance(0.95, m), covered / m


def test_mcb_of_a_lower_is_better_kpi_is_in_its_own_units() -> None:
    values = {"a": [1.0, 1.1, 0.9, 1.0], "b": [2.0, 2.1, 1.9, 2.05]}
    lower = mcb_intervals(values, 0.95, direction=-1)
    # a is lower (better): a - b is about -1, and its interval reaches below 0 only
    assert lower["a"]["mean"] == pytest.approx(-1.0125)
    assert lower["a"]["ci_high"] == 0.0 and lower["a"]["ci_low"] < -0.9
    assert lower["b"]["ci_low"] == 0.0 and lower["b"]["ci_high"] > 0.9


def test_kn_leaves_undefined_values_out_pair_by_pair() -> None:
    nan = math.nan
    table = {
        "a": [1.0, nan, 1.2, 1.1, 0.9, 1.0, 1.1, nan, 1.0, 1.05],
        "b": [2.0, 2.1, nan, 2.0, 1.9, 2.0, 2.1, 2.0, 2.05, 1.95],
        "never": [nan] * 10,
    }

    def draw(names, start, stop):
        return {name: table[name][start:stop] for name in names}

    picked = kn_select(list(table), draw, n0=10, delta=0.5)
    assert picked.best == "b"
    assert picked.replications["b"] == 10

"""Means, 95% Student-t intervals and paired comparisons over replications.

Why paired: replication k of every strategy sees the same buyers and draws (common random
numbers), so strategy-minus-baseline differences taken replication by replication cancel most
of the noise; the interval of those differences is the honest one. `unpaired_interval` (Welch)
is here to show how much wider the interval would be without the pairing.

Every number produced is a plain float or None (never NaN), so the summary is valid JSON.
A KPI undefined in a replication (NaN: a rate with no orders, time to pay with no payer) is left
out of that KPI's mean and interval, and `n` says how many replications defined it; with fewer
than 2 there is no interval (`ci_low`/`ci_high` None), because one value says nothing about
its own spread.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from scipy import special

from sim.experiment.credited import against_control, credited_over_incremental
from sim.experiment.results import (
    DERIVED_KPIS,
    KPI_NAMES,
    PAIRED_KPIS,
    UnitResult,
    sweep_key,
    with_derived,
)

__all__ = [
    "CONFIDENCE",
    "half_width",
    "paired_difference",
    "paired_diffs",
    "summarize",
    "sweep_key",
    "t_interval",
    "t_quantile",
    "unpaired_interval",
]

CONFIDENCE = 0.95

Stat = dict[str, float | None]


def _finite(values: Iterable[float | None]) -> np.ndarray:
    array = np.array([math.nan if v is None else v for v in values], dtype=float)
    return array[np.isfinite(array)]


def _plain(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def t_quantile(p: float | np.ndarray, df: float | np.ndarray) -> float | np.ndarray:
    """Student-t quantile, scipy.stats.t.ppf(p, df): the special function it wraps, because
    importing scipy.stats costs a run ~1 s and this is the one thing it was imported for."""
    return special.stdtrit(df, p)


def half_width(std: float, n: int, confidence: float) -> float:
    """Half-width of the two-sided Student-t interval of a mean (n >= 2)."""
    if std == 0.0:
        return 0.0
    return float(t_quantile(0.5 + confidence / 2, n - 1)) * std / math.sqrt(n)


def t_interval(values: Iterable[float | None], confidence: float = CONFIDENCE) -> Stat:
    """{mean, ci_low, ci_high, std, n} of the finite values; fewer than 2 give no interval."""
    finite = _finite(values)
    n = int(finite.size)
    if n == 0:
        return {"mean": None, "ci_low": None, "ci_high": None, "std": None, "n": 0}
    if np.all(finite == finite[0]):  # exact, without rounding noise in mean and std
        mean, std = float(finite[0]), 0.0
    else:
        mean, std = float(finite.mean()), float(finite.std(ddof=1))
    if n < 2:
        return {"mean": _plain(mean), "ci_low": None, "ci_high": None, "std": None, "n": 1}
    half = half_width(std, n, confidence)
    low, high = _plain(mean - half), _plain(mean + half)
    return {"mean": _plain(mean), "ci_low": low, "ci_high": high, "std": _plain(std), "n": n}


def paired_difference(
    a: Sequence[float | None], b: Sequence[float | None], confidence: float = CONFIDENCE
) -> Stat:
    """{diff, ci_low, ci_high, n} of a - b over the pairs where both are finite (t on
    differences)."""
    stat = t_interval(paired_diffs(a, b), confidence)
    return {
        "diff": stat["mean"],
        "ci_low": stat["ci_low"],
        "ci_high": stat["ci_high"],
        "n": stat["n"],
    }


def paired_diffs(a: Sequence[float | None], b: Sequence[float | None]) -> list[float]:
    """a - b over the pairs where both are finite."""
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} vs {len(b)}")
    return [
        x - y
        for x, y in zip(a, b, strict=True)
        if x is not None and y is not None and math.isfinite(x) and math.isfinite(y)
    ]


def unpaired_interval(
    a: Iterable[float | None], b: Iterable[float | None], confidence: float = CONFIDENCE
) -> Stat:
    """{diff, ci_low, ci_high} of mean(a) - mean(b) by Welch's t, ignoring any pairing."""
    xa, xb = _finite(a), _finite(b)
    if xa.size == 0 or xb.size == 0:
        return {"diff": None, "ci_low": None, "ci_high": None}
    diff = float(xa.mean() - xb.mean())
    if xa.size < 2 or xb.size < 2:  # a single value has no spread to estimate
        return {"diff": _plain(diff), "ci_low": None, "ci_high": None}
    terms = [x.var(ddof=1) / x.size for x in (xa, xb)]
    se2 = float(sum(terms))
    if se2 == 0.0:
        return {"diff": _plain(diff), "ci_low": _plain(diff), "ci_high": _plain(diff)}
    df = se2**2 / sum(
        t**2 / (x.size - 1) for t, x in zip(terms, (xa, xb), strict=True) if x.size > 1
    )
    half = float(t_quantile(0.5 + confidence / 2, df)) * math.sqrt(se2)
    return {"diff": _plain(diff), "ci_low": _plain(diff - half), "ci_high": _plain(diff + half)}


def _kpi_order(units: Sequence[UnitResult]) -> list[str]:
    """Contract KPIs, then extras, then any KPI the engine added, then derived ones."""
    seen = {name for unit in units for name in unit.kpis}
    known = set(KPI_NAMES) | set(DERIVED_KPIS) | set(PAIRED_KPIS)
    others = sorted(seen - known)
    return [*KPI_NAMES, *others, *DERIVED_KPIS, *PAIRED_KPIS]


def _plain_value(value: float | str) -> float | int | str:
    if isinstance(value, (str, bool)) or not isinstance(value, (int, float, np.number)):
        return value
    return int(value) if isinstance(value, (int, np.integer)) else float(value)


def _add_paired(reps: dict[int, dict[str, float]], base: dict[int, dict[str, float]]) -> None:
    """Each replication's incremental figures against the baseline's same replication."""
    for rep, row in reps.items():
        if rep in base:
            row.update(against_control(row, base[rep]))


def _paired_stats(reps: dict[int, dict[str, float]], confidence: float) -> dict[str, Stat]:
    """Intervals of the incremental figures, and credited_over_incremental as the ratio of the
    mean credited orders to the mean increment (a ratio per replication would blow up where
    one replication's increment is near 0); its interval is that of the increment alone."""
    rows = list(reps.values())
    stats = {
        kpi: t_interval([row.get(kpi, math.nan) for row in rows], confidence)
        for kpi in PAIRED_KPIS
        if kpi != "credited_over_incremental"
    }
    credited = t_interval(
        [row.get("credited_paid_rate", math.nan) * row.get("reminded_rate", math.nan)
         for row in rows], confidence,
    )["mean"]  # fmt: skip
    inc = stats["incremental_paid_rate"]

    def ratio(x: float | None) -> float | None:
        return _plain(credited_over_incremental(math.nan if credited is None else credited,
                                                math.nan if x is None else x))  # fmt: skip

    stats["credited_over_incremental"] = {
        "mean": ratio(inc["mean"]),
        "ci_low": ratio(inc["ci_high"]),
        "ci_high": ratio(inc["ci_low"])
        if inc["ci_low"] is not None and inc["ci_low"] > 0
        else None,
        "std": None,
        "n": inc["n"],
    }
    return stats


def _steps(units: Sequence[UnitResult], confidence: float) -> dict[str, list]:
    """Per-step figures of every candidate whose strategy has two or more steps."""
    from .steps import steps_summary

    curves: dict[str, list] = {}
    for unit in units:
        curves.setdefault(sweep_key(unit.strategy, unit.sweep_value), []).append(unit.curves)
    out = {}
    for key, rows in curves.items():
        entries = steps_summary(rows, confidence)
        if entries:
            out[key] = entries
    return out


def summarize(
    units: list[UnitResult],
    baseline: str,
    *,
    scenario: str,
    seed: int,
    replications: int,
    sweep_parameter: str | None = None,
    confidence: float = CONFIDENCE,
    sweep: dict | None = None,
    hidden_type: Sequence[str] = (),
) -> dict:
    """The summary.json of a run: per-key intervals and paired comparisons with the baseline.

    With a sweep, a strategy the sweep does not change may be run once (sweep value None) and
    then stands for every value: it is shown once, and compared once when it is not the
    baseline. ``sweep`` is the summary's sweep entry when the caller knows it (a grid).
    ``hidden_type`` names strategies that need each buyer's hidden type (a by_segment step):
    they are summarised and compared, but never the best of ``best_vs_runner_up``.
    """
    from .adjust import compare_with_baseline
    from .best import best_vs_runner_up

    if not units:
        raise ValueError("no unit results to summarize")
    strategies = list(dict.fromkeys(u.strategy for u in units))
    if baseline not in strategies:
        raise ValueError(f"baseline {baseline!r} is not among the strategies {strategies}")
    values = list(dict.fromkeys(u.sweep_value for u in units))  # [None] without a sweep
    is_sweep = any(v is not None for v in values)

    # table[(strategy, value)][replication] -> KPIs (with derived ones)
    table: dict[tuple[str, Any], dict[int, dict[str, float]]] = {}
    for unit in units:
        reps = table.setdefault((unit.strategy, unit.sweep_value), {})
        if unit.replication in reps:
            raise ValueError(
                f"duplicate unit: strategy {unit.strategy!r}, replication {unit.replication}, "
                f"sweep value {unit.sweep_value!r}"
            )
        reps[unit.replication] = with_derived(unit.kpis)

    kpis = _kpi_order(units)
    summary: dict = {
        "scenario": scenario,
        "seed": int(seed),
        "replications": int(replications),
        "baseline": baseline,
        "confidence": confidence,
        "strategies": {},
        "comparisons": {},
    }
    if is_sweep:
        summary["sweep"] = sweep or {
            "parameter": sweep_parameter,
            "values": [_plain_value(v) for v in values if v is not None],
        }
    keyed: dict[str, dict[int, dict[str, float]]] = {}
    pairs: dict[str, tuple[dict, dict]] = {}
    for strategy in strategies:
        for value in values:
            reps = table.get((strategy, value))
            if reps is None:
                continue
            key = sweep_key(strategy, value)
            keyed[key] = reps
            summary["strategies"][key] = {
                kpi: t_interval([row.get(kpi, math.nan) for row in reps.values()], confidence)
                for kpi in kpis
            }
            base = table.get((baseline, value), table.get((baseline, None)))
            if strategy != baseline and base is not None:
                pairs[key] = (reps, base)
                _add_paired(reps, base)
            summary["strategies"][key].update(_paired_stats(reps, confidence))
    summary["adjustment"], summary["comparisons"] = compare_with_baseline(pairs, kpis, confidence)
    steps = _steps(units, confidence)
    if steps:
        summary["steps"] = steps
    seen = {k: v for k, v in keyed.items() if k.split("@", 1)[0] not in set(hidden_type)}
    summary["best_vs_runner_up"] = best_vs_runner_up(seen or keyed, confidence)
    if hidden_type:
        summary["hidden_type"] = list(hidden_type)
    return summary

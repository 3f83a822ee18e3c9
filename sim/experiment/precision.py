"""Precision on demand: add replications until the comparison intervals are narrow enough.

`--target-half-width KPI=H` asks that every paired interval of KPI against the baseline (the
one printed: Bonferroni-adjusted when there are several strategies) be at most H wide on each
side. Every candidate gets the same replications, so the comparisons stay paired. After each
round the next total is projected from the current spread (half-width shrinks as 1/sqrt(n)),
at least MIN_STEP more, at most `max_replications`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from .adjust import adjusted_confidence
from .plan import Candidate
from .stats import paired_diffs, t_interval, t_quantile

__all__ = ["MIN_STEP", "half_widths", "level", "reach_precision"]

MIN_STEP = 2  # replications added at least per round

Values = Callable[[Candidate, str, int], list[float]]  # (candidate, kpi, n) -> first n values


def _half(values: Sequence[float], confidence: float) -> float:
    stat = t_interval(values, confidence)
    if stat["ci_low"] is None or stat["ci_high"] is None:
        return math.inf
    return (stat["ci_high"] - stat["ci_low"]) / 2


def half_widths(
    pairs: Mapping[str, tuple[Candidate, Candidate | None]],
    kpi: str,
    n: int,
    values: Values,
    confidence: float,
) -> dict[str, float]:
    """Half-width per key: of the paired difference with its baseline (adjusted for the number
    of comparisons), or of its own mean when a key has no baseline to compare with."""
    paired = level(pairs, confidence)
    out = {}
    for key, (c, base) in pairs.items():
        if base is None:
            out[key] = _half(values(c, kpi, n), confidence)
        else:
            out[key] = _half(paired_diffs(values(c, kpi, n), values(base, kpi, n)), paired)
    return out


def level(pairs: Mapping[str, tuple[Candidate, Candidate | None]], confidence: float) -> float:
    """The confidence of each printed interval (Bonferroni-adjusted with several)."""
    return adjusted_confidence(confidence, sum(1 for _c, b in pairs.values() if b is not None))


def _project(n: int, worst: float, confidence: float, max_replications: int) -> int:
    """The smallest total whose half-width should reach the target: the half-width is
    t(n - 1) s / sqrt(n), so it scales by t(N - 1) / t(n - 1) * sqrt(n / N)."""
    if n < 2 or not math.isfinite(worst):
        return min(max_replications, max(n + MIN_STEP, 2 * n))
    p = 0.5 + confidence / 2
    t_n = float(t_quantile(p, n - 1))
    for total in range(n + MIN_STEP, max_replications):
        if worst * float(t_quantile(p, total - 1)) / t_n * math.sqrt(n / total) <= 1.0:
            return total
    return max_replications


def reach_precision(
    pairs: Mapping[str, tuple[Candidate, Candidate | None]],
    targets: Mapping[str, float],
    *,
    start: int,
    values: Values,
    extend: Callable[[int], None],
    confidence: float,
    max_replications: int,
) -> dict:
    """Run more replications (``extend(n)`` brings every candidate to n) until every half-width
    of every target KPI is at most its target; returns what happened, for summary.json."""
    n = start
    while True:
        widths = {kpi: half_widths(pairs, kpi, n, values, confidence) for kpi in targets}
        ratios = [
            w / targets[kpi] if targets[kpi] > 0 else math.inf
            for kpi, by_key in widths.items()
            for w in by_key.values()
        ]
        worst = max(ratios, default=0.0)
        if worst <= 1.0 or n >= max_replications:
            break
        n_next = _project(n, worst, level(pairs, confidence), max_replications)
        extend(n_next)
        n = n_next
    return {
        "targets": dict(targets),
        "replications": n,
        "max_replications": max_replications,
        "reached": worst <= 1.0,
        "half_widths": {
            kpi: {key: (w if math.isfinite(w) else None) for key, w in by_key.items()}
            for kpi, by_key in widths.items()
        },
    }

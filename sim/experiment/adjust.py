"""Comparisons with the baseline, adjusted for making several of them at once.

Why adjust: with m strategies against the baseline, m unadjusted 95% intervals each miss with
chance 5%, so some difference is coloured "better" or "worse" far more often than 5% of the
time when nothing works (about 1 - 0.95^4 = 19% with four strategies). The family is one KPI
across every comparison row of the run (every strategy, and with a sweep every value).

Why Bonferroni: each interval is the paired Student-t interval at level 1 - alpha/m. It holds
whatever the dependence between the comparisons, and common random numbers make them strongly
dependent (they share the baseline and the buyers), which rules out Dunnett's tables
(independent groups, equal variances). Holm's step-down gives the same family-wise error with
more power as a test, but its intervals are not simple; with Bonferroni the colouring is
exactly "the adjusted interval excludes 0", so what is coloured and what is printed agree.
The unadjusted interval is kept next to it for a reader who looks at one strategy only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .stats import CONFIDENCE, paired_diffs, t_interval

__all__ = ["adjusted_confidence", "compare_with_baseline", "excludes_zero"]

Reps = Mapping[int, Mapping[str, float]]


def adjusted_confidence(confidence: float, comparisons: int) -> float:
    """Bonferroni: each of m intervals at 1 - alpha/m, so all hold together at 1 - alpha."""
    return 1.0 - (1.0 - confidence) / max(1, comparisons)


def excludes_zero(low: float | None, high: float | None) -> bool:
    """True when an interval exists and lies wholly on one side of 0."""
    return low is not None and high is not None and (low > 0.0 or high < 0.0)


def _comparison(
    a: Sequence[float], b: Sequence[float], confidence: float, level: float, adjusted: bool
) -> dict:
    diffs = paired_diffs(a, b)
    plain = t_interval(diffs, confidence)
    wide = t_interval(diffs, level) if adjusted else plain
    return {
        "diff": plain["mean"],
        "ci_low": wide["ci_low"],
        "ci_high": wide["ci_high"],
        "ci_low_unadjusted": plain["ci_low"],
        "ci_high_unadjusted": plain["ci_high"],
        "significant": excludes_zero(wide["ci_low"], wide["ci_high"]),
        "n": plain["n"],
    }


def compare_with_baseline(
    pairs: Mapping[str, tuple[Reps, Reps]],
    kpis: Sequence[str],
    confidence: float = CONFIDENCE,
) -> tuple[str, dict[str, dict[str, dict]]]:
    """(method, comparisons): for each key its paired differences with its baseline, over
    the replications both ran; `ci_*` adjusted when there is more than one key."""
    m = len(pairs)
    method = "bonferroni" if m > 1 else "none"
    level = adjusted_confidence(confidence, m)
    comparisons: dict[str, dict[str, dict]] = {}
    for key, (reps, base) in pairs.items():
        shared = sorted(set(reps) & set(base))
        comparisons[key] = {
            kpi: _comparison(
                [reps[r].get(kpi, math.nan) for r in shared],
                [base[r].get(kpi, math.nan) for r in shared],
                confidence,
                level,
                m > 1,
            )
            for kpi in kpis
        }
    return method, comparisons

"""The number that supports a choice: the best strategy minus the runner-up, paired.

The main KPI is the seller's profit: per order placed when every strategy sees the same orders,
in total when they do not (a strategy that blocks buyers or sells out changes how many orders
there are, and profit per order would then reward shrinking the shop). The two are ranked by
their means over the replications; the interval is the paired Student-t interval of their
difference over the replications both ran. It is read after looking at which two are on top,
so it says "these two can (not) be told apart", not a test chosen in advance; `--select` gives
a choice with a stated confidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .adjust import excludes_zero
from .stats import CONFIDENCE, paired_diffs, t_interval

__all__ = ["best_vs_runner_up", "main_kpi"]

Reps = Mapping[int, Mapping[str, float]]


def main_kpi(keyed: Mapping[str, Reps]) -> str:
    """net_profit when strategies place different numbers of orders, else per order."""
    per_rep: dict[int, set[float]] = {}
    for reps in keyed.values():
        for rep, row in reps.items():
            per_rep.setdefault(rep, set()).add(row.get("orders", math.nan))
    differs = any(len(seen) > 1 for seen in per_rep.values())
    has_total = all("net_profit" in row for reps in keyed.values() for row in reps.values())
    return "net_profit" if differs and has_total else "net_profit_per_order"


def _mean(reps: Reps, kpi: str) -> float:
    values = np.array([row.get(kpi, math.nan) for row in reps.values()], dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else math.nan


def best_vs_runner_up(keyed: Mapping[str, Reps], confidence: float = CONFIDENCE) -> dict | None:
    """{kpi, best, runner_up, mean, ci_low, ci_high, distinguishable}; None with < 2 keys."""
    kpi = main_kpi(keyed)
    means = {key: _mean(reps, kpi) for key, reps in keyed.items()}
    ranked = sorted((k for k in means if math.isfinite(means[k])), key=lambda k: -means[k])
    if len(ranked) < 2:
        return None
    best, runner_up = ranked[0], ranked[1]
    shared = sorted(set(keyed[best]) & set(keyed[runner_up]))
    diffs = paired_diffs(
        [keyed[best][r].get(kpi, math.nan) for r in shared],
        [keyed[runner_up][r].get(kpi, math.nan) for r in shared],
    )
    stat = t_interval(diffs, confidence)
    return {
        "kpi": kpi,
        "best": best,
        "runner_up": runner_up,
        "mean": stat["mean"],
        "ci_low": stat["ci_low"],
        "ci_high": stat["ci_high"],
        "distinguishable": excludes_zero(stat["ci_low"], stat["ci_high"]),
    }

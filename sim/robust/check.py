"""`ordersim robust`: how far the assumed behaviour numbers may be wrong before the answer flips.

1. At the stated values, the best option (strategy, or strategy at a sweep value) on the KPI:
   the recommendation, with the paired interval of its lead over the runner-up.
2. One at a time: each varied key at its low end, its stated value and its high end, the others
   at their stated values. Where the best option changes between two of these, the break-even is
   found by root finding (regula falsi, Illinois) on the paired difference of the two options,
   every run on the same random numbers.
3. Jointly: `points` settings of all varied keys from a scrambled Latin hypercube
   (scipy.stats.qmc). From them: the share of the space where each option is best (Wilson 95%
   interval), each key's influence on the recommended option's lead (the first-order index
   Var(E[lead | key]) / Var(lead), estimated by binning the key in equal-count bins, corrected
   for the bins' own noise, 0 = no influence), and the expected value of perfect information on
   each key (EVPPI by the same bins: how much more per order a seller who knew that number would
   earn than one deciding on the whole range; about 0 for a number that decides nothing).
   `stated_loss`: what deciding on the stated numbers loses per order, averaged over the space,
   against the option that is best on average over it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.robust.points import Evaluator, PointValues
from sim.robust.space import Axis, axis_label

__all__ = ["RobustResult", "check"]

REFINE_STEPS = 5  # evaluations per break-even, after the bracket is found
BRACKET_TOLERANCE = 0.01  # of the key's range: stop refining below this


@dataclass
class RobustResult:
    """Everything robust.json and the answer say."""

    kpi: str
    recommended: str
    runner_up: str | None
    lead: dict[str, float]
    points: int  # of the joint design (0 when nothing varies)
    replications: int
    best_share: dict[str, dict[str, float]]
    assumptions: list[dict[str, Any]]
    evpi: float
    stated_loss: float
    units: int
    lead_at: dict[str, list[tuple[float, float]]]  # key -> (value, lead) along its range


def _means(values: PointValues) -> dict[str, float]:
    return {option: float(np.nanmean(v)) for option, v in values.items()}


def _best(values: PointValues) -> str:
    means = _means(values)
    return max(means, key=lambda o: means[o])


def _lead_interval(values: PointValues, best: str, other: str) -> dict[str, float]:
    from sim.experiment.stats import paired_difference

    d = paired_difference(list(values[best]), list(values[other]))
    return {"mean": d["diff"], "ci_low": d["ci_low"], "ci_high": d["ci_high"]}


def _break_even(ev: Evaluator, axis: Axis, x0, d0, x1, d1, a: str, b: str) -> float:
    """The value between x0 and x1 where option a's lead over b (d) crosses 0."""
    width = abs(x1 - x0)
    side = 0
    for _ in range(REFINE_STEPS):
        if abs(x1 - x0) <= BRACKET_TOLERANCE * max(width, 1e-12) or d0 == d1:
            break
        x = x1 - d1 * (x1 - x0) / (d1 - d0)
        title = ev.words.tr("break-even of {number}", number=axis_label(axis.key, ev.words))
        [values] = ev.run([{axis.key: x}], options=[a, b], title=title)
        d = float(np.nanmean(values[a] - values[b]))
        if d * d1 > 0:  # x replaces x1; Illinois: halve the stale end's weight
            x1, d1 = x, d
            if side == -1:
                d0 /= 2
            side = -1
        else:
            x0, d0 = x, d
            if side == 1:
                d1 /= 2
            side = 1
    return float(x0 - d0 * (x1 - x0) / (d1 - d0)) if d1 != d0 else float((x0 + x1) / 2)


def _one_at_a_time(ev: Evaluator, axes: list[Axis], at_stated: PointValues, ends: list):
    """Break-evens per key, and the recommended option's lead along each key's range (``ends``:
    the values at each key's low and high end, in the order of the axes)."""
    found, leads = {}, {}
    for i, axis in enumerate(axes):
        along = sorted(
            [(axis.low, ends[2 * i]), (axis.stated, at_stated), (axis.high, ends[2 * i + 1])],
            key=lambda item: item[0],
        )
        breaks = []
        for (x0, v0), (x1, v1) in itertools.pairwise(along):
            a, b = _best(v0), _best(v1)
            if a == b or x1 <= x0:
                continue
            d0 = float(np.nanmean(v0[a] - v0[b]))
            d1 = float(np.nanmean(v1[a] - v1[b]))
            value = _break_even(ev, axis, x0, d0, x1, d1, a, b)
            breaks.append({"value": value, "from": a, "to": b})
        found[axis.key] = breaks
        leads[axis.key] = [(x, _lead(v)) for x, v in along]
    return found, leads


def _lead(values: PointValues, option: str | None = None) -> float:
    """The option's mean minus the best other option's (the best's lead when None)."""
    means = _means(values)
    option = option or max(means, key=lambda o: means[o])
    others = [m for o, m in means.items() if o != option]
    return means[option] - max(others) if others else 0.0


def _bins(x: np.ndarray, count: int) -> np.ndarray:
    """Equal-count bin of each value (a Latin hypercube puts equally many in each)."""
    order = np.argsort(x, kind="stable")
    labels = np.empty(len(x), dtype=int)
    labels[order] = np.arange(len(x)) * count // len(x)
    return labels


def influence(x: np.ndarray, y: np.ndarray, count: int) -> float:
    """First-order index of y on x, binned and corrected for noise (0 when x does not matter):
    1 - (1 - eta²) (n - 1) / (n - bins), clipped to [0, 1]."""
    n = len(y)
    total = float(np.sum((y - y.mean()) ** 2))
    if total <= 0 or n <= count:
        return 0.0
    labels = _bins(x, count)
    between = sum(
        np.sum(labels == b) * (y[labels == b].mean() - y.mean()) ** 2 for b in range(count)
    )
    eta2 = between / total
    return float(min(1.0, max(0.0, 1 - (1 - eta2) * (n - 1) / (n - count))))


def evppi(x: np.ndarray, table: np.ndarray, count: int) -> float:
    """Expected value of perfect information on x (table: points x options): over bins of x,
    the best option's mean, weighted by the bin's share, minus the best mean over the whole
    space (what knowing x adds to deciding on the whole range; about 0 when x does not matter)."""
    labels = _bins(x, count)
    known = 0.0
    for b in range(count):
        rows = table[labels == b]
        if len(rows):
            known += len(rows) / len(table) * float(np.nanmax(np.nanmean(rows, axis=0)))
    return max(0.0, known - float(np.nanmax(np.nanmean(table, axis=0))))


def _wilson(k: int, n: int) -> tuple[float, float]:
    from scipy.stats import binomtest

    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def check(ev: Evaluator, axes: list[Axis], points: int, seed: int) -> RobustResult:
    """The robustness check of the evaluator's scenario over the axes (see the module doc)."""
    from scipy.stats import qmc

    replications = ev.replications
    plain = max(replications, int(ev.scenario.scenario.replications))
    ends = [{axis.key: value} for axis in axes for value in (axis.low, axis.high)]
    design = np.empty((0, len(axes)))
    if axes and points > 0:
        unit = qmc.LatinHypercube(d=len(axes), seed=seed).random(points)
        lows = np.array([a.low for a in axes])
        spans = np.array([a.high - a.low for a in axes])
        design = lows + unit * spans
    joint = [{a.key: float(row[j]) for j, a in enumerate(axes)} for row in design]
    # one batch for everything the results do not decide: the pool starts once, and a resumed
    # check knows how many of these units it keeps
    first = ev.run(
        [{}, *ends, *joint],
        title=ev.words.tr("stated values, ends, joint design"),
        replications=[plain] + [replications] * (len(ends) + len(joint)),
    )
    at_stated, end_runs, runs = first[0], first[1 : 1 + len(ends)], first[1 + len(ends) :]
    means = _means(at_stated)
    ranked = sorted(means, key=lambda o: means[o], reverse=True)
    recommended = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    lead = _lead_interval(at_stated, recommended, runner) if runner else {}
    # along the ranges every point runs replications 0..r-1: the stated point's first r pair
    stated_r = {o: v[:replications] for o, v in at_stated.items()}
    breaks, leads = _one_at_a_time(ev, axes, stated_r, end_runs)
    share: dict[str, dict[str, float]] = {}
    infl = {axis.key: 0.0 for axis in axes}
    gains = {axis.key: 0.0 for axis in axes}
    total_evpi = stated_loss = 0.0
    if runs:
        options = list(means)
        table = np.array([[float(np.nanmean(r[o])) for o in options] for r in runs])
        best = np.nanargmax(table, axis=1)
        for j, option in enumerate(options):
            k = int(np.sum(best == j))
            low, high = _wilson(k, points)
            share[option] = {"share": k / points, "low": low, "high": high}
        chosen = options.index(recommended)
        others = np.delete(table, chosen, axis=1)
        lead_y = table[:, chosen] - (others.max(axis=1) if others.size else 0.0)
        bins = max(2, min(8, round(math.sqrt(points) / 2)))
        for j, axis in enumerate(axes):
            infl[axis.key] = influence(design[:, j], lead_y, bins)
            gains[axis.key] = evppi(design[:, j], table, bins)
        total_evpi = float(np.mean(table.max(axis=1)) - np.max(table.mean(axis=0)))
        stated_loss = float(np.max(table.mean(axis=0)) - table[:, chosen].mean())
    assumptions = [
        {
            "key": a.key,
            "stated": a.stated,
            "low": a.low,
            "high": a.high,
            "influence": infl[a.key],
            "evpi": gains[a.key],
            "break_even": breaks[a.key],
        }
        for a in axes
    ]
    assumptions.sort(key=lambda item: (-item["influence"], -abs(item["evpi"])))
    return RobustResult(
        kpi=ev.kpi,
        recommended=recommended,
        runner_up=runner,
        lead=lead,
        points=len(runs),
        replications=replications,
        best_share=share,
        assumptions=assumptions,
        evpi=total_evpi,
        stated_loss=stated_loss,
        units=ev.units_run,
        lead_at=leads,
    )

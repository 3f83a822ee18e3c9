"""Select the best candidate: the fully sequential procedure of Kim and Nelson (2001), "KN".

KN is an indifference-zone procedure: with probability at least `confidence` it returns the
best candidate whenever the best beats every other by at least `delta` (and otherwise one
within `delta` of the best). It is valid with common random numbers because it works on the
variance of each pairwise *difference* (S²_il from the first stage), which CRN makes small.

Steps (maximising; a lower-is-better KPI is negated first):

1. First stage: n0 replications of every candidate (n0 >= MIN_FIRST_STAGE). For each pair,
   S²_il = sample variance of X_i - X_l over those n0 replications.
2. eta = ((2 alpha / (k - 1))^(-2 / (n0 - 1)) - 1) / 2 and h² = 2 c eta (n0 - 1), c = 1.
3. After r replications, candidate i is eliminated if for some surviving l
   mean_r(X_i - X_l) < -W_il(r), with W_il(r) = max(0, delta / (2 c r) (h² S²_il / delta² - r)).
4. Stop when one survivor is left; W_il is 0 once r >= h² S²_il / delta², so by then every
   pair is decided by its means and the survivor with the best mean is selected.

Replications are added in batches of `batch` to every survivor, and the elimination is checked
after each batch. Checking at fewer r than KN does cannot lower the chance of a correct
selection: an incorrect elimination at a checked r is an exit of the triangular continuation
region that KN's bound already counts. Undefined values (NaN) are left out pair by pair.

`mcb` gives Hsu's multiple comparisons with the best on the replications all candidates share:
for each i an interval for mu_i - max_{l != i} mu_l, one-sided Bonferroni t per pair.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .stats import t_quantile

__all__ = [
    "MIN_FIRST_STAGE",
    "SELECTION_BATCH",
    "Selection",
    "kn_eta",
    "kn_select",
    "mcb_intervals",
]

MIN_FIRST_STAGE = 10  # KN's variance estimates and eta are poor below ~10 (eta explodes at 2)
SELECTION_BATCH = 5  # replications added to each survivor between two elimination checks

# draw(candidates, start, stop) -> {candidate: values of replications start..stop-1}
Draw = Callable[[Sequence[str], int, int], Mapping[str, Sequence[float]]]


@dataclass
class Selection:
    """What the procedure did: the choice, how much each candidate ran, who went out when."""

    best: str
    replications: dict[str, int]
    eliminated: list[dict] = field(default_factory=list)
    survivors: list[str] = field(default_factory=list)
    stopped_by: str = "one left"  # or "indifference" (W reached 0) or "max replications"
    values: dict[str, np.ndarray] = field(default_factory=dict)


def kn_eta(k: int, n0: int, alpha: float) -> float:
    """KN's eta for k candidates, first stage n0, error alpha (c = 1)."""
    return 0.5 * ((2.0 * alpha / (k - 1)) ** (-2.0 / (n0 - 1)) - 1.0)


def _pair_stats(x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    d = x - y
    d = d[np.isfinite(d)]
    return (float(d.mean()) if d.size else 0.0), int(d.size)


def _first_stage_variance(x: np.ndarray, y: np.ndarray) -> float:
    d = x - y
    d = d[np.isfinite(d)]
    return float(d.var(ddof=1)) if d.size >= 2 else 0.0


def kn_select(
    candidates: Sequence[str],
    draw: Draw,
    *,
    n0: int,
    delta: float,
    confidence: float = 0.95,
    direction: int = 1,
    batch: int = SELECTION_BATCH,
    max_replications: int = 1000,
) -> Selection:
    """Run KN on `candidates`, asking `draw` for replications; `direction` -1 minimises."""
    if n0 < 2:
        raise ValueError(f"first stage needs at least 2 replications (got {n0})")
    if delta <= 0:
        raise ValueError(f"delta must be positive (got {delta})")
    names = list(candidates)
    first = draw(names, 0, n0)
    values = {c: direction * np.asarray(first[c], dtype=float) for c in names}
    counts = dict.fromkeys(names, n0)
    if len(names) == 1:
        return Selection(names[0], counts, [], names, "one left", _natural(values, direction))
    alpha = 1.0 - confidence
    h2 = 2.0 * kn_eta(len(names), n0, alpha) * (n0 - 1)
    s2 = {
        (i, j): _first_stage_variance(values[i][:n0], values[j][:n0])
        for i in names
        for j in names
        if i != j
    }
    survivors, eliminated, r = list(names), [], n0
    stopped_by = "one left"
    while True:
        out = []
        for i in survivors:
            for j in survivors:
                if j == i:
                    continue
                mean, n = _pair_stats(values[i][:r], values[j][:r])
                w = max(0.0, delta / (2.0 * n) * (h2 * s2[(i, j)] / delta**2 - n)) if n else 0.0
                if n and mean < -w:
                    out.append(i)
                    break
        if len(out) == len(survivors):  # only with ties at W = 0: keep the best mean
            out.remove(max(survivors, key=lambda c: _mean(values[c][:r])))
        for c in out:
            eliminated.append({"candidate": c, "after_replications": r})
        survivors = [c for c in survivors if c not in out]
        if len(survivors) == 1:
            break
        if all(r >= h2 * s2[(i, j)] / delta**2 for i in survivors for j in survivors if i != j):
            stopped_by = "indifference"
            break
        if r >= max_replications:
            stopped_by = "max replications"
            break
        stop = min(r + batch, max_replications)
        more = draw(survivors, r, stop)
        for c in survivors:
            values[c] = np.concatenate([values[c], direction * np.asarray(more[c], dtype=float)])
            counts[c] = stop
        r = stop
    best = max(survivors, key=lambda c: _mean(values[c][:r]))
    return Selection(best, counts, eliminated, survivors, stopped_by, _natural(values, direction))


def _mean(x: np.ndarray) -> float:
    """Mean of the defined values; -inf when there are none (never selected over a number)."""
    finite = x[np.isfinite(x)]
    return float(finite.mean()) if finite.size else -math.inf


def _natural(values: Mapping[str, np.ndarray], direction: int) -> dict[str, np.ndarray]:
    return {c: direction * v for c, v in values.items()}


def mcb_intervals(
    values: Mapping[str, Sequence[float]], confidence: float = 0.95, direction: int = 1
) -> dict[str, dict[str, float | None]]:
    """Hsu's constrained MCB with paired (CRN) standard errors, on the common replications.

    For each i: {mean, ci_low, ci_high} for mu_i - (best of the others), in the KPI's units
    (for a lower-is-better KPI "best" is the lowest, so a candidate is ruled out when its
    interval lies above 0). An interval that holds 0 means i may be the best.
    """
    names = list(values)
    k = len(names)
    if k < 2:
        return {c: {"mean": None, "ci_low": None, "ci_high": None} for c in names}
    n = min(len(values[c]) for c in names)
    x = {c: direction * np.asarray(values[c], dtype=float)[:n] for c in names}
    alpha = 1.0 - confidence
    diff: dict[tuple[str, str], float] = {}
    width: dict[tuple[str, str], float] = {}
    for i in names:
        for j in names:
            if i == j:
                continue
            d = x[i] - x[j]
            d = d[np.isfinite(d)]
            diff[(i, j)] = float(d.mean()) if d.size else math.nan
            if d.size >= 2:
                t = float(t_quantile(1.0 - alpha / (k - 1), d.size - 1))
                width[(i, j)] = t * float(d.std(ddof=1)) / math.sqrt(d.size)
            else:
                width[(i, j)] = math.inf
    upper = {i: min(diff[(i, j)] + width[(i, j)] for j in names if j != i) for i in names}
    contenders = [i for i in names if upper[i] > 0]
    result = {}
    for i in names:
        others = [j for j in names if j != i]
        point = min(diff[(i, j)] for j in others)  # X_i minus the best of the others
        high = max(0.0, upper[i])
        if contenders == [i]:
            low = 0.0
        else:
            pool = [j for j in contenders if j != i] or others
            low = min(0.0, min(diff[(i, j)] - width[(i, j)] for j in pool))
        if direction < 0:  # back to the KPI's units: mu_i - min_l mu_l
            point, low, high = -point, -high, -low
        result[i] = {"mean": _plain(point), "ci_low": _plain(low), "ci_high": _plain(high)}
    return result


def _plain(x: float) -> float | None:
    return float(x) + 0.0 if math.isfinite(x) else None

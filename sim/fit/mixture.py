"""A mixture of lognormals for pay delays: EM on log delay, components chosen by BIC.

Delays are binned on a fine log grid first (bins of 0.01 in log-hours), so a million payers
cost no more than a thousand; each bin carries its (censoring) weight. BIC counts the real
number of payers, so more data earns more components only when they pay their way; with a
very large export BIC keeps adding components for wrinkles nobody can see, so the fewest
components whose KS distance is within 0.005 of the BIC choice's (and whose quartiles and
90th percentile are as close to the data's) are kept: one segment per component has to mean
something to the seller. Should the BIC choice miss a quartile or the 90th percentile by more
than 10% (a quantile inside a gap between two kinds of payer moves a lot for a small error),
the number of components that reproduces them best is taken instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = ["FLOOR_HOURS", "Mixture", "fit_mixture", "mixture_cdf"]

_BIN = 0.01
_MIN_SIGMA = 0.05
_MAX_COMPONENTS = 6
FLOOR_HOURS = 1.0 / 3600.0  # a delay of 0 s is read as 1 s
_KS_SLACK = 0.005
_QUANTILES = np.array([0.25, 0.5, 0.75, 0.9])


@dataclass(frozen=True)
class Mixture:
    """Component weights, means and standard deviations of log(hours), fastest first."""

    weights: np.ndarray
    mu: np.ndarray
    sigma: np.ndarray
    loglik: float
    n: float
    bic: float
    bics: dict[int, float]

    @property
    def k(self) -> int:
        return int(self.weights.size)

    @property
    def medians(self) -> np.ndarray:
        return np.exp(self.mu)


def mixture_cdf(x: np.ndarray, weights, mu, sigma) -> np.ndarray:
    """P(delay <= x) under the mixture (x in hours)."""
    lx = np.log(np.maximum(np.asarray(x, dtype=float), FLOOR_HOURS))[..., None]
    return np.sum(np.asarray(weights) * special.ndtr((lx - mu) / sigma), axis=-1)


def _binned(hours: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.log(np.maximum(hours, FLOOR_HOURS))
    idx = np.floor(x / _BIN).astype(np.int64)
    lo = idx.min()
    counts = np.bincount(idx - lo, weights=weights)
    keep = counts > 0
    centres = (np.arange(counts.size)[keep] + lo + 0.5) * _BIN
    return centres, counts[keep]


def _em(x: np.ndarray, w: np.ndarray, k: int, iterations: int = 500) -> tuple[np.ndarray, ...]:
    total = w.sum()
    cdf = np.cumsum(w) / total
    qs = (np.arange(k) + 0.5) / k
    mu = x[np.minimum(np.searchsorted(cdf, qs), x.size - 1)]
    spread = np.sqrt(np.sum(w * (x - np.sum(w * x) / total) ** 2) / total)
    sigma = np.full(k, max(spread / k, _MIN_SIGMA))
    pi = np.full(k, 1.0 / k)
    previous = -np.inf
    loglik = previous
    for _ in range(iterations):
        dens = pi * np.exp(-0.5 * ((x[:, None] - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
        mix = np.maximum(dens.sum(axis=1), 1e-300)
        loglik = float(np.sum(w * np.log(mix)))
        resp = dens / mix[:, None] * w[:, None]
        nk = np.maximum(resp.sum(axis=0), 1e-12)
        pi = nk / total
        mu = resp.T @ x / nk
        var = np.sum(resp * (x[:, None] - mu) ** 2, axis=0) / nk + _BIN**2 / 12.0
        sigma = np.maximum(np.sqrt(var), _MIN_SIGMA)
        if loglik - previous < 1e-7 * abs(loglik):
            break
        previous = loglik
    order = np.argsort(mu)
    return pi[order], mu[order], sigma[order], loglik


def fit_mixture(
    hours: np.ndarray, weights: np.ndarray | None = None, components: int | None = None
) -> Mixture:
    """Fit 1..6 components (or exactly ``components``) and keep the lowest BIC.

    The log-likelihood is of log delays; the number of payers is the sum of weights.
    """
    hours = np.asarray(hours, dtype=float)
    w_all = np.ones_like(hours) if weights is None else np.asarray(weights, dtype=float)
    x, w = _binned(hours, w_all)
    n = float(hours.size)
    scale = n / w.sum()  # weights re-scaled to count payers once
    w = w * scale
    candidates = [components] if components else range(1, _MAX_COMPONENTS + 1)
    fits: dict[int, tuple[Mixture, float]] = {}
    bics: dict[int, float] = {}
    edges = np.exp(x + _BIN / 2.0)
    observed = np.cumsum(w) / w.sum()
    for k in candidates:
        if k > max(1, x.size // 3) and components is None:
            break
        pi, mu, sigma, loglik = _em(x, w, k)
        bic = -2.0 * loglik + (3 * k - 1) * np.log(n)
        bics[k] = float(bic)
        ks = float(np.max(np.abs(observed - mixture_cdf(edges, pi, mu, sigma))))
        fits[k] = (Mixture(pi, mu, sigma, loglik, n, float(bic), bics), ks)
    grid = np.exp(np.linspace(x[0] - 3 * _BIN, x[-1] + 3 * _BIN, 4000))
    wanted = np.log(edges[np.minimum(np.searchsorted(observed, _QUANTILES), x.size - 1)])

    def quantile_error(m: Mixture) -> float:
        model = np.log(np.interp(_QUANTILES, mixture_cdf(grid, m.weights, m.mu, m.sigma), grid))
        return float(np.max(np.abs(np.expm1(model - wanted))))

    errors = {k: quantile_error(m) for k, (m, _) in fits.items()}
    chosen = min(fits, key=lambda k: fits[k][0].bic)
    limit, q_limit = fits[chosen][1] + _KS_SLACK, max(errors[chosen], 0.05)
    chosen = min(k for k in fits if k <= chosen and fits[k][1] <= limit and errors[k] <= q_limit)
    if errors[chosen] > 0.10:
        chosen = min(fits, key=lambda k: (round(errors[k], 3), k))
    best = fits[chosen][0]
    return Mixture(best.weights, best.mu, best.sigma, best.loglik, n, best.bic, bics)

"""``ordersim check``: simulate a scenario and hold it against the shop's own export.

Each measure is observed (with a 95% interval from the export's sample size) and simulated
(mean over replications with a Student-t 95% interval), and passes when the simulated mean is
within the tolerance of the observed value:

- paid share: within 1 percentage point;
- pay-delay quartiles and 90th percentile: within 25%;
- hourly and weekday profiles: total variation <= 0.05, or <= the distance a profile of the
  export's size shows by chance (95th percentile, `sampling_tv`) when that is larger;
- ship and delivery medians: within 25%.

Measures the export cannot give (no shipment column, say) are left out, not failed. Pay
delays under a second count as one second on both sides (as in the fit), so an export whose
timestamps often repeat the placement time still has quartiles to compare.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.experiment.stats import t_interval

from .mixture import FLOOR_HOURS
from .observed import (
    delay_sample,
    hour_weekday_counts,
    ipw,
    paid_share,
    placed_table,
    profile_shares,
    weekday_exposure,
    weekday_of,
    weighted_quantiles,
)
from .orders import Orders
from .simulated import SimOrders

__all__ = [
    "PAID_TOLERANCE",
    "PROFILE_TOLERANCE",
    "RELATIVE_TOLERANCE",
    "Row",
    "compare",
    "sampling_tv",
]

PAID_TOLERANCE = 0.01
RELATIVE_TOLERANCE = 0.25
PROFILE_TOLERANCE = 0.05
_QUANTILES = {
    "pay delay Q1": 0.25,
    "pay delay median": 0.5,
    "pay delay Q3": 0.75,
    "pay delay p90": 0.9,
}


@dataclass(frozen=True)
class Row:
    """One measure: observed (with interval), simulated (with interval), tolerance, verdict."""

    measure: str
    kind: str  # "share" | "hours" | "tv"
    observed: float | None
    observed_half: float | None
    simulated: float
    simulated_half: float | None
    tolerance: str
    passed: bool


def sampling_tv(shares: np.ndarray, n: int, draws: int = 400) -> float:
    """The 95th percentile of the total variation between ``shares`` and the shares of ``n``
    orders drawn from them: the distance a profile of ``n`` orders shows by chance alone (a
    small export's hourly profile is that far from any model, right or wrong)."""
    p = np.asarray(shares, dtype=float)
    p = p / p.sum()
    counts = np.random.default_rng(0).multinomial(n, p, size=draws)
    tv = 0.5 * np.abs(counts / n - p).sum(axis=1)
    return float(np.quantile(tv, 0.95))


def _quantile_half(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Half width of a distribution-free 95% interval of a quantile (order statistics)."""
    n = values.size
    step = 1.96 * np.sqrt(n * q * (1 - q)) / n
    lo, hi = weighted_quantiles(values, weights, [max(q - step, 0.0), min(q + step, 1.0)])
    return float(hi - lo) / 2.0


def _stat(values: list[float]) -> tuple[float, float | None]:
    s = t_interval(values)
    mean = float(s["mean"]) if s["mean"] is not None else float("nan")
    half = None if s["ci_high"] is None else (float(s["ci_high"]) - float(s["ci_low"])) / 2.0
    return mean, half


def _relative(measure, observed, observed_half, sims) -> Row:
    mean, half = _stat(sims)
    ok = bool(observed > 0 and abs(mean / observed - 1.0) <= RELATIVE_TOLERANCE)
    return Row(measure, "hours", observed, observed_half, mean, half, "within 25%", ok)


def _median_row(measure, durations, starts, end, sims) -> Row | None:
    known = ~np.isnan(durations)
    if known.sum() < 2 or not any(np.isfinite(s) for s in sims):
        return None
    d = durations[known]
    w = ipw(starts, d, end)
    observed = float(weighted_quantiles(d, w, [0.5])[0])
    return _relative(measure, observed, _quantile_half(d, w, 0.5), sims)


def compare(orders: Orders, auto_close: float, runs: list[SimOrders]) -> list[Row]:
    """Every measure the export allows, observed vs simulated."""
    rows: list[Row] = []
    paid = paid_share(orders, auto_close)
    half = 1.96 * np.sqrt(paid.share * (1 - paid.share) / paid.n)
    sim_paid = [float(np.mean(~np.isnan(r.pay))) for r in runs]
    mean, sim_half = _stat(sim_paid)
    ok = abs(mean - paid.share) <= PAID_TOLERANCE
    rows.append(Row("paid share", "share", paid.share, half, mean, sim_half, "±1 point", ok))
    delays, weights = delay_sample(orders)
    delays = np.maximum(delays, FLOOR_HOURS)  # under a second counts as a second, as in the fit
    sim_delays = [np.maximum(r.pay - r.placed, FLOOR_HOURS) for r in runs]
    for measure, q in _QUANTILES.items() if delays.size >= 2 else ():
        observed = float(weighted_quantiles(delays, weights, [q])[0])
        sims = [float(np.nanquantile(d, q)) if np.isfinite(d).any() else np.nan for d in sim_delays]
        rows.append(_relative(measure, observed, _quantile_half(delays, weights, q), sims))
    obs_hour, obs_day = profile_shares(hour_weekday_counts(orders))
    obs_days = weekday_exposure(weekday_of(orders.start), np.ceil(orders.placed.max() + 1e-9))
    tv_hour, tv_day = [], []
    for r in runs:
        hour, day = profile_shares(placed_table(r.placed, r.start_weekday))
        sim_days = weekday_exposure(r.start_weekday, r.span_hours)
        if not np.allclose(sim_days, obs_days):  # a shorter simulated window: rates x export days
            rate = np.divide(day, sim_days, out=np.zeros(7), where=sim_days > 0)
            day = rate * obs_days / np.sum(rate * obs_days)
        tv_hour.append(0.5 * float(np.abs(hour - obs_hour).sum()))
        tv_day.append(0.5 * float(np.abs(day - obs_day).sum()))
    for measure, tvs, shares in (
        ("hourly profile TV", tv_hour, obs_hour),
        ("weekday profile TV", tv_day, obs_day),
    ):
        mean, sim_half = _stat(tvs)
        limit = max(PROFILE_TOLERANCE, sampling_tv(shares, orders.n))
        text = "<= 0.05" if limit == PROFILE_TOLERANCE else f"<= {limit:.3f} noise"
        rows.append(Row(measure, "tv", None, None, mean, sim_half, text, mean <= limit))
    paid_at = orders.placed + orders.pay_delay
    ship = _median_row(
        "ship median",
        orders.ship,
        paid_at,
        orders.end,
        [
            float(np.nanmedian(r.ship - r.pay)) if np.isfinite(r.ship).any() else np.nan
            for r in runs
        ],
    )
    if ship is not None:
        rows.append(ship)
    delivery = _median_row(
        "delivery median",
        orders.delivery,
        paid_at + orders.ship,
        orders.end,
        [
            float(np.nanmedian(r.deliver - r.ship)) if np.isfinite(r.deliver).any() else np.nan
            for r in runs
        ],
    )
    if delivery is not None:
        rows.append(delivery)
    return rows

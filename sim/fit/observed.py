"""Measures of an export that both the fit and the backtest use, corrected for its end.

An export stops at one moment, so a slow payer placed on the last day is not seen paying yet:
naive shares and quantiles would favour the fast. Each observed duration d is weighted by
1 / P(seen | d), the share of orders that started early enough (d before the end) for a
duration d to be visible; an open order is censored, counting as paid later with the chance
the observed delays leave for it (the EM fixed point of the paid share).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .orders import Orders

__all__ = [
    "Censored",
    "hour_weekday_counts",
    "ipw",
    "paid_share",
    "profile_shares",
    "weekday_exposure",
    "weekday_of",
    "weighted_cdf",
    "weighted_quantiles",
]


def ipw(starts: np.ndarray, durations: np.ndarray, end: float) -> np.ndarray:
    """Inverse-probability weights for durations seen before ``end`` (mean weight 1)."""
    starts = np.sort(starts[~np.isnan(starts)])
    seen = np.searchsorted(starts, end - durations, side="right")
    w = starts.size / np.maximum(seen, 1)
    return w / w.mean() if w.size else w


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs) -> np.ndarray:
    """Quantiles of a weighted sample (the inverse of its weighted ECDF)."""
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cdf = np.cumsum(w) / w.sum()
    idx = np.searchsorted(cdf, np.asarray(qs, dtype=float), side="left")
    return v[np.minimum(idx, v.size - 1)]


def weighted_cdf(values: np.ndarray, weights: np.ndarray):
    """The weighted ECDF as a function of x."""
    order = np.argsort(values)
    v, cdf = values[order], np.cumsum(weights[order]) / weights.sum()

    def at(x: np.ndarray) -> np.ndarray:
        idx = np.searchsorted(v, np.asarray(x, dtype=float), side="right")
        return np.where(idx > 0, cdf[np.maximum(idx - 1, 0)], 0.0)

    return at


@dataclass(frozen=True)
class Censored:
    """The paid share with censoring, and how many orders were censored."""

    share: float
    n: int  # orders counted
    paid: int
    censored: int  # open and still inside the auto-close window at the export's end
    timed_out: int  # open, but older than the auto-close: closed by the platform


def delay_sample(orders: Orders) -> tuple[np.ndarray, np.ndarray]:
    """Known pay delays and their censoring weights."""
    known = ~np.isnan(orders.pay_delay)
    delays = orders.pay_delay[known]
    return delays, ipw(orders.placed, delays, orders.end)


def paid_share(orders: Orders, auto_close: float, cdf=None) -> Censored:
    """Paid share of all orders, open orders near the end counted by their chance to pay."""
    delays, w = delay_sample(orders)
    if cdf is None:
        cdf = weighted_cdf(delays, w)
    elapsed = orders.end - orders.placed
    is_open = orders.open
    censored = is_open & (elapsed < auto_close)
    f_c = np.clip(cdf(elapsed[censored]), 0.0, 1.0)
    paid = int(orders.paid.sum())
    n = orders.n
    p = paid / max(n - int(censored.sum()), 1)
    for _ in range(200):
        q = p * (1.0 - f_c) / np.maximum(1.0 - p * f_c, 1e-12)
        new = (paid + q.sum()) / n
        if abs(new - p) < 1e-12:
            break
        p = new
    return Censored(
        share=float(p),
        n=n,
        paid=paid,
        censored=int(censored.sum()),
        timed_out=int((is_open & ~censored).sum()),
    )


def hour_weekday_counts(orders: Orders) -> np.ndarray:
    """Orders by (weekday, hour): a 7 x 24 table, Monday first."""
    return placed_table(orders.placed, weekday_of(orders.start))


def weekday_of(start: np.datetime64) -> int:
    """The weekday (Monday 0) of a datetime64."""
    return int((start.astype("datetime64[D]").astype(np.int64) + 3) % 7)  # 1970-01-01: Thu


def placed_table(placed: np.ndarray, start_weekday: int) -> np.ndarray:
    """7 x 24 counts of placement times given in hours from a midnight of ``start_weekday``."""
    slot = np.floor(placed).astype(np.int64)
    hour = slot % 24
    weekday = (start_weekday + slot // 24) % 7
    return np.bincount(weekday * 24 + hour, minlength=168).reshape(7, 24).astype(float)


def weekday_exposure(start_weekday: int, span_hours: float) -> np.ndarray:
    """How many days (fractions for a partial day) of each weekday a window covers."""
    hours = np.arange(int(np.ceil(span_hours)))
    width = np.minimum(hours + 1.0, span_hours) - hours
    days = (start_weekday + hours // 24) % 7
    return np.bincount(days, weights=width, minlength=7) / 24.0


def profile_shares(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shares of orders by hour (24) and by weekday (7) from a 7 x 24 table."""
    total = table.sum()
    return table.sum(axis=0) / total, table.sum(axis=1) / total

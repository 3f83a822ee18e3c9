"""How much the shop's last weeks differ from the whole export, by the measures of `check`.

A shop that changed (a new payment method, a campaign, a season) fits one scenario to orders
that no longer describe it; the recent orders, measured the same way as `check` measures an
export, show whether that happened before anyone relies on the fit. A measure "differs" when
the recent value is outside `check`'s tolerance around the whole export's and the gap is more
than the two samples' noise (the 95% interval of the difference; for a profile, the distance
`sampling_tv` gives a sample of the recent size), so a week of few orders is not called a change.
"""

from __future__ import annotations

import numpy as np

from .check import (
    _QUANTILES,
    PAID_TOLERANCE,
    PROFILE_TOLERANCE,
    RELATIVE_TOLERANCE,
    Row,
    _quantile_half,
    sampling_tv,
)
from .mixture import FLOOR_HOURS
from .observed import (
    delay_sample,
    hour_weekday_counts,
    ipw,
    paid_share,
    weekday_exposure,
    weekday_of,
    weighted_quantiles,
)
from .orders import Orders

__all__ = ["compare_recent"]


def _quantiles(orders: Orders) -> dict[str, tuple[float, float]]:
    delays, weights = delay_sample(orders)
    delays = np.maximum(delays, FLOOR_HOURS)
    if delays.size < 2:
        return {}
    return {
        m: (float(weighted_quantiles(delays, weights, [q])[0]), _quantile_half(delays, weights, q))
        for m, q in _QUANTILES.items()
    }


def _profiles(orders: Orders) -> tuple[np.ndarray, np.ndarray]:
    """Hour shares, and weekday rates per day covered (so a short window compares fairly)."""
    table = hour_weekday_counts(orders)
    hour = table.sum(axis=0) / table.sum()
    days = weekday_exposure(weekday_of(orders.start), np.ceil(orders.placed.max() + 1e-9))
    rate = np.divide(table.sum(axis=1), days, out=np.zeros(7), where=days > 0)
    return hour, rate / rate.sum()


def _median(orders: Orders, which: str) -> tuple[float, float] | None:
    paid_at = orders.placed + orders.pay_delay
    durations, starts = (
        (orders.ship, paid_at) if which == "ship" else (orders.delivery, paid_at + orders.ship)
    )
    known = ~np.isnan(durations)
    if known.sum() < 2:
        return None
    d = durations[known]
    w = ipw(starts, d, orders.end)
    return float(weighted_quantiles(d, w, [0.5])[0]), _quantile_half(d, w, 0.5)


def _beyond(a: float, ha: float | None, b: float, hb: float | None, tolerance: float) -> bool:
    """Outside the tolerance by more than the noise of the difference."""
    noise = float(np.hypot(ha or 0.0, hb or 0.0))
    return abs(b - a) > tolerance and abs(b - a) > noise


def compare_recent(whole: Orders, last: Orders, auto_close: float) -> list[Row]:
    """Rows of `check`'s table with the whole export as "observed" and the recent orders as the
    other side (`Row.simulated`); `passed` = not shown to differ."""
    rows = []
    a, b = paid_share(whole, auto_close), paid_share(last, auto_close)
    half_a = 1.96 * np.sqrt(a.share * (1 - a.share) / a.n)
    half_b = 1.96 * np.sqrt(b.share * (1 - b.share) / b.n)
    ok = not _beyond(a.share, half_a, b.share, half_b, PAID_TOLERANCE)
    rows.append(Row("paid share", "share", a.share, half_a, b.share, half_b, "±1 point", ok))
    qa, qb = _quantiles(whole), _quantiles(last)
    for measure in _QUANTILES if qa and qb else ():
        (va, ha), (vb, hb) = qa[measure], qb[measure]
        ok = va > 0 and not _beyond(va, ha, vb, hb, RELATIVE_TOLERANCE * va)
        rows.append(Row(measure, "hours", va, ha, vb, hb, "within 25%", bool(ok)))
    (hour_a, day_a), (hour_b, day_b) = _profiles(whole), _profiles(last)
    for measure, x, y in (
        ("hourly profile TV", hour_a, hour_b),
        ("weekday profile TV", day_a, day_b),
    ):
        tv = 0.5 * float(np.abs(x - y).sum())
        limit = max(PROFILE_TOLERANCE, sampling_tv(x, last.n))
        text = "<= 0.05" if limit == PROFILE_TOLERANCE else f"<= {limit:.3f} noise"
        rows.append(Row(measure, "tv", None, None, tv, None, text, tv <= limit))
    for which in ("ship", "delivery"):
        ma, mb = _median(whole, which), _median(last, which)
        if ma is not None and mb is not None:
            ok = ma[0] > 0 and not _beyond(*ma, *mb, RELATIVE_TOLERANCE * ma[0])
            rows.append(Row(f"{which} median", "hours", *ma, *mb, "within 25%", bool(ok)))
    return rows

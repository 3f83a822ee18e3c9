"""Every fitted number of a scenario, each with its sample size and a goodness-of-fit figure.

Arrivals: a rate per hour of day times a rate per weekday, fitted by iterative proportional
fitting against the export's own calendar, so the simulated hour and weekday totals equal the
observed ones. Payment: the paid share with censoring and a lognormal mixture of pay delays
(`mixture`), one segment per component. Shipping, delivery and prices: lognormals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special

from sim.errors import Said
from sim.output.i18n import N_

from .errors import ExportError, located
from .mixture import Mixture, fit_mixture, mixture_cdf
from .observed import Censored, delay_sample, hour_weekday_counts, ipw, paid_share, weekday_of
from .orders import Orders

__all__ = ["Fit", "Lognormal", "fit_orders", "ks_distance", "require_pay_times"]

PRESET_AUTO_CLOSE = 24.0


@dataclass(frozen=True)
class Lognormal:
    """A fitted lognormal: median, sigma, the sample size and the KS distance."""

    median: float
    sigma: float
    n: int
    ks: float

    def cdf(self, x: np.ndarray) -> np.ndarray:
        lx = np.log(np.maximum(np.asarray(x, dtype=float), 1e-9))
        return special.ndtr((lx - math.log(self.median)) / max(self.sigma, 1e-9))


@dataclass
class Segment:
    name: str
    share: float
    pays_unprompted: float
    median: float
    sigma: float
    cancels: float


@dataclass
class Fit:
    """What `write` turns into a scenario and `report` into pictures."""

    orders: Orders
    start_weekday: int
    arrival_days: float
    orders_per_day: float
    hourly: np.ndarray
    weekday: np.ndarray
    arrivals_tv: float  # hour x weekday table vs the fitted product
    daily_dispersion: float
    auto_close: float
    longest_delay: float
    paid: Censored
    mixture: Mixture
    delay_ks: float
    delays: np.ndarray
    delay_weights: np.ndarray
    segments: list[Segment]
    cancel_told: int  # closed unpaid orders whose reason says buyer or time-out
    buyer_cancel_share: float | None  # among unpaid: cancelled by the buyer (None: not told)
    ship: Lognormal | None
    delivery: Lognormal | None
    stockout: tuple[float, int] | None
    late: tuple[float, int] | None
    price: Lognormal | None
    quantity: tuple[float, int] | None
    # share, n unpaid closes, delay from the close, number of re-orders
    reorder: tuple[float, int, Lognormal | None, int] | None
    notes: list[str] = field(default_factory=list)


def ks_distance(values: np.ndarray, weights: np.ndarray | None, cdf, *, sorted_=False) -> float:
    """Largest gap between the (weighted) empirical CDF and a fitted CDF."""
    if sorted_:
        v, w = values, weights
    else:
        order = np.argsort(values)
        v, w = values[order], None if weights is None else weights[order]
    if w is None:
        w = np.ones_like(v)
    hi = np.cumsum(w) / w.sum()
    lo = hi - w / w.sum()
    f = cdf(v)
    return float(max(np.max(hi - f), np.max(f - lo)))


def fit_lognormal(values: np.ndarray, weights: np.ndarray | None = None) -> Lognormal:
    """Median from the data; sigma from the log spread or the log IQR, whichever fits closer."""
    x = np.maximum(values, 1.0 / 3600.0)
    w = np.ones_like(x) if weights is None else weights
    order = np.argsort(x)
    x, w = x[order], w[order]
    logs = np.log(x)
    cum = np.cumsum(w) / w.sum()
    q25, q50, q75 = logs[np.minimum(np.searchsorted(cum, [0.25, 0.5, 0.75]), x.size - 1)]
    mean = np.sum(w * logs) / w.sum()
    spread = math.sqrt(max(np.sum(w * (logs - mean) ** 2) / w.sum(), 0.0))
    best = None
    for sigma in (spread, (q75 - q25) / 1.349):
        sigma = max(float(sigma), 0.01)
        candidate = Lognormal(math.exp(q50), sigma, int(x.size), 0.0)
        ks = ks_distance(x, w, candidate.cdf, sorted_=True)
        if best is None or ks < best.ks:
            best = Lognormal(candidate.median, sigma, int(x.size), ks)
    assert best is not None
    return best


def _arrivals(orders: Orders) -> tuple[float, float, np.ndarray, np.ndarray, float, float]:
    slots = max(1, math.ceil(float(orders.placed.max()) + 1e-9))
    span = slots / 24.0
    wd0 = weekday_of(orders.start)
    s = np.arange(slots)
    hour, day = s % 24, (wd0 + s // 24) % 7
    width = np.ones(slots)
    table = hour_weekday_counts(orders)
    count_h, count_d = table.sum(axis=0), table.sum(axis=1)
    hourly, weekday = np.ones(24), np.ones(7)
    for _ in range(100):
        exp_h = np.bincount(hour, weights=weekday[day] * width, minlength=24)
        hourly = np.where(exp_h > 0, count_h / np.maximum(exp_h, 1e-12), 0.0)
        exp_d = np.bincount(day, weights=hourly[hour] * width, minlength=7)
        seen = exp_d > 0
        weekday = np.where(seen, count_d / np.maximum(exp_d, 1e-12), 0.0)
    if not seen.all():  # weekdays outside the export: the mean of the others (never used)
        weekday[~seen] = weekday[seen].mean()
    hourly = hourly / hourly.mean()
    weekday = weekday / weekday.mean()
    rate = hourly[hour] * weekday[day] * width  # per slot, in units of orders_per_day / 24
    orders_per_day = orders.n * 24.0 / rate.sum()
    expected = np.bincount(day * 24 + hour, weights=rate, minlength=168).reshape(7, 24)
    tv = 0.5 * float(np.abs(table / table.sum() - expected / expected.sum()).sum())
    daily = np.bincount(s // 24, weights=rate, minlength=math.ceil(span))
    observed = np.bincount(np.floor(orders.placed / 24.0).astype(int), minlength=daily.size)
    daily = daily * orders.n / daily.sum()
    used = daily > 0
    dof = max(int(used.sum()) - 1, 1)
    dispersion = float(np.sum((observed[used] - daily[used]) ** 2 / daily[used]) / dof)
    return span, orders_per_day, hourly, weekday, tv, dispersion


def _segment_name(median: float, taken: set[str]) -> str:
    if median < 1.0:
        label = f"pays-in-{max(1, round(median * 60))}min"
    elif median < 48.0:
        label = f"pays-in-{median:.2g}h"
    else:
        label = f"pays-in-{median / 24:.2g}d"
    name, n = label, 2
    while name in taken:
        name, n = f"{label}-{n}", n + 1
    taken.add(name)
    return name


def _reorders(orders: Orders, unpaid_closed: np.ndarray, timed_out: np.ndarray, auto_close: float):
    """Share of unpaid closes followed by another order of the same buyer, and the delay.

    The delay counts from the close: a time-out closes at placement + auto-close; other closes
    have no time in an export, so theirs counts from placement (an upper bound). A buyer who
    re-orders before the time-out counts with a delay of one minute.
    """
    if orders.buyer is None:
        return None
    known = orders.buyer >= 0
    idx = np.flatnonzero(known)
    order = idx[np.lexsort((orders.placed[idx], orders.buyer[idx]))]
    gap = np.full(orders.n, np.nan)
    if order.size > 1:
        same = orders.buyer[order[1:]] == orders.buyer[order[:-1]]
        step = orders.placed[order[1:]] - orders.placed[order[:-1]]
        gap[order[:-1]] = np.where(same, step, np.nan)
    base = unpaid_closed & known
    n = int(base.sum())
    if n == 0:
        return None
    again = base & ~np.isnan(gap)
    after_close = np.where(timed_out, gap - auto_close, gap)[again]
    delay = fit_lognormal(np.maximum(after_close, 1 / 60)) if again.sum() >= 5 else None
    return float(again.sum() / n), n, delay, int(again.sum())


def _cancellations(
    orders: Orders, timed_out_open: np.ndarray, mix: Mixture, pays: np.ndarray, p: float
) -> tuple[int, float | None, float]:
    """Closes told apart (n), the buyers' share of them (None: not told), and the segments'
    `cancels` that gives that share of all unpaid orders (0 when not told)."""
    buyer = int(np.sum(orders.close == "buyer") + np.sum(orders.close == "seller"))
    timeout = int(np.sum(orders.close == "timeout")) + int(timed_out_open.sum())
    if not np.any(orders.close != ""):
        return 0, None, 0.0
    share = buyer / (buyer + timeout)
    not_paying = float(np.sum(mix.weights * (1.0 - pays)))
    cancels = share if not_paying <= 0 else min(1.0, share * (1.0 - p) / not_paying)
    return buyer + timeout, share, cancels


def _after_payment(orders: Orders) -> tuple:
    """Ship and delivery lognormals, stock-outs, late share, price and items per order."""
    ship = delivery = stockout = late = price = quantity = None
    known_ship = ~np.isnan(orders.ship)
    if known_ship.sum() >= 2:
        paid_at = orders.placed + orders.pay_delay
        ship_w = ipw(paid_at, orders.ship[known_ship], orders.end)
        ship = fit_lognormal(orders.ship[known_ship], ship_w)
    known_del = ~np.isnan(orders.delivery)
    if known_del.sum() >= 2:
        shipped_at = orders.placed + orders.pay_delay + orders.ship
        del_w = ipw(shipped_at, orders.delivery[known_del], orders.end)
        delivery = fit_lognormal(orders.delivery[known_del], del_w)
    paid = int(orders.paid.sum())
    if "status" in orders.roles:
        stockout = (float(orders.refunded_unshipped.sum() / paid), paid)
    known_late = None if orders.late is None else orders.late[~np.isnan(orders.late)]
    if known_late is not None and known_late.size:
        late = (float(known_late.mean()), int(known_late.size))
    if orders.amount is not None:
        amounts = orders.amount[orders.paid & (orders.amount > 0)]
        price = fit_lognormal(amounts) if amounts.size >= 2 else None
    if orders.quantity is not None:
        q = orders.quantity[~np.isnan(orders.quantity)]
        quantity = (float(q.mean()), int(q.size)) if q.size else None
    return ship, delivery, stockout, late, price, quantity


def require_pay_times(orders: Orders) -> None:
    """Refuse an export with no paid order or fewer than 2 pay times (the paid column missing,
    renamed or always before placement): neither fit nor check can measure pay delays."""
    delays, _ = delay_sample(orders)
    if not orders.paid.any():
        column = orders.roles.get("paid", orders.roles.get("status", orders.roles["placed"]))
        problem = Said(N_("no paid order among {n} orders"), n=orders.n)
        raise ExportError([located(orders.name, problem, column=column)])
    if delays.size < 2:
        raise ExportError(
            [
                located(
                    orders.name,
                    Said(
                        N_(
                            "fewer than 2 orders with a payment time: the pay delay cannot be "
                            "fitted"
                        )
                    ),
                    column=orders.roles.get("paid", Said(N_("paid (none given)"))),
                    got=int(delays.size),
                )
            ]
        )


def fit_orders(orders: Orders, segments: int | None = None) -> Fit:
    """Fit every number; an export with no paid order (or no pay time) cannot be fitted."""
    require_pay_times(orders)
    delays, weights = delay_sample(orders)
    span, per_day, hourly, weekday, tv, dispersion = _arrivals(orders)
    longest = float(delays.max())
    auto_close = PRESET_AUTO_CLOSE if longest < PRESET_AUTO_CLOSE else float(math.ceil(longest) + 1)
    mix = fit_mixture(delays, weights, segments)
    inside = delays < auto_close
    f_a = mixture_cdf(np.array(auto_close), mix.weights, mix.mu, mix.sigma)

    def truncated(x):
        return np.clip(mixture_cdf(x, mix.weights, mix.mu, mix.sigma) / f_a, 0.0, 1.0)

    delay_ks = ks_distance(delays[inside], weights[inside], truncated)
    paid = paid_share(orders, auto_close)
    p = paid.share
    comp_f = special.ndtr((math.log(auto_close) - mix.mu) / mix.sigma)
    pays = np.minimum(1.0, p / np.maximum(comp_f, 1e-12))
    timed_out_open = orders.open & (orders.end - orders.placed >= auto_close)
    told, share_buyer, cancels = _cancellations(orders, timed_out_open, mix, pays, p)
    taken: set[str] = set()
    segs = [
        Segment(_segment_name(float(m), taken), float(w), float(q), float(m), float(s), cancels)
        for w, m, s, q in zip(mix.weights, mix.medians, mix.sigma, pays, strict=True)
    ]
    ship, delivery, stockout, late, price, quantity = _after_payment(orders)
    unpaid_closed = orders.closed | timed_out_open
    return Fit(
        orders=orders,
        start_weekday=weekday_of(orders.start),
        arrival_days=span,
        orders_per_day=per_day,
        hourly=hourly,
        weekday=weekday,
        arrivals_tv=tv,
        daily_dispersion=dispersion,
        auto_close=auto_close,
        longest_delay=longest,
        paid=paid,
        mixture=mix,
        delay_ks=delay_ks,
        delays=delays,
        delay_weights=weights,
        segments=segs,
        cancel_told=told,
        buyer_cancel_share=share_buyer,
        ship=ship,
        delivery=delivery,
        stockout=stockout,
        late=late,
        price=price,
        quantity=quantity,
        reorder=_reorders(
            orders, unpaid_closed, (orders.close == "timeout") | timed_out_open, auto_close
        ),
    )

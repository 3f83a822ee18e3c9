"""Synthetic trial exports with a known response, written here from docs/rules.md (not by the
engine or the likelihood under test): each order's life drawn directly, then the export a
seller would download at the end of the trial.

Rules: a buyer of segment s pays unprompted with chance u_s at a lognormal time; one who will
not pay cancels with chance c at an exponential time, else waits. An SMS (IM) step is due
``at`` hours after the order; inside the quiet hours (22:00-08:00) it waits until 08:00; it is
sent if the order is still open then and before the 24 h auto-close, reaches always, and wins
the buyer with chance ``rho`` (one per segment where given so); a won buyer pays ``R`` ~
exponential(mean) later, or at their own time if earlier (a canceller cancels first if C comes
first). Each order has an amount (lognormal, apart from all else) and a buyer: new, or with
``returning``, segment 1's orders are placed by the buyer of an earlier order of segment 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

START = dt.datetime(2026, 3, 2)
AUTO_CLOSE = 24.0


@dataclass
class TrialTruth:
    orders_per_day: float = 400.0
    days: float = 28.0
    shares: tuple[float, ...] = (0.7, 0.3)
    pays: tuple[float, ...] = (0.9, 0.6)
    median: tuple[float, ...] = (0.2, 6.0)
    sigma: tuple[float, ...] = (0.8, 0.7)
    cancels: float = 0.3
    cancel_mean: float = 3.0
    arms: dict[str, tuple[float, float] | None] = field(
        default_factory=lambda: {"control": None, "sms-2h": (2.0, 0.0)}
    )  # arm -> (hours after the order, unused) of its one reminder, or None
    rho: dict[str, float | tuple[float, ...]] = field(default_factory=lambda: {"sms-2h": 0.3})
    # arm -> chance its reminder wins a buyer (one per segment where a tuple)
    returning: bool = False  # segment 1's buyers are returning (an earlier order's buyer)
    mean_hours: float = 1.5
    price_median: float = 80.0  # each order's amount: lognormal, sigma 0.5, apart from all else
    seed: int = 1


def _released(due: np.ndarray) -> np.ndarray:
    """A seller's reminder due in the quiet hours (22:00-08:00) waits until 08:00."""
    hour = np.mod(due, 24.0)
    day = np.floor(due / 24.0) * 24.0
    late = hour >= 22.0
    early = hour < 8.0
    return np.where(late, day + 32.0, np.where(early, day + 8.0, due))


def trial_frame(t: TrialTruth) -> pd.DataFrame:
    rng = np.random.default_rng(t.seed)
    n = rng.poisson(t.orders_per_day * t.days)
    placed = np.sort(rng.random(n) * t.days * 24.0)
    ids = 3100000000000000 + np.arange(n) * 7
    names = list(t.arms)
    digit = ids % 10
    arm = np.where(digit % 2 == 1, 1, 0) if len(names) == 2 else np.minimum(digit // 3, 2)
    seg = rng.choice(len(t.shares), n, p=np.asarray(t.shares))
    pays = rng.random(n) < np.asarray(t.pays)[seg]
    own = np.where(
        pays, rng.lognormal(np.log(np.asarray(t.median)[seg]), np.asarray(t.sigma)[seg]), np.inf
    )
    cancel = np.where(
        ~pays & (rng.random(n) < t.cancels), rng.exponential(t.cancel_mean, n), np.inf
    )
    pay = own.copy()
    u_win, r = rng.random(n), rng.exponential(t.mean_hours, n)
    amount = np.round(rng.lognormal(np.log(t.price_median), 0.5, n), 2)
    buyer = np.arange(n)  # every buyer new, unless segment 1's buyers are returning
    if t.returning:  # each order of segment 1 by the buyer of an earlier order of segment 0
        first = np.flatnonzero(seg != 1)
        back = np.flatnonzero(seg == 1)
        before = np.searchsorted(first, back)
        back, before = back[before > 0], before[before > 0]
        buyer[back] = first[(rng.random(back.size) * before).astype(np.int64)]
    for a, name in enumerate(names):
        step = t.arms[name]
        if step is None:
            continue
        mine = arm == a
        due = _released(placed + step[0]) - placed
        sent = mine & (due < AUTO_CLOSE) & (own > due) & (cancel > due)
        won = sent & (u_win < np.broadcast_to(np.asarray(t.rho[name]), (len(t.shares),))[seg])
        reminded_pay = np.where(due + r < cancel, due + r, np.inf)
        pay = np.where(won, np.minimum(own, reminded_pay), pay)
    pay = np.where(pay < AUTO_CLOSE, pay, np.inf)
    closed_at = np.where(np.isfinite(pay), np.inf, np.minimum(cancel, AUTO_CLOSE))
    end = t.days * 24.0
    paid_seen = placed + pay <= end
    closed_seen = placed + closed_at <= end
    when = [START + dt.timedelta(hours=float(h)) for h in placed]
    paid_text = [
        (START + dt.timedelta(hours=float(p + d))).strftime("%Y-%m-%d %H:%M:%S") if ok else ""
        for p, d, ok in zip(placed, pay, paid_seen, strict=True)
    ]
    closed = np.where(cancel < AUTO_CLOSE, "canceled by buyer", "closed: payment timeout")
    status = np.where(paid_seen, "paid", np.where(closed_seen, closed, "created"))
    return pd.DataFrame(
        {
            "order_id": ids.astype(str),
            "arm": np.asarray(names)[arm],
            "placed": [w.strftime("%Y-%m-%d %H:%M:%S") for w in when],
            "paid": paid_text,
            "status": status,
            "amount": amount,
            "buyer": [f"b{b}" for b in buyer],
        }
    )


def write_trial(t: TrialTruth, path: Path) -> pd.DataFrame:
    frame = trial_frame(t)
    frame.to_csv(path, index=False)
    return frame


COLUMNS = "order=order_id,placed=placed,paid=paid,status=status,amount=amount,buyer=buyer"

"""Traffic the shop loses to its low ratings, complaints and disputes over a rolling window.

``platform.traffic_per_low_rating`` (and ``_per_complaint``, ``_per_dispute``) is the share of
traffic lost per low rating (complaint, dispute) per 1,000 orders over the last
``platform.rating_window_days``: at a moment t the shop loses the share

    min(1, 1000 x sum_kind(traffic_per_kind x events of that kind in [t - W, t)) / E(t))

of the orders that would be placed, where E(t) is the orders the shop's arrivals bring over the
same window (expected, before any loss: the same in every strategy). Each would-be order is lost
on its own draw (``rules.lost_to_traffic``), so strategies share their buyers, and counted like
a ban's. Events are counted as whole numbers per kind, so the order in which the two engines
learn of them changes no bit; both ask in time order, as for bans.
"""

from __future__ import annotations

import heapq
import math
from itertools import count

import numpy as np

__all__ = ["KINDS", "Reputation"]

KINDS = ("low_rating", "complaint", "dispute")


class Reputation:
    """The shop's rated events in one run of one strategy, and the traffic they cost."""

    def __init__(self, per_event: tuple[float, float, float], window_hours: float,
                 orders_per_hour: np.ndarray) -> None:  # fmt: skip
        self.per_event = per_event  # traffic share per event per 1,000 orders, by KINDS
        self.window = window_hours
        self.rate = orders_per_hour  # expected orders in each hour slot of the run
        self.cumulative = np.concatenate(([0.0], np.cumsum(orders_per_hour)))
        self._pending: list[tuple[float, int, int, int]] = []  # (time, seq, kind, n)
        self._inside: list[tuple[float, int, int, int]] = []  # in the window, oldest first
        self._counts = [0, 0, 0]
        self._seq = count()

    def add(self, kind: int, times: np.ndarray, n: np.ndarray) -> None:
        """``n`` events of ``kind`` at ``times`` (NaN time or 0 events: none)."""
        for time, k in zip(np.ravel(times).tolist(), np.ravel(n).tolist(), strict=True):
            if k > 0 and not math.isnan(time):
                heapq.heappush(self._pending, (time, next(self._seq), kind, int(k)))

    def lost_share(self, t: float) -> float:
        """The share of orders lost at ``t`` (events strictly before ``t`` count)."""
        pending, inside, counts = self._pending, self._inside, self._counts
        while pending and pending[0][0] < t:
            event = heapq.heappop(pending)
            heapq.heappush(inside, event)
            counts[event[2]] += event[3]
        start = t - self.window
        while inside and inside[0][0] < start:
            _, _, kind, n = heapq.heappop(inside)
            counts[kind] -= n
        weighted = sum(p * c for p, c in zip(self.per_event, counts, strict=True))
        if weighted <= 0.0:
            return 0.0
        expected = self._expected(t) - self._expected(start)
        return 1.0 if expected <= 0.0 else min(1.0, 1000.0 * weighted / expected)

    def _expected(self, x: float) -> float:
        """Orders the arrivals bring from the start of the run to ``x`` (hours)."""
        if x <= 0.0:
            return 0.0
        slot = min(int(x), self.rate.size)
        within = x - slot if slot < self.rate.size else 0.0
        return float(self.cumulative[slot]) + (
            within * float(self.rate[slot]) if slot < self.rate.size else 0.0
        )

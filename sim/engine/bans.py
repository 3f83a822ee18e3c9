"""Penalty points over time, and the bans they bring (``platform.penalty_ladder``).

Each order adds its points at the moment they are taken (the platform steps in on an out-of-stock
or late-shipment complaint, or a closed malicious order is complained of). When the shop's total
reaches a rung of the ladder it may not sell for that many days ("closed": for the rest of the
run); a rung reached during a ban extends it; ``platform.points_cap_per_day`` limits the points
taken on one day. Orders that would be placed during a ban are drawn as usual, so common random
numbers hold, and counted as lost to the ban (all of them, or the share a listing ban loses:
``rules.lost_to_ban``).

Both engines ask in time order: the numpy path sweeps each chunk's orders by placement time,
the SimPy world asks at each placement. Points always come at or after the moment
of the order that earns them, so asking in time order sees every point taken before.
"""

from __future__ import annotations

import heapq
import math
from itertools import count

import numpy as np

__all__ = ["Bans"]


class Bans:
    """The shop's points and bans in one run of one strategy."""

    def __init__(
        self,
        rungs: tuple[tuple[int, float], ...],
        points_at_start: float,
        cap_per_day: float = math.inf,
    ) -> None:
        # rungs already behind the shop at the start were served before the run
        self.rungs = [(float(p), hours) for p, hours in rungs if p > points_at_start]
        self.points = float(points_at_start)
        self.cap_per_day = cap_per_day  # points beyond it on one day (0-24 h, ...) are not taken
        self._taken_on: dict[int, float] = {}
        self.intervals: list[list[float]] = []  # [start, end) of each ban, in time order
        self._pending: list[tuple[float, int, float]] = []  # (time, seq, points)
        self._seq = count()

    @property
    def active(self) -> bool:
        """Whether any ban can still come (a rung above the shop's points)."""
        return bool(self.rungs)

    def add(self, times: np.ndarray, points: np.ndarray) -> None:
        """Points taken at ``times`` (NaN time or 0 points: none)."""
        for time, pts in zip(np.ravel(times).tolist(), np.ravel(points).tolist(), strict=True):
            if pts > 0 and not math.isnan(time):
                heapq.heappush(self._pending, (time, next(self._seq), pts))

    def banned(self, t: float) -> bool:
        """Whether the shop may not sell at ``t`` (points taken strictly before ``t`` count)."""
        self._advance(t)
        return bool(self.intervals) and self.intervals[-1][0] <= t < self.intervals[-1][1]

    def banned_after_the_last_rung(self, times: np.ndarray) -> np.ndarray:
        """``banned`` for each of ``times`` (ascending, none before an earlier question) once
        no rung is left: no ban can come or grow any more, so the last one is final."""
        if self.rungs:
            raise ValueError("a rung is left: ask order by order")
        if not self.intervals:
            return np.zeros(times.size, dtype=bool)
        start, end = self.intervals[-1]
        return (start <= times) & (times < end)

    def _advance(self, t: float) -> None:
        pending = self._pending
        while pending and pending[0][0] < t:
            time, _, pts = heapq.heappop(pending)
            if self.cap_per_day < math.inf:
                day = int(time // 24.0)
                taken = self._taken_on.get(day, 0.0)
                pts = max(0.0, min(pts, self.cap_per_day - taken))
                self._taken_on[day] = taken + pts
            self.points += pts
            while self.rungs and self.points >= self.rungs[0][0]:
                end = time + self.rungs.pop(0)[1]
                last = self.intervals[-1] if self.intervals else None
                if last is not None and time < last[1]:
                    last[1] = max(last[1], end)
                else:
                    self.intervals.append([time, end])

    def banned_hours(self, start: float, end: float) -> float:
        """Hours banned within [start, end)."""
        self._advance(end)
        return sum(max(0.0, min(e, end) - max(s, start)) for s, e in self.intervals)

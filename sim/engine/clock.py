"""Clock helpers: exact-time scheduling on a SimPy environment, shifts, hour-of-day integrals."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable

import numpy as np
import simpy

__all__ = ["HourlyLevel", "next_on_duty", "on_duty_hours", "schedule_at"]


class _Call:
    """The least an entry of SimPy's event queue needs: callbacks and a success flag."""

    __slots__ = ("_ok", "callbacks")

    def __init__(self, callback: Callable) -> None:
        self.callbacks = [callback]
        self._ok = True


def schedule_at(env: simpy.Environment, when: float, priority: int, callback: Callable) -> None:
    """Run ``callback(event)`` at the absolute time ``when``.

    ``env.schedule`` takes a delay and computes ``now + delay``, which can round ``when`` by one
    ulp; the event log and the fast path need the exact time, and same-instant events need a
    priority (payment, then closing, then reminders), so the entry is queued here directly —
    the same ``(time, priority, id, event)`` heap entry ``Environment.schedule`` builds, with a
    slotted stand-in for ``simpy.Event`` (nothing ever waits on these; building a full Event
    was a tenth of the world's run time).
    """
    heapq.heappush(env._queue, (when, priority, next(env._eid), _Call(callback)))


def next_on_duty(t: float, on_duty: tuple[float, float]) -> float:
    """The first moment at or after ``t`` when agents are on duty."""
    start, end = on_duty
    day = math.floor(t / 24.0) * 24.0
    hour = t - day
    if start <= hour < end:
        return t
    return day + start if hour < start else day + 24.0 + start


def on_duty_hours(horizon: float, on_duty: tuple[float, float]) -> float:
    """Hours on duty within [0, horizon)."""
    start, end = on_duty
    days = math.floor(horizon / 24.0)
    rest = horizon - days * 24.0
    return days * (end - start) + max(0.0, min(rest, end) - start)


class HourlyLevel:
    """Time-average of a level (agents busy, tasks queued) by hour of day."""

    def __init__(self) -> None:
        self.level = 0
        self.since = 0.0
        self.area = [0.0] * 24  # a list: it changes at every agent event, numpy scalars are slow

    def change(self, now: float, delta: int) -> None:
        self._integrate(now)
        self.level += delta

    def _integrate(self, now: float) -> None:
        t = self.since
        if self.level:
            area, level = self.area, self.level
            while t < now:
                boundary = min(now, math.floor(t) + 1.0)
                area[int(t % 24.0)] += level * (boundary - t)
                t = boundary
        self.since = now

    def by_hour(self, horizon: float) -> np.ndarray:
        """Mean level at each hour of day over [0, horizon)."""
        self._integrate(horizon)
        days = math.floor(horizon / 24.0)
        rest = horizon - days * 24.0
        exposure = days + np.clip(rest - np.arange(24), 0.0, 1.0)
        return np.divide(np.array(self.area), exposure, out=np.zeros(24), where=exposure > 0)

"""Clock helpers: exact-time scheduling in SimPy, the tie order, shifts and quiet hours."""

from __future__ import annotations

import math
from collections.abc import Callable
from heapq import heappush

import numpy as np
import simpy
from simpy.events import NORMAL, URGENT

from sim.scenario.hours import in_window

__all__ = [
    "END_PRIORITY",
    "PLACE_PRIORITY",
    "REMINDER_PRIORITY",
    "OrderEnvironment",
    "next_working",
    "on_duty_hours",
    "opening",
    "working",
]


# Same-instant order of the world's events (a contract test pins it): placement, payment, buyer
# cancel, seller close, auto-close, then reminders and agents (SimPy's own NORMAL priority).
PLACE_PRIORITY = URGENT - 10
END_PRIORITY = (URGENT - 4, URGENT - 3, URGENT - 2, URGENT - 1)  # indexed by End
REMINDER_PRIORITY = NORMAL


class _Call:
    """The least an entry of SimPy's event queue needs: callbacks and a success flag."""

    __slots__ = ("_ok", "callbacks")

    def __init__(self, callback: Callable) -> None:
        self.callbacks = [callback]
        self._ok = True


class OrderEnvironment(simpy.Environment):
    """A SimPy environment that can run a callback at an exact absolute time."""

    def schedule_at(self, when: float, callback: Callable, priority: int = NORMAL) -> None:
        """Run ``callback(event)`` at the absolute time ``when`` with ``priority``.

        ``schedule`` takes a delay and computes ``now + delay``, which can round ``when`` by one
        ulp; the event log and the numpy path need the exact time, so the entry is queued here
        as ``Environment.schedule`` builds it, with a slotted stand-in for ``simpy.Event``
        (nothing waits on these; a full Event was a tenth of the world's run time). A time in
        the past is refused, as ``Timeout`` refuses a negative delay.
        """
        if when < self._now:
            raise ValueError(f"time {when} is before the current time {self._now}")
        heappush(self._queue, (when, priority, next(self._eid), _Call(callback)))


def next_working(t: float, on_duty: tuple[float, float], quiet: tuple[float, ...] = ()) -> float:
    """The first moment at or after ``t`` when agents are on duty and the shop's quiet hours
    (no calls or chats to buyers) are over; inf if the shift lies wholly inside them."""
    q0, q1 = quiet if quiet else (0.0, 0.0)
    return opening(t, on_duty[0], on_duty[1], q0, q1, bool(quiet))


def opening(t: float, d0: float, d1: float, q0: float, q1: float, quiet: bool) -> float:
    """``next_working`` on plain floats (shift [d0, d1), quiet window [q0, q1) when ``quiet``),
    so that the agents' queue kernel (``fcfs``) can be compiled with it; the same arithmetic as
    ``hours.release_after`` for the quiet hours (a test holds them to it)."""

    def in_quiet(t: float) -> bool:
        clock = t % 24.0
        if q0 < q1:
            return q0 <= clock < q1
        return clock >= q0 or clock < q1 % 24.0

    for _ in range(4):
        day = math.floor(t / 24.0) * 24.0
        hour = t - day
        if d0 <= hour < d1:
            opens = t
        elif hour < d0:
            opens = day + d0
        else:
            opens = day + 24.0 + d0
        if not quiet or not in_quiet(opens):
            return opens
        end = q1 % 24.0
        release = math.floor(opens / 24.0) * 24.0 + end
        if release <= opens:
            release += 24.0
        while in_quiet(release):  # day + end may round to a hair before the end
            release = float(np.nextafter(release, np.inf))
        t = release
    return math.inf


def working(t: np.ndarray, on_duty: tuple[float, float], quiet: tuple[float, ...] = ()):
    """Whether agents may begin a call at each moment ``t``: ``next_working(t) == t`` over
    an array (on duty, and outside the quiet hours)."""
    start, end = on_duty
    hour = t - np.floor(t / 24.0) * 24.0
    return (start <= hour) & (hour < end) & ~in_window(t, quiet)


def on_duty_hours(horizon: float, on_duty: tuple[float, float]) -> float:
    """Hours on duty within [0, horizon)."""
    start, end = on_duty
    days = math.floor(horizon / 24.0)
    rest = horizon - days * 24.0
    return days * (end - start) + max(0.0, min(rest, end) - start)

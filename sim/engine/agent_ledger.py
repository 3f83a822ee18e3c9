"""What the agents did, added up exactly, so the order in which calls are booked changes no bit.

The SimPy world books calls one at a time, as agents pick them up; the numpy call pass books a
chunk's calls at once. Either way each call's figures (its wait, its overtime, its share of every
hour of the day) are computed by the same elementwise numpy code, turned into integer ticks of
2^-40 hour (about 3 ns) and summed as Python integers. Integer sums are exact, so the totals do
not depend on the order or the batches in which calls arrive, and both paths give the same bits.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .clock import on_duty_hours

if TYPE_CHECKING:
    from .agents import AgentStats

__all__ = ["AgentLedger", "hour_exposure"]

TICKS_PER_HOUR = 2**40
_FLUSH = 4096  # calls (or waits) held as Python tuples before they are added up in numpy


def _ticks(hours: np.ndarray) -> np.ndarray:
    """Hours as whole ticks (x * 2^40 is exact; rounding half to even, like Python's round)."""
    return np.rint(hours * float(TICKS_PER_HOUR)).astype(np.int64)


def hour_exposure(t: float) -> np.ndarray:
    """For each hour of the day, how many hours of [0, t) fall in it."""
    days = math.floor(t / 24.0)
    return days + np.clip(t - days * 24.0 - np.arange(24), 0.0, 1.0)


class _ByHour:
    """Ticks of a level (agents busy, tasks queued) by hour of day: each interval adds its
    pieces, cut at whole hours, to the hour of day each piece lies in."""

    def __init__(self) -> None:
        self.ticks = [0] * 24

    def add(self, a: np.ndarray, b: np.ndarray) -> None:
        t, stop = a.copy(), b
        live = np.flatnonzero(t < stop)
        area = np.zeros(24, dtype=np.int64)  # a batch's pieces are at most an hour each
        while live.size:
            now = t[live]
            boundary = np.minimum(stop[live], np.floor(now) + 1.0)
            np.add.at(area, (now % 24.0).astype(np.int64), _ticks(boundary - now))
            t[live] = boundary
            live = live[boundary < stop[live]]
        for h, x in enumerate(area.tolist()):
            self.ticks[h] += x

    def hours(self) -> float:
        return sum(self.ticks) / TICKS_PER_HOUR

    def mean_by_hour(self, exposure: np.ndarray) -> np.ndarray:
        area = np.array([x / TICKS_PER_HOUR for x in self.ticks])
        return np.divide(area, exposure, out=np.zeros(24), where=exposure > 0)


class AgentLedger:
    """Calls and waits of one run, measured over ``window`` (the warm-up's end to the end of
    arrivals): a call counts as served (with its wait) when asked inside the window; busy
    time, queue time and overtime count where they fall inside it."""

    def __init__(self, window: tuple[float, float], on_duty: tuple[float, float]) -> None:
        self.window, self.on_duty = window, on_duty
        self.served = 0
        self._wait = self._overtime = 0  # ticks
        self._busy, self._queued = _ByHour(), _ByHour()
        self._calls: list[tuple[float, float, float]] = []
        self._waits: list[tuple[float, float]] = []

    def call(self, asked: float, start: float, hours: float) -> None:
        """A call or chat asked for at ``asked`` begins at ``start`` and lasts ``hours``."""
        self._calls.append((asked, start, hours))
        if len(self._calls) >= _FLUSH:
            self._flush()

    def queued(self, asked: float, left: float) -> None:
        """A task waited in the queue from ``asked`` until ``left`` (picked up or withdrawn)."""
        if left > asked:
            self._waits.append((asked, left))
            if len(self._waits) >= _FLUSH:
                self._flush()

    def add_calls(self, asked: np.ndarray, start: np.ndarray, hours: np.ndarray) -> None:
        """Book a batch of calls (the numpy call pass: none of them waited)."""
        lo, hi = self.window
        counted = (lo <= asked) & (asked < hi)
        self.served += int(np.count_nonzero(counted))
        self._wait += sum(_ticks(start[counted] - asked[counted]).tolist())
        end = start + hours
        if self.on_duty[1] - self.on_duty[0] < 24.0:  # on duty all day: no shift ever ends
            shift_end = np.floor(start / 24.0) * 24.0 + self.on_duty[1]
            overtime = np.minimum(end, hi) - np.maximum(np.maximum(start, shift_end), lo)
            self._overtime += sum(_ticks(np.maximum(overtime, 0.0)).tolist())
        self._busy.add(np.maximum(start, lo), np.minimum(end, hi))

    def add_waits(self, asked: np.ndarray, left: np.ndarray) -> None:
        """Book a batch of waits in the queue, from ``asked`` until ``left`` (picked up or
        withdrawn; none when equal)."""
        lo, hi = self.window
        self._queued.add(np.maximum(asked, lo), np.minimum(left, hi))

    def _flush(self) -> None:
        if self._calls:
            asked, start, hours = np.array(self._calls).T
            self._calls.clear()
            self.add_calls(asked, start, hours)
        if self._waits:
            asked, left = np.array(self._waits).T
            self._waits.clear()
            self.add_waits(asked, left)

    def close(self, stats: AgentStats, agents: int) -> None:
        """Write the run's figures for a pool of ``agents``: agent-hours on duty over the window
        (overtime included), served, waits, busy time and the hour-of-day curves."""
        self._flush()
        lo, hi = self.window
        scheduled_hours = on_duty_hours(hi, self.on_duty) - on_duty_hours(lo, self.on_duty)
        stats.served = self.served
        stats.wait_hours = self._wait / TICKS_PER_HOUR
        stats.overtime_hours = self._overtime / TICKS_PER_HOUR
        stats.on_duty_hours = agents * scheduled_hours + stats.overtime_hours
        exposure = hour_exposure(hi) - hour_exposure(min(lo, hi))
        stats.busy_hours = self._busy.hours()
        stats.busy_by_hour = self._busy.mean_by_hour(exposure)
        stats.queue_by_hour = self._queued.mean_by_hour(exposure)

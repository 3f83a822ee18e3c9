"""Customer-service agents (客服): phone and IM reminders wait first come, first served.

``staff.agents`` agents work only within ``on_duty`` hours; a task that reaches the head of the
queue outside them waits for the shift to open (holding its place, so the order stays FCFS). A
task whose order was paid or closed while it waited is dropped without using agent time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator

import simpy

from .clock import HourlyLevel, next_on_duty, on_duty_hours
from .kpis import AgentStats

__all__ = ["Agents"]


class Agents:
    """The agent pool, its queue and what it records."""

    def __init__(
        self, env: simpy.Environment, count: int, on_duty: tuple[float, float], stats: AgentStats
    ) -> None:
        self.env, self.on_duty, self.stats, self.count = env, on_duty, stats, count
        self.pool = simpy.Resource(env, capacity=max(1, count)) if count > 0 else None
        self.busy = HourlyLevel()
        self.queued = HourlyLevel()
        self.last_activity = 0.0

    def submit(
        self,
        still_wanted: Callable[[float], bool],
        service_hours: Callable[[], float],
        done: Callable[[float, float], None],
    ) -> None:
        """Queue a reminder task; ``done(moment, hours)`` runs when an agent finishes it."""
        if self.pool is None:
            return  # no agents: phone and IM reminders are never made
        self.env.process(self._serve(still_wanted, service_hours, done))

    def _serve(self, still_wanted, service_hours, done) -> Generator:
        env, asked = self.env, self.env.now
        self.queued.change(env.now, +1)
        with self.pool.request() as turn:
            yield turn
            opens = next_on_duty(env.now, self.on_duty)
            if opens > env.now and still_wanted(env.now):
                yield env.timeout(opens - env.now)
            self.queued.change(env.now, -1)
            if not still_wanted(env.now):
                return
            hours = service_hours()
            # a call under way when the shift ends is finished: overtime, on duty all the same
            self.stats.overtime_hours += max(0.0, env.now + hours - self._shift_end(env.now))
            self.stats.served += 1
            self.stats.wait_hours += env.now - asked
            self.stats.busy_hours += hours
            self.busy.change(env.now, +1)
            yield env.timeout(hours)
            self.busy.change(env.now, -1)
            self.last_activity = env.now
            done(env.now, hours)

    def _shift_end(self, t: float) -> float:
        """End of the shift that is on at ``t``."""
        return math.floor(t / 24.0) * 24.0 + self.on_duty[1]

    def close(self, arrivals_end: float) -> None:
        """Write the hour-of-day curves and on-duty time over the trading period: until the
        later of the end of arrivals and the last call (not the long wait for auto-closes)."""
        horizon = max(arrivals_end, self.last_activity)
        scheduled = self.count * on_duty_hours(horizon, self.on_duty)
        self.stats.on_duty_hours = scheduled + self.stats.overtime_hours
        self.stats.busy_by_hour = self.busy.by_hour(horizon)
        self.stats.queue_by_hour = self.queued.by_hour(horizon)

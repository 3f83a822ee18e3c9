"""Customer-service agents (客服): phone and IM reminders wait first come, first served.

``staff.agents`` agents work only within ``on_duty`` hours and begin no call or chat inside
the shop's quiet hours. Each agent is one long-lived SimPy process: it takes the oldest waiting
task, and outside the shift (or in the quiet hours) it waits for the next opening first; a call
under way when the shift ends or the quiet hours begin is finished (overtime). A task whose
order was paid or closed while it waited is withdrawn: it is marked and skipped (a deque with
lazy deletion, so an overloaded queue costs O(1) per task, and a withdrawn task lets go of its
order at once).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import numpy as np
import simpy

from .agent_ledger import AgentLedger
from .clock import next_working

__all__ = ["AgentStats", "Agents", "Task"]


@dataclass
class AgentStats:
    """What the agents did over a run (all zero when no reminder needs an agent)."""

    served: int = 0
    wait_hours: float = 0.0
    busy_hours: float = 0.0
    on_duty_hours: float = 0.0  # agent-hours on duty over the trading period, overtime included
    overtime_hours: float = 0.0  # calls that ran past the end of their shift
    busy_by_hour: np.ndarray = field(default_factory=lambda: np.zeros(24))
    queue_by_hour: np.ndarray = field(default_factory=lambda: np.zeros(24))


class Task:
    """A phone or IM reminder waiting for, or being handled by, an agent."""

    __slots__ = ("asked", "done", "service_hours", "waiting")

    def __init__(
        self, asked: float, service_hours: Callable[[], float], done: Callable[[float, float], None]
    ) -> None:
        self.asked, self.service_hours, self.done = asked, service_hours, done
        self.waiting = True


class Agents:
    """The agent pool, its queue and what it records."""

    def __init__(
        self,
        env: simpy.Environment,
        count: int,
        on_duty: tuple[float, float],
        stats: AgentStats,
        window: tuple[float, float],
        *,
        quiet: tuple[float, ...] = (),
    ) -> None:
        self.env, self.on_duty, self.stats, self.count = env, on_duty, stats, count
        self.quiet = quiet  # the shop's quiet hours: no call or chat is begun inside them
        self.queue: deque[Task] = deque()
        self.idle: list[simpy.Event] = []
        self.ledger = AgentLedger(window, on_duty)  # window: from the warm-up to arrivals' end
        self._started = False

    def submit(
        self, service_hours: Callable[[], float], done: Callable[[float, float], None]
    ) -> Task | None:
        """Queue a reminder task; ``done(moment, hours)`` runs when an agent finishes it.

        Returns the task so its order can ``withdraw`` it; None when there are no agents (no
        call is ever made).
        """
        if self.count == 0:
            return None
        if not self._started:  # agents clock in with the first task: an idle pool costs nothing
            self._started = True
            for _ in range(self.count):
                self.env.process(self._agent())
        task = Task(self.env.now, service_hours, done)
        self.queue.append(task)
        if self.idle:
            self.idle.pop().succeed()
        return task

    def withdraw(self, task: Task | None) -> None:
        """Drop a task that is still waiting (its order ended). A call under way is finished."""
        if task is not None and task.waiting:
            task.waiting = False
            task.service_hours = task.done = None  # let go of the order at once
            self.ledger.queued(task.asked, self.env.now)

    def _head(self) -> Task | None:
        """The oldest waiting task (withdrawn ones at the head are dropped on the way)."""
        while self.queue and not self.queue[0].waiting:
            self.queue.popleft()
        return self.queue[0] if self.queue else None

    def _agent(self) -> Generator:
        env = self.env
        while True:
            while self._head() is None:
                wake = env.event()
                self.idle.append(wake)
                yield wake
            opens = next_working(env.now, self.on_duty, self.quiet)
            if opens > env.now:
                yield env.timeout(opens - env.now)
                continue  # the queue may have changed meanwhile
            task = self._head()
            if task is None:
                continue
            self.queue.popleft()
            task.waiting = False
            self.ledger.queued(task.asked, env.now)
            hours = task.service_hours()
            self.ledger.call(task.asked, env.now, hours)
            yield env.timeout(hours)
            task.done(env.now, hours)

    def close(self) -> None:
        """Write the figures over the window (``agent_ledger``)."""
        self.ledger.close(self.stats, self.count)

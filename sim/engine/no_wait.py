"""Agent scenarios in numpy while no call has to wait.

When agents are the only thing orders share, they link orders only through the queue: as long as
every call begins the moment it is asked for, each order's life depends on its own draws alone.
So the replication is first run chunk by chunk in numpy: agent-free orders by ``unpaid_fast``,
agent-bound ones by ``calls_fast``, with every call taken to begin when asked. ``NoWaitCheck``
then confirms, over all calls of all chunks in time order, that each one found an agent on duty
and free (counting a call that ends at that very instant as still busy). A chunk is finished
(fulfilment, accounting, events) once every call its orders asked for is confirmed.

The first call that would have waited ends the attempt: everything before it is exactly what the
SimPy world does, so the world runs the replication again from the start and skips finishing the
chunks already finished here (``World(replayed=...)``). Either way the numbers are the world's.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

import numpy as np

from .agent_ledger import AgentLedger
from .agents import AgentStats
from .arrivals import chunks
from .buyers import OrderBook, open_chunk
from .calls_fast import Calls, resolve_calls
from .clock import working
from .outcome import Outcome
from .plan import Plan
from .unpaid_fast import resolve_unpaid

__all__ = ["NoWaitCheck", "run_without_waits"]

Finish = Callable[[OrderBook, Outcome], None]


class NoWaitCheck:
    """Confirms, as the horizon moves on, that every call asked for before it began at once."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.start, self.end = np.empty(0), np.empty(0)  # calls not confirmed or still going
        self.since = -math.inf  # every call asked before this is confirmed

    def add(self, calls: Calls) -> bool:
        """Take a chunk's calls; False if one is asked for off duty or in the quiet hours."""
        if not working(calls.asked, self.plan.on_duty, self.plan.quiet_hours).all():
            return False
        self.start = np.concatenate((self.start, calls.asked))
        self.end = np.concatenate((self.end, calls.end))
        return True

    def advance(self, horizon: float) -> bool:
        """Confirm the calls asked in [since, horizon), given that every call asked before
        ``horizon`` has been added; False if at one of them all agents were busy."""
        start, end = self.start, self.end
        new = start[(start >= self.since) & (start < horizon)]
        if new.size:
            busy = np.searchsorted(np.sort(start), new, "right")
            busy -= np.searchsorted(np.sort(end), new, "left")
            if busy.max() > self.plan.agents:
                return False
        keep = (start >= horizon) | (end >= horizon)
        self.start, self.end, self.since = start[keep], end[keep], horizon
        return True


def run_without_waits(
    plan: Plan, replication: int, stats: AgentStats, finish: Finish
) -> int | None:
    """Run the replication in numpy; None when no call waited (then ``stats`` are written),
    else the number of chunks finished before the first call that would have waited."""
    check = NoWaitCheck(plan)
    ledger = AgentLedger(plan.measured_window, plan.on_duty)
    held: deque[tuple[OrderBook, Outcome, float]] = deque()  # last call asked, per chunk
    finished = 0
    for chunk in chunks(plan, replication):
        if chunk.n:
            book, outcome = open_chunk(plan, replication, chunk)
            bound = np.flatnonzero(resolve_unpaid(book, outcome, stop_at_agents=True))
            calls = resolve_calls(book, outcome, bound)
            if not check.add(calls):
                return finished
            ledger.add_calls(calls.asked, calls.asked, calls.hours)
            book.release_unpaid_phase()  # held until its calls are confirmed: keep it small
            held.append((book, outcome, float(calls.asked.max(initial=-math.inf))))
        # later chunks' orders are placed after this chunk's hours: no call asked before this
        # horizon is still to come
        horizon = (chunk.index + 1) * plan.chunk_hours
        if not check.advance(horizon):
            return finished
        while held and held[0][2] < horizon:
            finish(*held.popleft()[:2])
            finished += 1
    if not check.advance(math.inf):
        return finished
    while held:
        finish(*held.popleft()[:2])
    ledger.close(stats, plan.agents)
    return None

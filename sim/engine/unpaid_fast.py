"""The waiting-for-payment phase in numpy: a whole chunk at a time.

With no agents, no shared stock and no blacklist, an order's fate depends only on its own draws,
so a chunk is resolved with array operations, step by step in due-time order. With agents as the
only thing orders share, the same pass resolves every order that never meets an agent and
returns the rest (agent-bound orders), for the call pass (``calls_fast``) or the SimPy world.
What a reminder does lives in ``waiting.py`` and ``rules.py``; the SimPy world (``world.py``)
calls the same rules, and a test checks that both paths give identical outcomes for the same
seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .buyers import OrderBook
from .outcome import Outcome
from .waiting import Waiting

__all__ = ["FirstCalls", "resolve_unpaid"]


@dataclass
class FirstCalls:
    """Of each agent-bound order: its first step that needs an agent (``step``, due at
    ``asked``: the first call is asked for then), and when the order ends if none of its calls
    ever begins (``end``)."""

    step: np.ndarray
    asked: np.ndarray
    end: np.ndarray


def resolve_unpaid(
    book: OrderBook, outcome: Outcome, *, stop_at_agents: bool = False,
    first_calls: FirstCalls | None = None,
):  # fmt: skip
    """Fill ``outcome`` for the orders of the chunk (all are placed on this path).

    With ``stop_at_agents`` an order whose next due step needs an agent (and comes before its
    end) stops there: it is returned in the agent-bound mask and its outcome is left untouched.
    With ``first_calls`` too, agent-bound orders go on as if no call ever began, and what that
    gives (their first call, their end without calls) is written into it (chunk-long arrays).
    """
    plan, n = book.plan, book.chunk.n
    w = Waiting(book)
    bound = np.zeros(n, dtype=bool)
    if plan.steps:
        due, channel, order = book.step_times, book.step_channel, book.step_order
        cols = np.arange(n)
        for j in range(len(plan.steps)):
            step = order[j]
            at, ch = due[step, cols], channel[step, cols]
            fires = (ch >= 0) & (at < w.end_time())
            if first_calls is None:
                fires &= ~bound
            fires &= ~w.skips(step)
            if stop_at_agents:
                meets_agent = fires & plan.needs_agent[ch]
                if first_calls is not None:
                    first = meets_agent & ~bound
                    first_calls.step[first], first_calls.asked[first] = step[first], at[first]
                bound |= meets_agent
                fires &= ~meets_agent
            f = np.flatnonzero(fires)
            if f.size:
                w.remind(f, at[f], ch[f].astype(np.int64), step[f])
    if first_calls is not None:
        first_calls.end[bound] = w.end_time()[bound]
    w.write(outcome, ~bound if stop_at_agents else None)
    return bound

"""Agent-bound orders in numpy, on the assumption that every call begins when it is asked for.

While no call waits for an agent, an order's life depends on nothing but its own draws, as on
the fast path; only its events are no longer in step order: a phone or IM step asks for a call
when it falls due, and the reminder reaches the buyer when the call ends, possibly after later
steps. So the orders are run as many small event loops side by side: each round takes every
open order's next event (its next step falling due, or the earliest end of its calls under way),
in the SimPy world's order, and applies it with the same rules (``waiting.Waiting``).

Same-instant events of one order run in the world's order: its end first (the end events'
priority); then SimPy's own order for events of equal priority, the order in which they were
scheduled. A step's event is scheduled when the step before it is handled; the end of a call
when an agent picks the call up, which is right after its step is handled. So at one instant
the ends of calls go in the order the calls were asked for, and a step goes before the end of
a call only if it is the very next step after the call's own (scheduled in the same handler,
before the pick-up). Whether no call waited is checked by ``no_wait`` over all orders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .buyers import OrderBook
from .outcome import Outcome
from .waiting import Waiting

__all__ = ["Calls", "resolve_calls"]


@dataclass(frozen=True)
class Calls:
    """The calls and chats of a chunk's agent-bound orders: asked for (and begun) at ``asked``,
    lasting ``hours``."""

    asked: np.ndarray
    hours: np.ndarray

    @property
    def end(self) -> np.ndarray:
        return self.asked + self.hours


def resolve_calls(book: OrderBook, outcome: Outcome, rows: np.ndarray) -> Calls:
    """Fill ``outcome`` for the orders at ``rows`` (agent-bound) as if every call began when
    asked; return the calls."""
    plan = book.plan
    if rows.size == 0:  # (an agent-bound order has a step: below, plan.steps is not empty)
        return Calls(np.empty(0), np.empty(0))
    n, n_steps = rows.size, len(plan.steps)
    w = Waiting(book, rows)
    due_of, channel_of = book.step_times[:, rows], book.step_channel[:, rows]
    # each order's steps that have a channel for it, in due order (the world chains these)
    in_order = book.step_order[:, rows]
    cols = np.arange(n)
    has_channel = channel_of[in_order, cols] >= 0
    seq = in_order[np.argsort(~has_channel, axis=0, kind="stable"), cols]
    n_seq = has_channel.sum(axis=0)
    done_steps = np.zeros(n, dtype=np.int64)
    # the end of the call asked at each position of the order's steps (inf: none under way)
    call_end = np.full((n_steps, n), np.inf)
    asked_on = np.zeros((len(plan.channels), n), dtype=np.int64)
    asked, hours = [], []
    live = cols
    while live.size:
        p = done_steps[live]
        more = p < n_seq[live]
        step = np.where(more, seq[np.minimum(p, n_steps - 1), live], 0)
        due = np.where(more, due_of[step, live], np.inf)
        under_way = call_end[:, live]
        asked_at = under_way.argmin(axis=0)  # at a tie, the call asked for first
        ends = under_way[asked_at, np.arange(live.size)]
        go = np.minimum(due, ends) < w.end_time(live)  # an order's end comes first at a tie
        live, p, step, due = live[go], p[go], step[go], due[go]
        asked_at, ends = asked_at[go], ends[go]
        ending = (ends < due) | ((ends == due) & (p != asked_at + 1))
        if ending.any():
            f, q = live[ending], asked_at[ending]
            s = seq[q, f]
            call_end[q, f] = np.inf
            w.remind(f, ends[ending], channel_of[s, f].astype(np.int64), s)
        f, s, at, p = live[~ending], step[~ending], due[~ending], p[~ending]
        done_steps[f] += 1
        keep = ~w.skips(s, f)
        f, s, at, p = f[keep], s[keep], at[keep], p[keep]
        ch = channel_of[s, f].astype(np.int64)
        agent = plan.needs_agent[ch]
        if not agent.all():
            w.remind(f[~agent], at[~agent], ch[~agent], s[~agent])
        if agent.any() and plan.agents > 0:
            f, s, at, ch, p = f[agent], s[agent], at[agent], ch[agent], p[agent]
            nth = asked_on[ch, f]
            asked_on[ch, f] += 1
            h = np.empty(f.size)
            for c, k in set(zip(ch.tolist(), nth.tolist(), strict=True)):
                m = (ch == c) & (nth == k)
                h[m] = book.service_hours(c, k)[rows[f[m]]]
            outcome.agent_hours[rows[f]] += h
            call_end[p, f] = at + h
            asked.append(at)
            hours.append(h)
    w.write(outcome)
    if not asked:
        return Calls(np.empty(0), np.empty(0))
    return Calls(np.concatenate(asked), np.concatenate(hours))

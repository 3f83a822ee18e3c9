"""Agent-bound orders in numpy, on the assumption that every call begins when it is asked for.

While no call waits for an agent, an order's life depends on nothing but its own draws, as on
the fast path; only its events are no longer in step order: a phone or IM step asks for a call
when it falls due, and the reminder reaches the buyer when the call ends, possibly after later
steps. So the orders are run as many small event loops side by side: each round takes every
open order's next event (its next step falling due, or the earliest end of its calls under way),
in the SimPy world's order, and applies it with the same rules (``waiting.Waiting``).

Whether the assumption holds is checked by ``no_wait`` over all orders; two events of one order
at the same instant (where the world's tie order would decide) are left to the world.
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


def resolve_calls(book: OrderBook, outcome: Outcome, rows: np.ndarray) -> Calls | None:
    """Fill ``outcome`` for the orders at ``rows`` (agent-bound) as if every call began when
    asked; None when an order has two events at one instant (the outcome is then of no use)."""
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
    call_end = np.full((n_steps, n), np.inf)  # the end of the call each step asked for
    asked_on = np.zeros((len(plan.channels), n), dtype=np.int64)
    asked, hours = [], []
    live = cols
    while live.size:
        p = done_steps[live]
        more = p < n_seq[live]
        step = np.where(more, seq[np.minimum(p, n_steps - 1), live], 0)
        due = np.where(more, due_of[step, live], np.inf)
        under_way = call_end[:, live]
        call_step = under_way.argmin(axis=0)
        ends = under_way[call_step, np.arange(live.size)]
        go = np.minimum(due, ends) < w.end_time(live)  # an order's end comes first at a tie
        live, step, due, call_step, ends = live[go], step[go], due[go], call_step[go], ends[go]
        twin_calls = ((call_end[:, live] == ends).sum(axis=0) > 1) & np.isfinite(ends)
        if np.any(due == ends) or twin_calls.any():
            return None
        ending = ends < due
        if ending.any():
            f, s = live[ending], call_step[ending]
            call_end[s, f] = np.inf
            w.remind(f, ends[ending], channel_of[s, f].astype(np.int64), s)
        f, s, at = live[~ending], step[~ending], due[~ending]
        done_steps[f] += 1
        keep = ~w.skips(s, f)
        f, s, at = f[keep], s[keep], at[keep]
        ch = channel_of[s, f].astype(np.int64)
        agent = plan.needs_agent[ch]
        if not agent.all():
            w.remind(f[~agent], at[~agent], ch[~agent], s[~agent])
        if agent.any() and plan.agents > 0:
            f, s, at, ch = f[agent], s[agent], at[agent], ch[agent]
            nth = asked_on[ch, f]
            asked_on[ch, f] += 1
            h = np.empty(f.size)
            for c, k in set(zip(ch.tolist(), nth.tolist(), strict=True)):
                m = (ch == c) & (nth == k)
                h[m] = book.service_hours(c, k)[rows[f[m]]]
            outcome.agent_hours[rows[f]] += h
            call_end[s, f] = at + h
            asked.append(at)
            hours.append(h)
    w.write(outcome)
    if not asked:
        return Calls(np.empty(0), np.empty(0))
    return Calls(np.concatenate(asked), np.concatenate(hours))

"""Agent-bound orders in numpy, given when each of their calls begins.

An order's life depends on its own draws and on when its calls begin, nothing else: a phone or
IM step asks for a call when it falls due, and the reminder reaches the buyer when the call ends,
possibly after later steps. So the orders are run as many small event loops side by side: each
round takes every open order's next event (its next step falling due, or the earliest end of its
calls under way), in the SimPy world's order, and applies it with the same rules
(``waiting.Waiting``). Each call begins when ``Known`` says (the queue's answer of the last wave,
``agent_waves``), or when asked if it is not known yet.

Same-instant events of one order run in the world's order: its end first (the end events'
priority); then SimPy's own order for events of equal priority, the order in which they were
scheduled. A step's event is scheduled when the step before it is handled; the end of a call
when an agent picks the call up. A call begun when asked is picked up right after its step is
handled, so a step goes before its end only if it is the very next step after the call's own
(scheduled in the same handler, before the pick-up); a call that waited is picked up at its
start, so a step goes first if the step before it was handled earlier. A step scheduled at the
very instant of a pick-up is a tie this cannot order: the call is marked, and the driver hands
the replication to the world.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .buyers import OrderBook
from .outcome import Outcome
from .rules import held_hours
from .waiting import Waiting

__all__ = ["Calls", "Known", "lineage", "resolve_calls", "sequence"]


@dataclass(frozen=True)
class Calls:
    """The calls and chats of some agent-bound orders, in the order they were asked for within
    each order: the order (``order``: position among the rows resolved), its n-th call
    (``nth``), asked for at ``asked``, assumed to begin at ``start``, lasting ``hours``.

    ``sched[:, j]`` and ``rank[:, j]`` trace the events that led to the call's step: j = 0 is
    the event that scheduled it, j = 1 the one that scheduled that, down to the order's
    placement (rank 0: it runs before steps, rank 1, at one instant; -1 past it). SimPy runs
    same-instant events in the order they were scheduled, so these order the calls asked at
    one instant as the world queues them. ``tangled``: the call's end tied with one of its
    order's steps scheduled at the very instant the call was picked up, which no rule here can
    order (the driver then hands the replication to the world). ``won``: the call's reminder won
    the buyer (the only way a reminder moves its order's end)."""

    order: np.ndarray
    nth: np.ndarray
    asked: np.ndarray
    start: np.ndarray
    hours: np.ndarray
    sched: np.ndarray
    rank: np.ndarray
    tangled: np.ndarray
    won: np.ndarray

    @classmethod
    def none(cls, depth: int) -> Calls:
        e, e2 = np.empty(0), np.empty((0, depth))
        i, b = np.empty(0, dtype=np.int64), np.empty(0, dtype=bool)
        return cls(i, i, e, e, e, e2, np.empty((0, depth), dtype=np.int8), b, b)


class Known:
    """When calls begin, as far as the queue has said: ``start[k, j]`` for the k-th call of the
    j-th order, valid while that call is still asked at ``asked[k, j]``."""

    def __init__(self, calls_per_order: int, n: int) -> None:
        self.asked = np.full((calls_per_order, n), np.nan)
        self.start = np.full((calls_per_order, n), np.nan)

    def lookup(self, nth: np.ndarray, j: np.ndarray, asked: np.ndarray) -> np.ndarray:
        same = self.asked[nth, j] == asked
        return np.where(same, self.start[nth, j], asked)


def sequence(book: OrderBook, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each order's steps that have a channel for it, in due order (the world chains these):
    (steps, orders) step indices, and how many each order has."""
    channel_of, in_order = book.step_channel[:, rows], book.step_order[:, rows]
    cols = np.arange(rows.size)
    has_channel = channel_of[in_order, cols] >= 0
    return in_order[np.argsort(~has_channel, axis=0, kind="stable"), cols], has_channel.sum(axis=0)


def lineage(due_of, placed_at, seq, f, p, depth) -> tuple[np.ndarray, np.ndarray]:
    """(``Calls.sched``, ``Calls.rank``) of the steps at positions ``p`` of orders ``f``:
    the due times of the steps before each, latest first, then the placement."""
    sched, rank = np.zeros((f.size, depth)), np.full((f.size, depth), -1, np.int8)
    for j in range(depth):
        back = p - 1 - j  # the step whose handler scheduled the level below
        stepped, placed = back >= 0, back == -1
        sched[stepped, j] = due_of[seq[back[stepped], f[stepped]], f[stepped]]
        rank[stepped, j] = 1
        sched[placed, j], rank[placed, j] = placed_at[f[placed]], 0
    return sched, rank


def resolve_calls(
    book: OrderBook, outcome: Outcome, rows: np.ndarray, known: Known | None = None,
    cols: np.ndarray | None = None, cut: np.ndarray | None = None,
) -> Calls:  # fmt: skip
    """Fill ``outcome`` for the orders at ``rows`` (agent-bound) with each call beginning when
    ``known`` says (its columns ``cols``; when asked if unknown), except that an order's calls
    from its ``cut``-th on never begin (withdrawn); return the calls."""
    plan = book.plan
    depth = len(plan.steps) + 1  # a step's lineage: the steps before it, then the placement
    if rows.size == 0:  # (an agent-bound order has a step: below, plan.steps is not empty)
        return Calls.none(depth)
    n, n_steps = rows.size, len(plan.steps)
    w = Waiting(book, rows)
    outcome.agent_hours[rows] = 0.0
    due_of, channel_of = book.step_times[:, rows], book.step_channel[:, rows]
    placed_at = book.chunk.time[rows]
    cols_n = np.arange(n)
    if cols is None:
        cols = cols_n
    seq, n_seq = sequence(book, rows)
    done_steps = np.zeros(n, dtype=np.int64)
    # the start and end of the call asked at each position of the order's steps
    call_end = np.full((n_steps, n), np.inf)
    call_start = np.full((n_steps, n), np.inf)
    call_asked = np.full((n_steps, n), np.inf)
    call_won = np.zeros((n_steps, n), dtype=bool)
    asked_on = np.zeros((len(plan.channels), n), dtype=np.int64)
    calls_so_far = np.zeros(n, dtype=np.int64)
    parts: list[tuple[np.ndarray, ...]] = []
    tangles: list[tuple[np.ndarray, np.ndarray]] = []  # (order, position of the call)
    live = cols_n
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
        ending = ends < due
        tie = np.flatnonzero(ends == due)
        if tie.size:
            f, q, pt = live[tie], asked_at[tie], p[tie]
            s_q, a_q = call_start[q, f], call_asked[q, f]
            before = due_of[seq[np.maximum(pt - 1, 0), f], f]  # when step p was scheduled
            waited = s_q > a_q
            step_first = np.where(waited, before < s_q, pt == q + 1)
            # picked up at its start (waited) or right after its step (not): the step p was
            # scheduled at that very instant, by a handler SimPy may run before or after
            odd = np.where(waited, before == s_q, (pt > q + 1) & (before == a_q))
            if odd.any():
                tangles.append((f[odd], q[odd]))
            ending[tie] = ~step_first
        if ending.any():
            f, q = live[ending], asked_at[ending]
            s = seq[q, f]
            call_end[q, f] = np.inf
            call_won[q, f] = w.remind(f, ends[ending], channel_of[s, f].astype(np.int64), s)
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
                h[m] = book.service_hours_of(c, k, rows[f[m]])
            k_all = calls_so_far[f]
            calls_so_far[f] += 1
            begin = at if known is None else known.lookup(k_all, cols[f], at)
            if cut is not None:
                begin = np.where(k_all >= cut[f], np.inf, begin)
            call_start[p, f], call_asked[p, f] = begin, at
            call_end[p, f] = begin + held_hours(plan, begin, h)
            sched, rank = lineage(due_of, placed_at, seq, f, p, depth)
            parts.append((f, k_all, at, begin, h, sched, rank, p))
    w.write(outcome)
    if not parts:
        return Calls.none(depth)
    f, k_all, at, begin, h, sched, rank, pos = (np.concatenate(x) for x in zip(*parts, strict=True))
    # agent hours are booked when an agent picks the call up: only calls begun before the end
    served = begin < outcome.end_time[rows[f]]
    for k in range(int(k_all.max()) + 1):  # each order's calls in turn: the world's sum order
        m = served & (k_all == k)
        outcome.agent_hours[rows[f[m]]] += h[m]
    tangled = np.zeros(f.size, dtype=bool)
    if tangles:
        mark = np.zeros((n_steps, n), dtype=bool)
        for tf, tq in tangles:
            mark[tq, tf] = True
        tangled = mark[pos, f]
    return Calls(f, k_all, at, begin, h, sched, rank, tangled, call_won[pos, f])

"""Agent scenarios in numpy, calls that wait for an agent included: resolved in waves.

When agents are the only thing orders share, orders meet only in the agents' queue, and an
order's life depends on its own draws and on when its calls begin. So a replication runs in
numpy, a group of consecutive chunks at a time (``chunk_group``: at least ``GROUP_ORDERS``
orders, so small chunks do not each pay every pass): agent-free orders by ``unpaid_fast``,
agent-bound ones by ``calls_fast``, every call first taken to begin when asked. Then the waves:

1. the queue (``fcfs.serve``) computes when every call really begins, in one tight loop over
   the calls in request order (shifts, quiet hours, calls that run past a shift's end);
2. the orders whose call moved are resolved again with the real starts (a later call of theirs
   may appear, vanish or move);
3. repeat until no call moves.

A call is served when an agent can take it before its order would end without it, that is with
this call and its later ones withdrawn (``_resolve``): nothing a call does comes before it
begins, so the queue's answer for a call is right once its order's earlier calls are right, and
the waves end after about as many rounds as an order has calls.

Later groups' orders are placed after a group's hours, so once the waves settle at a group's
horizon every call asked before it has its final start: those calls are committed (booked in
the ledger; the agents' free times kept) and a group's chunks are finished, one by one, once
all its calls are. A replication holds the agents' state, the calls not committed and the
groups they belong to.

A moment the queue cannot order as SimPy does (an order ending as an agent could take its call;
a call's end tied with a step scheduled at its pick-up; an agent waking a float's width off a
shift's opening in a run's first hours) hands the replication to the SimPy
world, which runs it again from the start without finishing twice the chunks finished here
(``World(replayed=...)``). Either way the numbers are the world's.
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
from .calls_fast import Known, lineage, resolve_calls, sequence
from .chunk_group import GroupBook, group_chunks, split_outcome
from .fcfs import Served, serve
from .outcome import Outcome
from .plan import Plan
from .rules import held_hours
from .unpaid_fast import FirstCalls, resolve_unpaid

__all__ = ["run_agent_waves"]

Finish = Callable[[OrderBook, Outcome], None]
GROUP_ORDERS = 16_384  # chunks are read together until a group holds this many orders
MAX_WAVES = 64  # a safety net: the waves settle in a few rounds (about an order's calls)
_FIELDS = ("order", "nth", "asked", "hours", "sched", "rank", "withdraw")


class _Calls:
    """Calls of a chunk's agent-bound orders (``order``: position among them; ``sched`` and
    ``rank`` as in ``calls_fast.Calls``), each with the moment its order would end without it
    and its later calls (``withdraw``)."""

    __slots__ = _FIELDS

    def __init__(self, **arrays: np.ndarray) -> None:
        for name in _FIELDS:
            setattr(self, name, arrays[name])

    @classmethod
    def join(cls, parts: list[_Calls]) -> _Calls:
        return cls(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in _FIELDS})

    def take(self, mask: np.ndarray) -> _Calls:
        return _Calls(**{name: getattr(self, name)[mask] for name in _FIELDS})


class _Held:
    """A group of chunks with calls not yet committed: its order book (the chunks' ``books``
    read as one), outcome, agent-bound orders (``rows``), what the queue said of their calls
    (``known``) and their calls.

    Its orders start unresolved, with only their first calls, from the unpaid pass (asked when
    the first step needing an agent falls due; withdrawn when the order would end without any
    call): the first wave serves them, and each order is resolved once with their starts."""

    __slots__ = ("book", "books", "calls", "end_without_calls", "known", "outcome", "resolved",
                 "rows", "tangled")  # fmt: skip

    def __init__(self, book: OrderBook, outcome: Outcome, rows: np.ndarray,
                 first: FirstCalls, books: list[OrderBook]) -> None:  # fmt: skip
        self.book, self.outcome, self.rows, self.books = book, outcome, rows, books
        plan = book.plan
        self.known = Known(len(plan.steps), rows.size)
        self.tangled = np.zeros(rows.size, dtype=bool)  # orders with a tie no rule can order
        self.resolved = np.zeros(rows.size, dtype=bool)
        self.end_without_calls = first.end[rows]  # the first call's withdrawal moment
        step, asked = first.step[rows], first.asked[rows]
        o = np.arange(rows.size) if plan.agents > 0 else np.empty(0, dtype=np.int64)
        channel = book.step_channel[step[o], rows[o]].astype(np.int64)
        hours = np.empty(o.size)
        for c in np.unique(channel).tolist():
            m = channel == c
            hours[m] = book.service_hours_of(c, 0, rows[o[m]])
        seq, _ = sequence(book, rows)
        p = np.argmax(seq == step, axis=0)[o]  # the step's position among the order's steps
        sched, rank = lineage(book.step_times[:, rows], book.chunk.time[rows], seq, o, p,
                              len(plan.steps) + 1)  # fmt: skip
        nth = np.zeros(o.size, dtype=np.int64)
        self.calls = _Calls(order=o, nth=nth, asked=asked[o], hours=hours, sched=sched,
                            rank=rank, withdraw=first.end[rows[o]])  # fmt: skip

    @property
    def last_asked(self) -> float:
        return float(self.calls.asked.max(initial=-math.inf))


def _resolve(held: _Held, sub: np.ndarray) -> _Calls:
    """Resolve the agent-bound orders at positions ``sub`` with the starts the queue gave;
    return their calls, and mark in ``held.tangled`` the orders where a same-instant tie came up
    that no rule here can order.

    A call's withdrawal moment is its order's end with that call and its later ones never
    begun. A reminder moves its order's end only by winning the buyer, so that is the order's
    end as resolved unless one of those calls won (or a later step's only_if reads whether a
    call reached the buyer, or a reached buyer may opt out of later reminders): then the order
    is resolved again, cut at that call, on the side;
    for the first call it is the end the unpaid pass gave without calls."""
    book, plan = held.book, held.book.plan
    rows = held.rows[sub]
    calls = resolve_calls(book, held.outcome, rows, held.known, sub)
    held.tangled[sub] = False
    held.tangled[sub[calls.order[calls.tangled]]] = True
    withdraw = held.outcome.end_time[rows][calls.order]
    last_win = np.full(sub.size, -1)
    if (plan.not_reached_by >= 0).any() or (plan.opts_out > 0).any():
        last_win[:] = len(plan.steps)  # a reminder that reaches changes later steps' fate too
    else:
        np.maximum.at(last_win, calls.order, np.where(calls.won, calls.nth, -1))
    first = calls.nth == 0  # withdrawn when its order would end without calls: known
    withdraw[first] = held.end_without_calls[sub[calls.order[first]]]
    cut = (calls.nth <= last_win[calls.order]) & ~first
    if cut.any():
        side = Outcome(book.chunk, book.price, len(plan.steps))
        for k in np.unique(calls.nth[cut]).tolist():
            at = np.flatnonzero(cut & (calls.nth == k))
            o = calls.order[at]
            resolve_calls(book, side, rows[o], held.known, sub[o], np.full(o.size, k))
            withdraw[at] = side.end_time[rows[o]]
    return _Calls(
        order=sub[calls.order],
        nth=calls.nth,
        asked=calls.asked,
        hours=calls.hours,
        sched=calls.sched,
        rank=calls.rank,
        withdraw=withdraw,
    )


class _Queue:
    """The agents after every committed call: free times (a heap) and the horizon before which
    every call is committed."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.free = np.full(plan.agents, -math.inf)
        self.since = -math.inf
        self.hours = (plan.on_duty, plan.quiet_hours)


def _settle(held: deque[_Held], queue: _Queue, horizon: float, ledger: AgentLedger) -> bool:
    """Run the waves until no call moves, then commit the calls asked before ``horizon``;
    False if a moment came up that the queue cannot order as SimPy does."""
    for _ in range(MAX_WAVES):
        if any(h.tangled.any() for h in held):
            return False
        parts, which = [], []
        for i, h in enumerate(held):
            pending = h.calls.take(h.calls.asked >= queue.since)
            parts.append(pending)
            which.append(np.full(pending.asked.size, i))
        if not parts:  # nothing held: no call to commit
            queue.since = horizon
            return True
        calls, chunk_of = _Calls.join(parts), np.concatenate(which)
        uid = np.concatenate([h.book.chunk.first_order_id + h.rows[p.order]
                              for h, p in zip(held, parts, strict=True)])  # fmt: skip
        # request order: SimPy runs same-instant steps in the order they were scheduled, that
        # is in the order of the events that scheduled them, and so on down to the placements
        # (orders placed at one instant are placed in turn); one order's calls in turn
        keys = [calls.nth, uid]
        for j in reversed(range(calls.sched.shape[1])):
            keys += [calls.rank[:, j], calls.sched[:, j]]
        order = np.lexsort((*keys, calls.asked))
        calls, chunk_of, uid = calls.take(order), chunk_of[order], uid[order]
        m = int(np.count_nonzero(calls.asked < horizon))
        served = serve(calls.asked, calls.hours, calls.withdraw, queue.free, m, queue.hours,
                       stretch=queue.plan.inquiry_stretch)  # fmt: skip
        if served is None:
            return False
        moved = np.zeros(calls.asked.size, dtype=bool)  # (compared with what resolved orders used)
        for i, h in enumerate(held):
            mine = chunk_of == i
            if not mine.any():
                continue
            o, k, a = calls.order[mine], calls.nth[mine], calls.asked[mine]
            moved[mine] = h.known.lookup(k, o, a) != served.start[mine]
            h.known.asked[k, o], h.known.start[k, o] = a, served.start[mine]
        if not moved.any() and all(h.resolved.all() for h in held):
            return _commit(calls.take(slice(0, m)), served, queue, horizon, ledger)
        for i, h in enumerate(held):
            again = np.union1d(calls.order[moved & (chunk_of == i)], np.flatnonzero(~h.resolved))
            if again.size:
                h.resolved[again] = True
                fresh = _resolve(h, again)
                keep = ~np.isin(h.calls.order, again)
                if not _same_before(h.calls.take(~keep), fresh, queue.since):
                    return False  # nothing before the horizon may move
                h.calls = _Calls.join([h.calls.take(keep), fresh])
    return False


def _same_before(old: _Calls, fresh: _Calls, since: float) -> bool:
    """Whether orders resolved again kept the calls they asked for before ``since`` (those are
    committed: a call that moved can only change what comes after it)."""
    a, b = old.take(old.asked < since), fresh.take(fresh.asked < since)
    ka, kb = np.lexsort((a.nth, a.order)), np.lexsort((b.nth, b.order))
    return all(
        np.array_equal(getattr(a, name)[ka], getattr(b, name)[kb])
        for name in ("order", "nth", "asked", "hours")
    )


def _commit(calls: _Calls, served: Served, queue: _Queue, horizon: float,
            ledger: AgentLedger) -> bool:  # fmt: skip
    """Book the calls asked before ``horizon`` (their starts are final) and keep the agents'
    state after them."""
    start = served.start[: calls.asked.size]
    ok = start < math.inf
    ledger.add_calls(calls.asked[ok], start[ok], held_hours(queue.plan, start[ok], calls.hours[ok]))
    ledger.add_waits(calls.asked, np.where(ok, start, calls.withdraw))
    queue.free = served.after
    queue.since = horizon
    return True


def run_agent_waves(plan: Plan, replication: int, stats: AgentStats, finish: Finish) -> int | None:
    """Run the replication in numpy; None when done (then ``stats`` are written), else the
    number of chunks finished before a moment the queue cannot order (the world takes over)."""
    queue = _Queue(plan)
    ledger = AgentLedger(plan.measured_window, plan.on_duty)
    held: deque[_Held] = deque()
    finished = 0
    for group in group_chunks(chunks(plan, replication), GROUP_ORDERS):
        opened = [open_chunk(plan, replication, chunk) for chunk in group if chunk.n]
        if opened:
            books = [book for book, _ in opened]
            book, outcome = opened[0]
            if len(books) > 1:
                book = GroupBook(books)
                outcome = Outcome(book.chunk, book.price, len(plan.steps))
            n = book.chunk.n
            first = FirstCalls(np.zeros(n, dtype=np.int64), np.zeros(n), np.zeros(n))
            bound = resolve_unpaid(book, outcome, stop_at_agents=True, first_calls=first)
            held.append(_Held(book, outcome, np.flatnonzero(bound), first, books))
        # later chunks' orders are placed after this group's hours: no call asked before this
        # horizon is still to come
        horizon = (group[-1].index + 1) * plan.chunk_hours
        if not _settle(held, queue, horizon, ledger):
            return finished
        while held and held[0].last_asked < horizon:
            finished += _finish(held.popleft(), finish)
    if not _settle(held, queue, math.inf, ledger):
        return finished
    while held:
        _finish(held.popleft(), finish)
    ledger.close(stats, plan.agents)
    return None


def _finish(done: _Held, finish: Finish) -> int:
    """Finish a group's chunks in order; return how many."""
    if len(done.books) == 1:
        finish(done.book, done.outcome)
    else:
        for book, outcome in zip(done.books, split_outcome(done.outcome, done.books), strict=True):
            finish(book, outcome)
    return len(done.books)

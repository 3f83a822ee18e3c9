"""Buyers of one chunk: what each would do left alone, and the quantities reminders may draw on.

Both unpaid-phase engines (numpy fast path and SimPy world) read these arrays, computed once per
chunk over the whole chunk, so they see bit-identical numbers for every order.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from sim.scenario.hours import release_after

from .arrivals import Chunk
from .draws import BuyerDraw, ChunkDraws, ReminderDraw
from .outcome import Outcome
from .plan import Plan, ppf_by_segment
from .rules import PHONE, callable_buyers
from .targeting import Targeting

_EVERYONE = Targeting()

__all__ = ["OrderBook", "open_chunk"]


class OrderBook:
    """Each order's own plan (pay, cancel, be closed, time out) and its reminder quantities."""

    def __init__(self, plan: Plan, chunk: Chunk, draws: ChunkDraws) -> None:
        self.plan, self.chunk, self.draws = plan, chunk, draws
        seg, t, u = chunk.segment, chunk.time, draws.buyer
        kinds = plan.kinds
        # each order's kind (all 0 without [[order_kinds]]); its price and its close follow it
        self.kind = kinds.draw(draws.kind) if kinds.any else np.zeros(chunk.n, dtype=np.int64)
        if kinds.any:
            self.price = kinds.price(u[BuyerDraw.PRICE], self.kind)
        else:
            self.price = np.asarray(plan.price.ppf(u[BuyerDraw.PRICE]), dtype=float)
        pays = u[BuyerDraw.UNPROMPTED] < plan.pays_unprompted[seg]
        pay_after = ppf_by_segment(plan.pay_hours, seg, u[BuyerDraw.PAY_TIME])
        if np.any(plan.pays_on_credit > 0):  # credit or pay later: paid at placement
            credit = u[BuyerDraw.CREDIT] < plan.pays_on_credit[seg]
            pays, pay_after = pays | credit, np.where(credit, 0.0, pay_after)
        self.own_pay = np.where(pays, t + pay_after, np.inf)
        cancels = ~pays & (u[BuyerDraw.CANCELS] < plan.cancels[seg])
        cancel_after = ppf_by_segment(plan.cancel_hours, seg, u[BuyerDraw.CANCEL_TIME])
        self.cancel = np.where(cancels, t + cancel_after, np.inf)
        self.seller_close = plan.malicious_policy.close_times(t, plan.malicious[seg])
        if kinds.any:
            self.auto_close = kinds.close(t, self.kind)
        else:
            self.auto_close = t + plan.auto_close_hours

    @cached_property
    def step_times(self) -> np.ndarray:
        """(steps, n): when each step is due for each order; a seller's reminder due inside
        the shop's quiet hours waits until they end (the platform's own does not)."""
        if not self.plan.steps:
            return np.empty((0, self.chunk.n))
        due = np.stack([s.times(self.chunk.time, self.auto_close) for s in self.plan.steps])
        if not self.plan.quiet_hours:
            return due
        quiet = (self.step_channel >= 0) & self.plan.keeps_quiet[self.step_channel]
        return np.where(quiet, release_after(due, self.plan.quiet_hours), due)

    @cached_property
    def would_pay(self) -> np.ndarray:
        """Whether each order would be paid with no reminder at all: its buyer's own payment
        comes no later than its seller close and auto-close (a payment wins a tie); the
        counterfactual of the coupons a reminder hands to buyers who were paying anyway."""
        return self.own_pay <= np.minimum(self.seller_close, self.auto_close)

    @cached_property
    def reorder_after(self) -> np.ndarray:
        """Hours from an unpaid close to the re-order, for a buyer who re-orders (else inf)."""
        seg, u = self.chunk.segment, self.draws.buyer
        again = u[BuyerDraw.REORDERS] < self.plan.reorders[seg]
        after = ppf_by_segment(self.plan.reorder_hours, seg, u[BuyerDraw.REORDER_TIME])
        return np.where(again, after, np.inf)

    @cached_property
    def returning(self) -> np.ndarray:
        """Whether each order's buyer bought here before (segment's returning_share)."""
        u = self.draws.buyer_type(self.chunk.buyer)
        return u < self.plan.returning_share[self.chunk.segment]

    @cached_property
    def step_channel(self) -> np.ndarray:
        """(steps, n): each step's channel for each order's segment, -1 for none: also -1
        where the step's only_if excludes the order (price, buyer, hour of placement)."""
        if not self.plan.steps:
            return np.empty((0, self.chunk.n), dtype=np.int8)
        table = np.stack([s.channel_by_segment for s in self.plan.steps])[:, self.chunk.segment]
        for j, step in enumerate(self.plan.steps):
            if step.target != _EVERYONE:
                ok = step.target.eligible(self.price, self.chunk.time, self.returning, self.kind)
                table[j, ~ok] = -1
        uncallable = ~callable_buyers(self.plan, self.chunk.segment, self.draws.buyer)
        if uncallable.any():
            table[(table == PHONE) & uncallable] = -1  # no call is made: no agent time
        return table

    @cached_property
    def step_order(self) -> np.ndarray:
        """(steps, n): each order's steps sorted by due time (ties: listed order)."""
        return np.argsort(self.step_times, axis=0, kind="stable")

    def response_hours(self, channel: int, n: int) -> np.ndarray:
        """Hours from the n-th reminder on ``channel`` to payment for a buyer it wins."""
        return self._cached(
            ("resp", channel, n),
            lambda: ppf_by_segment(
                self.plan.response_hours,
                self.chunk.segment,
                self.draws.reminder(channel, n)[ReminderDraw.RESPONSE_TIME],
            ),
        )

    def service_hours(self, channel: int, n: int) -> np.ndarray:
        """Agent hours of the n-th call or chat an order asks for on an agent ``channel``."""
        return self._cached(
            ("svc", channel, n),
            lambda: self.plan.channels[channel].service_hours(
                self.draws.reminder(channel, n)[ReminderDraw.SERVICE]
            ),
        )

    def service_hours_of(self, channel: int, n: int, rows: np.ndarray) -> np.ndarray:
        """``service_hours(channel, n)[rows]``, drawn for those orders only (and kept): the
        inverse CDF is elementwise, so the bits are the same; most orders are never called."""
        known = self._cached(("svc-of", channel, n), lambda: np.full(self.chunk.n, np.nan))
        missing = rows[np.isnan(known[rows])]
        if missing.size:
            u = self.draws.reminder(channel, n)[ReminderDraw.SERVICE, missing]
            known[missing] = self.plan.channels[channel].service_hours(u)
        return known[rows]

    def release_unpaid_phase(self) -> None:
        """Let go of what only the unpaid phase reads (step tables, reminder draws and the
        times drawn from them): a chunk held until its calls are confirmed keeps only what
        fulfilment and accounting need."""
        for name in ("step_times", "step_channel", "step_order", "returning", "_store"):
            self.__dict__.pop(name, None)
        self.draws.release_reminders()

    def _cached(self, key, make):
        store = self.__dict__.setdefault("_store", {})
        if key not in store:
            store[key] = make()
        return store[key]


def open_chunk(
    plan: Plan, replication: int, chunk: Chunk, key: int | tuple[int, ...] | None = None
) -> tuple[OrderBook, Outcome]:
    """A chunk's order book, from its own draws (keyed by the chunk's index, or ``key`` for a
    re-order), and the empty outcome its unpaid phase fills: how every engine path starts."""
    draws = ChunkDraws(plan.seed, replication, chunk.index if key is None else key, chunk.n)
    book = OrderBook(plan, chunk, draws)
    return book, Outcome(chunk, book.price, len(plan.steps))

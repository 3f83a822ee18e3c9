"""The unpaid phase in numpy, for strategies whose orders never interact.

With no agents (SMS and automatic reminders only), no shared stock and no blacklist, an order's
fate depends only on its own draws, so a whole chunk is resolved with array operations, step by
step in due-time order. The SimPy world (``world.py``) is the reference: a test checks that both
give identical outcomes for the same seed.
"""

from __future__ import annotations

import numpy as np

from fsm.table import compiled_table

from .buyers import OrderBook
from .draws import ReminderDraw
from .outcome import End, Outcome

__all__ = ["replay_states", "resolve_unpaid"]


def resolve_unpaid(book: OrderBook, outcome: Outcome) -> None:
    """Fill ``outcome`` for every order of the chunk (all are placed on this path)."""
    plan, seg, n = book.plan, book.chunk.segment, book.chunk.n
    pay, cancel = book.own_pay.copy(), book.cancel.copy()
    seller_close, auto_close = book.seller_close, book.auto_close
    if plan.steps:
        due, channel = book.step_times, book.step_channel
        order = book.step_order
        cols = np.arange(n)
        uplift = np.array([s.uplift for s in plan.steps])
        has_incentive = np.array([s.incentive != 0 for s in plan.steps])
        for j in range(len(plan.steps)):
            step = order[j]
            at, ch = due[step, cols], channel[step, cols]
            end = np.minimum(np.minimum(pay, cancel), np.minimum(seller_close, auto_close))
            f = np.flatnonzero((ch >= 0) & (at < end))
            if f.size == 0:
                continue
            k = outcome.reminders[f].astype(np.int64)
            moment, ch_f, s, st = at[f], ch[f].astype(np.int64), seg[f], step[f]
            u = np.empty((len(ReminderDraw), f.size))
            resp = np.empty(f.size)
            for kv in np.unique(k):
                m = k == kv
                u[:, m] = book.draws.reminder(int(kv))[:, f[m]]
                resp[m] = book.response_hours(int(kv))[f[m]]
            hour = np.minimum((moment % 24.0).astype(np.int64), 23)
            reached = u[ReminderDraw.REACH] < plan.reach[ch_f, hour]
            annoy = plan.annoyance[s, ch_f] * plan.growth_pow[s, k]
            outcome.low_ratings[f] += u[ReminderDraw.ANNOYANCE] < np.minimum(1.0, annoy)
            chance = np.minimum(1.0, plan.response[s, ch_f] * (1.0 + uplift[st]))
            won = reached & (u[ReminderDraw.WIN] < chance)
            w = f[won]
            pay[w] = np.minimum(pay[w], moment[won] + resp[won])
            cancel[w] = np.inf
            gets = reached & has_incentive[st]
            outcome.incentive_step[f[gets]] = st[gets]
            outcome.reminder_time[k, f] = moment
            outcome.reminder_channel[k, f] = ch_f
            outcome.reminders[f] += 1
    ends = np.stack((pay, cancel, seller_close, auto_close))
    outcome.end[:] = np.argmin(ends, axis=0)  # first minimum: payment wins a tie (CONTRACT §7)
    outcome.end_time[:] = ends[outcome.end, np.arange(n)]
    outcome.incentive_step[outcome.end != End.PAID] = -1


def replay_states(outcome: Outcome) -> None:
    """Move every order of the chunk through the compiled table (raises on an illegal move)."""
    table = compiled_table()
    t = table.trigger_id
    placed = outcome.placed
    ids = outcome.chunk.order_id
    state = np.full(int(placed.sum()), table.state_id["placed"], dtype=np.int8)
    ids, reminders, end = ids[placed], outcome.reminders[placed], outcome.end[placed]
    state = table.step_many(state, t["await_payment"], ids)
    for k in range(int(reminders.max(initial=0))):
        m = reminders > k
        state[m] = table.step_many(state[m], t["remind"], ids[m])
    for kind, trigger in (
        (End.PAID, "pay"),
        (End.BUYER_CANCELLED, "cancel_by_buyer"),
        (End.SELLER_CLOSED, "close_by_seller"),
        (End.AUTO_CLOSED, "auto_close"),
    ):
        m = end == kind
        state[m] = table.step_many(state[m], t[trigger], ids[m])

"""The waiting-for-payment phase in numpy: a whole chunk at a time.

With no agents, no shared stock and no blacklist, an order's fate depends only on its own draws,
so a chunk is resolved with array operations, step by step in due-time order. With agents as the
only thing orders share, the same pass resolves every order that never meets an agent and
returns the rest (agent-bound orders), which the SimPy world then runs from their placement.
The rules themselves live in ``rules.py``; the SimPy world (``world.py``) calls the same ones,
and a test checks that both paths give identical outcomes for the same seed.
"""

from __future__ import annotations

import numpy as np

from .buyers import OrderBook
from .draws import ReminderDraw
from .outcome import Outcome
from .rules import can_annoy, first_end, pay_after_win, remind, unless_reached

__all__ = ["resolve_unpaid"]


def resolve_unpaid(book: OrderBook, outcome: Outcome, *, stop_at_agents: bool = False):
    """Fill ``outcome`` for the orders of the chunk (all are placed on this path).

    With ``stop_at_agents`` an order whose next due step needs an agent (and comes before its
    end) stops there: it is returned in the agent-bound mask and its outcome is left untouched.
    """
    plan, seg, n = book.plan, book.chunk.segment, book.chunk.n
    pay, cancel = book.own_pay.copy(), book.cancel.copy()
    seller_close, auto_close = book.seller_close, book.auto_close
    bound = np.zeros(n, dtype=bool)
    # reminder results per order, written to the outcome only for orders that finish here
    reminders = np.zeros(n, dtype=np.int16)
    sent_on = np.zeros((len(plan.channels), n), dtype=np.int64)  # reminders per channel so far
    annoyed_before = np.zeros(n, dtype=np.int64)
    low_ratings = np.zeros(n, dtype=np.int16)
    incentive_step = np.full(n, -1, dtype=np.int8)
    times = np.full((len(plan.steps), n), np.nan)
    channels = np.full((len(plan.steps), n), -1, dtype=np.int8)
    reached_by = np.zeros((len(plan.steps), n), dtype=bool)  # step j reached the buyer
    if plan.steps:
        due, channel, order = book.step_times, book.step_channel, book.step_order
        cols = np.arange(n)
        for j in range(len(plan.steps)):
            step = order[j]
            at, ch = due[step, cols], channel[step, cols]
            end = np.minimum(np.minimum(pay, cancel), np.minimum(seller_close, auto_close))
            fires = (ch >= 0) & (at < end) & ~bound
            fires &= ~unless_reached(plan, step, reached_by)
            if stop_at_agents:
                meets_agent = fires & plan.needs_agent[ch]
                bound |= meets_agent
                fires &= ~meets_agent
            f = np.flatnonzero(fires)
            if f.size == 0:
                continue
            k = reminders[f].astype(np.int64)
            moment, ch_f, s, st = at[f], ch[f].astype(np.int64), seg[f], step[f]
            nth = sent_on[ch_f, f]
            u = np.empty((len(ReminderDraw), f.size))
            resp = np.empty(f.size)
            for c, m_th in set(zip(ch_f.tolist(), nth.tolist(), strict=True)):
                m = (ch_f == c) & (nth == m_th)
                u[:, m] = book.draws.reminder(c, m_th)[:, f[m]]
                resp[m] = book.response_hours(c, m_th)[f[m]]
            effect = remind(plan, st, ch_f, s, annoyed_before[f], moment, u[ReminderDraw.REACH],
                            u[ReminderDraw.ANNOYANCE], u[ReminderDraw.WIN])  # fmt: skip
            sent_on[ch_f, f] += 1
            annoyed_before[f] += can_annoy(plan, s, ch_f)
            low_ratings[f] += effect.annoyed
            pay[f] = pay_after_win(pay[f], moment, resp, effect.won)
            cancel[f[effect.won]] = np.inf
            incentive_step[f[effect.uses_incentive]] = st[effect.uses_incentive]
            reached_by[st[effect.reached], f[effect.reached]] = True
            times[k, f] = moment
            channels[k, f] = ch_f
            reminders[f] += 1
    done = ~bound
    kind, when = first_end(pay, cancel, seller_close, auto_close)
    outcome.end[done] = kind[done]
    outcome.end_time[done] = when[done]
    outcome.reminders[done] = reminders[done]
    outcome.low_ratings[done] = low_ratings[done]
    outcome.incentive_step[done] = np.where(kind[done] == 0, incentive_step[done], -1)
    outcome.reminder_time[:, done] = times[:, done]
    outcome.reminder_channel[:, done] = channels[:, done]
    return bound

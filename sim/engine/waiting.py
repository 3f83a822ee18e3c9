"""Orders waiting for payment, as arrays: what the reminders have done to them so far.

Both numpy passes keep their orders here: the step-by-step pass over a whole chunk
(``unpaid_fast``) and the call pass over its agent-bound orders (``calls_fast``). What a reminder
does to an order is applied by ``Waiting.remind`` alone, with the rules of ``rules.py`` that the
SimPy world calls too.
"""

from __future__ import annotations

import numpy as np

from .buyers import OrderBook
from .draws import ReminderDraw
from .outcome import End, Outcome
from .rules import can_annoy, first_end, pay_after_win, remind, unless_reached

__all__ = ["Waiting"]


class Waiting:
    """The unpaid state of some orders of a chunk: the orders at ``rows`` (all when None).

    Arrays are indexed by position among those orders; ``rows`` maps a position to the order's
    position in the chunk, where its draws are.
    """

    def __init__(self, book: OrderBook, rows: np.ndarray | None = None) -> None:
        plan = book.plan
        self.book, self.plan, self.rows = book, plan, rows
        whole = slice(None) if rows is None else rows
        self.segment = book.chunk.segment[whole]
        self.pay, self.cancel = book.own_pay[whole].copy(), book.cancel[whole].copy()
        self.seller_close, self.auto_close = book.seller_close[whole], book.auto_close[whole]
        n = self.pay.size
        self.reminders = np.zeros(n, dtype=np.int16)
        self.sent_on = np.zeros((len(plan.channels), n), dtype=np.int64)  # reminders per channel
        self.annoyed_before = np.zeros(n, dtype=np.int64)
        self.low_ratings = np.zeros(n, dtype=np.int16)
        self.opted_out = np.zeros(n, dtype=bool)
        self.incentive_step = np.full(n, -1, dtype=np.int8)
        self.times = np.full((len(plan.steps), n), np.nan)
        self.channels = np.full((len(plan.steps), n), -1, dtype=np.int8)
        self.steps = np.full((len(plan.steps), n), -1, dtype=np.int8)  # the k-th reminder's step
        self.reached_by = np.zeros((len(plan.steps), n), dtype=bool)  # step j reached the buyer

    def in_chunk(self, f: np.ndarray) -> np.ndarray:
        """Chunk positions of the orders at positions ``f``."""
        return f if self.rows is None else self.rows[f]

    def end_time(self, f: np.ndarray | slice = slice(None)) -> np.ndarray:
        """When each order's unpaid phase ends as things stand (the earliest planned ending)."""
        return np.minimum(
            np.minimum(self.pay[f], self.cancel[f]),
            np.minimum(self.seller_close[f], self.auto_close[f]),
        )

    def skips(self, step: np.ndarray, f: np.ndarray | None = None) -> np.ndarray:
        """Which orders skip their ``step`` because its only_if step reached them: the orders
        at positions ``f``, or all of them (one step each) when ``f`` is None."""
        reached = self.reached_by if f is None else self.reached_by[:, f]
        return unless_reached(self.plan, step, reached)

    def remind(
        self, f: np.ndarray, moment: np.ndarray, ch: np.ndarray, step: np.ndarray
    ) -> np.ndarray:
        """Orders ``f`` get a reminder of ``step`` on channel ``ch`` at ``moment``: draw its n-th
        reminder on that channel and apply what it does (reach, annoyance, the win); return
        which of them it won."""
        plan, book = self.plan, self.book
        at = self.in_chunk(f)
        k = self.reminders[f].astype(np.int64)
        s = self.segment[f]
        nth = self.sent_on[ch, f]
        u = np.empty((len(ReminderDraw), f.size))
        resp = np.empty(f.size)
        for c, m_th in set(zip(ch.tolist(), nth.tolist(), strict=True)):
            m = (ch == c) & (nth == m_th)
            u[:, m] = book.draws.reminder(c, m_th)[:, at[m]]
            resp[m] = book.response_hours(c, m_th)[at[m]]
        effect = remind(plan, step, ch, s, self.annoyed_before[f], moment, book.chunk.time[at],
                        u[ReminderDraw.REACH], u[ReminderDraw.ANNOYANCE], u[ReminderDraw.WIN],
                        self.opted_out[f], u[ReminderDraw.OPT_OUT])  # fmt: skip
        self.sent_on[ch, f] += 1
        self.annoyed_before[f] += can_annoy(plan, s, ch)
        self.low_ratings[f] += effect.annoyed
        self.opted_out[f] |= effect.opted_out
        self.pay[f] = pay_after_win(self.pay[f], moment, resp, effect.won)
        self.cancel[f[effect.won]] = np.inf
        self.incentive_step[f[effect.uses_incentive]] = step[effect.uses_incentive]
        self.reached_by[step[effect.reached], f[effect.reached]] = True
        self.times[k, f] = moment
        self.channels[k, f] = ch
        self.steps[k, f] = step
        self.reminders[f] += 1
        return effect.won

    def write(self, outcome: Outcome, done: np.ndarray | None = None) -> None:
        """Write how the orders left the unpaid phase: all of them, or those where the mask
        ``done`` is set (a whole chunk only: masked copies are cheaper than gathers)."""
        if done is not None and self.rows is not None:
            raise ValueError("a mask of finished orders applies to a whole chunk only")
        kind, when = first_end(self.pay, self.cancel, self.seller_close, self.auto_close)
        results = {
            "end": kind,
            "end_time": when,
            "reminders": self.reminders,
            "low_ratings": self.low_ratings,
            "opted_out": self.opted_out,
            "incentive_step": np.where(kind == End.PAID, self.incentive_step, -1),
            "reminder_time": self.times,
            "reminder_channel": self.channels,
            "reminder_step": self.steps,
        }
        for name, value in results.items():
            target = getattr(outcome, name)
            if self.rows is not None:
                target[..., self.rows] = value
            elif done is None:
                target[...] = value
            else:
                np.copyto(target, value, where=done, casting="same_kind")

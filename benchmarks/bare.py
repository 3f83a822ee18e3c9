"""Case (a) as a bare ``heapq`` event loop: the yardstick for ordersim's speed.

Same semantics as ordersim's case (a): Poisson arrivals at a flat rate over 7 days; a buyer
pays unprompted with p=0.6 after Exp(mean 20 h); an order still unpaid at 30 h gets one
automatic reminder, which wins the buyer with 0.3 (then the buyer pays at the earlier of its own
pay time and 30 h + Exp(mean 5 h)); an order unpaid at 72 h is auto-closed.

Events per order, as ordersim schedules them (only events that can change something): the
arrival; then either the own payment (if due before 30 h) or the reminder; after the reminder,
the payment or the auto-close. Randomness: numpy draws up front, in blocks of ``BLOCK`` orders
(converted to Python floats with ``tolist``); the loop itself draws nothing.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

__all__ = ["BareResult", "bare_loop"]

BLOCK = 65_536
DAYS = 7.0
P_UNPROMPTED, PAY_MEAN = 0.6, 20.0
REMIND_AT, P_WIN, RESPONSE_MEAN = 30.0, 0.3, 5.0
AUTO_CLOSE = 72.0
# same-instant order: payment, then closing, then reminders, then the next arrival
PAY, CLOSE, REMIND, ARRIVE = 0, 1, 2, 3


@dataclass
class BareResult:
    orders: int
    paid: int
    closed: int
    reminders: int
    events: int
    mean_hours_to_pay: float

    @property
    def paid_rate(self) -> float:
        return self.paid / self.orders if self.orders else 0.0


def _blocks(n: int, seed: int):
    """Yield per-order draws in blocks: arrival time, own pay delay, reminder win, response."""
    rng = np.random.default_rng(seed)
    gap = DAYS * 24.0 / n
    t0 = 0.0
    done = 0
    while done < n:
        m = min(BLOCK, n - done)
        arrive = t0 + np.cumsum(rng.exponential(gap, m))
        t0 = float(arrive[-1])
        pays = rng.random(m) < P_UNPROMPTED
        own = np.where(pays, rng.exponential(PAY_MEAN, m), math.inf)
        win = rng.random(m) < P_WIN
        resp = rng.exponential(RESPONSE_MEAN, m)
        yield arrive.tolist(), own.tolist(), win.tolist(), resp.tolist()
        done += m


def bare_loop(n: int, seed: int = 1) -> BareResult:
    """Simulate ``n`` orders of case (a) with a plain heap of (time, kind, seq, payload)."""
    heap: list = []
    push, pop = heapq.heappush, heapq.heappop
    blocks = _blocks(n, seed)
    arrive, own, win, resp = next(blocks)
    j = 0  # index in the current block
    seq = 0
    paid = closed = reminders = events = 0
    pay_hours = 0.0
    push(heap, (arrive[0], ARRIVE, seq, None))
    while heap:
        now, kind, _, order = pop(heap)
        events += 1
        seq += 1
        if kind == ARRIVE:
            t_pay = own[j]
            if t_pay < REMIND_AT:
                push(heap, (now + t_pay, PAY, seq, now))
            else:
                push(heap, (now + REMIND_AT, REMIND, seq, (now, t_pay, win[j], resp[j])))
            j += 1
            if j == len(arrive):
                nxt = next(blocks, None)
                if nxt is None:
                    continue
                arrive, own, win, resp = nxt
                j = 0
            push(heap, (arrive[j], ARRIVE, seq, None))
        elif kind == PAY:
            paid += 1
            pay_hours += now - order
        elif kind == REMIND:
            placed, t_pay, won, r = order
            reminders += 1
            if won and REMIND_AT + r < t_pay:
                t_pay = REMIND_AT + r
            if t_pay < AUTO_CLOSE:
                push(heap, (placed + t_pay, PAY, seq, placed))
            else:
                push(heap, (placed + AUTO_CLOSE, CLOSE, seq, None))
        else:
            closed += 1
    return BareResult(n, paid, closed, reminders, events, pay_hours / paid if paid else 0.0)

"""Case (c) as a bare ``heapq`` event loop: the yardstick for ordersim's agent scenarios.

Same model as ``scenarios.agents_case``: Poisson arrivals at 100k orders a day; a buyer pays
unprompted with p=0.85 after a lognormal delay (median 0.2 h, sigma 0.8); an order still unpaid
at 1 h asks for a phone call, and 80 agents on duty all day take calls first come, first served
(3 minutes each); a call whose order was paid or closed while it waited is skipped; a call that
ends while its order is still open reaches the buyer, who is won with 0.4 and then pays at the
earlier of their own pay time and the end of the call + Exp(mean 2 h); auto-close at 24 h.

Events, as ordersim schedules them: the arrival; the order's end (payment or auto-close, payment
winning a tie; rescheduled when a call wins the buyer earlier, the stale one skipped); the phone
step at 1 h (only for orders still open then); the end of each call. Orders that pay within the
hour never get past their arrival and payment. Randomness: numpy draws up front, in blocks of
``BLOCK`` orders (converted to Python floats with ``tolist``); the loop itself draws nothing.
"""

from __future__ import annotations

import heapq
import math
from collections import deque

import numpy as np

from .bare import BareResult
from .scenarios import AGENT_CASE, AGENT_ORDERS_PER_DAY, AGENTS

__all__ = ["bare_agents"]

BLOCK = 65_536
P_UNPROMPTED = AGENT_CASE["pays_unprompted"]
PAY_MEDIAN, PAY_SIGMA = AGENT_CASE["pay_median_hours"], AGENT_CASE["pay_sigma"]
REMIND_AT = AGENT_CASE["remind_at_hours"]
CALL_HOURS = AGENT_CASE["call_minutes"] / 60.0
P_WIN, RESPONSE_MEAN = AGENT_CASE["response"], AGENT_CASE["response_mean_hours"]
AUTO_CLOSE = AGENT_CASE["auto_close_hours"]
# same-instant order: an order's end (an early payer's payment), then call ends, then phone
# steps, then the next arrival
END, PAID_EARLY, CALL_END, STEP, ARRIVE = 0, 1, 2, 3, 4
# an order that meets an agent: [placed, pay time, version of its end event, done, win, response]
PLACED, PAY, VERSION, DONE, WIN, RESPONSE = range(6)


def _blocks(n: int, seed: int):
    """Yield per-order draws in blocks: arrival time, own pay delay, call win, response delay."""
    rng = np.random.default_rng(seed)
    gap = 24.0 / AGENT_ORDERS_PER_DAY
    t0 = 0.0
    done = 0
    while done < n:
        m = min(BLOCK, n - done)
        arrive = t0 + np.cumsum(rng.exponential(gap, m))
        t0 = float(arrive[-1])
        pays = rng.random(m) < P_UNPROMPTED
        own = np.where(pays, rng.lognormal(math.log(PAY_MEDIAN), PAY_SIGMA, m), math.inf)
        win = rng.random(m) < P_WIN
        resp = rng.exponential(RESPONSE_MEAN, m)
        yield arrive.tolist(), own.tolist(), win.tolist(), resp.tolist()
        done += m


def bare_agents(
    n: int, seed: int = 1, agents: int = AGENTS, call_hours: float = CALL_HOURS
) -> BareResult:
    """Simulate ``n`` orders of case (c) with a plain heap of (time, kind, seq, payload); with
    ``call_hours`` = 5.5 minutes, case (d)."""
    heap: list = []
    push, pop = heapq.heappush, heapq.heappop
    waiting: deque[list] = deque()  # orders waiting for an agent, oldest first
    free = agents
    blocks = _blocks(n, seed)
    arrive, own, win, resp = next(blocks)
    j = 0  # index in the current block
    seq = 0
    paid = closed = reminders = events = 0
    pay_hours = 0.0
    push(heap, (arrive[0], ARRIVE, seq, None))
    while heap:
        now, kind, _, item = pop(heap)
        events += 1
        seq += 1
        if kind == ARRIVE:
            t_pay = now + own[j]
            if own[j] < REMIND_AT:  # pays before the phone step: never meets an agent
                push(heap, (t_pay, PAID_EARLY, seq, now))
            else:
                order = [now, t_pay, 0, False, win[j], resp[j]]
                close = now + AUTO_CLOSE
                push(heap, (min(t_pay, close), END, seq, (order, 0)))
                push(heap, (now + REMIND_AT, STEP, seq, order))
            j += 1
            if j == len(arrive):
                nxt = next(blocks, None)
                if nxt is None:
                    continue
                arrive, own, win, resp = nxt
                j = 0
            push(heap, (arrive[j], ARRIVE, seq, None))
        elif kind == PAID_EARLY:
            paid += 1
            pay_hours += now - item
        elif kind == END:
            order, version = item
            if order[VERSION] != version or order[DONE]:
                continue
            order[DONE] = True
            if order[PAY] <= order[PLACED] + AUTO_CLOSE:  # payment wins a tie
                paid += 1
                pay_hours += order[PAY] - order[PLACED]
            else:
                closed += 1
        elif kind == STEP:
            if free:
                free -= 1
                push(heap, (now + call_hours, CALL_END, seq, item))
            else:
                waiting.append(item)
        else:  # CALL_END: the agent takes the oldest call still worth making, then the effect
            while waiting and waiting[0][DONE]:
                waiting.popleft()
            if waiting:
                push(heap, (now + call_hours, CALL_END, seq, waiting.popleft()))
            else:
                free += 1
            order = item
            if order[DONE] or now >= min(order[PAY], order[PLACED] + AUTO_CLOSE):
                continue
            reminders += 1
            if order[WIN] and now + order[RESPONSE] < order[PAY]:
                order[PAY] = now + order[RESPONSE]
                order[VERSION] += 1
                end = min(order[PAY], order[PLACED] + AUTO_CLOSE)
                push(heap, (end, END, seq, (order, order[VERSION])))
    return BareResult(n, paid, closed, reminders, events, pay_hours / paid if paid else 0.0)

"""Run one strategy for one replication: the engine's single entry point.

The phases run in order for every chunk of orders: waiting for payment (the numpy path, or the
SimPy world when orders meet agents, stock or a blacklist), then fulfilment and after delivery
(``fulfil``), then the stepper moves every order through the state table, then accounting
(``account`` only adds up) and the event rows for whoever asked for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from ..options import ENGINES
from .agent_waves import run_agent_waves
from .arrivals import chunks
from .bans import Bans
from .buyers import OrderBook, open_chunk
from .draws import BuyerDraw
from .fulfilment import Fulfilment, fulfil_paid
from .goodwill import Goodwill, put_off_times
from .kpis import KpiAccumulator, account
from .outcome import End, Outcome
from .plan import Plan, compile_plan
from .reputation import Reputation
from .rules import (
    END_TRIGGERS,
    end_complaints,
    end_points,
    lost_to_ban,
    lost_to_traffic,
    traffic_events,
)
from .stepper import Stepper
from .unpaid_fast import resolve_unpaid
from .world import World

__all__ = ["ENGINES", "Engine", "EventSink", "simulate", "simulate_plan"]

Engine = Literal["auto", "fast", "simpy"]
EventSink = Callable[[dict[str, np.ndarray]], None]  # receives each chunk's event rows


def simulate(
    scenario: Any, strategy: str, replication: int, *, engine: Engine = "auto",
    on_events: EventSink | None = None,
) -> KpiAccumulator:  # fmt: skip
    """Simulate ``strategy`` of ``scenario`` for replication ``replication``."""
    plan = compile_plan(scenario, strategy)
    return simulate_plan(plan, replication, engine=engine, on_events=on_events)


def simulate_plan(
    plan: Plan, replication: int, *, engine: Engine = "auto", on_events: EventSink | None = None
) -> KpiAccumulator:
    """``on_events(rows)`` receives every finished chunk's event rows (the event log).

    ``engine="auto"`` takes the numpy path when no order can affect another. When agents are
    the only link, it runs every order in numpy, the agents' queue resolved in waves
    (``agent_waves``); at a same-instant tie the waves cannot order, the SimPy world takes over,
    with only the agent-bound orders in its event loop. With stock or a blacklist every order
    runs in the world. ``"simpy"`` runs every order in the world. All give the same numbers.
    """
    acc = KpiAccumulator(plan)
    bans = Bans(plan.ban_rungs, plan.points_at_start, plan.points_cap_per_day)
    goodwill = Goodwill() if plan.put_off_possible else None
    reputation = (
        Reputation(plan.traffic_per_event, plan.rating_window_hours, plan.orders_per_hour)
        if plan.traffic_possible
        else None
    )

    def finish(book: OrderBook, outcome: Outcome) -> None:
        finish_chunk(acc, book, outcome, on_events)

    if engine == "fast" and not plan.independent_orders:
        raise ValueError(
            f"strategy {plan.strategy!r} needs the SimPy engine (agents, stock, a "
            "blacklist or daily caps make orders interact)"
        )
    if engine == "simpy" or (engine == "auto" and not plan.independent_orders):
        replayed = 0
        if engine == "auto" and plan.only_agents_interact:
            replayed = run_agent_waves(plan, replication, acc.agents, finish)
            if replayed is None:  # every order was resolved in numpy
                return _with_bans(acc, bans)
        World(plan, replication, acc.agents, finish, bans, goodwill, reputation,
              agent_bound_only=engine == "auto", replayed=replayed).run()  # fmt: skip
        return _with_bans(acc, bans)
    for chunk in chunks(plan, replication):
        if chunk.n == 0:
            continue
        book, outcome = open_chunk(plan, replication, chunk)
        resolve_unpaid(book, outcome)
        life = None
        if plan.bans_possible or plan.put_off_possible or reputation is not None:
            life = _sweep(plan, bans if plan.bans_possible else None, goodwill, reputation,
                          book, outcome)  # fmt: skip
        finish_chunk(acc, book, outcome, on_events, life)
    return _with_bans(acc, bans)


def _with_bans(acc: KpiAccumulator, bans: Bans) -> KpiAccumulator:
    plan = acc.plan
    acc.add("ban_hours", bans.banned_hours(*plan.measured_window))
    acc.ban_intervals = bans.intervals
    return acc


def _sweep(
    plan: Plan, bans: Bans | None, goodwill: Goodwill | None, reputation: Reputation | None,
    book: OrderBook, outcome: Outcome,
) -> Fulfilment | None:  # fmt: skip
    """On the numpy path, where orders do not interact otherwise: go through the chunk in
    placement order, leave out the orders placed while the shop is banned, lost to its record
    (``reputation``) or whose buyer was put off before, and take the others' points, rated
    events and annoyance as the sweep passes them.
    Returns the fulfilment of the orders still paid (None when none is), for ``finish_chunk``."""
    chunk = book.chunk
    n = chunk.n
    points_at, points = np.full(n, np.nan), np.zeros(n)
    paid = np.flatnonzero(outcome.end == End.PAID)
    life = fulfil_paid(plan, book, outcome, paid) if paid.size else None
    if life is not None:
        points_at[paid], points[paid] = life.penalty_time, life.penalty_points
    at_end = end_points(plan, *_end_complaints(book, outcome))
    put_off_at = put_off_times(outcome.low_ratings > 0, outcome.end_time, paid, life)
    banned, put_off = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    unrated = np.zeros(n, dtype=bool)
    lost = lost_to_ban(plan, book.draws.buyer[BuyerDraw.BAN_LOSS])
    u_traffic = book.draws.buyer[BuyerDraw.TRAFFIC_LOSS].tolist()
    events = (
        traffic_events(plan, outcome.low_ratings, outcome.end_time, paid, life)
        if reputation is not None
        else []
    )
    buyers = chunk.buyer.tolist()
    for i, t in enumerate(chunk.time.tolist()):
        if goodwill is None and reputation is None and bans is not None and not bans.active:
            banned[i:] = bans.banned_after_the_last_rung(chunk.time[i:]) & lost[i:]
            break
        if bans is not None and lost[i] and bans.banned(t):
            banned[i] = True
        elif lost_to_traffic(reputation, t, u_traffic[i]):
            unrated[i] = True
        elif goodwill is not None and goodwill.blocks(buyers[i], t):
            put_off[i] = True
        else:
            for kind, times, counts in events:
                reputation.add(kind, times[i : i + 1], counts[i : i + 1])
            if bans is not None and points[i] > 0:
                bans.add(points_at[i : i + 1], points[i : i + 1])
            if bans is not None and at_end[i] > 0:
                bans.add(outcome.end_time[i : i + 1], at_end[i : i + 1])
            if goodwill is not None:
                goodwill.note(buyers[i], float(put_off_at[i]))
    gone = banned | put_off | unrated
    if gone.any():
        outcome.unplace(gone)
        outcome.banned |= banned
        outcome.put_off |= put_off
        outcome.traffic_lost |= unrated
    if life is None or gone[paid].all():
        return None
    return life.subset(~gone[paid]) if gone.any() else life


def _end_complaints(book: OrderBook, outcome: Outcome) -> tuple[np.ndarray, np.ndarray]:
    """``rules.end_complaints`` of a whole chunk."""
    return end_complaints(book.plan, book.chunk.segment, outcome.end, outcome.low_ratings,
                          book.draws.buyer)  # fmt: skip


def finish_chunk(
    acc: KpiAccumulator,
    book: OrderBook,
    outcome: Outcome,
    on_events: EventSink | None,
    life: Fulfilment | None = None,
) -> None:
    """The phases after payment for one chunk whose orders have all left the unpaid phase;
    ``life`` is the paid orders' fulfilment when it was sampled already (by ``_sweep``)."""
    plan, chunk = acc.plan, book.chunk
    paid = np.flatnonzero(outcome.end == End.PAID)
    if life is None and paid.size:
        life = fulfil_paid(plan, book, outcome, paid)
    stepper = Stepper(chunk.order_id, record=on_events is not None)
    placed = np.flatnonzero(outcome.placed)
    stepper.move("await_payment", placed, chunk.time[placed])
    for k in range(int(outcome.reminders.max(initial=0))):
        idx = np.flatnonzero(outcome.reminders > k)
        stepper.move("remind", idx, outcome.reminder_time[k, idx], outcome.reminder_channel[k, idx])
    for kind, trigger in enumerate(END_TRIGGERS):
        idx = np.flatnonzero(outcome.end == kind)
        stepper.move(trigger, idx, outcome.end_time[idx])
    if life is not None:
        for trigger, mask, time in life.moves():
            stepper.move(trigger, paid[mask], time[mask])
    assert stepper.all_ended(placed), "an order did not reach a terminal state"
    counted = chunk.time >= plan.warmup_hours if plan.warmup_hours > 0 else None
    complained, reported = _end_complaints(book, outcome)
    if counted is not None:
        complained &= counted
        reported &= counted
    acc.add("harassment_reports", reported.sum())
    points = complained.sum() * plan.penalty_points + reported.sum() * plan.harassment_points
    account(acc, book, outcome, life, points, counted)
    if on_events is not None:
        on_events(stepper.rows(chunk.segment, chunk.buyer))

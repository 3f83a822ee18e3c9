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

from .arrivals import chunks
from .buyers import OrderBook
from .draws import BuyerDraw, ChunkDraws
from .fulfilment import Fulfilment, fulfil
from .kpis import KpiAccumulator, account
from .outcome import End, Outcome
from .plan import Plan, compile_plan
from .rules import END_TRIGGERS
from .stepper import Stepper
from .unpaid_fast import resolve_unpaid
from .world import World

__all__ = ["ENGINES", "Engine", "EventSink", "simulate", "simulate_plan"]

Engine = Literal["auto", "fast", "simpy"]
ENGINES: tuple[str, ...] = ("auto", "fast", "simpy")
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

    ``engine="auto"`` takes the numpy path when no order can affect another; when agents are
    the only link, it resolves orders that never meet an agent in numpy and runs only the
    agent-bound ones in the SimPy world; with stock or a blacklist every order runs in the
    world. ``"simpy"`` runs every order in the world. All give the same numbers.
    """
    acc = KpiAccumulator(plan)

    def finish(book: OrderBook, outcome: Outcome) -> None:
        finish_chunk(acc, book, outcome, on_events)

    if engine == "fast" and not plan.independent_orders:
        raise ValueError(
            f"strategy {plan.strategy!r} needs the SimPy engine (agents, stock or "
            "blacklist make orders interact)"
        )
    if engine == "simpy" or (engine == "auto" and not plan.independent_orders):
        World(plan, replication, acc.agents, finish, agent_bound_only=engine == "auto").run()
        return acc
    for chunk in chunks(plan, replication):
        if chunk.n == 0:
            continue
        draws = ChunkDraws(plan.seed, replication, chunk.index, chunk.n)
        book = OrderBook(plan, chunk, draws)
        outcome = Outcome(chunk, book.price, len(plan.steps))
        resolve_unpaid(book, outcome)
        finish(book, outcome)
    return acc


def finish_chunk(
    acc: KpiAccumulator, book: OrderBook, outcome: Outcome, on_events: EventSink | None
) -> None:
    """The phases after payment for one chunk whose orders have all left the unpaid phase."""
    plan, chunk = acc.plan, book.chunk
    paid = np.flatnonzero(outcome.end == End.PAID)
    life = _fulfilment(plan, book, outcome, paid) if paid.size else None
    stepper = Stepper(chunk.order_id, record=on_events is not None)
    placed = np.flatnonzero(outcome.placed)
    stepper.move("await_payment", placed, chunk.time[placed])
    for k in range(int(outcome.reminders.max(initial=0))):
        idx = np.flatnonzero(outcome.reminders > k)
        stepper.move("remind", idx, outcome.reminder_time[k, idx])
    for kind, trigger in enumerate(END_TRIGGERS):
        idx = np.flatnonzero(outcome.end == kind)
        stepper.move(trigger, idx, outcome.end_time[idx])
    if life is not None:
        for trigger, mask, time in life.moves():
            stepper.move(trigger, paid[mask], time[mask])
    assert stepper.all_ended(placed), "an order did not reach a terminal state"
    counted = chunk.time >= plan.warmup_hours if plan.warmup_hours > 0 else None
    closed = outcome.end == End.SELLER_CLOSED
    complains = book.draws.buyer[BuyerDraw.COMPLAINS_CLOSED] < plan.complains[chunk.segment]
    complained = closed & complains if counted is None else closed & complains & counted
    account(acc, book, outcome, life, complained.sum() * plan.penalty_points, counted)
    if on_events is not None:
        on_events(stepper.rows(chunk.segment))


def _fulfilment(plan: Plan, book: OrderBook, outcome: Outcome, paid: np.ndarray) -> Fulfilment:
    """Settle the incentives the payers used, then sample their orders' later life."""
    price = book.price[paid]
    used = outcome.incentive_step[paid]
    discount = np.zeros(paid.size)
    incentive_cost = np.zeros(paid.size)
    freight_owed = 0.0 if plan.free_shipping else plan.freight
    for s in np.unique(used[used >= 0]):
        m = used == s
        discount[m], incentive_cost[m] = plan.steps[s].incentive.settle(price[m], freight_owed)
    if outcome.out_of_stock is not None:
        out_of_stock = outcome.out_of_stock[paid]
    elif plan.inventory is not None:  # stock is counted: no random stock-outs on top
        out_of_stock = np.zeros(paid.size, dtype=bool)
    else:
        out_of_stock = None
    return fulfil(
        plan,
        book.draws.fulfilment[:, paid],
        book.chunk.segment[paid],
        price,
        outcome.end_time[paid],
        discount,
        incentive_cost,
        out_of_stock,
    )

"""Run one strategy for one replication: the engine's single entry point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from .arrivals import chunks
from .buyers import OrderBook
from .draws import ChunkDraws
from .kpis import KpiAccumulator, account
from .outcome import Outcome
from .plan import Plan, compile_plan
from .unpaid_fast import replay_states, resolve_unpaid
from .world import World

__all__ = ["Engine", "simulate", "simulate_plan"]

Engine = Literal["auto", "fast", "simpy"]


def simulate(
    scenario: Any,
    strategy: str,
    replication: int,
    *,
    engine: Engine = "auto",
    on_chunk: Callable | None = None,
) -> KpiAccumulator:
    """Simulate ``strategy`` of ``scenario`` for replication ``replication``."""
    return simulate_plan(
        compile_plan(scenario, strategy), replication, engine=engine, on_chunk=on_chunk
    )


def simulate_plan(
    plan: Plan, replication: int, *, engine: Engine = "auto", on_chunk: Callable | None = None
) -> KpiAccumulator:
    """``on_chunk(book, outcome, life)`` sees every finished chunk (the event log uses it).

    ``engine="auto"`` takes the numpy fast path when no order can affect another (no agents,
    no shared stock, no blacklist) and the SimPy world otherwise; both give the same numbers.
    """
    acc = KpiAccumulator(plan)
    if engine == "fast" and not plan.independent_orders:
        raise ValueError(
            f"strategy {plan.strategy!r} needs the SimPy engine (agents, stock or "
            "blacklist make orders interact)"
        )
    if engine == "simpy" or (engine == "auto" and not plan.independent_orders):
        World(plan, replication, acc, on_chunk).run()
        return acc
    for chunk in chunks(plan, replication):
        if chunk.n == 0:
            continue
        draws = ChunkDraws(plan.seed, replication, chunk.index, chunk.n)
        book = OrderBook(plan, chunk, draws)
        outcome = Outcome(chunk, draws, book.price, len(plan.steps))
        resolve_unpaid(book, outcome)
        replay_states(outcome)
        life = account(acc, book, outcome)
        if on_chunk is not None:
            on_chunk(book, outcome, life)
    return acc

"""Consecutive chunks read as one order book, so the numpy passes of agent scenarios pay their
cost per pass once for many small chunks.

A chunk is the unit of the draws (each draws from its own streams, keyed by its index) and of
finishing (fulfilment, accounting and the event rows run chunk by chunk, in chunk order, as in
the SimPy world). Between the two, the unpaid pass, the call pass and the agents' queue only
need orders side by side: their arithmetic is elementwise over orders (or sorts by order id), so
an order's numbers are the same bits whether its chunk is read alone or with its neighbours. A
scenario with 1,200 orders a day (a chunk a day) then runs its week in one pass instead of seven,
and one with 360 a day its hundred days in two or three.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from functools import cached_property

import numpy as np

from .arrivals import Chunk
from .buyers import OrderBook
from .draws import ChunkDraws
from .outcome import Outcome

__all__ = ["GroupBook", "group_chunks", "split_outcome"]


def group_chunks(chunks: Iterable[Chunk], at_least: int) -> Iterator[list[Chunk]]:
    """Consecutive chunks in groups holding ``at_least`` orders (the last group may hold fewer);
    a group ends with a chunk, so the arrival window is cut only where chunks end."""
    group: list[Chunk] = []
    orders = 0
    for chunk in chunks:
        group.append(chunk)
        orders += chunk.n
        if orders >= at_least:
            yield group
            group, orders = [], 0
    if group:
        yield group


class GroupDraws:
    """The draws of consecutive chunks side by side: each chunk's own blocks, joined."""

    def __init__(self, parts: list[ChunkDraws]) -> None:
        self._parts = parts
        self._blocks: dict[tuple[int, int], np.ndarray] = {}
        self.n = sum(p.n for p in parts)
        self.buyer = np.concatenate([p.buyer for p in parts], axis=1)

    @cached_property
    def kind(self) -> np.ndarray:
        return np.concatenate([p.kind for p in self._parts])

    def buyer_type(self, buyer: np.ndarray) -> np.ndarray:
        """Each order's buyer's own uniform: keyed by buyer id alone, as in every chunk."""
        return self._parts[0].buyer_type(buyer)

    def reminder(self, channel: int, n: int) -> np.ndarray:
        """The (fields, orders) block of each order's n-th reminder on ``channel``: each
        chunk's block, joined (and dropped from the chunk, so it is held once)."""
        block = self._blocks.get((channel, n))
        if block is None:
            block = np.concatenate([p.reminder(channel, n) for p in self._parts], axis=1)
            for p in self._parts:
                p._reminders.pop((channel, n), None)
            self._blocks[channel, n] = block
        return block


class GroupBook(OrderBook):
    """The order books of consecutive chunks as one: each order's own plan joined from its
    chunk's book; step tables and reminder quantities computed over the group by the same
    elementwise code as a chunk's."""

    def __init__(self, books: list[OrderBook]) -> None:
        first = books[0].chunk
        chunk = Chunk(
            index=first.index,
            first_order_id=first.first_order_id,  # order ids run on from chunk to chunk
            time=np.concatenate([b.chunk.time for b in books]),
            buyer=np.concatenate([b.chunk.buyer for b in books]),
            segment=np.concatenate([b.chunk.segment for b in books]),
        )
        self.plan, self.chunk = books[0].plan, chunk
        self.draws = GroupDraws([b.draws for b in books])  # type: ignore[assignment]
        for name in ("kind", "price", "own_pay", "cancel", "seller_close", "auto_close"):
            setattr(self, name, np.concatenate([getattr(b, name) for b in books]))


def split_outcome(outcome: Outcome, books: list[OrderBook]) -> list[Outcome]:
    """The group's outcome cut back into each chunk's (in the order of ``books``)."""
    parts = []
    lo = 0
    for book in books:
        hi = lo + book.chunk.n
        part = copy.copy(outcome)
        for name, value in vars(outcome).items():
            if isinstance(value, np.ndarray):
                setattr(part, name, value[..., lo:hi].copy())
        part.chunk, part.price = book.chunk, book.price
        parts.append(part)
        lo = hi
    return parts

"""Order arrivals: buyers arrive by a non-homogeneous Poisson process over the arrival window.

The window is cut into chunks of whole hours. Each chunk draws from its own arrival stream, so a
chunk's orders (and their order ids) are the same for every strategy. A buyer of segment s places
``orders_per_buyer`` orders at once; with chance ``returns`` the buyer comes back after
``return_days`` (if still within the window) and places them again. Nothing here depends on what
a strategy does: that is what makes the arrival stream common to all strategies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from .plan import Plan, ppf_by_segment
from .streams import Purpose, generator

__all__ = ["Chunk", "chunks"]


@dataclass
class Chunk:
    """The order attempts whose placement falls in one chunk of the arrival window."""

    index: int
    first_order_id: int
    time: np.ndarray  # hours since the start, ascending
    buyer: np.ndarray  # int64 buyer id (a returning buyer keeps it)
    segment: np.ndarray  # int8

    @property
    def n(self) -> int:
        return int(self.time.size)

    @property
    def order_id(self) -> np.ndarray:
        return np.arange(self.first_order_id, self.first_order_id + self.n, dtype=np.int64)


@dataclass
class _Visits:
    time: list[np.ndarray] = field(default_factory=list)
    buyer: list[np.ndarray] = field(default_factory=list)
    segment: list[np.ndarray] = field(default_factory=list)

    def add(self, time, buyer, segment) -> None:
        self.time.append(time)
        self.buyer.append(buyer)
        self.segment.append(segment)

    def arrays(self) -> tuple[np.ndarray, ...]:
        if not self.time:
            return (np.empty(0), np.empty(0, np.int64), np.empty(0, np.int8))
        return tuple(np.concatenate(x) for x in (self.time, self.buyer, self.segment))


def chunks(plan: Plan, replication: int) -> Iterator[Chunk]:
    """Yield the arrival window chunk by chunk, in time order."""
    slots = plan.buyers_per_hour.size
    span = plan.arrival_hours
    buyer_share = plan.share / plan.orders_per_buyer
    buyer_cdf = np.cumsum(buyer_share / buyer_share.sum())
    buyer_cdf[-1] = 1.0
    pending: dict[int, _Visits] = {}
    next_buyer = 0
    next_order = 0
    n_chunks = -(-slots // plan.chunk_hours)
    for c in range(n_chunks):
        rng = generator(plan.seed, replication, Purpose.ARRIVALS, c)
        lo, hi = c * plan.chunk_hours, min(slots, (c + 1) * plan.chunk_hours)
        counts = rng.poisson(plan.buyers_per_hour[lo:hi])
        width = np.minimum(np.arange(lo, hi) + 1.0, span) - np.arange(lo, hi)
        start = np.repeat(np.arange(lo, hi, dtype=float), counts)
        time = np.sort(start + rng.random(start.size) * np.repeat(width, counts))
        n_new = time.size
        segment = np.searchsorted(buyer_cdf, rng.random(n_new), side="right").astype(np.int8)
        buyer = np.arange(next_buyer, next_buyer + n_new, dtype=np.int64)
        next_buyer += n_new
        visits = _Visits()
        batch = (time, buyer, segment)
        carried = pending.pop(c, None)
        if carried is not None:
            t, b, s = carried.arrays()
            order = np.lexsort((b, t))
            batch = tuple(
                np.concatenate((x, y[order])) for x, y in zip(batch, (t, b, s), strict=True)
            )
        # returns: each visit may bring the buyer back; a return inside this chunk is drawn again
        while batch[0].size:
            visits.add(*batch)
            t, b, s = batch
            u = rng.random((2, t.size))
            back = u[0] < plan.returns[s]
            later = t + ppf_by_segment(plan.return_days, s, u[1]) * 24.0
            back &= later < span
            here = back & (later < hi)
            for target in np.unique(later[back & ~here] // plan.chunk_hours).astype(int):
                m = back & ~here & (later // plan.chunk_hours == target)
                pending.setdefault(int(target), _Visits()).add(later[m], b[m], s[m])
            batch = (later[here], b[here], s[here])
        t, b, s = visits.arrays()
        order = np.argsort(t, kind="stable")
        per_visit = plan.orders_per_buyer[s[order]]
        time_o = np.repeat(t[order], per_visit)
        chunk = Chunk(
            index=c,
            first_order_id=next_order,
            time=time_o,
            buyer=np.repeat(b[order], per_visit),
            segment=np.repeat(s[order], per_visit).astype(np.int8),
        )
        next_order += chunk.n
        yield chunk

"""Each order's private random numbers, drawn up front in numpy blocks, one block per chunk.

Every random quantity of an order is a uniform pushed through an inverse CDF. The uniforms are
indexed by (chunk, purpose, field, position in chunk) and, for reminders, by the channel and the
n-th reminder the order receives on that channel — never by what else a strategy did — so
strategy A and strategy B read the same numbers for the same buyer (common random numbers), and
a step on another channel cannot shift them.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .streams import Purpose, uniforms

__all__ = [
    "BuyerDraw",
    "ChunkDraws",
    "FulfilmentDraw",
    "ReminderDraw",
    "buyer_uniforms",
    "visit_uniform",
]

_REORDER_MARK = 2**32 - 1  # separates a re-order's key from a chunk's reminder keys
_GOLDEN, _MIX1, _MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def buyer_uniforms(seed: int, replication: int, buyer: np.ndarray) -> np.ndarray:
    """One U[0,1) number per buyer id (the same for every order and visit of that buyer, in
    every chunk and strategy): SplitMix64 of the id, salted by seed and replication."""
    salt = np.uint64((seed * 1_000_003 + replication * 7_919 + 1) % 2**64)
    with np.errstate(over="ignore"):
        z = (np.asarray(buyer, dtype=np.uint64) + salt) * np.uint64(_GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(_MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(_MIX2)
        z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def visit_uniform(seed: int, replication: int, buyer: int, time: float) -> float:
    """One U[0,1) number per visit (a buyer's orders placed at one moment), the same in every
    strategy: ``buyer_uniforms`` of the buyer id mixed with the bits of the visit's time."""
    bits = int(np.float64(time).view(np.uint64))
    key = (buyer * _MIX1 ^ bits) % 2**63
    return float(buyer_uniforms(seed ^ 0x5EED, replication, np.array([key]))[0])


class BuyerDraw(IntEnum):
    PRICE = 0
    UNPROMPTED = 1
    PAY_TIME = 2
    CANCELS = 3
    CANCEL_TIME = 4
    COMPLAINS_CLOSED = 5  # a malicious buyer whose order the seller closed complains (成交不卖)
    REORDERS = 6  # a buyer whose order closed unpaid places it again
    REORDER_TIME = 7
    CREDIT = 8  # pays at placement by credit or use first, pay later
    BAN_LOSS = 9  # an order due while a listing ban lasts is lost (listing_ban_sales_loss)
    CALLABLE = 10  # the buyer can be called at all (channels.phone_callable)
    REPORTS = 11  # a buyer who complained of harassment reports it (reports_harassment)
    TRAFFIC_LOSS = 12  # a would-be order lost to low ratings, complaints, disputes (reputation)


class ReminderDraw(IntEnum):
    REACH = 0
    WIN = 1
    RESPONSE_TIME = 2
    ANNOYANCE = 3
    SERVICE = 4  # agent minutes, for phone and IM
    OPT_OUT = 5  # a reached buyer opts out or blocks the shop (segments.*.opts_out)


class FulfilmentDraw(IntEnum):
    STOCKOUT = 0
    ALTERNATIVE = 1
    COMPLAINS_STOCKOUT = 2
    SHIP_TIME = 3
    COMPLAINS_LATE = 4
    DELIVERY_TIME = 5
    DAMAGE = 6
    BUYER_REFUSES = 7
    RETURN_TIME = 8
    DISPUTE = 9
    DISPUTE_CAUSE = 10
    SELLER_WINS = 11
    DISPUTE_OPENS = 12
    RETURNS_GOODS = 13  # a seven-day return without a reason
    RETURN_OPENS = 14  # when in the return window the buyer sends the goods back
    SIGNS = 15  # asked to sign for a damaged or wrong parcel, the buyer signs and returns it
    CHARGEBACK = 16  # the card issuer reverses the payment of a kept, delivered order (拒付)
    CHARGEBACK_OPENS = 17  # when in the confirmation window the chargeback comes


class ChunkDraws:
    """Lazily drawn uniform blocks of one chunk; reminder blocks only as far as they are read."""

    def __init__(self, seed: int, replication: int, chunk: int | tuple[int, ...], n: int) -> None:
        """``chunk`` is an arrival chunk's index, or a re-order's key (``reorder_key``)."""
        self._key = (seed, replication, chunk)
        self._chunk = (chunk,) if isinstance(chunk, int) else tuple(chunk)
        self.n = n
        self.buyer = uniforms(seed, replication, Purpose.BUYERS, self._chunk, len(BuyerDraw), n)
        self._fulfilment: np.ndarray | None = None
        self._kind: np.ndarray | None = None
        self._reminders: dict[tuple[int, int], np.ndarray] = {}

    @property
    def fulfilment(self) -> np.ndarray:
        if self._fulfilment is None:
            seed, rep, _ = self._key
            rows = len(FulfilmentDraw)
            self._fulfilment = uniforms(seed, rep, Purpose.FULFILMENT, self._chunk, rows, self.n)
        return self._fulfilment

    @property
    def kind(self) -> np.ndarray:
        """One uniform per order for its kind (``[[order_kinds]]``): a stream of its own, drawn
        only by scenarios with kinds, so a scenario without them draws exactly what it did."""
        if self._kind is None:
            seed, rep, _ = self._key
            self._kind = uniforms(seed, rep, Purpose.ORDER_KINDS, self._chunk, 1, self.n)[0]
        return self._kind

    def reorder_key(self, position: int) -> tuple[int, ...]:
        """The draw key of the re-order of this chunk's order at ``position``: its own
        streams, the same in every strategy that re-orders it."""
        return (*self._chunk, _REORDER_MARK, position)

    def buyer_type(self, buyer: np.ndarray) -> np.ndarray:
        """Each order's buyer's own uniform (whether they bought here before)."""
        seed, rep, _ = self._key
        return buyer_uniforms(seed, rep, buyer)

    def release_reminders(self) -> None:
        """Drop the reminder blocks drawn so far (they are drawn again, identically, if read)."""
        self._reminders.clear()

    def reminder(self, channel: int, n: int) -> np.ndarray:
        """The (fields, orders) block of each order's n-th reminder (from 0) on ``channel``."""
        block = self._reminders.get((channel, n))
        if block is None:
            seed, rep, _ = self._key
            key = (*self._chunk, channel, n)
            block = uniforms(seed, rep, Purpose.REMINDERS, key, len(ReminderDraw), self.n)
            self._reminders[channel, n] = block
        return block

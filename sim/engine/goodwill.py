"""Buyers put off by reminders: annoyance that earns no rating costs the buyer's return.

Only a buyer who received the goods can rate. A buyer annoyed by a reminder who never received
the goods (the order closed unpaid, or was refunded before delivery) rates nothing, but does not
come back: from the moment that order ends, the buyer places no further order (no return visit,
no re-order). Both engines ask in placement order, as for bans.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["Goodwill", "put_off_times"]


class Goodwill:
    """When each put-off buyer stopped wanting to buy here (buyer id -> hours)."""

    def __init__(self) -> None:
        self.lost: dict[int, float] = {}

    def blocks(self, buyer: int, t: float) -> bool:
        """Whether ``buyer`` was put off strictly before ``t``."""
        return self.lost.get(buyer, math.inf) < t

    def note(self, buyer: int, when: float) -> None:
        if not math.isnan(when) and when < self.lost.get(buyer, math.inf):
            self.lost[buyer] = when


def put_off_times(annoyed: np.ndarray, ended: np.ndarray, paid: np.ndarray, life) -> np.ndarray:
    """When each order's buyer is put off (NaN: not): an annoyed buyer whose order ended
    unpaid (at its end), or was refunded before delivery (at the refund or the refusal).

    ``ended`` is each order's end time of the unpaid phase; ``paid`` the positions of the paid
    orders, ``life`` their fulfilment (None when there are none).
    """
    when = np.where(annoyed, ended, np.nan)
    if life is not None and paid.size:
        undelivered = np.where(life.stockout_refund, life.time_refund_stock, life.time_deliver)
        when[paid] = np.where(annoyed[paid] & ~life.delivered, undelivered, np.nan)
    return when

"""What happened to each order of a chunk before payment: the hand-over between the unpaid phase
(fast numpy path or SimPy world) and the shared accounting, so both paths are judged alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from .arrivals import Chunk

__all__ = ["End", "Outcome"]


class End(IntEnum):
    """How the unpaid phase ended; ties at one instant resolve in this order (docs/rules.md,
    simulation rule 7)."""

    NOT_PLACED = -1  # blocked buyer, no stock to order, or the shop is banned
    PAID = 0
    BUYER_CANCELLED = 1
    SELLER_CLOSED = 2
    AUTO_CLOSED = 3


@dataclass
class Outcome:
    """Per-order results of the unpaid phase of one chunk (arrays of length chunk.n)."""

    chunk: Chunk
    price: np.ndarray
    max_reminders: int
    end: np.ndarray = field(init=False)
    end_time: np.ndarray = field(init=False)
    reminders: np.ndarray = field(init=False)
    reminder_time: np.ndarray = field(init=False)  # (max_reminders, n); the k-th reminder's moment
    reminder_channel: np.ndarray = field(init=False)
    reminder_step: np.ndarray = field(init=False)  # (max_reminders, n); the k-th reminder's step
    low_ratings: np.ndarray = field(init=False)  # annoying reminders
    opted_out: np.ndarray = field(init=False)  # the buyer opted out or blocked the shop
    incentive_step: np.ndarray = field(init=False)  # step whose incentive the payer used, -1 none
    agent_hours: np.ndarray = field(init=False)
    capped: np.ndarray = field(init=False)  # reminders a daily cap skipped
    lost: np.ndarray = field(init=False)  # found no stock: no order placed
    blocked: np.ndarray = field(init=False)  # a blacklisted buyer: no order placed
    banned: np.ndarray = field(init=False)  # the shop was banned from selling: no order placed
    put_off: np.ndarray = field(init=False)  # an annoyed buyer who never came back: not placed
    traffic_lost: np.ndarray = field(init=False)  # lost to the shop's ratings and complaints
    out_of_stock: np.ndarray | None = None  # set by the inventory model at payment

    def __post_init__(self) -> None:
        n, k = self.chunk.n, self.max_reminders
        self.end = np.full(n, End.AUTO_CLOSED, dtype=np.int8)
        self.end_time = np.zeros(n)
        self.reminders = np.zeros(n, dtype=np.int16)
        self.reminder_time = np.full((k, n), np.nan)
        self.reminder_channel = np.full((k, n), -1, dtype=np.int8)
        self.reminder_step = np.full((k, n), -1, dtype=np.int8)
        self.low_ratings = np.zeros(n, dtype=np.int16)
        self.opted_out = np.zeros(n, dtype=bool)
        self.incentive_step = np.full(n, -1, dtype=np.int8)
        self.agent_hours = np.zeros(n)
        self.capped = np.zeros(n, dtype=np.int16)
        self.lost = np.zeros(n, dtype=bool)
        self.blocked = np.zeros(n, dtype=bool)
        self.banned = np.zeros(n, dtype=bool)
        self.put_off = np.zeros(n, dtype=bool)
        self.traffic_lost = np.zeros(n, dtype=bool)

    def unplace(self, mask: np.ndarray) -> None:
        """Undo the unpaid phase of orders that were never placed after all (a ban)."""
        self.end[mask] = End.NOT_PLACED
        self.end_time[mask] = self.chunk.time[mask]
        self.reminders[mask] = 0
        self.reminder_time[:, mask] = np.nan
        self.reminder_channel[:, mask] = -1
        self.reminder_step[:, mask] = -1
        self.low_ratings[mask] = 0
        self.opted_out[mask] = False
        self.incentive_step[mask] = -1
        self.agent_hours[mask] = 0.0
        self.capped[mask] = 0

    @property
    def placed(self) -> np.ndarray:
        return self.end != End.NOT_PLACED

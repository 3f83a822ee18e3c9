"""The SimPy world's records of what is under way: a chunk's arrays as Python lists, and each
unpaid order's live state (dropped when it ends)."""

from __future__ import annotations

import math

import numpy as np

from .buyers import OrderBook
from .draws import ReminderDraw
from .outcome import End, Outcome

__all__ = ["Batch", "LiveOrder"]


class Batch:
    """One chunk under way: its arrays (as Python lists for fast scalar reads: exact, since a
    float64 converts to a Python float without rounding), the orders this world places, and how
    many of them are still open."""

    __slots__ = (
        "auto_close",
        "book",
        "buyer",
        "cancel",
        "open",
        "outcome",
        "own_pay",
        "placing",
        "reminder_draws",
        "segment",
        "seller_close",
        "service",
        "step_channel",
        "step_order",
        "step_times",
        "time",
    )

    def __init__(self, book: OrderBook, outcome: Outcome, placing: list[int]) -> None:
        self.book, self.outcome, self.placing = book, outcome, placing
        self.open = len(placing)
        self.time = book.chunk.time.tolist()
        self.buyer = book.chunk.buyer.tolist()
        self.own_pay, self.cancel = book.own_pay.tolist(), book.cancel.tolist()
        self.seller_close, self.auto_close = book.seller_close.tolist(), book.auto_close.tolist()
        self.step_times = book.step_times.tolist()
        self.step_channel = book.step_channel.tolist()
        self.step_order = book.step_order.tolist()
        self.segment = book.chunk.segment.tolist()
        self.reminder_draws: dict[tuple[int, int], tuple[list[float], ...]] = {}
        self.service: dict[tuple[int, int], list[float]] = {}

    def reminder(self, channel: int, n: int) -> tuple[list[float], ...]:
        """Uniforms (reach, annoyance, win), response hours and the opt-out uniform of each
        order's n-th reminder on ``channel``, as lists."""
        draws = self.reminder_draws.get((channel, n))
        if draws is None:
            u = self.book.draws.reminder(channel, n)
            draws = self.reminder_draws[channel, n] = (
                u[ReminderDraw.REACH].tolist(),
                u[ReminderDraw.ANNOYANCE].tolist(),
                u[ReminderDraw.WIN].tolist(),
                self.book.response_hours(channel, n).tolist(),
                u[ReminderDraw.OPT_OUT].tolist(),
            )
        return draws

    def service_hours(self, channel: int, n: int) -> list[float]:
        """Agent hours of each order's n-th call or chat on an agent channel, as a list."""
        hours = self.service.get((channel, n))
        if hours is None:
            hours = self.service[channel, n] = self.book.service_hours(channel, n).tolist()
        return hours


class LiveOrder:
    """An unpaid order's live state; dropped when it ends."""

    __slots__ = ("annoyed", "asked", "batch", "cancel", "done", "end_at", "end_kind", "i", "k",
                 "pay", "reached", "sent", "state", "tasks", "version")  # fmt: skip

    def __init__(self, batch: Batch, i: int, state: int, channels: int) -> None:
        self.batch, self.i, self.state = batch, i, state
        self.tasks: list | None = None  # agent tasks queued for it
        self.pay, self.cancel = batch.own_pay[i], batch.cancel[i]
        self.k, self.version, self.done = 0, 0, False
        self.sent = [0] * channels  # reminders received on each channel
        self.asked = [0] * channels  # calls or chats asked of the agents on each channel
        self.annoyed = 0  # reminders so far on channels that can annoy this buyer
        self.reached: np.ndarray | None = None  # (steps, 1): which steps reached the buyer
        self.end_at, self.end_kind = math.inf, End.AUTO_CLOSED

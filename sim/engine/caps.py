"""Daily caps on reminders, as reminder tools set them: at most N reminders a day to one buyer
(any channel), and a shop-wide daily budget per channel (SMS messages, agent calls or chats).

A capped step is skipped, not delayed, and counted. Days are calendar days of the run's clock
(hours from 00:00 of ``scenario.start``). Whether a reminder still fits the day depends on every
other order's reminders, so a strategy with caps runs in the SimPy world, in time order.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

__all__ = ["DailyCaps"]


class DailyCaps:
    """The reminders counted so far per (buyer, day) and per (channel, day)."""

    def __init__(self, per_buyer: int, per_channel: np.ndarray) -> None:
        """``per_buyer``: 0 = no cap; ``per_channel[c]``: 0 = no cap on channel c."""
        self.per_buyer = int(per_buyer)
        self.per_channel = [int(n) for n in per_channel]
        self._buyer: defaultdict[tuple[int, int], int] = defaultdict(int)
        self._channel: defaultdict[tuple[int, int], int] = defaultdict(int)

    def allow(self, buyer: int, channel: int, moment: float) -> bool:
        """Whether a reminder on ``channel`` to ``buyer`` at ``moment`` fits both caps of its
        day; if it does, it is counted."""
        day = math.floor(moment / 24.0)
        if self.per_buyer and self._buyer[buyer, day] >= self.per_buyer:
            return False
        cap = self.per_channel[channel]
        if cap and self._channel[channel, day] >= cap:
            return False
        self._buyer[buyer, day] += 1
        self._channel[channel, day] += 1
        return True

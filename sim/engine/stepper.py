"""The one stepper: every move of every order goes through the compiled state table here.

The phases of an order's life (waiting for payment, fulfilment, after delivery) only say what
happens: (trigger, which orders, when). The stepper applies those moves in order from each
order's current state, raises ``IllegalTransition`` on a move the state machine does not allow,
and, when asked, records one event row per move whose source is the state the order was in
(with the channel of a reminder: its code in ``sim.scenario.buyers.CHANNELS``, -1 for others).
"""

from __future__ import annotations

import numpy as np

from fsm.definition import INITIAL
from fsm.table import compiled_table

__all__ = ["Stepper"]


class Stepper:
    """States of the orders of one chunk, moved batch by batch."""

    def __init__(self, order_ids: np.ndarray, record: bool) -> None:
        self.table = compiled_table()
        self.order_ids = order_ids
        self.state = np.full(order_ids.size, self.table.state_id[INITIAL], dtype=np.int8)
        self.record = record
        self._parts: list[tuple] = []

    def move(
        self, trigger: str, idx: np.ndarray, time: np.ndarray, channel: np.ndarray | None = None
    ) -> None:
        """Fire ``trigger`` on the orders at positions ``idx`` at times ``time`` (``channel``:
        the channel codes of reminders, recorded with the event rows)."""
        if idx.size == 0:
            return
        t = self.table.trigger_id[trigger]
        source = self.state[idx]
        target = self.table.step_many(source, t, self.order_ids[idx])
        self.state[idx] = target
        if self.record:
            codes = np.full(idx.size, -1, np.int8) if channel is None else np.asarray(channel)
            self._parts.append((idx, np.asarray(time, dtype=float), len(self._parts), t,
                                source, target, codes))  # fmt: skip

    def all_ended(self, idx: np.ndarray) -> bool:
        """Whether every order at ``idx`` has reached a terminal state."""
        return bool(self.table.terminal[self.state[idx]].all())

    def rows(self, segment: np.ndarray, buyer: np.ndarray) -> dict[str, np.ndarray]:
        """The recorded moves as columns (int codes), grouped by order in lifecycle order."""
        if not self._parts:
            empty = np.empty(0, dtype=np.int64)
            return {"order": empty, "buyer": empty, "segment": empty, "time": np.empty(0),
                    "trigger": empty, "source": empty, "target": empty,
                    "channel": empty}  # fmt: skip
        idx = np.concatenate([p[0] for p in self._parts])
        sizes = [p[0].size for p in self._parts]
        seq = np.repeat([p[2] for p in self._parts], sizes)
        rows = np.lexsort((seq, idx))
        return {
            "order": self.order_ids[idx[rows]],
            "buyer": buyer[idx[rows]].astype(np.int64),
            "segment": segment[idx[rows]].astype(np.int64),
            "time": np.concatenate([p[1] for p in self._parts])[rows],
            "trigger": np.repeat([p[3] for p in self._parts], sizes)[rows],
            "source": np.concatenate([p[4] for p in self._parts]).astype(np.int64)[rows],
            "target": np.concatenate([p[5] for p in self._parts]).astype(np.int64)[rows],
            "channel": np.concatenate([p[6] for p in self._parts]).astype(np.int64)[rows],
        }

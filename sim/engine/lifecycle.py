"""Every order's transitions of one finished chunk, as arrays, for the event log.

Both engines hand over the same outcome and fulfilment arrays, so the log is rebuilt from them
here (one place) instead of being written move by move; each row's source and target come from
the compiled state table, so the log can only contain edges of the state diagram.
"""

from __future__ import annotations

import numpy as np

from fsm.table import compiled_table

from .buyers import OrderBook
from .fulfilment import Fulfilment
from .outcome import End, Outcome

__all__ = ["transition_rows"]

_END_TRIGGER = {
    End.PAID: "pay",
    End.BUYER_CANCELLED: "cancel_by_buyer",
    End.SELLER_CLOSED: "close_by_seller",
    End.AUTO_CLOSED: "auto_close",
}


def transition_rows(book: OrderBook, outcome: Outcome, life: Fulfilment | None) -> dict:
    """Columns ``order``, ``segment``, ``time``, ``trigger``, ``source``, ``target`` (int codes),
    grouped by order, each order's rows in lifecycle order."""
    table = compiled_table()
    sid, tid = table.state_id, table.trigger_id
    chunk = book.chunk
    parts: list[tuple[np.ndarray, np.ndarray, int, int, int, int]] = []

    def add(idx: np.ndarray, time: np.ndarray, seq: int, trigger: str, source: str) -> None:
        if idx.size:
            target = table.next[sid[source], tid[trigger]]
            assert target >= 0, (source, trigger)
            parts.append((idx, time, seq, tid[trigger], sid[source], int(target)))

    placed = np.flatnonzero(outcome.placed)
    add(placed, chunk.time[placed], 0, "await_payment", "placed")
    for k in range(int(outcome.reminders.max(initial=0))):
        idx = np.flatnonzero(outcome.reminders > k)
        add(idx, outcome.reminder_time[k, idx], 1 + k, "remind", "reminded" if k else "unpaid")
    seq = 1 + outcome.max_reminders
    for kind, trigger in _END_TRIGGER.items():
        for source, has in (
            ("unpaid", outcome.reminders == 0),
            ("reminded", outcome.reminders > 0),
        ):
            idx = np.flatnonzero((outcome.end == kind) & has)
            add(idx, outcome.end_time[idx], seq, trigger, source)
    if life is not None:
        paid = np.flatnonzero(outcome.end == End.PAID)
        later = (
            (life.stockout_refund, life.time_refund_stock, "refund", "paid"),
            (life.shipped, life.time_ship, "ship", "paid"),
            (life.refused, life.time_deliver, "refuse", "shipped"),
            (life.refused, life.time_refund_return, "refund", "refused"),
            (life.delivered, life.time_deliver, "deliver", "shipped"),
            (life.disputed, life.time_dispute, "open_dispute", "delivered"),
            (life.seller_won, life.time_settle, "settle_for_seller", "disputed"),
            (life.disputed & ~life.seller_won, life.time_settle, "settle_for_buyer", "disputed"),
            (life.delivered & ~life.disputed, life.time_confirm, "confirm", "delivered"),
        )
        for n, (mask, time, trigger, source) in enumerate(later, start=seq + 1):
            add(paid[mask], time[mask], n, trigger, source)
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return {
            "order": empty,
            "segment": empty,
            "time": np.empty(0),
            "trigger": empty,
            "source": empty,
            "target": empty,
        }
    idx = np.concatenate([p[0] for p in parts])
    time = np.concatenate([p[1] for p in parts])
    sizes = [p[0].size for p in parts]
    seqs = np.repeat([p[2] for p in parts], sizes)
    rows = np.lexsort((seqs, idx))
    return {
        "order": chunk.order_id[idx[rows]],
        "segment": chunk.segment[idx[rows]].astype(np.int64),
        "time": time[rows],
        "trigger": np.repeat([p[3] for p in parts], sizes)[rows],
        "source": np.repeat([p[4] for p in parts], sizes)[rows],
        "target": np.repeat([p[5] for p in parts], sizes)[rows],
    }

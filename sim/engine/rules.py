"""The rules of the waiting-for-payment phase, written once over arrays.

Both the numpy path (a whole chunk at a time) and the SimPy world (one order at a time, with
0-d inputs) call these functions, so a reminder means the same thing on either path: which
ending wins, whether a step can still fire, and what a reminder does to the buyer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fsm.definition import CANCEL_TRIGGERS

from .outcome import End

__all__ = [
    "END_TRIGGERS",
    "ReminderEffect",
    "can_annoy",
    "complains_of_close",
    "first_end",
    "hour_of_day",
    "low_ratings_earned",
    "pay_after_win",
    "remind",
    "unless_reached",
]

# which trigger records each ending of the unpaid phase (indexed by End)
END_TRIGGERS: tuple[str, ...] = (
    "pay",
    CANCEL_TRIGGERS["buyer"],
    CANCEL_TRIGGERS["seller"],
    CANCEL_TRIGGERS["auto_close"],
)


def _where(cond, a, b):
    """``np.where`` for arrays; a plain choice for one order (the world's per-event calls)."""
    if isinstance(cond, (bool, np.bool_)):
        return a if cond else b
    return np.where(cond, a, b)


def _minimum(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a if a <= b else b
    return np.minimum(a, b)


def first_end(pay, cancel, seller_close, auto_close):
    """(End kind, time) of the earliest planned ending; at a tie the first in End order wins
    (payment, buyer cancel, seller close, auto-close)."""
    at = pay
    kind = End.PAID if isinstance(pay, float) else np.full(np.shape(pay), End.PAID, np.int64)
    for later_kind, when in (
        (End.BUYER_CANCELLED, cancel),
        (End.SELLER_CLOSED, seller_close),
        (End.AUTO_CLOSED, auto_close),
    ):
        earlier = when < at
        kind, at = _where(earlier, later_kind, kind), _where(earlier, when, at)
    return kind, at


def hour_of_day(moment):
    """Hour of the day (0..23) of moments in hours since the start."""
    if isinstance(moment, float):
        return min(int(moment % 24.0), 23)
    return np.minimum((moment % 24.0).astype(np.int64), 23)


@dataclass(frozen=True)
class ReminderEffect:
    reached: np.ndarray  # the buyer saw it (channel reach at that hour)
    annoyed: np.ndarray  # the buyer leaves a low rating for it
    won: np.ndarray  # the buyer now pays, response_hours after the reminder
    uses_incentive: np.ndarray  # a reached reminder's incentive is what the payer uses


def remind(
    plan, step, channel, segment, annoyed_before, moment, u_reach, u_annoy, u_win
) -> ReminderEffect:
    """What a reminder of step ``step`` on ``channel`` does at ``moment``, to a buyer who has
    already had ``annoyed_before`` reminders that could annoy them.

    Reach follows the channel's hourly profile; annoyance grows with every earlier reminder on
    a channel that annoys this segment at all (so a step that cannot annoy changes nothing for
    the others); the win chance is the segment's response to the channel times (1 + the step's
    incentive uplift), capped at 1.
    """
    reached = u_reach < plan.reach[channel, hour_of_day(moment)]
    annoy = plan.annoyance[segment, channel] * plan.growth_pow[segment, annoyed_before]
    annoyed = u_annoy < _minimum(1.0, annoy)
    chance = _minimum(1.0, plan.response[segment, channel] * (1.0 + plan.uplift[step]))
    won = reached & (u_win < chance)
    return ReminderEffect(reached, annoyed, won, reached & plan.has_incentive[step])


def unless_reached(plan, step, reached_by) -> np.ndarray:
    """Which orders skip ``step`` (one step index per order) because the step its only_if
    names (not_reached_by) has already reached the buyer; ``reached_by`` is (steps, orders)."""
    k = plan.not_reached_by[step]
    skip = np.zeros(np.shape(step), dtype=bool)
    has = k >= 0
    if np.any(has):
        cols = np.arange(skip.size).reshape(skip.shape)
        skip[has] = reached_by[k[has], cols[has]]
    return skip


def complains_of_close(plan, segment, end, u_complains) -> np.ndarray:
    """Which orders the seller closed and whose buyer complains of 成交不卖 (penalty points)."""
    return (end == End.SELLER_CLOSED) & (u_complains < plan.complains[segment])


def low_ratings_earned(outcome, life) -> np.ndarray:
    """Low ratings per order: only a buyer who received the goods can rate, so the annoyance
    of a buyer who never paid, or whose order was refunded before delivery, earns none.
    ``life`` is the paid orders' fulfilment (None when none paid)."""
    received = np.zeros(outcome.end.size, dtype=bool)
    if life is not None:
        received[outcome.end == End.PAID] = life.delivered
    return np.where(received, outcome.low_ratings, 0)


def can_annoy(plan, segment, channel):
    """Whether a reminder on ``channel`` counts toward the segment's growing annoyance."""
    return plan.annoyance[segment, channel] > 0


def pay_after_win(pay, moment, response_hours, won):
    """A won buyer pays at the earlier of their own time and the reminder's response."""
    return _where(won, _minimum(pay, moment + response_hours), pay)

"""The rules of the waiting-for-payment phase, written once over arrays.

Both the numpy path (a whole chunk at a time) and the SimPy world (one order at a time, with
0-d inputs) call these functions, so a reminder means the same thing on either path: which
ending wins, whether a step can still fire, and what a reminder does to the buyer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fsm.definition import CANCEL_TRIGGERS
from sim.scenario.buyers import CHANNELS

from .draws import BuyerDraw, visit_uniform
from .outcome import End

__all__ = [
    "END_TRIGGERS",
    "PHONE",
    "ReminderEffect",
    "callable_buyers",
    "can_annoy",
    "complains_of_close",
    "end_complaints",
    "end_points",
    "first_end",
    "harassment_complaints",
    "harassment_reports",
    "held_hours",
    "hour_of_day",
    "lost_to_ban",
    "lost_to_traffic",
    "low_ratings_earned",
    "new_account",
    "pay_after_win",
    "remind",
    "response_multiplier",
    "return_chance",
    "traffic_events",
    "unless_reached",
    "won_by_reminder",
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


PHONE = CHANNELS.index("phone")


def callable_buyers(plan, segment, u_buyer) -> np.ndarray:
    """Which orders' buyers can be called at all (``channels.phone_callable``, per segment):
    a phone step to the others is not made, as if its only_if excluded them, so it takes no
    agent time and a later "not_reached_by" step treats it as not reaching."""
    return u_buyer[BuyerDraw.CALLABLE] < plan.phone_callable[segment]


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


def held_hours(plan, start, hours):
    """How long a reminder of ``hours`` agent time begun at ``start`` holds its agent: longer
    by 1 / (1 - staff.inquiry_load) of the hour it begins in, since buyers' pre-sales questions
    take that share of the agent's time (a call that never begins, start = inf, holds none
    longer). The reminder's cost stays ``hours``."""
    stretch = plan.inquiry_stretch
    if stretch is None:
        return hours
    if isinstance(start, float):
        return hours * float(stretch[hour_of_day(start)]) if start < math.inf else hours
    at = np.where(np.isfinite(start), start, 0.0)
    return hours * stretch[hour_of_day(at)]


@dataclass(frozen=True)
class ReminderEffect:
    reached: np.ndarray  # the buyer saw it (channel reach at that hour)
    annoyed: np.ndarray  # the buyer leaves a low rating for it
    won: np.ndarray  # the buyer now pays, response_hours after the reminder
    uses_incentive: np.ndarray  # a reached reminder's incentive is what the payer uses
    opted_out: np.ndarray  # the buyer now opts out or blocks the shop


def response_multiplier(plan, segment, since):
    """The segment's response_by_hours at ``since`` hours after placement (a step curve: the
    value of the last point at or before it; 1 for a segment without a curve)."""
    hours, mult = plan.response_curve
    if isinstance(since, float):
        row = hours[segment]
        return float(mult[segment, max(0, int(np.searchsorted(row, since, side="right")) - 1)])
    at = (np.asarray(since)[..., None] >= hours[segment]).sum(axis=-1) - 1
    return mult[segment, np.maximum(at, 0)]


def remind(
    plan,
    step,
    channel,
    segment,
    annoyed_before,
    moment,
    placed,
    u_reach,
    u_annoy,
    u_win,
    opted_before=False,
    u_opt=1.0,
) -> ReminderEffect:
    """What a reminder of step ``step`` on ``channel`` does at ``moment``, to a buyer who
    placed the order at ``placed`` and has already had ``annoyed_before`` reminders that could
    annoy them.

    Reach follows the channel's hourly profile; annoyance grows with every earlier reminder on
    a channel that annoys this segment at all (so a step that cannot annoy changes nothing for
    the others); the win chance is the segment's response to the channel times its
    response_by_hours at the hours since placement times (1 + the step's incentive uplift),
    capped at 1.
    A buyer who opted out earlier (``opted_before``) is neither reached nor annoyed; a reached
    buyer opts out with the segment's ``opts_out``.
    """
    fresh = not opted_before if isinstance(opted_before, (bool, np.bool_)) else ~opted_before
    reached = (u_reach < plan.reach[channel, hour_of_day(moment)]) & fresh
    annoy = plan.annoyance[segment, channel] * plan.growth_pow[segment, annoyed_before]
    annoyed = (u_annoy < _minimum(1.0, annoy)) & fresh
    response = plan.response[segment, channel]
    if plan.response_curve[0].shape[1] > 1 or np.any(plan.response_curve[1] != 1.0):
        response = response * response_multiplier(plan, segment, moment - placed)
    chance = _minimum(1.0, response * (1.0 + plan.uplift[step]))
    won = reached & (u_win < chance)
    opted = reached & (u_opt < plan.opts_out[segment, channel])
    return ReminderEffect(reached, annoyed, won, reached & plan.has_incentive[step], opted)


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
    """Which orders the seller closed and whose buyer complains of 成交不卖 (penalty points).
    Where closing an unpaid order draws no points (``closing_unpaid_penalised = false``, today's
    reading: 成交不卖 concerns paid orders) no complaint counts."""
    if not plan.closing_penalised:
        return np.zeros(np.shape(end), dtype=bool)
    return (end == End.SELLER_CLOSED) & (u_complains < plan.complains[segment])


def lost_to_ban(plan, u_ban_loss):
    """Whether an order that would be placed while the shop is banned is lost: every one under
    ``ban_effect = "no_sales"``; the share ``listing_ban_sales_loss`` under "no_new_listings"
    (existing listings keep selling)."""
    return u_ban_loss < plan.ban_sales_loss


def lost_to_traffic(reputation, t: float, u_traffic: float) -> bool:
    """Whether an order that would be placed at ``t`` is lost to the shop's recent low ratings,
    complaints and disputes (the share ``reputation.lost_share``; its own draw)."""
    return reputation is not None and u_traffic < reputation.lost_share(t)


def traffic_events(plan, low_ratings, end_time, paid, life):
    """(kind, times, counts) of what some orders add to the shop's record (``reputation``
    KINDS: 0 low rating, 1 complaint, 2 dispute): harassment complaints under today's reading
    when the order leaves the unpaid phase, else low ratings from buyers who received the goods
    at delivery; disputes when opened. ``paid``: positions of the paid orders among them,
    ``life`` their fulfilment (None when none paid)."""
    n = low_ratings.size
    events = []
    if plan.annoyance_is_complaint:
        events.append((1, end_time, low_ratings))
    if life is None:
        return events
    if not plan.annoyance_is_complaint:
        times, counts = np.full(n, np.nan), np.zeros(n, dtype=np.int64)
        times[paid] = life.time_deliver
        counts[paid] = np.where(life.delivered, low_ratings[paid], 0)
        events.append((0, times, counts))
    times, counts = np.full(n, np.nan), np.zeros(n, dtype=np.int64)
    times[paid], counts[paid] = life.time_dispute, life.disputed
    events.append((2, times, counts))
    return events


def new_account(share: float, seed: int, replication: int, buyer: int, time: float) -> bool:
    """Whether a visit (a buyer's orders placed at ``time``) comes under a new account, which
    the blacklist and the purchase limit do not know: chance ``new_account_share`` of the
    buyer's segment, on one draw per visit shared by every strategy."""
    return share > 0 and visit_uniform(seed, replication, buyer, time) < share


def harassment_complaints(plan, outcome) -> np.ndarray:
    """Harassment complaints (骚扰) per order under ``annoyance_shows_as = "complaint"``: every
    annoying reminder, whatever became of the order (a buyer complains about being pressed,
    not about goods); none under the articles' reading, where annoyance shows as ratings."""
    if not plan.annoyance_is_complaint:
        return np.zeros(outcome.end.size, dtype=np.int64)
    return outcome.low_ratings.astype(np.int64)


def end_complaints(plan, segment, end, low_ratings, u_buyer) -> tuple[np.ndarray, np.ndarray]:
    """Which orders' buyers complain of 成交不卖 after the seller closed them, and which report
    harassment, as the unpaid phase ends (``u_buyer``: the orders' buyer draws)."""
    closed = complains_of_close(plan, segment, end, u_buyer[BuyerDraw.COMPLAINS_CLOSED])
    reported = harassment_reports(plan, segment, low_ratings, u_buyer[BuyerDraw.REPORTS])
    return closed, reported


def end_points(plan, closed, reported) -> np.ndarray:
    """The penalty points each order brings when its unpaid phase ends: a 成交不卖 complaint
    of a closed malicious order (``complains_of_close``) and a reported harassment
    (``harassment_reports``)."""
    return np.where(closed, plan.penalty_points, 0.0) + np.where(
        reported, plan.harassment_points, 0.0
    )


def harassment_reports(plan, segment, annoyed, u_reports) -> np.ndarray:
    """Which orders' buyers report their harassment complaints to the platform (the shop takes
    ``harassment_points`` for each such order, dated at the order's end of the unpaid phase):
    a buyer with at least one complaint (``annoyed`` reminders under today's reading) does so
    with the segment's ``reports_harassment`` chance, once per order."""
    if not plan.annoyance_is_complaint or plan.harassment_points <= 0:
        return np.zeros(np.shape(annoyed), dtype=bool)
    return (annoyed > 0) & (u_reports < plan.reports_harassment[segment])


def low_ratings_earned(plan, outcome, life) -> np.ndarray:
    """Low ratings per order: only a buyer who received the goods can rate, so the annoyance
    of a buyer who never paid, or whose order was refunded before delivery, earns none.
    ``life`` is the paid orders' fulfilment (None when none paid). Under today's reading
    (``annoyance_shows_as = "complaint"``) reminders do not feed ratings: none."""
    received = np.zeros(outcome.end.size, dtype=bool)
    if plan.annoyance_is_complaint:
        return np.zeros(outcome.end.size, dtype=outcome.low_ratings.dtype)
    if life is not None:
        received[outcome.end == End.PAID] = life.delivered
    return np.where(received, outcome.low_ratings, 0)


def can_annoy(plan, segment, channel):
    """Whether a reminder on ``channel`` counts toward the segment's growing annoyance."""
    return plan.annoyance[segment, channel] > 0


def won_by_reminder(plan, book, outcome, paid: np.ndarray) -> np.ndarray | None:
    """Which paid orders (chunk positions ``paid``) a reminder won: left alone, the buyer would
    not have paid (they cancel, or the seller or the platform closes the order first). None
    when no segment's return chance depends on it."""
    if not np.any((plan.return_multiplier_if_won != 1.0) & (plan.returns_goods > 0)):
        return None
    alone, _ = first_end(
        book.own_pay[paid], book.cancel[paid], book.seller_close[paid], book.auto_close[paid]
    )
    return alone != End.PAID


def return_chance(plan, segment, won) -> np.ndarray:
    """Each delivered order's chance of a seven-day return: the segment's (insured when the
    shop is), times return_multiplier_if_won for a buyer a reminder won, capped at 1."""
    chance = plan.returns_goods[segment]
    if won is None:
        return chance
    return np.minimum(1.0, np.where(won, chance * plan.return_multiplier_if_won[segment], chance))


def pay_after_win(pay, moment, response_hours, won):
    """A won buyer pays at the earlier of their own time and the reminder's response."""
    return _where(won, _minimum(pay, moment + response_hours), pay)

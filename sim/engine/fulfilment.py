"""After payment: stock-out, shipment, delivery, refusal, dispute and completion.

Nothing after payment is shared between orders (no agents), so a paid order's whole later life is
sampled at once from its own draws, in numpy, for a batch of paid orders. Every move still goes
through the compiled state table (``step_many`` raises on an illegal move) and the milestones are
kept so the event log can replay them with their timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fsm.table import compiled_table

from .draws import FulfilmentDraw as F
from .plan import Plan, ppf_by_segment

__all__ = ["Fulfilment", "fulfil"]


@dataclass
class Fulfilment:
    """Money and milestones of a batch of paid orders (arrays aligned with the batch)."""

    stockout_refund: np.ndarray  # bool: refunded for want of stock
    shipped: np.ndarray
    refused: np.ndarray
    seller_fault: np.ndarray
    delivered: np.ndarray
    disputed: np.ndarray
    seller_won: np.ndarray
    completed: np.ndarray
    refunded: np.ndarray
    time_refund_stock: np.ndarray
    time_ship: np.ndarray
    time_deliver: np.ndarray
    time_refund_return: np.ndarray
    time_dispute: np.ndarray
    time_settle: np.ndarray
    time_confirm: np.ndarray
    compensation: np.ndarray
    penalty_points: np.ndarray
    freight_loss: np.ndarray
    outbound_freight: np.ndarray
    insurance: np.ndarray
    refunds: np.ndarray
    goods_cost: np.ndarray


def _moves(state: np.ndarray, trigger: str, mask: np.ndarray) -> None:
    table = compiled_table()
    state[mask] = table.step_many(state[mask], table.trigger_id[trigger])


def fulfil(
    plan: Plan,
    u: np.ndarray,
    segment: np.ndarray,
    price: np.ndarray,
    paid_amount: np.ndarray,
    paid_at: np.ndarray,
    out_of_stock: np.ndarray | None = None,
) -> Fulfilment:
    """Sample the rest of each paid order's life; ``u`` is its fulfilment draw block."""
    n = price.size
    table = compiled_table()
    state = np.full(n, table.state_id["paid"], dtype=np.int8)
    nan = np.full(n, np.nan)
    complains = plan.complains[segment]
    # out of stock: the inventory model decides, or the shop's stock-out chance
    stockout = (
        out_of_stock if out_of_stock is not None else u[F.STOCKOUT] < plan.stockout_probability
    )
    ship_after = ppf_by_segment((plan.ship_hours,), np.zeros(n, np.int8), u[F.SHIP_TIME])
    alternative = stockout & (plan.stockout_policy == "alternative")
    alternative &= u[F.ALTERNATIVE] < plan.accepts_alternative[segment]
    refund_stock = stockout & ~alternative
    stock_comp = np.minimum(plan.stockout_rate * price, plan.stockout_cap)
    if plan.stockout_policy == "on_complaint":
        intervened = refund_stock & (u[F.COMPLAINS_STOCKOUT] < complains)
    else:
        intervened = np.zeros(n, dtype=bool)
    paid_comp = refund_stock & ((plan.stockout_policy != "on_complaint") | intervened)
    compensation = np.where(paid_comp, stock_comp, 0.0)
    points = np.where(intervened, plan.penalty_points, 0.0)
    time_refund_stock = np.where(refund_stock, paid_at + ship_after, np.nan)
    _moves(state, "refund", refund_stock)
    # shipment, late or on time
    shipped = ~refund_stock
    time_ship = np.where(shipped, paid_at + ship_after, np.nan)
    late = shipped & (ship_after > plan.promised_ship_hours)
    late_comp = np.clip(plan.late_rate * paid_amount, plan.late_min, plan.late_max)
    if plan.late_policy == "proactive":
        late_paid, late_points = late, np.zeros(n, dtype=bool)
    else:
        late_paid = late_points = late & (u[F.COMPLAINS_LATE] < complains)
    compensation += np.where(late_paid, late_comp, 0.0)
    points += np.where(late_points, plan.penalty_points, 0.0)
    _moves(state, "ship", shipped)
    # at the door: refused (seller's fault or buyer's) or delivered
    deliver_after = ppf_by_segment((plan.delivery_hours,), np.zeros(n, np.int8), u[F.DELIVERY_TIME])
    time_deliver = np.where(shipped, time_ship + deliver_after, np.nan)
    seller_fault = shipped & (u[F.DAMAGE] < plan.damage_chance)
    buyer_fault = shipped & ~seller_fault & (u[F.BUYER_REFUSES] < plan.refuses_delivery[segment])
    refused = seller_fault | buyer_fault
    return_after = ppf_by_segment((plan.delivery_hours,), np.zeros(n, np.int8), u[F.RETURN_TIME])
    time_refund_return = np.where(refused, time_deliver + return_after, np.nan)
    return_leg = 0.0 if plan.freight_insurance else plan.freight
    freight_loss = np.where(seller_fault, plan.freight + return_leg, 0.0)
    if plan.free_shipping:
        freight_loss += np.where(buyer_fault, plan.freight, 0.0)
    _moves(state, "refuse", refused)
    _moves(state, "refund", refused)
    delivered = shipped & ~refused
    _moves(state, "deliver", delivered)
    # disputes open within the confirmation window; otherwise the order confirms itself
    disputed = delivered & (u[F.DISPUTE] < plan.dispute_chance[segment])
    seller_won = disputed & (u[F.SELLER_WINS] < plan.seller_wins_dispute)
    time_dispute = np.where(
        disputed, time_deliver + u[F.DISPUTE_OPENS] * plan.auto_confirm_hours, np.nan
    )
    time_settle = time_dispute + plan.dispute_settle_hours
    _moves(state, "open_dispute", disputed)
    _moves(state, "settle_for_seller", seller_won)
    _moves(state, "settle_for_buyer", disputed & ~seller_won)
    confirmed = delivered & ~disputed
    time_confirm = np.where(confirmed, time_deliver + plan.auto_confirm_hours, np.nan)
    _moves(state, "confirm", confirmed)
    assert table.terminal[state].all(), "a paid order did not reach a terminal state"
    completed = confirmed | seller_won
    refunded = refund_stock | refused | (disputed & ~seller_won)
    return Fulfilment(
        stockout_refund=refund_stock,
        shipped=shipped,
        refused=refused,
        seller_fault=seller_fault,
        delivered=delivered,
        disputed=disputed,
        seller_won=seller_won,
        completed=completed,
        refunded=refunded,
        time_refund_stock=time_refund_stock,
        time_ship=time_ship,
        time_deliver=time_deliver,
        time_refund_return=time_refund_return,
        time_dispute=time_dispute,
        time_settle=np.where(disputed, time_settle, nan),
        time_confirm=time_confirm,
        compensation=compensation,
        penalty_points=points,
        freight_loss=freight_loss,
        outbound_freight=np.where(delivered & plan.free_shipping, plan.freight, 0.0),
        insurance=np.where(shipped & plan.freight_insurance, plan.insurance_premium, 0.0),
        refunds=np.where(refunded, paid_amount, 0.0),
        goods_cost=np.where(completed, plan.unit_cost_share * price, 0.0),
    )

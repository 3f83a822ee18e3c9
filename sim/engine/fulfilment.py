"""After payment: the fulfilment phase (stock, shipment, the door) and the after-delivery phase
(dispute or confirmation).

Nothing after payment is shared between orders (no agents), so a paid order's later life is
sampled at once from its own draws, in numpy, for a batch of paid orders. The phases say what
happens and when (``Fulfilment.moves``); the stepper moves the orders through the state table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

import numpy as np

from .buyers import OrderBook
from .draws import FulfilmentDraw as F
from .outcome import Outcome
from .plan import Plan, ppf_by_segment
from .rules import return_chance, won_by_reminder

__all__ = ["Fulfilment", "fulfil", "fulfil_paid"]


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
    returned: np.ndarray  # signed for, then sent back (a seven-day return or asked to sign)
    charged_back: np.ndarray  # the card issuer reversed the payment (拒付)
    time_refund_stock: np.ndarray
    time_ship: np.ndarray
    time_deliver: np.ndarray
    time_refund_return: np.ndarray
    time_return: np.ndarray  # signed-for goods back at the shop: refunded
    time_dispute: np.ndarray
    time_settle: np.ndarray
    time_confirm: np.ndarray
    time_chargeback: np.ndarray
    compensation: np.ndarray
    penalty_points: np.ndarray
    penalty_time: np.ndarray  # when the platform stepped in (NaN: no points)
    freight_loss: np.ndarray
    outbound_freight: np.ndarray
    insurance: np.ndarray
    refunds: np.ndarray
    goods_cost: np.ndarray  # goods sold (completed) or lost (kept after a dispute)
    dispute_fee: np.ndarray
    chargeback_fee: np.ndarray
    paid_amount: np.ndarray  # the price less any discount the buyer used
    discount: np.ndarray
    incentive_cost: np.ndarray  # what the incentives the payers used cost the seller
    return_cost: np.ndarray  # what a return cost beyond the refund (freight, unsellable goods)

    def subset(self, keep: np.ndarray) -> Fulfilment:
        """The lives of the batch entries where ``keep`` is set: sampling is elementwise, so
        this is exactly what sampling those orders alone would give."""
        return Fulfilment(**{f.name: getattr(self, f.name)[keep] for f in fields(self)})

    def moves(self) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
        """(trigger, mask over the batch, time) in lifecycle order: fulfilment, then after
        delivery. An order's own moves come in the order it makes them."""
        buyer_won = self.disputed & ~self.seller_won
        yield "refund", self.stockout_refund, self.time_refund_stock
        yield "ship", self.shipped, self.time_ship
        yield "refuse", self.refused, self.time_deliver
        yield "refund", self.refused, self.time_refund_return
        yield "deliver", self.delivered, self.time_deliver
        yield "return_goods", self.returned, self.time_return
        yield "charge_back", self.charged_back, self.time_chargeback
        yield "open_dispute", self.disputed, self.time_dispute
        yield "settle_for_seller", self.seller_won, self.time_settle
        yield "settle_for_buyer", buyer_won, self.time_settle
        confirmed = self.delivered & ~self.disputed & ~self.returned & ~self.charged_back
        yield "confirm", confirmed, self.time_confirm


def fulfil(
    plan: Plan,
    u: np.ndarray,
    segment: np.ndarray,
    price: np.ndarray,
    paid_at: np.ndarray,
    discount: np.ndarray,
    incentive_cost: np.ndarray,
    out_of_stock: np.ndarray | None = None,
    won: np.ndarray | None = None,
) -> Fulfilment:
    """Sample the rest of each paid order's life; ``u`` is its fulfilment draw block and
    ``won`` marks the buyers a reminder won (None: nobody)."""
    n = price.size
    paid_amount = price - discount
    complains = plan.complains[segment]
    # fulfilment: out of stock (the inventory model decides, or the shop's stock-out chance)
    stockout = (
        out_of_stock if out_of_stock is not None else u[F.STOCKOUT] < plan.stockout_probability
    )
    ship_after = ppf_by_segment((plan.ship_hours,), np.zeros(n, np.int8), u[F.SHIP_TIME])
    alternative = stockout & plan.stockout_policy.offers_alternative
    alternative &= u[F.ALTERNATIVE] < plan.accepts_alternative[segment]
    refund_stock = stockout & ~alternative
    stock_comp = np.clip(plan.stockout_rate * price, plan.stockout_min, plan.stockout_cap)
    paid_comp, intervened = plan.stockout_policy.settle(
        refund_stock, u[F.COMPLAINS_STOCKOUT] < complains
    )
    compensation = np.where(paid_comp, stock_comp, 0.0)
    points = np.where(intervened, plan.penalty_points, 0.0)
    time_refund_stock = np.where(refund_stock, paid_at + ship_after, np.nan)
    # shipment, late or on time
    shipped = ~refund_stock
    incentive_cost = np.where(shipped, incentive_cost, 0.0)  # a gift ships with the goods
    time_ship = np.where(shipped, paid_at + ship_after, np.nan)
    late = shipped & (ship_after > plan.promised_ship_hours)
    late_comp = np.clip(plan.late_rate * paid_amount, plan.late_min, plan.late_max)
    late_paid, late_points = plan.late_policy.settle(late, u[F.COMPLAINS_LATE] < complains)
    compensation += np.where(late_paid, late_comp, 0.0)
    points += np.where(late_points, plan.penalty_points, 0.0)
    # at the door: refused (seller's fault or buyer's) or delivered; asked to sign, a buyer
    # may sign for a damaged or wrong parcel and send it back instead (docs/rules.md)
    deliver_after = ppf_by_segment((plan.delivery_hours,), np.zeros(n, np.int8), u[F.DELIVERY_TIME])
    time_deliver = np.where(shipped, time_ship + deliver_after, np.nan)
    seller_fault = shipped & (u[F.DAMAGE] < plan.damage_chance)
    signed = seller_fault & plan.asks_to_sign
    signed &= u[F.SIGNS] < plan.accepts_sign_and_return[segment]
    buyer_fault = shipped & ~seller_fault & (u[F.BUYER_REFUSES] < plan.refuses_delivery[segment])
    refused = (seller_fault & ~signed) | buyer_fault
    delivered = shipped & ~refused
    # seven days without a reason: pressure-won buyers send more back (rules.return_chance)
    no_reason = delivered & ~signed & (u[F.RETURNS_GOODS] < return_chance(plan, segment, won))
    returned = signed | no_reason
    # the way back is drawn only for parcels that go back (elementwise: the same numbers)
    back = np.flatnonzero(refused | returned)
    way_back = np.full(n, np.nan)
    way_back[back] = ppf_by_segment(
        (plan.delivery_hours,), np.zeros(back.size, np.int8), u[F.RETURN_TIME, back]
    )
    time_refund_return = np.where(refused, time_deliver + way_back, np.nan)
    sent_after = np.where(no_reason, u[F.RETURN_OPENS] * plan.return_window_hours, 0.0)
    time_return = np.where(returned, time_deliver + sent_after + way_back, np.nan)
    # a parcel refused at the door is no return of signed goods: freight insurance pays nothing
    freight_loss = np.where(seller_fault & ~signed, plan.freight + plan.return_freight, 0.0)
    if plan.free_shipping:
        freight_loss += np.where(buyer_fault, plan.freight, 0.0)
    # signed and sent back for the seller's fault: insurance pays the way back first, the
    # seller the rest (and the buyer's outbound freight, on a listing that does not ship free)
    signed_freight = plan.return_freight - plan.insured_return_freight
    if not plan.free_shipping:
        signed_freight += plan.freight
    freight_loss += np.where(signed, signed_freight, 0.0)
    # a seven-day return: the buyer (or the insurance) pays the way back; some goods are lost
    unsellable = (1.0 - plan.resaleable_share) * plan.unit_cost_share * price
    lost_goods = np.where(no_reason, unsellable, 0.0)
    outbound = np.where(delivered & plan.free_shipping, plan.freight, 0.0)
    return_cost = np.where(signed, signed_freight, 0.0) + lost_goods
    return_cost += np.where(returned, outbound, 0.0)
    # after delivery: a card chargeback (拒付) or a dispute comes within the confirmation
    # window; else the order confirms
    kept_goods = delivered & ~returned
    charged_back = kept_goods & (u[F.CHARGEBACK] < plan.chargeback_chance[segment])
    time_chargeback = np.where(
        charged_back, time_deliver + u[F.CHARGEBACK_OPENS] * plan.auto_confirm_hours, np.nan
    )
    kept_goods &= ~charged_back
    disputed = kept_goods & (u[F.DISPUTE] < plan.dispute_chance[segment])
    seller_won = disputed & (u[F.SELLER_WINS] < plan.seller_wins_dispute)
    time_dispute = np.where(
        disputed, time_deliver + u[F.DISPUTE_OPENS] * plan.auto_confirm_hours, np.nan
    )
    time_settle = np.where(disputed, time_dispute + plan.dispute_settle_hours, np.nan)
    confirmed = kept_goods & ~disputed
    time_confirm = np.where(confirmed, time_deliver + plan.auto_confirm_hours, np.nan)
    completed = confirmed | seller_won
    buyer_won = disputed & ~seller_won
    refunded = refund_stock | refused | buyer_won | returned | charged_back
    # a dispute lost that the platform bears (fully managed, or its own logistics lost the
    # parcel): the seller keeps the money and the goods are gone, as if completed
    logistics = disputed & (u[F.DISPUTE_CAUSE] < plan.logistics_dispute_share)
    borne = buyer_won & (plan.fully_managed | (logistics & plan.platform_bears_logistics))
    # a chargeback: the payment is reversed, a fee on top, the goods stay with the buyer; a
    # fully managed seller (全托管) handles it no more than a dispute
    borne |= charged_back & plan.fully_managed
    bank = charged_back & ~plan.fully_managed
    lost = buyer_won & ~borne
    # a dispute lost: a fee, and the goods come back at the seller's freight (insurance pays
    # toward it, up to its payout) or stay with the buyer (refund only, cross-border, or a
    # partial refund)
    partial = lost & (plan.partial_refund_share < 1.0)
    kept = (lost & plan.buyer_keeps_goods) | partial | borne
    sent_back = lost & ~kept
    freight_loss += np.where(sent_back, plan.return_freight - plan.insured_return_freight, 0.0)
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
        returned=returned,
        charged_back=charged_back,
        time_refund_stock=time_refund_stock,
        time_ship=time_ship,
        time_deliver=time_deliver,
        time_refund_return=time_refund_return,
        time_return=time_return,
        time_dispute=time_dispute,
        time_settle=time_settle,
        time_confirm=time_confirm,
        time_chargeback=time_chargeback,
        compensation=compensation,
        penalty_points=points,
        penalty_time=np.where(
            intervened, time_refund_stock, np.where(late_points, time_ship, np.nan)
        ),
        freight_loss=freight_loss,
        outbound_freight=outbound,
        insurance=np.where(shipped & plan.freight_insurance, plan.insurance_premium, 0.0),
        refunds=np.where(refunded & ~borne, paid_amount, 0.0)
        * np.where(partial, plan.partial_refund_share, 1.0),
        goods_cost=np.where(completed | kept | charged_back, plan.unit_cost_share * price, 0.0)
        + lost_goods,
        dispute_fee=np.where(lost, plan.dispute_fee, 0.0),
        chargeback_fee=np.where(bank, plan.chargeback_fee, 0.0),
        paid_amount=paid_amount,
        discount=discount,
        incentive_cost=incentive_cost,
        return_cost=return_cost,
    )


def fulfil_paid(plan: Plan, book: OrderBook, outcome: Outcome, paid: np.ndarray) -> Fulfilment:
    """Settle the incentives the payers used, then sample their orders' later life."""
    price = book.price[paid]
    used = outcome.incentive_step[paid]
    discount = np.zeros(paid.size)
    incentive_cost = np.zeros(paid.size)
    freight_owed = 0.0 if plan.free_shipping else plan.freight
    for s in np.unique(used[used >= 0]):
        m = used == s
        discount[m], incentive_cost[m] = plan.steps[s].incentive.settle(price[m], freight_owed)
    if outcome.out_of_stock is not None:
        out_of_stock = outcome.out_of_stock[paid]
    elif plan.inventory is not None:  # stock is counted: no random stock-outs on top
        out_of_stock = np.zeros(paid.size, dtype=bool)
    else:
        out_of_stock = None
    return fulfil(
        plan,
        np.take(book.draws.fulfilment, paid, axis=1),  # faster than [:, paid]; same values
        book.chunk.segment[paid],
        price,
        outcome.end_time[paid],
        discount,
        incentive_cost,
        out_of_stock,
        won_by_reminder(plan, book, outcome, paid),
    )

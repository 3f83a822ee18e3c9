"""What each KPI means, in words, and its unit: the source of docs/kpis.md.

The names, labels, kinds and directions live with the results (`sim.experiment.results`); this
module adds the sentence a reader needs to trust a number, so the generated reference and the
report's glossary say the same thing.
"""

from __future__ import annotations

__all__ = ["KPI_DEFINITIONS", "KPI_UNITS"]

_PER_ORDER = "per order placed"

KPI_UNITS: dict[str, str] = {
    "orders": "orders per replication",
    "paid_orders": "orders per replication",
    "net_profit": "yuan per replication",
    "time_to_pay_hours": "hours",
    "reminder_wait_hours": "hours",
    "reminders_per_order": _PER_ORDER,
    "low_ratings_per_order": _PER_ORDER,
    "harassment_complaints_per_order": _PER_ORDER,
    "harassment_reports_per_order": _PER_ORDER,
    "penalty_points_per_order": f"points {_PER_ORDER}",
    "agent_utilization": "share of on-duty agent time",
    "ban_days": "days per replication",
    "banned_order_rate": "share of would-be orders (% in tables)",
    "traffic_lost_rate": "share of would-be orders (% in tables)",
    "buyer_paid_rate": "share of buyers (% in tables)",
}
for _name in (
    "gmv_per_order",
    "compensation_per_order",
    "incentive_cost_per_order",
    "reminder_cost_per_order",
    "freight_loss_per_order",
    "lever_cost_per_order",
    "net_profit_per_order",
    "discount_per_order",
    "outbound_freight_per_order",
    "insurance_cost_per_order",
    "goods_cost_per_order",
    "refunds_per_order",
    "dispute_fee_per_order",
    "chargeback_fee_per_order",
    "return_cost_per_order",
    "cost_per_order",
    "credited_amount_per_order",
    "anyway_coupon_cost_per_order",
    "incremental_amount_per_order",
):
    KPI_UNITS[_name] = f"yuan {_PER_ORDER}"
for _name in (
    "paid_rate",
    "cancelled_rate",
    "auto_closed_rate",
    "buyer_cancelled_rate",
    "seller_closed_rate",
    "refunded_rate",
    "refused_rate",
    "disputed_rate",
    "completed_rate",
    "lost_sales_rate",
    "blocked_rate",
    "returned_rate",
    "chargeback_rate",
    "opted_out_rate",
    "reminded_rate",
):
    KPI_UNITS[_name] = "share of orders placed (% in tables)"
KPI_UNITS["credited_paid_rate"] = "share of orders reminded (% in tables)"
KPI_UNITS["incremental_paid_rate"] = "share of orders placed (percentage points in tables)"
KPI_UNITS["credited_over_incremental"] = "orders per order"
KPI_UNITS["tool_roi"] = KPI_UNITS["real_roi"] = "yuan per yuan of reminder cost"

KPI_DEFINITIONS: dict[str, str] = {
    "orders": "orders placed in the arrival window (blocked and lost-sale attempts not counted)",
    "paid_rate": "orders paid / orders placed",
    "cancelled_rate": "orders cancelled unpaid (by the buyer, the seller or the auto-close)",
    "auto_closed_rate": "orders the platform closed unpaid at `unpaid_auto_close_hours`",
    "buyer_cancelled_rate": "orders the buyer cancelled before paying",
    "seller_closed_rate": "orders the seller closed (malicious orders under policy `close`)",
    "time_to_pay_hours": "mean hours from placement to payment, over paid orders",
    "reminders_per_order": "reminders sent (every channel) / orders placed",
    "reminder_wait_hours": "mean hours a phone/IM reminder waited for an agent, over the "
    "reminders made (undefined without agent reminders)",
    "agent_utilization": "agent minutes spent on calls and chats / agent minutes on duty during "
    "the trading period (a call that runs past the end of a shift adds its overtime to the "
    "minutes on duty; agents on duty all day have no shift end)",
    "low_ratings_per_order": "low ratings (DSR) drawn by reminders from buyers who received the "
    "goods / orders placed",
    "harassment_complaints_per_order": "harassment complaints (骚扰) drawn by annoying "
    "reminders, whatever became of the order / orders placed (0 unless "
    '`platform.annoyance_shows_as = "complaint"`, today\'s reading)',
    "harassment_reports_per_order": "orders whose buyer reported a harassment complaint to "
    "the platform (`segments.*.reports_harassment`), each bringing "
    "`platform.harassment_points` / orders placed",
    "traffic_lost_rate": "would-be orders lost to the shop's recent low ratings, complaints and "
    "disputes (`platform.traffic_per_low_rating`, `_per_complaint`, `_per_dispute` over "
    "`rating_window_days`) / (orders placed + orders lost to bans + these)",
    "opted_out_rate": "orders whose buyer opted out of the shop's messages or blocked the "
    "shop after a reminder (`segments.*.opts_out`), per order placed",
    "refunded_rate": "orders refunded after payment (out of stock, refused, returned, dispute "
    "lost)",
    "refused_rate": "parcels refused at delivery (either party's fault)",
    "disputed_rate": "delivered orders that went to a dispute",
    "completed_rate": "orders completed (confirmed, or dispute settled for the seller)",
    "penalty_points_per_order": "platform penalty points (interventions, 成交不卖 complaints, "
    "reported harassment) / orders placed",
    "gmv_per_order": "amount paid by buyers (after discounts) / orders placed",
    "compensation_per_order": "out-of-stock and late-shipment compensation paid",
    "incentive_cost_per_order": "what the seller pays out for incentives (gifts; free shipping "
    "on a listing that does not ship free)",
    "reminder_cost_per_order": "SMS fees and agent wages (minutes worked, or whole shifts with "
    '`staff.wage_basis = "shifts"`)',
    "freight_loss_per_order": "freight the seller pays on refused parcels, on goods signed for "
    "and sent back at the seller's request, and on goods sent back after a lost dispute (less "
    "what freight insurance pays)",
    "lever_cost_per_order": "what a strategy's shop levers cost",
    "net_profit_per_order": "GMV − refunds − cost of goods of completed orders − every cost "
    "below / orders placed (docs/rules.md, simulation rule 11)",
    "lost_sales_rate": "buyers who found no stock and placed no order, per order placed",
    "discount_per_order": "discounts given with reminders (lower the paid amount)",
    "outbound_freight_per_order": "outbound freight of free-shipping parcels not refused",
    "insurance_cost_per_order": "freight insurance premiums",
    "goods_cost_per_order": "cost of goods of completed orders, of goods a buyer kept after a "
    "lost dispute, and of returned goods that cannot be sold again",
    "refunds_per_order": "amount refunded to buyers",
    "blocked_rate": "orders refused at placement because the buyer was blacklisted, per order "
    "placed",
    "paid_orders": "orders paid in one replication: compare this when strategies place "
    "different numbers of orders",
    "net_profit": "net profit of one replication (net_profit_per_order × orders)",
    "dispute_fee_per_order": "platform.dispute_fee charged per dispute the seller lost",
    "chargeback_rate": "delivered orders whose card payment the buyer's issuer reversed (拒付, "
    "`segments.*.chargebacks`; not a platform dispute) / orders placed",
    "chargeback_fee_per_order": "platform.chargeback_fee charged per chargeback (the reversed "
    "payment counts in refunds_per_order)",
    "ban_days": "days the shop could not sell, within the arrival window (penalty points "
    "reaching a rung of platform.penalty_ladder; docs/rules.md, Rules of this round)",
    "banned_order_rate": "would-be orders lost to bans / (orders placed + orders lost to bans)",
    "buyer_paid_rate": "buyers with at least one paid order / buyers who placed an order "
    "(re-orders and returns of a buyer count once)",
    "returned_rate": "delivered orders whose goods the buyer sent back: a seven-day return "
    "without a reason, or a damaged or wrong parcel signed for at the seller's request and sent "
    "back (docs/rules.md, Seven-day returns)",
    "return_cost_per_order": "what those returns cost the seller beyond the refund: the outbound "
    "freight of a free-shipping parcel, the return freight the seller pays (less insurance) and "
    "returned goods that cannot be sold again; already part of outbound freight, freight loss "
    "and cost of goods, so not added to cost per order",
    "cost_per_order": "sum of compensation, incentives, discounts, reminders, levers, freight "
    "loss, insurance, outbound freight and dispute fees",
    "reminded_rate": "orders that received at least one reminder (any channel, reached or not) "
    "/ orders placed: the orders a reminder tool counts as reminded",
    "credited_paid_rate": "of the orders reminded, the share paid (after the first reminder and "
    "before the order closed: the tool's attribution window is the order's unpaid life): what "
    "a 催付 tool reports as its success rate (undefined when nothing was reminded)",
    "credited_amount_per_order": "amount paid by those credited orders / orders placed: what "
    'the tool reports as "recovered" (挽回)',
    "anyway_coupon_cost_per_order": "discounts and gifts used by buyers whose own payment came "
    "before their order's close, so they would have paid with no reminder / orders placed",
    "tool_roi": "credited amount / reminder spend (reminder cost + incentives + discounts): "
    "the ROI a tool reports",
    "incremental_paid_rate": "paid_rate − the baseline's, paired replication by replication "
    "(common random numbers): the paid orders the reminders really won",
    "incremental_amount_per_order": "gmv_per_order − the baseline's, paired: the amount the "
    "reminders really won",
    "credited_over_incremental": "(credited_paid_rate × reminded_rate) / incremental_paid_rate, "
    "from the means: credited orders per order really won (undefined unless the increment is "
    "above 0; its interval is the increment's)",
    "capped_reminders_per_order": "reminders a daily cap skipped (strategies.*.max_per_buyer_"
    "per_day, channels.CHANNEL.max_per_day) / orders placed; a skipped step is not sent later",
    "real_roi": "(net profit + reminder spend, minus the baseline's) / reminder spend: margin "
    "won per yuan the reminders cost (against a baseline without reminders)",
}

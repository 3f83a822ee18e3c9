"""KPIs accumulated chunk by chunk: running sums, never per-order lists.

``account`` is the single place that turns one chunk's unpaid-phase outcome into money and
counts; both engines call it on chunks in order, so the same outcome gives the same bits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .agents import AgentStats
from .buyers import OrderBook
from .fulfilment import Fulfilment
from .outcome import End, Outcome
from .plan import Plan
from .rules import harassment_complaints, low_ratings_earned

__all__ = ["KPI_NAMES", "MINUTE_CURVE_HOURS", "BuyerTally", "KpiAccumulator", "account"]

MINUTE_CURVE_HOURS = 3  # the payment curve is kept minute by minute for this long

# The KPIs the engine reports, in this order; everything else (tables, summary, docs) reads it.
KPI_NAMES: tuple[str, ...] = (
    "orders",
    "paid_rate",
    "cancelled_rate",
    "auto_closed_rate",
    "buyer_cancelled_rate",
    "seller_closed_rate",
    "time_to_pay_hours",
    "reminders_per_order",
    "reminder_wait_hours",
    "agent_utilization",
    "low_ratings_per_order",
    "refunded_rate",
    "refused_rate",
    "disputed_rate",
    "completed_rate",
    "penalty_points_per_order",
    "gmv_per_order",
    "compensation_per_order",
    "incentive_cost_per_order",
    "reminder_cost_per_order",
    "freight_loss_per_order",
    "lever_cost_per_order",
    "net_profit_per_order",
    "lost_sales_rate",
    "discount_per_order",
    "outbound_freight_per_order",
    "insurance_cost_per_order",
    "goods_cost_per_order",
    "refunds_per_order",
    "blocked_rate",
    "dispute_fee_per_order",
    "ban_days",
    "banned_order_rate",
    "buyer_paid_rate",
    "returned_rate",
    "return_cost_per_order",
    "harassment_complaints_per_order",
    "opted_out_rate",
    "harassment_reports_per_order",
    "traffic_lost_rate",
    "chargeback_rate",
    "chargeback_fee_per_order",
    "paid_orders",
    "net_profit",
    # what a reminder tool reports (docs/kpis.md, "Credited and incremental")
    "reminded_rate",
    "credited_paid_rate",
    "credited_amount_per_order",
    "anyway_coupon_cost_per_order",
    "capped_reminders_per_order",
)


class BuyerTally:
    """Which buyers placed an order and which paid for one, as growing bitmaps by buyer id
    (ids count from 0 in each run), so a buyer's re-orders and returns count once."""

    def __init__(self) -> None:
        self.placed = np.zeros(1024, dtype=bool)
        self.paid = np.zeros(1024, dtype=bool)

    def mark(self, placed: np.ndarray, paid: np.ndarray) -> None:
        top = int(max(placed.max(initial=-1), paid.max(initial=-1))) + 1
        if top > self.placed.size:
            size = max(top, 2 * self.placed.size)
            self.placed = np.concatenate([self.placed, np.zeros(size - self.placed.size, bool)])
            self.paid = np.concatenate([self.paid, np.zeros(size - self.paid.size, bool)])
        self.placed[placed] = True
        self.paid[paid] = True

    def paid_rate(self) -> float:
        """Share of the buyers who placed an order that paid for at least one."""
        placed = int(self.placed.sum())
        return int(self.paid.sum()) / placed if placed else math.nan


@dataclass
class KpiAccumulator:
    """Running totals of one (strategy, replication[, sweep value]) run."""

    plan: Plan
    sums: defaultdict = field(default_factory=lambda: defaultdict(float))
    paid_delay_hist: np.ndarray = field(init=False)
    paid_minute_hist: np.ndarray = field(init=False)
    agents: AgentStats = field(default_factory=AgentStats)
    ban_intervals: list[list[float]] = field(default_factory=list)  # [start, end) of each ban
    buyers: BuyerTally = field(default_factory=lambda: BuyerTally())
    # per reminder step: orders it reminded, and the paid orders (and their amount) whose last
    # reminder before paying was this step's (last touch: each credited order counted once)
    step_reminded: np.ndarray = field(init=False)
    step_credited: np.ndarray = field(init=False)
    step_credited_amount: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        steps = len(self.plan.steps)
        self.step_reminded, self.step_credited = np.zeros(steps), np.zeros(steps)
        self.step_credited_amount = np.zeros(steps)
        self.paid_delay_hist = np.zeros(math.ceil(self.plan.longest_wait_hours) + 1)
        # minute by minute over the first hours, where most buyers pay
        self.paid_minute_hist = np.zeros(MINUTE_CURVE_HOURS * 60 + 1)

    def add(self, name: str, value: float) -> None:
        self.sums[name] += float(value)

    def kpis(self) -> dict[str, float]:
        s = self.sums
        orders = s["orders"]
        # a rate with no order, a wait with no call, a time to pay with no payer is undefined
        per = (lambda x: x / orders) if orders else (lambda x: math.nan)
        a = self.agents
        if self.plan.wage_basis == "shifts":
            agent_cost = a.on_duty_hours * self.plan.agent_cost_per_hour
        else:
            agent_cost = s["agent_hours"] * self.plan.agent_cost_per_hour
        reminder_cost = s["sms_cost"] + agent_cost
        net = (
            s["gmv"]
            - s["refunds"]
            - s["goods_cost"]
            - s["compensation"]
            - s["incentive_cost"]
            - reminder_cost
            - s["outbound_freight"]
            - s["freight_loss"]
            - s["insurance"]
            - s["lever_cost"]
            - s["dispute_fee"]
            - s["chargeback_fee"]
        )
        return {
            "orders": orders,
            "paid_rate": per(s["paid"]),
            "cancelled_rate": per(s["auto_closed"] + s["buyer_cancelled"] + s["seller_closed"]),
            "auto_closed_rate": per(s["auto_closed"]),
            "buyer_cancelled_rate": per(s["buyer_cancelled"]),
            "seller_closed_rate": per(s["seller_closed"]),
            "time_to_pay_hours": s["time_to_pay"] / s["paid"] if s["paid"] else math.nan,
            "reminders_per_order": per(s["reminders"]),
            "reminder_wait_hours": a.wait_hours / a.served if a.served else math.nan,
            # a share: busy time never exceeds time on duty (the min only absorbs rounding)
            "agent_utilization": (
                min(1.0, a.busy_hours / a.on_duty_hours) if a.on_duty_hours else math.nan
            ),
            "low_ratings_per_order": per(s["low_ratings"]),
            "refunded_rate": per(s["refunded"]),
            "refused_rate": per(s["refused"]),
            "disputed_rate": per(s["disputed"]),
            "completed_rate": per(s["completed"]),
            "penalty_points_per_order": per(s["penalty_points"]),
            "gmv_per_order": per(s["gmv"]),
            "compensation_per_order": per(s["compensation"]),
            "incentive_cost_per_order": per(s["incentive_cost"]),
            "reminder_cost_per_order": per(reminder_cost),
            "freight_loss_per_order": per(s["freight_loss"]),
            "lever_cost_per_order": per(s["lever_cost"]),
            "net_profit_per_order": per(net),
            "lost_sales_rate": per(s["lost"]),
            "discount_per_order": per(s["discount"]),
            "outbound_freight_per_order": per(s["outbound_freight"]),
            "insurance_cost_per_order": per(s["insurance"]),
            "goods_cost_per_order": per(s["goods_cost"]),
            "refunds_per_order": per(s["refunds"]),
            "blocked_rate": per(s["blocked"]),
            "dispute_fee_per_order": per(s["dispute_fee"]),
            "ban_days": s["ban_hours"] / 24.0,
            "banned_order_rate": (
                s["banned"] / (orders + s["banned"]) if orders + s["banned"] else math.nan
            ),
            "buyer_paid_rate": self.buyers.paid_rate(),
            "returned_rate": per(s["returned"]),
            "return_cost_per_order": per(s["return_cost"]),
            "harassment_complaints_per_order": per(s["harassment_complaints"]),
            "opted_out_rate": per(s["opted_out"]),
            "harassment_reports_per_order": per(s["harassment_reports"]),
            "traffic_lost_rate": (
                s["traffic_lost"] / would_be
                if (would_be := orders + s["banned"] + s["traffic_lost"])
                else math.nan
            ),
            "chargeback_rate": per(s["charged_back"]),
            "chargeback_fee_per_order": per(s["chargeback_fee"]),
            "paid_orders": s["paid"],
            "net_profit": net,
            "reminded_rate": per(s["reminded"]),
            "credited_paid_rate": s["credited"] / s["reminded"] if s["reminded"] else math.nan,
            "credited_amount_per_order": per(s["credited_amount"]),
            "anyway_coupon_cost_per_order": per(s["anyway_coupons"]),
            "capped_reminders_per_order": per(s["capped"]),
        }

    def curves(self) -> dict[str, list[float]]:
        orders = self.sums["orders"]
        paid = np.cumsum(self.paid_delay_hist) / orders if orders else self.paid_delay_hist
        early = np.cumsum(self.paid_minute_hist) / orders if orders else self.paid_minute_hist
        return {
            "paid_by_hour": paid.tolist(),
            "paid_by_minute": early.tolist(),  # share paid within m minutes, m = 0..180
            "agent_busy_by_hour": self.agents.busy_by_hour.tolist(),
            # busy share of this run's own agents (a sweep may change their number)
            "agent_utilization_by_hour": (
                self.agents.busy_by_hour / self.plan.agents if self.plan.agents else np.zeros(24)
            ).tolist(),
            "agent_queue_by_hour": self.agents.queue_by_hour.tolist(),
            # per step, per order placed (the summary's per-step figures)
            "step_reminded": self._per_order(self.step_reminded),
            "step_credited": self._per_order(self.step_credited),
            "step_credited_amount": self._per_order(self.step_credited_amount),
        }

    def _per_order(self, totals: np.ndarray) -> list[float]:
        orders = self.sums["orders"]
        return (totals / orders if orders else totals).tolist()  # zeros without orders


def account(
    acc: KpiAccumulator,
    book: OrderBook,
    outcome: Outcome,
    life: Fulfilment | None,
    closed_points: float,
    counted: np.ndarray | None = None,
) -> None:
    """Add one finished chunk to the totals (its paid orders' later life already sampled).

    ``counted`` marks the orders placed after the warm-up (None: all of them); the others were
    simulated, so they loaded the agents and the stock, but they are left out of every KPI.
    """
    plan, t0 = acc.plan, book.chunk.time
    end = outcome.end

    def total(values: np.ndarray, where: np.ndarray | None = counted) -> float:
        return values.sum() if where is None else values[where].sum()

    placed = outcome.placed
    acc.add("orders", int(total(placed)))
    acc.add("lost", total(outcome.lost))
    acc.add("blocked", total(outcome.blocked))
    acc.add("banned", total(outcome.banned))
    acc.add("traffic_lost", total(outcome.traffic_lost))
    acc.add("auto_closed", total(end == End.AUTO_CLOSED))
    acc.add("buyer_cancelled", total(end == End.BUYER_CANCELLED))
    acc.add("seller_closed", total(end == End.SELLER_CLOSED))
    acc.add("penalty_points", closed_points)
    acc.add("reminders", total(outcome.reminders))
    acc.add("capped", total(outcome.capped))
    acc.add("low_ratings", total(low_ratings_earned(plan, outcome, life)))
    acc.add("harassment_complaints", total(harassment_complaints(plan, outcome)))
    acc.add("opted_out", total(outcome.opted_out))
    sent_on = outcome.reminder_channel if counted is None else outcome.reminder_channel[:, counted]
    acc.add("sms_cost", _message_cost(plan, sent_on))
    acc.add("agent_hours", total(outcome.agent_hours))
    acc.add("lever_cost", total(placed) * plan.lever_cost_per_order)
    paid = np.flatnonzero(end == End.PAID)
    keep = None if counted is None else counted[paid]
    if keep is not None:
        paid = paid[keep]
    acc.add("paid", paid.size)
    _credit(acc, outcome, counted)
    buyers = book.chunk.buyer
    acc.buyers.mark(buyers[placed if counted is None else placed & counted], buyers[paid])
    if life is None or paid.size == 0:
        return
    delay = outcome.end_time[paid] - t0[paid]
    acc.add("time_to_pay", delay.sum())
    hist = np.bincount(
        np.minimum(np.ceil(delay).astype(np.int64), acc.paid_delay_hist.size - 1),
        minlength=acc.paid_delay_hist.size,
    )
    acc.paid_delay_hist += hist
    minutes = np.ceil(delay * 60.0)
    early = minutes < acc.paid_minute_hist.size
    acc.paid_minute_hist += np.bincount(
        minutes[early].astype(np.int64), minlength=acc.paid_minute_hist.size
    )
    acc.add("gmv", total(life.paid_amount, keep))
    _credit_amounts(acc, book, outcome, life, paid, keep)
    acc.add("discount", total(life.discount, keep))
    acc.add("incentive_cost", total(life.incentive_cost, keep))
    for name in (
        "compensation",
        "freight_loss",
        "outbound_freight",
        "insurance",
        "refunds",
        "goods_cost",
        "dispute_fee",
        "chargeback_fee",
        "return_cost",
    ):
        acc.add(name, total(getattr(life, name), keep))
    acc.add("penalty_points", total(life.penalty_points, keep))
    for name in ("refunded", "refused", "disputed", "completed", "returned", "charged_back"):
        acc.add(name, total(getattr(life, name), keep))


def _credit(acc: KpiAccumulator, outcome: Outcome, counted: np.ndarray | None) -> None:
    """What a reminder tool counts: orders reminded, and those of them paid (a reminder is
    only sent to an unpaid order, so each was paid after its first reminder), by step."""
    reminded = outcome.reminders > 0
    if counted is not None:
        reminded &= counted
    acc.add("reminded", reminded.sum())
    acc.add("credited", (reminded & (outcome.end == End.PAID)).sum())
    steps = outcome.reminder_step[:, reminded]
    for j in range(acc.step_reminded.size):
        acc.step_reminded[j] += np.any(steps == j, axis=0).sum()


def _credit_amounts(
    acc: KpiAccumulator,
    book: OrderBook,
    outcome: Outcome,
    life: Fulfilment,
    paid: np.ndarray,
    keep: np.ndarray | None,
) -> None:
    """The credited ("recovered") amount, in total and by the last step before payment, and
    the coupons (discounts and gifts) used by buyers who would have paid with no reminder."""
    amount = life.paid_amount if keep is None else life.paid_amount[keep]
    coupons = life.discount + life.incentive_cost
    coupons = coupons if keep is None else coupons[keep]
    reminders = outcome.reminders[paid].astype(np.int64)
    credited = reminders > 0
    acc.add("credited_amount", amount[credited].sum())
    acc.add("anyway_coupons", coupons[book.would_pay[paid]].sum())
    if acc.step_credited.size:
        cols = np.flatnonzero(credited)
        last = outcome.reminder_step[reminders[cols] - 1, paid[cols]].astype(np.int64)
        size = acc.step_credited.size
        acc.step_credited += np.bincount(last, minlength=size)
        acc.step_credited_amount += np.bincount(last, weights=amount[cols], minlength=size)


def _message_cost(plan: Plan, sent_on: np.ndarray) -> float:
    """What the reminders sent cost per message (SMS), by channel."""
    counts = np.bincount(sent_on[sent_on >= 0].astype(np.int64), minlength=len(plan.channels))
    return sum(int(n) * c.message_cost for n, c in zip(counts, plan.channels, strict=True))

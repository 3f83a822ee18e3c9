"""KPIs accumulated chunk by chunk: running sums, never per-order lists.

``account`` is the single place that turns one chunk's unpaid-phase outcome into money and
counts; both engines call it on chunks in order, so the same outcome gives the same bits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from .buyers import OrderBook
from .draws import BuyerDraw
from .fulfilment import Fulfilment, fulfil
from .outcome import End, Outcome
from .plan import INCENTIVE_DISCOUNT, INCENTIVE_FREE_SHIPPING, INCENTIVE_GIFT, SMS, Plan

__all__ = ["AgentStats", "KpiAccumulator", "account"]


@dataclass
class AgentStats:
    """What the agents did (filled by the SimPy world; all zero on the fast path)."""

    served: int = 0
    wait_hours: float = 0.0
    busy_hours: float = 0.0
    on_duty_hours: float = 0.0  # agent-hours on duty over the trading period, overtime included
    overtime_hours: float = 0.0  # calls that ran past the end of their shift
    busy_by_hour: np.ndarray = field(default_factory=lambda: np.zeros(24))
    queue_by_hour: np.ndarray = field(default_factory=lambda: np.zeros(24))


@dataclass
class KpiAccumulator:
    """Running totals of one (strategy, replication[, sweep value]) run."""

    plan: Plan
    sums: defaultdict = field(default_factory=lambda: defaultdict(float))
    paid_delay_hist: np.ndarray = field(init=False)
    agents: AgentStats = field(default_factory=AgentStats)

    def __post_init__(self) -> None:
        self.paid_delay_hist = np.zeros(math.ceil(self.plan.auto_close_hours) + 1)

    def add(self, name: str, value: float) -> None:
        self.sums[name] += float(value)

    def kpis(self) -> dict[str, float]:
        s = self.sums
        orders = s["orders"]
        per = (lambda x: x / orders) if orders else (lambda x: 0.0)
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
            "reminder_wait_hours": a.wait_hours / a.served if a.served else 0.0,
            "agent_utilization": a.busy_hours / a.on_duty_hours if a.on_duty_hours else 0.0,
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
            "paid_orders": s["paid"],
            "net_profit": net,
        }

    def curves(self) -> dict[str, list[float]]:
        orders = self.sums["orders"]
        paid = np.cumsum(self.paid_delay_hist) / orders if orders else self.paid_delay_hist
        return {
            "paid_by_hour": paid.tolist(),
            "agent_busy_by_hour": self.agents.busy_by_hour.tolist(),
            # busy share of this run's own agents (a sweep may change their number)
            "agent_utilization_by_hour": (
                self.agents.busy_by_hour / self.plan.agents if self.plan.agents else np.zeros(24)
            ).tolist(),
            "agent_queue_by_hour": self.agents.queue_by_hour.tolist(),
        }


def account(acc: KpiAccumulator, book: OrderBook, outcome: Outcome) -> Fulfilment | None:
    """Add one finished chunk to the totals; returns the paid orders' later life (for events)."""
    plan, seg, t0 = acc.plan, book.chunk.segment, book.chunk.time
    end, placed = outcome.end, outcome.placed
    orders = int(placed.sum())
    acc.add("orders", orders)
    acc.add("lost", outcome.lost.sum())
    acc.add("blocked", outcome.blocked.sum())
    acc.add("auto_closed", (end == End.AUTO_CLOSED).sum())
    acc.add("buyer_cancelled", (end == End.BUYER_CANCELLED).sum())
    closed = end == End.SELLER_CLOSED
    acc.add("seller_closed", closed.sum())
    complained = closed & (book.draws.buyer[BuyerDraw.COMPLAINS_CLOSED] < plan.complains[seg])
    acc.add("penalty_points", complained.sum() * plan.penalty_points)
    acc.add("reminders", outcome.reminders.sum())
    acc.add("low_ratings", outcome.low_ratings.sum())
    sms = int((outcome.reminder_channel == SMS).sum())
    acc.add("sms_cost", sms * plan.sms_cost)
    acc.add("agent_hours", outcome.agent_hours.sum())
    acc.add("lever_cost", orders * plan.lever_cost_per_order)
    paid = np.flatnonzero(end == End.PAID)
    acc.add("paid", paid.size)
    if paid.size == 0:
        return None
    delay = outcome.end_time[paid] - t0[paid]
    acc.add("time_to_pay", delay.sum())
    hist = np.bincount(
        np.minimum(np.ceil(delay).astype(np.int64), acc.paid_delay_hist.size - 1),
        minlength=acc.paid_delay_hist.size,
    )
    acc.paid_delay_hist += hist
    price = book.price[paid]
    step = outcome.incentive_step[paid]
    kind = np.zeros(paid.size, dtype=np.int8)
    rate = np.zeros(paid.size)
    gift = np.zeros(paid.size)
    if plan.steps:
        kinds = np.array([s.incentive for s in plan.steps], dtype=np.int8)
        rates = np.array([s.discount_rate for s in plan.steps])
        gifts = np.array([s.gift_cost for s in plan.steps])
        used = step >= 0
        kind[used], rate[used], gift[used] = kinds[step[used]], rates[step[used]], gifts[step[used]]
    discount = np.where(kind == INCENTIVE_DISCOUNT, price * rate, 0.0)
    amount = price - discount
    free_ship_cost = 0.0 if plan.free_shipping else plan.freight
    incentive = np.where(kind == INCENTIVE_GIFT, gift, 0.0)
    incentive += np.where(kind == INCENTIVE_FREE_SHIPPING, free_ship_cost, 0.0)
    if outcome.out_of_stock is not None:
        out_of_stock = outcome.out_of_stock[paid]
    elif plan.inventory is not None:  # stock is counted: no random stock-outs on top
        out_of_stock = np.zeros(paid.size, dtype=bool)
    else:
        out_of_stock = None
    life = fulfil(
        plan,
        book.draws.fulfilment[:, paid],
        seg[paid],
        price,
        amount,
        outcome.end_time[paid],
        out_of_stock,
    )
    acc.add("gmv", amount.sum())
    acc.add("discount", discount.sum())
    acc.add("incentive_cost", incentive.sum())
    for name in (
        "compensation",
        "freight_loss",
        "outbound_freight",
        "insurance",
        "refunds",
        "goods_cost",
    ):
        acc.add(name, getattr(life, name).sum())
    acc.add("penalty_points", life.penalty_points.sum())
    for name in ("refunded", "refused", "disputed", "completed"):
        acc.add(name, getattr(life, name).sum())
    return life

"""Synthetic unit results with plausible numbers, standing in for the engine in output tests.

Replication k shares one draw of "buyer mix" across strategies (as common random numbers do),
so paired differences are much tighter than the spread of each strategy.
"""

from __future__ import annotations

import math

import numpy as np

from sim.experiment.results import UnitResult
from sim.experiment.stats import summarize

STRATEGIES = ("no-reminder", "sms-30min", "phone-next-day")
AUTO_CLOSE = 24
AGENTS = 2
_DUTY = (9, 24)

# per strategy: paid, auto-closed share of the unpaid, reminders, low ratings, incentive, reminder
# cost, lever cost, discount, agent load
_EFFECTS = {
    "no-reminder": (0.64, 0.70, 0.0, 0.0004, 0.0, 0.0, 0.0, 0.0, 0.0),
    "sms-30min": (0.70, 0.62, 0.45, 0.0030, 0.0, 0.02, 0.0, 0.0, 0.0),
    "phone-next-day": (0.76, 0.55, 0.85, 0.0075, 0.9, 0.55, 0.25, 0.6, 0.45),
}


def _unit(strategy: str, rep: int, value: float | str | None, z: np.ndarray, rng) -> UnitResult:
    paid0, auto_share, reminders, low, incentive, rem_cost, lever, discount, load = _EFFECTS[
        strategy
    ]
    shift = 0.0 if value is None or isinstance(value, str) else -0.0015 * float(value)
    paid = float(np.clip(paid0 + shift + 0.025 * z[0] + 0.003 * rng.standard_normal(), 0, 1))
    unpaid = 1.0 - paid
    auto = unpaid * auto_share
    seller = 0.01
    buyer = unpaid - auto - seller
    refunded = paid * (0.06 + 0.005 * z[1])
    price = 130 + 4 * z[2]
    gmv = paid * price
    goods = (paid - refunded) * 0.6 * price
    outbound = paid * 8
    compensation, freight_loss = 0.4 + 0.05 * z[3], 0.3
    costs = compensation + incentive + rem_cost + freight_loss + lever + discount + outbound
    kpis = {
        "orders": float(2800 + round(60 * z[4])),
        "paid_rate": paid,
        "cancelled_rate": unpaid,
        "auto_closed_rate": auto,
        "buyer_cancelled_rate": buyer,
        "seller_closed_rate": seller,
        "time_to_pay_hours": 3.2 + 0.8 * reminders + 0.3 * z[5],
        "reminders_per_order": reminders * (1 + 0.02 * z[6]),
        "reminder_wait_hours": 0.35 + 0.05 * z[7] if load else (0.0 if reminders else math.nan),
        "agent_utilization": load * (1 + 0.05 * z[7]),
        "low_ratings_per_order": low * (1 + 0.1 * z[8]),
        "harassment_complaints_per_order": 0.0,
        "opted_out_rate": 0.0,
        "harassment_reports_per_order": 0.0,
        "traffic_lost_rate": 0.0,
        "chargeback_rate": 0.0,
        "chargeback_fee_per_order": 0.0,
        "refunded_rate": refunded,
        "refused_rate": paid * 0.02,
        "disputed_rate": paid * 0.012,
        "completed_rate": paid - refunded,
        "penalty_points_per_order": 0.01 + 0.002 * z[9],
        "gmv_per_order": gmv,
        "compensation_per_order": compensation,
        "incentive_cost_per_order": incentive,
        "reminder_cost_per_order": rem_cost,
        "freight_loss_per_order": freight_loss,
        "lever_cost_per_order": lever,
        "net_profit_per_order": gmv - refunded * price - goods - costs,
        "lost_sales_rate": 0.0,
        "discount_per_order": discount,
        "outbound_freight_per_order": outbound,
        "insurance_cost_per_order": 0.0,
        "goods_cost_per_order": goods,
        "refunds_per_order": refunded * price,
        "blocked_rate": 0.0,
        "dispute_fee_per_order": 0.0,
        "ban_days": 0.0,
        "banned_order_rate": 0.0,
        "buyer_paid_rate": paid,
    }
    hours = np.arange(AUTO_CLOSE + 1)
    own = paid0 * 0.85 * (1 - np.exp(-hours / 2.5))
    nudged = (paid - paid0 * 0.85) * (1 - np.exp(-np.clip(hours - 0.5, 0, None) / 6.0))
    busy = np.zeros(24)
    queue = np.zeros(24)
    if load:
        day = np.arange(24)
        on = (day >= _DUTY[0]) & (day < _DUTY[1])
        peak = 1 + 0.6 * np.exp(-((day - 10) ** 2) / 4) + 0.8 * np.exp(-((day - 21) ** 2) / 3)
        busy = np.where(on, AGENTS * load * peak / 1.4, 0.0) * (1 + 0.05 * z[7])
        queue = np.where(on, np.clip(busy - 1.0, 0, None) * 3, 0.0)
        queue[_DUTY[0]] += 6.0
    curves = {
        "paid_by_hour": list(np.clip(own + nudged, 0, 1)),
        "agent_busy_by_hour": list(busy),
        "agent_queue_by_hour": list(queue),
    }
    return UnitResult(strategy, rep, value, kpis, curves)


def make_units(
    strategies: tuple[str, ...] = STRATEGIES,
    replications: int = 10,
    sweep: list | None = None,
    seed: int = 7,
) -> list[UnitResult]:
    """Every strategy x replication [x sweep value]; replication k shares its draws."""
    units = []
    for value in sweep or [None]:
        for rep in range(replications):
            z = np.random.default_rng([seed, rep]).standard_normal(10)
            for strategy in strategies:
                rng = np.random.default_rng([seed, rep, len(units)])
                units.append(_unit(strategy, rep, value, z, rng))
    return units


def make_summary(units: list[UnitResult], sweep_parameter: str | None = None) -> dict:
    return summarize(
        units,
        "no-reminder",
        scenario="synthetic",
        seed=7,
        replications=max(u.replication for u in units) + 1,
        sweep_parameter=sweep_parameter,
    )

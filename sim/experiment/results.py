"""What one simulated unit (strategy x replication [x sweep value]) hands to the statistics.

Kept as plain, picklable data so every executor returns the same thing, and so the statistics and
writers can be built and tested without the engine. The KPI vocabulary (names, labels, kinds,
which direction is good) lives here once; tables, plots and the report all read it.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field

from sim.engine.kpis import KPI_NAMES
from sim.experiment.credited import PAIRED_KPIS, tool_roi

__all__ = [
    "CONTRACT_KPIS",
    "COST_COMPONENTS",
    "DERIVED_KPIS",
    "EXTRA_KPIS",
    "KPI_DIRECTIONS",
    "KPI_KINDS",
    "KPI_LABELS",
    "KPI_NAMES",
    "MAIN_KPIS",
    "PAIRED_KPIS",
    "TOOL_KPIS",
    "UnitResult",
    "kpi_kind",
    "kpi_label",
    "sweep_key",
    "sweep_label",
    "total_cost_per_order",
    "with_derived",
]


@dataclass(frozen=True)
class UnitResult:
    """The KPIs and small curves of one strategy in one replication (at one sweep value)."""

    strategy: str
    replication: int
    sweep_value: float | str | None
    kpis: dict[str, float]
    curves: dict[str, list[float]] = field(default_factory=dict)


# the engine owns the KPI list; the first 24 are the contract's, the rest ordersim's extras
CONTRACT_KPIS: tuple[str, ...] = KPI_NAMES[:24]
EXTRA_KPIS: tuple[str, ...] = KPI_NAMES[24:]

# Everything the seller pays out per order besides the goods and the refunds: one definition
# for the "cost per order" KPI, its table column and the stacked bars of the cost plot.
COST_COMPONENTS: tuple[str, ...] = (
    "compensation_per_order",
    "incentive_cost_per_order",
    "discount_per_order",
    "reminder_cost_per_order",
    "lever_cost_per_order",
    "freight_loss_per_order",
    "insurance_cost_per_order",
    "outbound_freight_per_order",
    "dispute_fee_per_order",
    "chargeback_fee_per_order",
)
DERIVED_KPIS: tuple[str, ...] = ("cost_per_order", "tool_roi")

# what a reminder tool reports beside what really happened (docs/kpis.md): tables and report
TOOL_KPIS: tuple[str, ...] = (
    "reminded_rate",
    "credited_paid_rate",
    "credited_amount_per_order",
    "incremental_paid_rate",
    "incremental_amount_per_order",
    "credited_over_incremental",
    "tool_roi",
    "real_roi",
    "anyway_coupon_cost_per_order",
)

MAIN_KPIS: tuple[str, ...] = (
    "paid_rate",
    "auto_closed_rate",
    "time_to_pay_hours",
    "reminders_per_order",
    "low_ratings_per_order",
    "penalty_points_per_order",
    "cost_per_order",
    "net_profit_per_order",
)

KPI_LABELS: dict[str, str] = {
    "orders": "Orders placed",
    "paid_rate": "Paid rate",
    "cancelled_rate": "Cancelled rate",
    "auto_closed_rate": "Auto-closed rate",
    "buyer_cancelled_rate": "Cancelled by buyer",
    "seller_closed_rate": "Closed by seller",
    "time_to_pay_hours": "Time to pay (h)",
    "reminders_per_order": "Reminders per order",
    "reminder_wait_hours": "Reminder wait for an agent (h)",
    "agent_utilization": "Agent utilisation",
    "low_ratings_per_order": "Low ratings per order",
    "harassment_complaints_per_order": "Harassment complaints per order",
    "harassment_reports_per_order": "Harassment reports per order",
    "traffic_lost_rate": "Orders lost to ratings and complaints",
    "chargeback_rate": "Chargeback rate",
    "chargeback_fee_per_order": "Chargeback fees per order (yuan)",
    "opted_out_rate": "Buyers who opted out",
    "refunded_rate": "Refunded rate",
    "refused_rate": "Refused rate",
    "disputed_rate": "Disputed rate",
    "completed_rate": "Completed rate",
    "penalty_points_per_order": "Penalty points per order",
    "gmv_per_order": "GMV per order (yuan)",
    "compensation_per_order": "Compensation per order (yuan)",
    "incentive_cost_per_order": "Incentive cost per order (yuan)",
    "reminder_cost_per_order": "Reminder cost per order (yuan)",
    "freight_loss_per_order": "Freight loss per order (yuan)",
    "lever_cost_per_order": "Lever cost per order (yuan)",
    "net_profit_per_order": "Net profit per order (yuan)",
    "lost_sales_rate": "Lost sales rate",
    "discount_per_order": "Discount per order (yuan)",
    "outbound_freight_per_order": "Outbound freight per order (yuan)",
    "insurance_cost_per_order": "Freight insurance per order (yuan)",
    "goods_cost_per_order": "Cost of goods per order (yuan)",
    "refunds_per_order": "Refunds per order (yuan)",
    "blocked_rate": "Blocked rate",
    "dispute_fee_per_order": "Dispute fees per order (yuan)",
    "ban_days": "Days the shop was banned (per replication)",
    "banned_order_rate": "Orders lost to bans",
    "buyer_paid_rate": "Buyers who paid at least once",
    "returned_rate": "Returned after delivery",
    "return_cost_per_order": "Return cost per order (yuan)",
    "paid_orders": "Paid orders (per replication)",
    "net_profit": "Net profit (yuan, per replication)",
    "cost_per_order": "Cost per order (yuan)",
    "reminded_rate": "Reminded rate",
    "credited_paid_rate": "Credited paid rate (the tool's success rate)",
    "credited_amount_per_order": "Credited amount per order (the tool's recovered, yuan)",
    "anyway_coupon_cost_per_order": "Coupons to buyers paying anyway per order (yuan)",
    "tool_roi": "The tool's ROI (credited amount per yuan of reminder cost)",
    "incremental_paid_rate": "Incremental paid rate (vs baseline)",
    "incremental_amount_per_order": "Incremental amount per order (vs baseline, yuan)",
    "credited_over_incremental": "Credited orders per order really won",
    "real_roi": "Real ROI (margin won per yuan of reminder cost)",
    "capped_reminders_per_order": "Reminders skipped by daily caps per order",
}

# How a value is read and formatted: rate (fraction shown as %), money (yuan), hours, count.
KPI_KINDS: dict[str, str] = {
    name: (
        "rate"
        if name.endswith("_rate") or name == "agent_utilization"
        else "hours"
        if name.endswith("_hours")
        else "count"
        if name
        in (
            "orders",
            "paid_orders",
            "reminders_per_order",
            "low_ratings_per_order",
            "capped_reminders_per_order",
            "harassment_complaints_per_order",
            "harassment_reports_per_order",
            "penalty_points_per_order",
            "ban_days",
            "tool_roi",  # yuan per yuan: ratios
            "real_roi",
            "credited_over_incremental",
        )
        else "money"
    )
    for name in (*KPI_NAMES, *DERIVED_KPIS, *PAIRED_KPIS)
}

# +1: higher is better for the seller, -1: lower is better, 0: no judgement (volume, workload,
# and time to pay, which rises when reminders win over the slow payers).
_HIGHER_IS_BETTER = (
    "paid_rate",
    "completed_rate",
    "net_profit_per_order",
    "gmv_per_order",
    "paid_orders",
    "net_profit",
    "buyer_paid_rate",
    "incremental_paid_rate",
    "incremental_amount_per_order",
    "real_roi",
)
_LOWER_IS_BETTER = (
    "cancelled_rate",
    "auto_closed_rate",
    "buyer_cancelled_rate",
    "seller_closed_rate",
    "reminder_wait_hours",
    "low_ratings_per_order",
    "harassment_complaints_per_order",
    "harassment_reports_per_order",
    "traffic_lost_rate",
    "chargeback_rate",
    "chargeback_fee_per_order",
    "opted_out_rate",
    "refunded_rate",
    "refused_rate",
    "disputed_rate",
    "penalty_points_per_order",
    "compensation_per_order",
    "incentive_cost_per_order",
    "reminder_cost_per_order",
    "freight_loss_per_order",
    "lever_cost_per_order",
    "lost_sales_rate",
    "discount_per_order",
    "refunds_per_order",
    "cost_per_order",
    "dispute_fee_per_order",
    "ban_days",
    "banned_order_rate",
    "returned_rate",
    "return_cost_per_order",
    "anyway_coupon_cost_per_order",
)
KPI_DIRECTIONS: dict[str, int] = {
    name: 1 if name in _HIGHER_IS_BETTER else -1 if name in _LOWER_IS_BETTER else 0
    for name in (*KPI_NAMES, *DERIVED_KPIS, *PAIRED_KPIS)
}


def kpi_label(name: str) -> str:
    """Human label of a KPI; unknown (engine-added) KPIs fall back to their name."""
    return KPI_LABELS.get(name, name.replace("_", " ").capitalize())


def kpi_kind(name: str) -> str:
    """rate | money | hours | count, guessed from the name for KPIs not listed."""
    if name in KPI_KINDS:
        return KPI_KINDS[name]
    if name.endswith("_rate"):
        return "rate"
    return "hours" if name.endswith("_hours") else "count"


def total_cost_per_order(kpis: Mapping[str, float]) -> float:
    """Sum of the cost components a strategy moves; NaN if any component is missing or NaN.

    The one place this sum is spelled, so tables, plots and the summary agree.
    """
    total = 0.0
    for name in COST_COMPONENTS:
        value = kpis.get(name, math.nan)
        if value is None or not math.isfinite(value):
            return math.nan
        total += float(value)
    return total


def with_derived(kpis: Mapping[str, float]) -> dict[str, float]:
    """The unit's KPIs plus the derived ones (cost_per_order, tool_roi)."""
    return {**kpis, "cost_per_order": total_cost_per_order(kpis), "tool_roi": tool_roi(kpis)}


def sweep_key(strategy: str, value: float | str | tuple | None) -> str:
    """`strategy` alone, or `"strategy@value"` with integral numbers shown without `.0`; a
    grid point (a tuple, one value per swept parameter) reads `"strategy@2,400"`."""
    if value is None:
        return strategy
    return f"{strategy}@{sweep_label(value)}"


def sweep_label(value: float | str | tuple) -> str:
    """How a sweep value (or a grid point) is written in keys and labels."""
    if isinstance(value, tuple):
        return ",".join(_format_value(v) for v in value)
    return _format_value(value)


def _format_value(value: float | str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # as TOML spells it
    if isinstance(value, str):
        return value
    if not isinstance(value, numbers.Number):  # a table, e.g. a dist
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    number = float(value)
    if math.isfinite(number) and number.is_integer():
        return str(int(number))
    return repr(number)

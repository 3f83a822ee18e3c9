"""The platform's rules as the scenario's reading sets them (``platform.rules_as``), and the
seller's defences against malicious orders, compiled for one strategy: compensation, penalty
points and the ban ladder, what a ban does, and stock, purchase limits and the blacklist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..policies import CompensationPolicy, MaliciousPolicy, compensation_policy

__all__ = ["PlatformRules", "number", "platform_rules"]


@dataclass(frozen=True)
class PlatformRules:
    """The plan's platform rules and malicious-order defences."""

    auto_close_hours: float
    stockout_rate: float
    stockout_min: float
    stockout_cap: float
    late_rate: float
    late_min: float
    late_max: float
    penalty_points: float
    ban_rungs: tuple[tuple[int, float], ...]  # (points, hours the shop cannot sell)
    points_at_start: float
    points_cap_per_day: float  # inf: no cap
    ban_sales_loss: float  # share of would-be orders a ban loses (1 under "no_sales")
    closing_penalised: bool  # a closed malicious order can draw a 成交不卖 complaint
    annoyance_is_complaint: bool  # annoyance shows as harassment complaints, not low ratings
    reports_harassment: np.ndarray  # per segment: a complaining buyer reports it (points)
    harassment_points: float  # per reported order
    traffic_per_event: tuple[float, float, float]  # per low rating, complaint, dispute
    rating_window_hours: float
    stockout_policy: CompensationPolicy
    late_policy: CompensationPolicy
    malicious_policy: MaliciousPolicy
    blacklist_after: int
    purchase_limit: int  # most unpaid orders one account may hold at once (0: no limit)
    new_account_share: np.ndarray  # per segment: a visit comes under a new account
    reserve_on_order: bool  # the strategy's stock setting (拍下减库存), when stock is counted
    inventory: Any  # None when stock-outs follow shop.stockout_probability


def number(value: Any) -> float:
    """A platform number; NaN for one the preset left unset (the load checks make sure a
    scenario that can use it sets it, so NaN never reaches a KPI)."""
    return math.nan if value is None else float(value)


def _reserve_on(inventory: Any) -> str:
    return "order" if inventory is None else str(inventory.reserve_on)


def platform_rules(sc: Any, strategy: Any) -> dict[str, Any]:
    """The :class:`PlatformRules` fields of ``strategy`` in the validated scenario ``sc``."""
    p, policy = sc.platform, strategy.policy
    return {
        "auto_close_hours": float(p.unpaid_auto_close_hours),
        "stockout_rate": number(p.stockout_compensation_rate),
        "stockout_min": float(p.stockout_compensation_min),
        "stockout_cap": number(p.stockout_compensation_cap),
        "late_rate": number(p.late_shipment_rate),
        "late_min": number(p.late_shipment_min),
        "late_max": number(p.late_shipment_max),
        "penalty_points": number(p.intervention_penalty_points),
        "ban_rungs": tuple((points, days * 24.0) for points, days in p.ban_rungs()),
        "points_at_start": float(p.points_at_start),
        "points_cap_per_day": float(p.points_cap_per_day) or math.inf,  # 0: no cap
        "ban_sales_loss": 1.0 if p.ban_effect == "no_sales" else float(p.listing_ban_sales_loss),
        "closing_penalised": bool(p.closing_unpaid_penalised),
        "annoyance_is_complaint": p.annoyance_shows_as == "complaint",
        "reports_harassment": np.array([s.reports_harassment for s in sc.segments], dtype=float),
        "harassment_points": float(p.harassment_points),
        "traffic_per_event": (
            float(p.traffic_per_low_rating),
            float(p.traffic_per_complaint),
            float(p.traffic_per_dispute),
        ),
        "rating_window_hours": float(p.rating_window_days) * 24.0,
        "stockout_policy": compensation_policy(policy.stockout, p.auto_compensation),
        "late_policy": compensation_policy(policy.late_shipment, p.auto_compensation),
        "malicious_policy": MaliciousPolicy(
            float(policy.malicious_close_hours) if policy.malicious == "close" else math.inf
        ),
        "blacklist_after": int(policy.blacklist_after),
        "purchase_limit": int(policy.purchase_limit),
        "new_account_share": np.array([s.new_account_share for s in sc.segments], dtype=float),
        "reserve_on_order": (policy.reserve_stock_on or _reserve_on(sc.inventory)) == "order",
        "inventory": sc.inventory,
    }

"""What happens after a paid order ships, compiled for one strategy: refusals, seven-day
returns and freight insurance, damage, disputes and who bears a lost one.

One family of rules in one place, so the after-delivery rules can grow without touching the
order kinds or the platform's penalty ladder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .platform import number

__all__ = ["AfterDelivery", "after_delivery", "dispute_causes"]


@dataclass(frozen=True)
class AfterDelivery:
    """The plan's after-delivery numbers (per segment arrays and shop-wide numbers)."""

    refuses_delivery: np.ndarray
    dispute_chance: np.ndarray  # disputes x sum(cause share x lever multiplier)
    chargeback_chance: np.ndarray  # chargebacks x sum(cause share x lever multiplier)
    chargeback_fee: float
    returns_goods: np.ndarray  # seven-day return chance (the insured one when insured)
    return_multiplier_if_won: np.ndarray
    accepts_sign_and_return: np.ndarray
    return_days: tuple[Any, ...]
    auto_confirm_hours: float
    dispute_settle_hours: float
    buyer_keeps_goods: bool  # platform.lost_dispute = "refund_only"
    partial_refund_share: float  # of the paid amount, in a dispute the seller loses
    platform_bears_logistics: bool  # platform.platform_logistics
    fully_managed: bool  # the platform bears every lost dispute
    logistics_dispute_share: float  # share of disputes whose cause is logistics
    dispute_fee: float
    return_window_hours: float  # platform.no_reason_return_days in hours (NaN: unset)
    freight: float
    return_freight: float  # one parcel's way back (shop.return_freight, default freight)
    free_shipping: bool
    freight_insurance: bool
    insurance_premium: float
    insured_return_freight: float  # what insurance pays toward one return's freight
    resaleable_share: float  # of goods sent back in a seven-day return
    damage_chance: float
    seller_wins_dispute: float
    lever_cost_per_order: float
    asks_to_sign: bool  # policy.refusal = "ask_to_sign" in an insured shop


def _insured(shop: Any) -> float:
    """What freight insurance pays toward one return's freight (0 without insurance)."""
    if not shop.freight_insurance:
        return 0.0
    back = _return_freight(shop)
    payout = shop.freight_insurance_payout
    return back if payout is None else min(back, float(payout))


def _return_freight(shop: Any) -> float:
    """The freight of one parcel's way back (the outbound freight unless given)."""
    return float(shop.freight if shop.return_freight is None else shop.return_freight)


def _returns_goods(sc: Any) -> np.ndarray:
    """Each segment's seven-day return chance: the insured one when insurance pays the way
    back (returns_if_insured, default returns_goods)."""
    insured = bool(sc.shop.freight_insurance)
    return np.array(
        [
            s.returns_if_insured
            if insured and s.returns_if_insured is not None
            else s.returns_goods
            for s in sc.segments
        ],
        dtype=float,
    )


def _as_dict(value: Any) -> dict[str, float]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {k: float(v) for k, v in value.items()}
    return {k: float(v) for k, v in value.model_dump().items() if v is not None}


def dispute_causes(sc: Any, strategy: Any) -> tuple[dict[str, float], float]:
    """The scenario's dispute causes and their total weight under the strategy's levers."""
    causes = _as_dict(sc.quality.dispute_causes)
    levers = strategy.levers
    total = float(np.array([w * levers.dispute_multiplier(c) for c, w in causes.items()]).sum())
    return causes, total


def after_delivery(sc: Any, strategy: Any) -> dict[str, Any]:
    """The :class:`AfterDelivery` fields of ``strategy`` in the validated scenario ``sc``."""
    segs, p, shop, levers = sc.segments, sc.platform, sc.shop, strategy.levers
    causes, cause_total = dispute_causes(sc, strategy)
    return {
        "refuses_delivery": np.array([s.refuses_delivery for s in segs], dtype=float),
        "dispute_chance": np.array([s.disputes for s in segs], dtype=float) * cause_total,
        "chargeback_chance": np.array([s.chargebacks for s in segs], dtype=float)
        * math.fsum(
            w * levers.chargeback_multiplier(c) for c, w in sc.quality.chargeback_causes.items()
        ),
        "chargeback_fee": number(p.chargeback_fee),
        "returns_goods": _returns_goods(sc),
        "return_multiplier_if_won": np.array(
            [s.return_multiplier_if_won for s in segs], dtype=float
        ),
        "accepts_sign_and_return": np.array([s.accepts_sign_and_return for s in segs], dtype=float),
        "return_days": tuple(s.return_days for s in segs),
        "auto_confirm_hours": float(p.auto_confirm_days) * 24.0,
        "dispute_settle_hours": float(p.dispute_settle_hours),
        "buyer_keeps_goods": p.lost_dispute == "refund_only",
        "partial_refund_share": float(p.partial_refund_share),
        "platform_bears_logistics": bool(p.platform_logistics),
        "fully_managed": bool(p.fully_managed),
        "logistics_dispute_share": (
            causes.get("logistics", 0.0) * levers.dispute_multiplier("logistics") / cause_total
            if cause_total > 0
            else 0.0
        ),
        "dispute_fee": number(p.dispute_fee),
        "return_window_hours": number(p.no_reason_return_days) * 24.0,
        "freight": float(shop.freight),
        "return_freight": _return_freight(shop),
        "free_shipping": bool(shop.free_shipping),
        "freight_insurance": bool(shop.freight_insurance),
        "insurance_premium": float(shop.freight_insurance_premium),
        "insured_return_freight": _insured(shop),
        "resaleable_share": float(shop.resaleable_share),
        "damage_chance": min(
            1.0, float(sc.quality.damage_or_wrong_item) * levers.damage_multiplier
        ),
        "seller_wins_dispute": float(sc.quality.seller_wins_dispute),
        "lever_cost_per_order": float(levers.cost_per_order),
        "asks_to_sign": strategy.policy.refusal == "ask_to_sign" and bool(shop.freight_insurance),
    }

"""The seller's after-sale policies as small typed objects, compiled into the plan.

A compensation policy answers one question for orders that are owed compensation (out of stock,
shipped late): which of them get it paid, and which bring the platform in with penalty points,
given which buyers complain (claim it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CompensationPolicy",
    "MaliciousPolicy",
    "PayOnClaim",
    "PayOnComplaint",
    "PayUpFront",
    "compensation_policy",
]


@dataclass(frozen=True)
class CompensationPolicy:
    """Base: the seller pays every order owed compensation, at once (``proactive``)."""

    name: str
    offers_alternative: bool = False  # out of stock: offer another item first
    takes_points = False  # whether the platform can step in with penalty points

    def settle(self, owed: np.ndarray, complains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(compensation paid, penalty points taken) as masks over the orders."""
        return owed, np.zeros_like(owed)


class PayUpFront(CompensationPolicy):
    """``proactive`` and ``alternative``: pay without being asked, no points."""


class PayOnComplaint(CompensationPolicy):
    """``on_complaint``: pay only when the buyer complains; the platform steps in with points."""

    takes_points = True

    def settle(self, owed: np.ndarray, complains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        claimed = owed & complains
        return claimed, claimed


class PayOnClaim(CompensationPolicy):
    """``pay_on_claim``: pay the buyers who claim, before the platform steps in: no points."""

    def settle(self, owed: np.ndarray, complains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return owed & complains, np.zeros_like(owed)


_POLICIES: dict[str, CompensationPolicy] = {
    "proactive": PayUpFront("proactive"),
    "alternative": PayUpFront("alternative", offers_alternative=True),
    "pay_on_claim": PayOnClaim("pay_on_claim"),
    "on_complaint": PayOnComplaint("on_complaint"),
}


def compensation_policy(name: str, auto_compensation: bool = False) -> CompensationPolicy:
    """The policy called ``name``. Where the platform pays the compensation itself as soon as
    the buyer claims it (``platform.auto_compensation``), waiting for the platform to step in is
    no choice a seller has: ``on_complaint`` then settles as ``pay_on_claim``, without points."""
    if auto_compensation and _POLICIES[name].takes_points:
        return PayOnClaim(name)
    return _POLICIES[name]


@dataclass(frozen=True)
class MaliciousPolicy:
    """What the seller does with a malicious buyer's order: report it (it runs to the
    auto-close) or close it ``close_after`` hours after placement (the buyer may complain)."""

    close_after: float = math.inf  # inf = report, never close

    def close_times(self, placed: np.ndarray, malicious: np.ndarray) -> np.ndarray:
        return np.where(malicious, placed + self.close_after, np.inf)

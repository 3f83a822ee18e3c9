"""Who a reminder step is aimed at (a step's ``only_if``), as one small object per step.

The conditions a seller can see when the order comes in (price, new or returning buyer, hour of
placement, kind of order) are fixed per order, so ``OrderBook`` folds them into each order's
step channel once (-1: not for this order) and both engines simply skip the step. "Only if step
K did not reach the buyer" depends on what happened, so the engines ask ``skips`` when the step
is due.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.scenario.hours import in_window

__all__ = ["Targeting", "build_targeting"]


@dataclass(frozen=True)
class Targeting:
    """A step's conditions; the defaults aim it at every order."""

    price_min: float = -math.inf
    price_max: float = math.inf
    buyer: str | None = None  # "new" | "returning" | None (both)
    placed_hours: tuple[float, ...] = ()  # [start, end) hours of the day, () = any
    not_reached_by: int = -1  # an earlier step's index, -1 = none
    kinds: tuple[int, ...] = ()  # indices of the order kinds aimed at, () = any

    def eligible(
        self, price: np.ndarray, placed: np.ndarray, returning: np.ndarray, kind: np.ndarray
    ) -> np.ndarray:
        """Which orders the step may be sent to, from what the seller sees at placement."""
        ok = (price >= self.price_min) & (price <= self.price_max)
        if self.kinds:
            ok &= np.isin(kind, self.kinds)
        if self.buyer is not None:
            ok &= returning if self.buyer == "returning" else ~returning
        if self.placed_hours:
            ok &= in_window(placed, self.placed_hours)
        return ok


def build_targeting(model: Any | None, kinds: Any) -> Targeting:
    """The engine's object for a step's ``only_if`` table (or none); ``kinds`` is the plan's
    ``OrderKinds``, which turns kind names into indices."""
    if model is None:
        return Targeting()
    return Targeting(
        price_min=-math.inf if model.price_min is None else float(model.price_min),
        price_max=math.inf if model.price_max is None else float(model.price_max),
        buyer=model.buyer,
        placed_hours=tuple(float(h) for h in model.placed_hours or ()),
        not_reached_by=-1 if model.not_reached_by is None else int(model.not_reached_by),
        kinds=kinds.indices(model.kinds),
    )

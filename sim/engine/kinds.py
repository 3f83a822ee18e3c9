"""Order kinds as the engine reads them: which kind each order is, when it closes, its price.

Compiled once per plan from ``[[order_kinds]]``. A scenario without the table has no kinds:
every order is of kind 0, closes ``auto_close_hours`` after placement and is priced by
``shop.price``, with exactly the arithmetic (and bits) of a run before kinds existed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.scenario.kinds import closes_at_hours

__all__ = ["OrderKinds", "build_kinds"]


@dataclass(frozen=True)
class OrderKinds:
    """The kinds of a scenario (none: ``names`` is empty)."""

    names: tuple[str, ...] = ()
    cumulative: np.ndarray = field(
        default_factory=lambda: np.empty(0)
    )  # cumulative shares, for drawing a kind
    close_after: np.ndarray = field(
        default_factory=lambda: np.empty(0)
    )  # hours from placement to the close; NaN: fixed
    closes_at: np.ndarray = field(
        default_factory=lambda: np.empty(0)
    )  # a fixed close, hours from the start; NaN: none
    prices: tuple[Any, ...] = ()  # each kind's price distribution

    @property
    def any(self) -> bool:
        return bool(self.names)

    def draw(self, u: np.ndarray) -> np.ndarray:
        """Each order's kind index from one uniform per order (chance = the kind's share)."""
        kind = np.searchsorted(self.cumulative, u, side="right")
        return np.minimum(kind, len(self.names) - 1).astype(np.int64)

    def close(self, placed: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """When each order closes unpaid (hours from the start)."""
        fixed = self.closes_at[kind]
        return np.where(np.isnan(fixed), placed + self.close_after[kind], fixed)

    def price(self, u: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """Each order's price from its price uniform, through its kind's distribution."""
        out = np.empty_like(u)
        for k, dist in enumerate(self.prices):
            mask = kind == k
            if mask.any():
                out[mask] = dist.ppf(u[mask])
        return out

    @property
    def longest_wait_hours(self) -> float:
        """The longest an order of some kind can stay unpaid (a fixed close: counted from the
        first hour of the run)."""
        waits = [*self.close_after[~np.isnan(self.close_after)], *self.closes_at[
            ~np.isnan(self.closes_at)]]  # fmt: skip
        return float(max(waits)) if waits else math.nan

    def indices(self, names: tuple[str, ...]) -> tuple[int, ...]:
        """The indices of the kinds named (a step's ``only_if.kind``)."""
        return tuple(self.names.index(name) for name in names)


def build_kinds(sc: Any) -> OrderKinds:
    """The engine's kinds of ``sc`` (a validated Scenario); none without ``[[order_kinds]]``."""
    kinds = sc.order_kinds
    if not kinds:
        return OrderKinds()
    default = float(sc.platform.unpaid_auto_close_hours)
    after = [
        math.nan
        if k.closes_at is not None
        else (default if k.unpaid_auto_close_hours is None else float(k.unpaid_auto_close_hours))
        for k in kinds
    ]
    fixed = [
        closes_at_hours(k, sc.scenario.start) if k.closes_at is not None else math.nan
        for k in kinds
    ]
    cumulative = np.cumsum([float(k.share) for k in kinds])
    return OrderKinds(
        names=tuple(k.name for k in kinds),
        cumulative=cumulative / cumulative[-1],
        close_after=np.array(after, dtype=float),
        closes_at=np.array(fixed, dtype=float),
        prices=tuple(sc.shop.price if k.price is None else k.price for k in kinds),
    )

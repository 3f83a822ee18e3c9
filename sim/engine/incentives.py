"""What a reminder may promise the buyer, as small typed objects with one method.

``settle`` says, for the paid orders that used the incentive, how much the price drops (a
discount: less GMV) and what the seller pays out besides (a gift, the freight of free shipping).
What the seller pays out comes with the goods, so an order that never ships costs nothing
(fulfilment applies that); a deadline ("the price goes back up in 8 hours") costs nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Deadline", "Discount", "FreeShipping", "Gift", "Incentive", "build_incentive"]


@dataclass(frozen=True)
class Incentive:
    """No incentive: the base class, and what a step without one carries."""

    uplift: float = 0.0  # the channel's response is multiplied by 1 + uplift

    @property
    def offered(self) -> bool:
        return type(self) is not Incentive

    def settle(self, price: np.ndarray, freight_owed: float) -> tuple[np.ndarray, np.ndarray]:
        """(price reduction, seller's payout) per paid order that used it."""
        zero = np.zeros_like(price)
        return zero, zero


@dataclass(frozen=True)
class Discount(Incentive):
    rate: float = 0.0

    def settle(self, price: np.ndarray, freight_owed: float) -> tuple[np.ndarray, np.ndarray]:
        return price * self.rate, np.zeros_like(price)


@dataclass(frozen=True)
class Gift(Incentive):
    cost: float = 0.0

    def settle(self, price: np.ndarray, freight_owed: float) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros_like(price), np.full_like(price, self.cost)


@dataclass(frozen=True)
class FreeShipping(Incentive):
    """The seller pays the outbound freight the listing would have charged the buyer."""

    def settle(self, price: np.ndarray, freight_owed: float) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros_like(price), np.full_like(price, freight_owed)


@dataclass(frozen=True)
class Deadline(Incentive):
    """ "Your discount ends in 8 hours": more persuasive, and free."""


_KINDS: dict[str, type[Incentive]] = {
    "discount": Discount,
    "gift": Gift,
    "free_shipping": FreeShipping,
    "deadline": Deadline,
}


def build_incentive(model: Any | None) -> Incentive:
    """The engine's object for a scenario incentive table (or none)."""
    if model is None:
        return Incentive()
    fields = {k: float(v) for k, v in model.model_dump().items() if k != "kind"}
    return _KINDS[model.kind](**fields)

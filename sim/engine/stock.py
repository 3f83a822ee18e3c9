"""Shared stock (the optional ``[inventory]`` model).

Taobao reserves a unit when the order is placed, so unpaid and malicious orders lock stock until
they close; Tmall reserves on payment, so a paid order may find none (out of stock). A buyer who
finds nothing to reserve at placement orders nothing: a lost sale.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

__all__ = ["Stock"]


class Stock:
    """Units on hand, restocked on a fixed cycle while the shop still has business."""

    def __init__(
        self,
        env: simpy.Environment,
        inventory,
        still_trading: Callable[[], bool],
        reserve_on_order: bool,
    ):
        self.env = env
        self.units = int(inventory.units)
        self.reserve_on_order = reserve_on_order  # the strategy's listing setting
        self._restock_units = int(inventory.restock_units)
        self._every = float(inventory.restock_hours)
        self._still_trading = still_trading
        if self._restock_units > 0:
            env.process(self._restock())

    def _restock(self) -> Generator:
        while True:
            yield self.env.timeout(self._every)
            if not self._still_trading():
                return
            self.units += self._restock_units

    def take(self) -> bool:
        """Take one unit if there is one."""
        if self.units > 0:
            self.units -= 1
            return True
        return False

    def put_back(self) -> None:
        self.units += 1

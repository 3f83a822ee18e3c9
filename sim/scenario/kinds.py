"""Order kinds: orders that close on their own clock (flash sales, group buys, presale balances).

A shop's orders are not all alike: on Taobao/Tmall an ordinary order of physical goods closes
unpaid after 24 hours, a flash-sale (秒杀) order after about 15 minutes, a group-buy order after
about 30, digital goods after about 2 hours, and a presale balance payment (预售尾款) falls due at
one fixed date and hour. Each `[[order_kinds]]` entry is drawn for an order with chance `share`;
a reminder step can aim at kinds (`only_if.kind`) and be timed from the order's own close
(`before_close`). Without the table every order closes at `platform.unpaid_auto_close_hours`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator

from sim.scenario.distributions import Distribution
from sim.scenario.fields import Hours, Name, Probability, Section

__all__ = ["USUAL_ORDER_KINDS", "OrderKind", "close_hours", "closes_at_hours"]

# The platforms' usual kinds, as assumptions a scenario may copy (hours to the unpaid close);
# sellers' help pages and tool settings, not a platform rule book: check your own back office.
USUAL_ORDER_KINDS: dict[str, dict[str, float]] = {
    "taobao": {"ordinary": 24.0, "digital": 2.0, "group_buy": 0.5, "flash_sale": 0.25},
    "tmall": {"ordinary": 24.0, "digital": 2.0, "group_buy": 0.5, "flash_sale": 0.25},
    "aliexpress": {"ordinary": 480.0},
}


class OrderKind(Section):
    """One kind of order: its share of orders, its own unpaid close and optionally its price."""

    name: Name = Field(description='required; e.g. "ordinary", "flash_sale", "presale_balance"')
    share: Probability = Field(description="required; share of orders of this kind (sum 1)")
    unpaid_auto_close_hours: Hours | None = Field(
        default=None,
        description="hours after placement at which an unpaid order of this kind closes "
        "(default: platform.unpaid_auto_close_hours); not with closes_at",
    )
    closes_at: dt.datetime | None = Field(
        default=None,
        description="a fixed date and time (e.g. 2026-06-08T23:59:00) at which every unpaid "
        "order of this kind closes, as a presale balance payment does; not with "
        "unpaid_auto_close_hours; at or after the end of arrivals",
    )
    price: Distribution | None = Field(
        default=None, description="item price of this kind (yuan; default: shop.price)"
    )

    @field_validator("closes_at", mode="before")
    @classmethod
    def _local_time(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            raise ValueError("must be a local date and time without a time zone")
        if value is not None and not isinstance(value, str | dt.datetime):
            raise ValueError("must be a date and time such as 2026-06-08T23:59:00")
        return value


def closes_at_hours(kind: OrderKind, start: dt.date) -> float:
    """A fixed close as hours from 00:00 of the scenario's first day."""
    assert kind.closes_at is not None
    origin = dt.datetime.combine(start, dt.time())
    return (kind.closes_at - origin).total_seconds() / 3600.0


def close_hours(scenario: Any, names: tuple[str, ...]) -> list[tuple[str, float]]:
    """(kind, hours from placement to its close) of each kind named (all when none) that
    closes a fixed time after placement; the platform's close without kinds."""
    default = float(scenario.platform.unpaid_auto_close_hours)
    if not scenario.order_kinds:
        return [("", default)]
    out = []
    for kind in scenario.order_kinds:
        if (names and kind.name not in names) or kind.closes_at is not None:
            continue
        hours = kind.unpaid_auto_close_hours
        out.append((kind.name, default if hours is None else float(hours)))
    return out

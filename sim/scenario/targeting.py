"""Who a reminder step is aimed at: conditions a seller can see on the order.

A step's `only_if` narrows it to orders in a price band, to new or returning buyers, to orders
placed in some hours of the day, to some order kinds, or to buyers an earlier step did not reach
("try IM first; if the buyer stays offline, phone"). Unlike `by_segment`, none of these needs
the buyer's hidden type. Checks that need the whole strategy (an earlier step, min <= max) live
in `sim.scenario.checks`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.fields import Count, Name, NonNegative, Section
from sim.scenario.hours import PlacedHours

__all__ = ["OnlyIf"]


class OnlyIf(Section):
    """Send the step only to orders that meet every condition given (none given: all)."""

    price_min: NonNegative | None = Field(
        default=None, description="only orders whose item price is at least this"
    )
    price_max: NonNegative | None = Field(
        default=None, description="only orders whose item price is at most this"
    )
    buyer: Literal["new", "returning"] | None = Field(
        default=None,
        description='"new" | "returning": only buyers who never bought here before, or only '
        "those who did (the segment's returning_share says how many are returning)",
    )
    placed_hours: PlacedHours | None = Field(
        default=None,
        description="[start, end]: only orders placed between these hours of the day "
        "([22, 8] runs over midnight)",
    )
    not_reached_by: Count | None = Field(
        default=None,
        description="index of an earlier step of this strategy: send only if that step did "
        "not reach the buyer (not sent, or sent and not read)",
    )
    kind: Name | tuple[Name, ...] | None = Field(
        default=None,
        description="a name or a list of names of [[order_kinds]]: only orders of these kinds",
    )

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds named, as a tuple (empty: every kind)."""
        if self.kind is None:
            return ()
        return (self.kind,) if isinstance(self.kind, str) else tuple(self.kind)

"""Groups of a trial's orders that the export tells apart, measured one by one (`--by`).

A buyer's hidden type cannot be seen in an export, but two things a seller sees can be:

- ``buyer``: new or returning buyers (a returning buyer placed an earlier order of the export;
  orders without a buyer are left out of both groups). A scenario whose segments are new or
  returning buyers (`returning_share` 0 or 1) gets each group's numbers for its segments;
- ``price=B1[,B2...]``: price bands of the order's amount (below B1, B1 to B2, ..., B_last and
  above). The scenario format has no per-band response, so the bands are reported (trial.json,
  the terminal), and a strategy can target one with `only_if.price_min/price_max`.

The first weeks of an export count some returning buyers as new (their earlier order is not in
it); the groups are then a little mixed, never wrong in the other direction.
"""

from __future__ import annotations

import itertools

import numpy as np

from sim.errors import Said
from sim.fit.errors import ExportError, located
from sim.fit.orders import Orders
from sim.output.i18n import N_
from sim.scenario.load import named_path
from sim.scenario.paths import scenario_input

__all__ = ["group_masks", "group_segments", "parse_by"]


def parse_by(text: str) -> str:
    """``buyer`` or ``price=B1[,B2...]`` (increasing, positive), as given; else ValueError."""
    if text == "buyer":
        return text
    kind, _, rest = text.partition("=")
    if kind == "price" and rest:
        bounds = [float(x) for x in rest.split(",")]  # ValueError on a non-number
        if all(b > 0 for b in bounds) and all(a < b for a, b in itertools.pairwise(bounds)):
            return text
    raise ValueError(
        Said(
            N_("give buyer or price=B1[,B2...] with increasing bounds (got {text})"),
            text=repr(text),
        )
    )


def _returning(orders: Orders) -> np.ndarray:
    """Whether each order's buyer placed an earlier order of the export."""
    assert orders.buyer is not None
    buyer = orders.buyer
    order = np.lexsort((orders.placed, buyer))
    earlier = np.zeros(orders.n, dtype=bool)
    same = buyer[order[1:]] == buyer[order[:-1]]
    earlier[order[1:]] = same
    return earlier & (buyer >= 0)


def _bound(x: float) -> str:
    return f"{x:g}"


def group_masks(orders: Orders, by: str, source: str) -> list[tuple[str, np.ndarray]]:
    """(group name, mask over the orders) for each group, in a fixed order."""
    if by == "buyer":
        if orders.buyer is None:
            raise ExportError(
                [
                    located(
                        source,
                        Said(N_("--by buyer needs the buyer column: --columns buyer=COLUMN")),
                    )
                ]
            )
        returning = _returning(orders)
        new = Said(N_("new"))
        back = Said(N_("returning"))
        return [(new, (orders.buyer >= 0) & ~returning), (back, returning)]
    if orders.amount is None:
        raise ExportError(
            [
                located(
                    source,
                    Said(N_("--by price needs the amount column: --columns amount=COLUMN")),
                )
            ]
        )
    bounds = [float(x) for x in by.split("=", 1)[1].split(",")]
    amount = np.asarray(orders.amount, dtype=float)
    edges = [0.0, *bounds, np.inf]
    out = []
    for lo, hi in itertools.pairwise(edges):
        if lo == 0:
            name = Said(N_("price<{high}"), high=_bound(hi))
        elif np.isinf(hi):
            name = Said(N_("price>={low}"), low=_bound(lo))
        else:
            name = Said(N_("price {low}-{high}"), low=_bound(lo), high=_bound(hi))
        out.append((name, (amount >= lo) & (amount < hi)))
    return out


def group_segments(scenario, by: str, group: str) -> list[str]:
    """The scenario's segments (keyed as `--set` spells them) whose buyers are this group:
    segments all new (`returning_share = 0`) or all returning (1); none for price bands."""
    if by != "buyer":
        return []
    want = 0.0 if group == "new" else 1.0
    data = scenario_input(scenario)
    placing = [(i, s) for i, s in enumerate(scenario.segments) if s.share > 0]
    shares = {s.returning_share for _, s in placing}
    if shares != {0.0, 1.0}:  # the segments are not the new and the returning buyers
        return []
    return [named_path(data, f"segments.{i}") for i, s in placing if s.returning_share == want]

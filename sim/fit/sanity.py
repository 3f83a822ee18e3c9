"""Values an export may hold that no shop's orders can: each refused with its row and column.

A date parser that rolls ``2026-02-30`` over to 2 March, a year typed as 1026 or 9999, a
negative or astronomically large amount, an order id listed twice with different times: each
would be accepted and would change the fitted numbers (one 9999 turns the auto-close into
millions of hours). These checks run once the cells are parsed; they list at most five cells
per kind of problem, plus a count of the rest.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sim.errors import Said
from sim.output.i18n import N_

from .errors import located

__all__ = [
    "MAX_AMOUNT",
    "MAX_YEARS_APART",
    "amount_problems",
    "date_problems",
    "duplicates",
    "far_dates",
]

MAX_AMOUNT = 1e9  # yuan: the scenario format's bound on any amount
MAX_YEARS_APART = 5  # a date this far from the export's median placement is a typo
_SHOWN = 5
_YEAR_FIRST = r"^\s*(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:$|[\sT])"
_DAY_FIRST = r"^\s*(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})(?:$|\s)"


def _listed(name, rows, column, problem, where, values) -> list[str]:
    lines = [
        located(name, problem, row=int(rows[i]), column=column, got=values[i])
        for i in where[:_SHOWN]
    ]
    if where.size > _SHOWN:
        more = Said(N_("{n} more such cells"), n=where.size - _SHOWN)
        lines.append(located(name, more, column=column))
    return lines


def _real_day(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Whether year-month-day is a day of the calendar (30 February is not)."""
    ok = (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
    month = ((y - 1970) * 12 + np.clip(m, 1, 12) - 1).astype("datetime64[M]")
    day = month.astype("datetime64[D]") + (np.clip(d, 1, 31) - 1)
    return ok & (day.astype("datetime64[M]") == month)


def _parts(cells: pa.ChunkedArray, pattern: str, names: tuple[str, ...]):
    matched = pc.match_substring_regex(cells, pattern).to_numpy(zero_copy_only=False)
    where = np.flatnonzero(matched)
    if where.size == 0:
        return where, []
    parts = pc.extract_regex(cells.take(pa.array(where)), pattern)
    return where, [
        pc.cast(pc.struct_field(parts, n), pa.int64()).to_numpy(zero_copy_only=False) for n in names
    ]


def date_problems(name: str, column: str, cells: pa.ChunkedArray, rows: np.ndarray) -> list[str]:
    """Cells whose date is not a day of the calendar, whatever format they are written in."""
    bad = np.zeros(len(cells), dtype=bool)
    where, found = _parts(cells, _YEAR_FIRST, ("y", "m", "d"))
    if where.size:
        y, m, d = found
        bad[where] = ~_real_day(y, m, d)
    where, found = _parts(cells, _DAY_FIRST, ("a", "b", "y"))
    if where.size:
        a, b, y = found
        bad[where] = ~(_real_day(y, b, a) | _real_day(y, a, b))
    values = cells.to_numpy(zero_copy_only=False)
    problem = Said(N_("no such day in the calendar"))
    return _listed(name, rows, column, problem, np.flatnonzero(bad), values)


def far_dates(
    name: str, stamps: dict[str, np.ndarray], roles: dict[str, str], cells, rows
) -> list[str]:
    """Dates more than MAX_YEARS_APART years from the median placement (a mistyped year)."""
    placed = stamps["placed"]
    known = placed[~np.isnat(placed)]
    if known.size == 0:
        return []
    middle = np.sort(known)[known.size // 2].astype("datetime64[D]")
    span = np.timedelta64(int(MAX_YEARS_APART * 365.25), "D")
    low, high = middle - span, middle + span
    lines = []
    for role, values in stamps.items():
        far = np.flatnonzero(~np.isnat(values) & ((values < low) | (values > high)))
        if far.size:
            problem = Said(
                N_(
                    "more than {years} years from the export's other orders (most are placed "
                    "around {middle}); a mistyped year?"
                ),
                years=MAX_YEARS_APART,
                middle=str(middle),
            )
            shown = cells[role].to_numpy(zero_copy_only=False)
            lines += _listed(name, rows, roles[role], problem, far, shown)
    return lines


def amount_problems(name: str, column: str, values: np.ndarray, cells, rows) -> list[str]:
    """Negative amounts, and amounts beyond any price (above MAX_AMOUNT or not finite)."""
    shown = cells.to_numpy(zero_copy_only=False)
    known = ~np.isnan(values)
    lines = _listed(
        name,
        rows,
        column,
        Said(N_("a negative amount")),
        np.flatnonzero(known & (values < 0)),
        shown,
    )
    huge = np.flatnonzero(known & ~(np.abs(values) <= MAX_AMOUNT))
    return lines + _listed(
        name,
        rows,
        column,
        Said(N_("above any price (at most {limit:g})"), limit=MAX_AMOUNT),
        huge,
        shown,
    )


def duplicates(
    name: str, roles: dict[str, str], cells: dict[str, pa.ChunkedArray], rows: np.ndarray
) -> tuple[np.ndarray, int, list[str]]:
    """Rows of an order id seen before: (rows to keep, identical repeats dropped, problems).

    A repeat whose placement, payment, shipping, delivery and status cells equal the first
    row's is the same order (an item-level export repeats them per item): kept once, counted.
    A repeat that differs in any of them contradicts the first: refused naming both rows.
    """
    order = cells["order"].to_numpy(zero_copy_only=False)
    keys = [
        r for r in ("placed", "paid", "shipped", "delivered", "completed", "status") if r in cells
    ]
    texts = [cells[r].to_numpy(zero_copy_only=False) for r in keys]
    _, first, inverse = np.unique(order, return_index=True, return_inverse=True)
    repeat = np.flatnonzero(first[inverse] != np.arange(order.size))
    keep = np.sort(first)
    if repeat.size == 0:
        return keep, 0, []
    origin = first[inverse[repeat]]
    differs = np.zeros(repeat.size, dtype=bool)
    for text in texts:
        differs |= text[repeat] != text[origin]
    lines = [
        located(
            name,
            Said(
                N_("order id {order} again, with other times or status than row {row}"),
                order=repr(order[i]),
                row=int(rows[j]),
            ),
            row=int(rows[i]),
            column=roles["order"],
        )
        for i, j in zip(repeat[differs][:_SHOWN], origin[differs][:_SHOWN], strict=True)
    ]
    if differs.sum() > _SHOWN:
        more = Said(N_("{n} more repeated order ids"), n=int(differs.sum()) - _SHOWN)
        lines.append(located(name, more))
    return keep, int(repeat.size), lines

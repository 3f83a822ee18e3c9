"""The observed facts of an export, one array per fact, in hours from the first day's midnight.

Both `fit` and `check` start from here, so the numbers they compare are measured one way.
An order counts as paid on any evidence (a payment time, a paid status, a shipment); its pay
delay is known only with a payment time. Orders neither paid nor closed are open: at the
export's end they are censored, not unpaid (`fitting` decides which are still inside the
auto-close window).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sim.errors import Said
from sim.output.i18n import N_

from .columns import DATE_ROLES, close_kind, resolve_roles, status_kind
from .dates import day_order, first_zone, parse_dates
from .errors import ExportError, located
from .read import Export, read_export
from .sanity import amount_problems, date_problems, duplicates, far_dates

__all__ = ["Orders", "load_orders"]


@dataclass
class Orders:
    """What the export says about each order (arrays aligned by order)."""

    name: str
    encoding: str
    roles: dict[str, str]
    start: np.datetime64  # midnight of the first day with an order
    end: float  # the export's end: its latest timestamp, hours from start
    placed: np.ndarray
    paid: np.ndarray  # bool, any evidence
    pay_delay: np.ndarray  # hours, NaN unknown
    closed: np.ndarray  # bool: unpaid and closed (cancelled or timed out)
    close: np.ndarray  # per order: "buyer" | "timeout" | "seller" | "" (not told)
    ship: np.ndarray  # hours paid -> shipped, NaN unknown
    delivery: np.ndarray  # hours shipped -> delivered (or confirmed), NaN unknown
    refunded_unshipped: np.ndarray  # bool: paid, closed, never shipped
    late: np.ndarray | None  # 1.0 late, 0.0 on time, NaN not known; None: no promise column
    amount: np.ndarray | None
    quantity: np.ndarray | None
    buyer: np.ndarray | None  # int codes, -1 unknown
    dropped: dict[str, int] = field(default_factory=dict)  # inconsistent durations left out
    repeated: int = 0  # rows that repeated an order id with the same times and status
    row: np.ndarray | None = None  # spreadsheet row of each order (header = row 1)

    @property
    def n(self) -> int:
        return int(self.placed.size)

    @property
    def open(self) -> np.ndarray:
        return ~self.paid & ~self.closed

    @property
    def delivery_role(self) -> str | None:
        if "delivered" in self.roles:
            return "delivered"
        return "completed" if "completed" in self.roles else None


def _codes(cells: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """Dictionary codes per row and the distinct texts (fast for few distinct values)."""
    encoded = pc.dictionary_encode(cells).combine_chunks()
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()


def _numbers(cells: pa.ChunkedArray, column: str, name: str, rows: np.ndarray) -> np.ndarray:
    """Numbers with currency signs, units and thousands separators dropped (¥1,299.00 元)."""
    original = cells.to_numpy(zero_copy_only=False)
    cleaned = pc.replace_substring_regex(cells, pattern=r"[^0-9.\-]", replacement="")
    scientific = pc.match_substring_regex(cells, r"^\s*[-+]?\d+(\.\d*)?[eE][-+]?\d+\s*$")
    cleaned = pc.if_else(scientific, pc.utf8_trim_whitespace(cells), cleaned)  # 1e3: not 13
    values = np.full(len(original), np.nan)
    try:
        filled = pc.if_else(pc.equal(cleaned, ""), None, cleaned)
        values = pc.cast(filled, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    except pa.ArrowInvalid:  # e.g. "1.2.3": find the cells one by one
        text = pd.Series(cleaned.to_numpy(zero_copy_only=False)).replace("", None)
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(values) & (original != ""))
    if bad.size:
        raise ExportError(
            [
                located(
                    name,
                    Said(N_("not a number")),
                    row=int(rows[i]),
                    column=column,
                    got=str(original[i]),
                )
                for i in bad[:5]
            ]
        )
    return values


def _hours(stamps: np.ndarray, start: np.datetime64) -> np.ndarray:
    out = (stamps - start).astype("timedelta64[s]").astype(float) / 3600.0
    out[np.isnat(stamps)] = np.nan
    return out


def _duration(a: np.ndarray, b: np.ndarray, dropped: dict[str, int], what: str) -> np.ndarray:
    """b - a where both are known and b is not earlier than a (earlier ones are counted)."""
    d = b - a
    negative = d < 0
    if negative.any():
        dropped[what] = int(negative.sum())
        d = np.where(negative, np.nan, d)
    return d


def load_orders(
    path: Path,
    *,
    columns: dict[str, str] | None = None,
    date_format: str | None = None,
    encoding: str | None = None,
    timezone: str | None = None,
    name: str | None = None,
) -> Orders:
    """Read, recognise and measure an export; every problem found is raised at once."""
    name = name or str(path)
    export: Export = read_export(Path(path), name, encoding)
    roles = resolve_roles(export.headers, dict(columns or {}), name)
    if export.rows == 0:
        raise ExportError([located(name, Said(N_("no order rows under the header")), row=2)])
    cells = {role: export.column(header) for role, header in roles.items()}
    rows = np.arange(export.rows) + 2  # spreadsheet row of each kept order (header = row 1)
    repeated = 0
    if "order" in cells:  # an item-level export repeats an order per item: keep it once
        keep, repeated, clashes = duplicates(name, roles, cells, rows)
        if clashes:
            raise ExportError(clashes)
        if repeated:
            cells = {role: c.take(pa.array(keep)) for role, c in cells.items()}
            rows = rows[keep]
    stamps: dict[str, np.ndarray] = {}
    problems: list[str] = []
    zone = timezone or first_zone(cells["placed"])  # one zone for every date column
    day_first = None
    if date_format is None:  # D/M/YYYY or M/D/YYYY: one reading for every date column
        day_first = day_order({roles[r]: cells[r] for r in DATE_ROLES if r in roles}, name)
    for role in DATE_ROLES:
        if role in roles:
            try:
                stamps[role] = parse_dates(
                    cells[role], name=name, column=roles[role], fmt=date_format, timezone=zone,
                    rows=rows, day_first=day_first,
                )  # fmt: skip
            except ExportError as exc:
                problems.extend(exc.lines)
    numbers: dict[str, np.ndarray] = {}
    for role in ("amount", "quantity"):
        if role in roles:
            try:
                numbers[role] = _numbers(cells[role], roles[role], name, rows)
            except ExportError as exc:
                problems.extend(exc.lines)
    for role in stamps:
        problems.extend(date_problems(name, roles[role], cells[role], rows))
    if "amount" in numbers:
        problems.extend(
            amount_problems(name, roles["amount"], numbers["amount"], cells["amount"], rows)
        )
    if not problems and "placed" in stamps:
        problems.extend(far_dates(name, stamps, roles, cells, rows))
    if problems:
        raise ExportError(problems)
    placed_at = stamps["placed"]
    missing = np.flatnonzero(np.isnat(placed_at))
    if missing.size:
        raise ExportError(
            [
                located(
                    name,
                    Said(N_("empty order creation time")),
                    row=int(rows[i]),
                    column=roles["placed"],
                )
                for i in missing[:5]
            ]
        )
    start = placed_at.min().astype("datetime64[D]").astype("datetime64[s]")
    hours = {role: _hours(values, start) for role, values in stamps.items()}
    placed = hours["placed"]
    nan = np.full(placed.size, np.nan)
    kinds = np.full(placed.size, "", dtype=object)
    if "status" in roles:
        codes, texts = _codes(cells["status"])
        kinds = np.array([status_kind(t) for t in texts], dtype=object)[codes]
    paid_t = hours.get("paid", nan)
    ship_t = hours.get("shipped", nan)
    deliver_t = hours.get("delivered", hours.get("completed", nan))
    paid = ~np.isnan(paid_t) | (kinds == "paid") | ~np.isnan(ship_t)
    paid |= ~np.isnan(hours.get("delivered", nan)) | ~np.isnan(hours.get("completed", nan))
    closed = ~paid & (kinds == "closed")
    reason = np.full(placed.size, "", dtype=object)
    if "close_reason" in roles or "status" in roles:
        codes, texts = _codes(cells.get("close_reason", cells.get("status")))
        reason = np.array([close_kind(t) for t in texts], dtype=object)[codes]
    close = np.where(closed, reason, "")
    dropped: dict[str, int] = {}
    pay_delay = _duration(placed, paid_t, dropped, "pay delay before placement")
    ship = _duration(
        np.where(np.isnan(paid_t), np.nan, paid_t), ship_t, dropped, "shipped before paid"
    )
    delivery = _duration(ship_t, deliver_t, dropped, "delivered before shipped")
    late = None
    if "promised" in stamps:
        done = deliver_t if not np.all(np.isnan(deliver_t)) else ship_t
        promise = hours["promised"]
        known = ~np.isnan(done) & ~np.isnan(promise)
        late = np.where(known, (done > promise + 1e-9).astype(float), np.nan)
    refunded_unshipped = paid & (kinds == "closed") & np.isnan(ship_t)
    every = [h for role, h in hours.items() if role != "promised"]
    end = float(np.nanmax(np.concatenate(every)))
    buyer = None
    if "buyer" in roles:
        codes, texts = _codes(cells["buyer"])
        blank = [i for i, t in enumerate(texts) if t == ""]
        buyer = codes.astype(np.int64)
        if blank:
            buyer[codes == blank[0]] = -1
    return Orders(
        name=name,
        encoding=export.encoding,
        roles=roles,
        start=start,
        end=end,
        placed=placed,
        paid=paid,
        pay_delay=pay_delay,
        closed=closed,
        close=close,
        ship=ship,
        delivery=delivery,
        refunded_unshipped=refunded_unshipped,
        late=late,
        amount=numbers.get("amount"),
        quantity=numbers.get("quantity"),
        buyer=buyer,
        dropped=dropped,
        repeated=repeated,
        row=rows,
    )

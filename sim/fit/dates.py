"""Timestamps of an export: the format detected from the whole column (or given), bad cells
located by row.

Real exports write dates as ISO (``2017-10-02 10:56:07``), ``YYYY/MM/DD HH:MM[:SS]``, or with
the day and month first (``10/2/2017 10:56``, ``10.2.2017``) in either order and with or
without seconds. Each family of formats is tried on the whole column with pyarrow (a cell may
drop its seconds or its time); the family that reads every filled cell wins. Month-first and
day-first are told apart by a day above 12, looked for in every date column of the export
(`day_order`); when no cell decides, the error names ``--date-format`` with both readings.
Anything else goes through ``--date-format`` (a column that does not match it but is in a
common format is still read). Timestamps with an offset are converted to the shop's time zone
(``--timezone``, or the first cell's offset); timestamps without one are the shop's local time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sim.errors import Said
from sim.output.i18n import N_

from .errors import ExportError, located

__all__ = ["day_order", "first_zone", "parse_dates"]

_TIMES = (" %H:%M:%S", " %H:%M", "")
_FAMILIES: dict[str, tuple[str, ...]] = {
    "iso": ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"),
    "ymd": tuple("%Y/%m/%d" + t for t in _TIMES),
    "compact": ("%Y%m%d%H%M%S",),
}
# day and month first, written with a slash, a dash or a dot
_NUMERIC = r"^\s*(\d{1,2})([/.-])(\d{1,2})[/.-]\d{4}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*$"
_SHOWN = 5  # bad cells listed per column


def _by_format(cells: pa.ChunkedArray, fmt: str) -> pa.ChunkedArray:
    return pc.strptime(cells, format=fmt, unit="s", error_is_null=True)


def _family(cells: pa.ChunkedArray, formats: tuple[str, ...]) -> pa.ChunkedArray:
    """Each cell by the first of ``formats`` that reads it (null if none)."""
    parsed = _by_format(cells, formats[0])
    for fmt in formats[1:]:
        if pc.all(pc.or_(pc.is_valid(parsed), pc.equal(cells, ""))).as_py():
            break
        parsed = pc.coalesce(parsed, _by_format(cells, fmt))
    return parsed


def _day_first_formats(separator: str, day_first: bool) -> tuple[str, ...]:
    first = "%d{0}%m{0}%Y" if day_first else "%m{0}%d{0}%Y"
    return tuple(first.format(separator) + t for t in _TIMES)


def _numeric_parts(cells: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, str] | None:
    """First and second numbers of ``D/M/YYYY``-like cells and the separator (None: not that
    shape, or under half the filled cells have it)."""
    filled = pc.filter(cells, pc.not_equal(cells, ""))
    shaped = pc.filter(filled, pc.match_substring_regex(filled, _NUMERIC))
    if len(shaped) == 0 or 2 * len(shaped) < len(filled):  # a few odd cells are bad cells
        return None
    parts = pc.extract_regex(shaped, r"^\s*(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})")
    a = pc.cast(pc.struct_field(parts, "a"), pa.int64()).to_numpy()
    b = pc.cast(pc.struct_field(parts, "b"), pa.int64()).to_numpy()
    seps = pc.unique(pc.struct_field(parts, "s")).to_pylist()
    return a, b, seps[0] if len(seps) == 1 else ""


def day_order(columns: dict[str, pa.ChunkedArray], name: str) -> bool | None:
    """Whether ``D/M/YYYY`` cells of an export put the day first (None: no such column).

    Decided by a number above 12 in any column: in the first place, the day is first; in the
    second, the month is. No deciding cell (or both) raises with both readings spelled out.
    """
    seen = {col: p for col, cells in columns.items() if (p := _numeric_parts(cells)) is not None}
    if not seen:
        return None
    day_first = any(bool((a > 12).any()) for a, _, _ in seen.values())
    month_first = any(bool((b > 12).any()) for _, b, _ in seen.values())
    if day_first != month_first:
        return day_first
    column = next(iter(seen))
    cells = columns[column]
    example = pc.filter(cells, pc.match_substring_regex(cells, _NUMERIC))[0].as_py().strip()
    sep = seen[column][2] or "/"
    md, dm = (_day_first_formats(sep, d)[2 - min(example.count(":"), 2)] for d in (False, True))
    a, b = (int(x) for x in example.replace(".", "/").replace("-", "/").split("/")[:2])
    if day_first:
        problem = Said(
            N_(
                "day and month cannot be told apart: some dates have a first number above 12 "
                "and others a second number above 12"
            )
        )
    else:
        problem = Said(
            N_("day and month cannot be told apart (no day above 12 in any date column)")
        )
    readings = [_reading(md, b, a) if a <= 12 else None, _reading(dm, a, b) if b <= 12 else None]
    readings = [r for r in readings if r is not None]
    given = Said(N_("{a} or {b}"), a=readings[0], b=readings[1]) if len(readings) == 2 else None
    given = given or (readings[0] if readings else "--date-format")  # a first cell 13/13/...
    raise ExportError(
        [
            located(
                name,
                Said(N_("{problem}; give {readings}"), problem=problem, readings=given),
                column=column,
                got=example,
            )
        ]
    )


_MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
           N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
           N_("December"))  # fmt: skip


def _reading(fmt: str, day: int, month: int) -> Said:
    """``--date-format 'FMT' (reads it as DAY MONTH)``: one reading of an ambiguous date."""
    text = N_("--date-format '{fmt}' (reads it as {day} {month})")
    return Said(text, fmt=fmt, day=day, month=Said(_MONTHS[month - 1]))


def _pandas(cells: pa.ChunkedArray, fmt: str | None, timezone: object | None) -> np.ndarray:
    """Slow path: ISO with fractions or offsets, or a format pyarrow's strptime does not know."""
    series = pd.Series(cells.to_numpy(zero_copy_only=False), dtype=object).replace("", None)
    kwargs = {"format": fmt} if fmt else {"format": "ISO8601"}
    try:
        parsed = pd.to_datetime(series, errors="coerce", **kwargs)
    except (ValueError, TypeError):
        parsed = pd.to_datetime(series, errors="coerce", utc=True, **kwargs)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
    return parsed.to_numpy(dtype="datetime64[s]")


def first_zone(cells: pa.ChunkedArray) -> object | None:
    """The time zone of the first filled cell when it carries an offset (else None)."""
    filled = pc.filter(cells, pc.not_equal(cells, ""))
    if len(filled) == 0:
        return None
    try:
        return pd.Timestamp(filled[0].as_py()).tz
    except (ValueError, TypeError):
        return None


def _bad(parsed: pa.ChunkedArray, cells: pa.ChunkedArray) -> int:
    return int(pc.sum(pc.and_(pc.is_null(parsed), pc.not_equal(cells, ""))).as_py() or 0)


def _detect(cells: pa.ChunkedArray, day_first: bool | None) -> pa.ChunkedArray | None:
    """The family of formats that reads the most filled cells of the whole column (None if no
    family reads one); the first that reads them all wins at once."""
    families = list(_FAMILIES.values())
    parts = _numeric_parts(cells) if day_first is not None else None
    if parts is not None:
        families.insert(0, _day_first_formats(parts[2] or "/", day_first))
    best, fewest = None, None
    for formats in families:
        parsed = _family(cells, formats)
        bad = _bad(parsed, cells)
        if bad == 0:
            return parsed
        if pc.any(pc.is_valid(parsed)).as_py() and (fewest is None or bad < fewest):
            best, fewest = parsed, bad
    return best


def _parse(
    cells: pa.ChunkedArray,
    filled: pa.ChunkedArray,
    fmt: str | None,
    timezone: object | None,
    day_first: bool | None = None,
) -> np.ndarray:
    """One column by ``fmt`` (or the detected format); NaT where a cell does not parse."""
    parsed = None
    if not pc.any(filled).as_py():
        return np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[s]")
    if fmt is None:
        parsed = _detect(cells, day_first)
        if parsed is not None and _bad(parsed, cells):  # fractions or offsets: try pandas
            slow = _pandas(cells, None, timezone)
            if np.isnat(slow).sum() < pc.sum(pc.is_null(parsed)).as_py():
                return slow
    elif "%z" not in fmt and "%f" not in fmt:
        try:
            parsed = _by_format(cells, fmt)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            parsed = None
    if parsed is not None:
        return parsed.to_numpy().astype("datetime64[s]")
    return _pandas(cells, fmt, timezone)


def parse_dates(
    cells: pa.ChunkedArray,
    *,
    name: str,
    column: str,
    fmt: str | None = None,
    timezone: object | None = None,
    rows: np.ndarray | None = None,
    day_first: bool | None = None,
) -> np.ndarray:
    """datetime64[s] per row, NaT for an empty cell; unreadable cells raise with their rows.

    Cells with an offset are converted to ``timezone`` (UTC if None) and lose the offset;
    ``day_first`` is the export's `day_order` for ``D/M/YYYY`` cells.
    """
    filled = pc.not_equal(cells, "")
    values = _parse(cells, filled, fmt, timezone, day_first)
    is_filled = filled.to_numpy(zero_copy_only=False)
    if fmt is not None and (np.isnat(values) & is_filled).any():
        # a column in another common format than --date-format
        detected = _parse(cells, filled, None, timezone, day_first)
        if not (np.isnat(detected) & is_filled).any():
            values = detected
    bad = np.flatnonzero(np.isnat(values) & is_filled)
    if bad.size:
        problem = (
            Said(N_("unreadable date (give --date-format)"))
            if fmt is None
            else Said(N_("unreadable date (does not match --date-format {fmt})"), fmt=repr(fmt))
        )
        lines = [
            located(
                name,
                problem,
                row=int(rows[i]) if rows is not None else int(i) + 2,
                column=column,
                got=cells[int(i)].as_py(),
            )
            for i in bad[:_SHOWN]
        ]
        if bad.size > _SHOWN:
            more = Said(N_("{n} more unreadable dates"), n=bad.size - _SHOWN)
            lines.append(located(name, more, column=column))
        raise ExportError(lines)
    return values

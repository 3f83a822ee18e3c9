"""Timestamps of an export: the format detected (or given), bad cells located by row.

Common formats (ISO, ``YYYY/MM/DD HH:MM[:SS]``) are tried on the first filled cells and the
winner parses the whole column with pyarrow; anything else goes through ``--date-format``
(a column that does not match it but is in a common format is still read).
Timestamps with an offset are converted to the shop's time zone (``--timezone``, or the
first cell's offset); timestamps without one are taken as the shop's local time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .errors import ExportError, located

__all__ = ["first_zone", "parse_dates"]

_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d%H%M%S",
)
_SHOWN = 5  # bad cells listed per column


def _by_format(cells: pa.ChunkedArray, fmt: str) -> pa.ChunkedArray:
    return pc.strptime(cells, format=fmt, unit="s", error_is_null=True)


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


def _parse(
    cells: pa.ChunkedArray, filled: pa.ChunkedArray, fmt: str | None, timezone: object | None
) -> np.ndarray:
    """One column by ``fmt`` (or the detected format); NaT where a cell does not parse."""
    sample = pc.filter(cells, filled).slice(0, 200)
    parsed = None
    if fmt is None and len(sample):
        for candidate in _FORMATS:
            if pc.all(pc.is_valid(_by_format(sample, candidate))).as_py():
                parsed = _by_format(cells, candidate)
                break
    elif fmt is not None and "%z" not in fmt and "%f" not in fmt:
        try:
            parsed = _by_format(cells, fmt)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            parsed = None
    if parsed is not None:
        values = parsed.to_numpy().astype("datetime64[s]")
    elif len(sample) == 0:
        values = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[s]")
    else:
        values = _pandas(cells, fmt, timezone)
    return values


def parse_dates(
    cells: pa.ChunkedArray,
    *,
    name: str,
    column: str,
    fmt: str | None = None,
    timezone: object | None = None,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """datetime64[s] per row, NaT for an empty cell; unreadable cells raise with their rows.

    Cells with an offset are converted to ``timezone`` (UTC if None) and lose the offset.
    """
    filled = pc.not_equal(cells, "")
    values = _parse(cells, filled, fmt, timezone)
    is_filled = filled.to_numpy(zero_copy_only=False)
    if fmt is not None and (np.isnat(values) & is_filled).any():
        detected = _parse(cells, filled, None, timezone)  # a column in another common format
        if not (np.isnat(detected) & is_filled).any():
            values = detected
    bad = np.flatnonzero(np.isnat(values) & is_filled)
    if bad.size:
        hint = "give --date-format" if fmt is None else f"does not match --date-format {fmt!r}"
        lines = [
            located(
                name,
                f"unreadable date ({hint})",
                row=int(rows[i]) if rows is not None else int(i) + 2,
                column=column,
                got=cells[int(i)].as_py(),
            )
            for i in bad[:_SHOWN]
        ]
        if bad.size > _SHOWN:
            lines.append(located(name, f"{bad.size - _SHOWN} more unreadable dates", column=column))
        raise ExportError(lines)
    return values

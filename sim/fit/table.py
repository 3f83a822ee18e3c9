"""The table `check` prints (and `fit` for recent vs all): one unit and one precision per row.

A row's unit (seconds, minutes, hours or days) and its number of decimals follow the first
side's value, and the other side is written the same way, so 6.60 min and 6.71 min read side
by side instead of 6.6 min against 6.71 min, or 47 h against 2.1 d.
"""

from __future__ import annotations

import math

from .check import Row

__all__ = ["check_table", "format_hours", "hours_unit"]

_UNITS = (("s", 1 / 3600), ("min", 1 / 60), ("h", 1.0), ("d", 24.0))


def hours_unit(hours: float) -> tuple[str, float, int]:
    """The unit a person reads ``hours`` in, its size in hours, and decimals for 3 digits."""
    if hours < 1.0 / 60.0:
        name, size = _UNITS[0]
    elif hours < 1.0:
        name, size = _UNITS[1]
    elif hours < 48.0:
        name, size = _UNITS[2]
    else:
        name, size = _UNITS[3]
    value = hours / size
    digits = 0 if value <= 0 else max(0, 2 - math.floor(math.log10(value)))
    return name, size, digits


def format_hours(hours: float | None, like: float | None = None) -> str:
    """A duration as a person reads it, in the unit and precision chosen for ``like``."""
    if hours is None or not math.isfinite(hours):
        return "-"
    name, size, digits = hours_unit(hours if like is None or not math.isfinite(like) else like)
    return f"{hours / size:.{digits}f} {name}"


def _cell(row: Row, value: float | None, half: float | None) -> str:
    if value is None:
        return "-"
    if row.kind == "share":
        text = f"{value:.2%}"
        return text + (f" ±{half * 100:.2f}" if half is not None else "")
    if row.kind == "tv":
        return f"{value:.3f}" + (f" ±{half:.3f}" if half is not None else "")
    like = row.observed if row.observed is not None and row.observed > 0 else row.simulated
    text = format_hours(value, like)
    if half is None or value <= 0:
        return text
    return text + f" ±{half / value:.0%}"


def check_table(rows: list[Row], title: str, sides: tuple[str, str] = ("observed", "simulated")):
    """A rich table of ``rows``: measure, the two sides, tolerance and verdict."""
    from rich.table import Table

    table = Table(title=title, title_justify="left", width=80)
    table.add_column("measure", no_wrap=True)
    table.add_column(sides[0], justify="right", no_wrap=True)
    table.add_column(sides[1], justify="right", no_wrap=True)
    table.add_column("tolerance", no_wrap=True)
    table.add_column("", no_wrap=True)
    for row in rows:
        verdict = "[green]pass[/]" if row.passed else "[bold red]FAIL[/]"
        if sides[0] != "observed":
            verdict = "[green]same[/]" if row.passed else "[bold yellow]differs[/]"
        table.add_row(
            row.measure,
            _cell(row, row.observed, row.observed_half),
            _cell(row, row.simulated, row.simulated_half),
            row.tolerance,
            verdict,
        )
    return table

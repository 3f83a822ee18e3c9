"""The table `check` prints (and `fit` for recent vs all): one unit and one precision per row.

A row's unit (seconds, minutes, hours or days) and its number of decimals follow the first
side's value, and the other side is written the same way, so 6.60 min and 6.71 min read side
by side instead of 6.6 min against 6.71 min, or 47 h against 2.1 d.
"""

from __future__ import annotations

import math
import re

from sim.output.i18n import N_, Lang, get_lang

from .check import Row

__all__ = ["MEASURES", "check_table", "format_hours", "hours_unit", "measure_name", "tolerance"]

_UNITS = (("s", 1 / 3600), ("min", 1 / 60), ("h", 1.0), ("d", 24.0))
_UNIT_TEXT = {
    "s": N_("{value} s"),
    "min": N_("{value} min"),
    "h": N_("{value} h"),
    "d": N_("{value} d"),
}
# the measures of check (and of fit's recent-vs-all), as a seller reads them
MEASURES = {
    "paid share": N_("paid share"),
    "pay delay Q1": N_("pay delay Q1"),
    "pay delay median": N_("pay delay median"),
    "pay delay Q3": N_("pay delay Q3"),
    "pay delay p90": N_("pay delay p90"),
    "hourly profile TV": N_("hourly profile TV"),
    "weekday profile TV": N_("weekday profile TV"),
    "ship median": N_("ship median"),
    "delivery median": N_("delivery median"),
}
_TOLERANCES = {"±1 point": N_("±1 point"), "within 25%": N_("within 25%")}
_NOISE = re.compile(r"<= ([\d.]+) noise")


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


def format_hours(hours: float | None, like: float | None = None, lang: Lang | None = None) -> str:
    """A duration as a person reads it, in the unit and precision chosen for ``like``."""
    if hours is None or not math.isfinite(hours):
        return "-"
    name, size, digits = hours_unit(hours if like is None or not math.isfinite(like) else like)
    value = format(hours / size, f".{digits}f")
    return (lang or get_lang("en")).tr(_UNIT_TEXT[name], value=value)


def measure_name(measure: str, lang: Lang) -> str:
    """A measure's name in the run's language."""
    return lang.tr(MEASURES[measure]) if measure in MEASURES else measure


def tolerance(row: Row, lang: Lang) -> str:
    """A row's tolerance in the run's language."""
    noise = _NOISE.fullmatch(row.tolerance)
    if noise:
        return lang.tr("<= {limit} noise", limit=noise.group(1))
    return lang.tr(_TOLERANCES[row.tolerance]) if row.tolerance in _TOLERANCES else row.tolerance


def _cell(row: Row, value: float | None, half: float | None, lang: Lang | None = None) -> str:
    if value is None:
        return "-"
    if row.kind == "share":
        text = f"{value:.2%}"
        return text + (f" ±{half * 100:.2f}" if half is not None else "")
    if row.kind == "tv":
        return f"{value:.3f}" + (f" ±{half:.3f}" if half is not None else "")
    like = row.observed if row.observed is not None and row.observed > 0 else row.simulated
    text = format_hours(value, like, lang)
    if half is None or value <= 0:
        return text
    return text + f" ±{half / value:.0%}"


def check_table(
    rows: list[Row],
    title: str,
    sides: tuple[str, str] | None = None,
    lang: Lang | None = None,
    recent: bool = False,
):
    """A rich table of ``rows``: measure, the two sides, tolerance and verdict (``recent``:
    the whole export against its last days, where a row is "same" or "differs")."""
    from rich.table import Table

    lang = lang or get_lang("en")
    sides = sides or (lang.tr("observed"), lang.tr("simulated"))
    table = Table(title=title, title_justify="left", width=80)
    table.add_column(lang.tr("measure"), no_wrap=True)
    # a wide interval or a noise limit goes to a second line of its cell rather than being
    # cut off at 80 columns
    table.add_column(sides[0], justify="right")
    table.add_column(sides[1], justify="right")
    table.add_column(lang.tr("tolerance"))
    table.add_column("", no_wrap=True)
    for row in rows:
        if recent:
            word, style = (
                (lang.tr("same"), "green") if row.passed else (lang.tr("differs"), "bold yellow")
            )
        else:
            word, style = (
                (lang.tr("pass"), "green") if row.passed else (lang.tr("FAIL"), "bold red")
            )
        verdict = f"[{style}]{word}[/]"
        table.add_row(
            measure_name(row.measure, lang),
            _cell(row, row.observed, row.observed_half, lang),
            _cell(row, row.simulated, row.simulated_half, lang),
            tolerance(row, lang),
            verdict,
        )
    return table

"""Readable tables of a summary: the KPIs with intervals, and the differences to the baseline.

The number formatting lives here once (rates as %, money with 2 decimals, "mean ± half-width")
and is shared by the terminal tables and the HTML report, so both read the same.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence

from rich.table import Table
from rich.text import Text

from sim.experiment.results import KPI_DIRECTIONS as _DIRECTIONS
from sim.experiment.results import MAIN_KPIS, kpi_kind, kpi_label, total_cost_per_order

__all__ = [
    "MAIN_KPIS",
    "adjustment_text",
    "column_decimals",
    "column_title",
    "comparison_table",
    "display_scale",
    "format_diff",
    "format_stat",
    "kpi_stat",
    "kpi_table",
    "replications_text",
    "verdict",
]

_BASE_DECIMALS = {"rate": 1, "money": 2, "hours": 2, "count": 2}
_SCALE = {"rate": 100.0}
# Small counts read better per 1,000 orders (3.5 low ratings, not 0.0035).
PER_THOUSAND = (
    "low_ratings_per_order",
    "harassment_complaints_per_order",
    "harassment_reports_per_order",
    "penalty_points_per_order",
    "capped_reminders_per_order",
)


def display_scale(kpi: str) -> float:
    """The factor between a KPI's value and how tables show it (% for rates, per 1,000)."""
    if kpi in PER_THOUSAND:
        return 1000.0
    return _SCALE.get(kpi_kind(kpi), 1.0)


def kpi_stat(summary: Mapping, key: str, kpi: str) -> dict[str, float | None]:
    """The {mean, ci_low, ci_high, std} of one KPI of one key.

    A summary written before `cost_per_order` existed gets its mean from the components' means
    (no interval: the interval of a sum needs the replications).
    """
    stats = summary["strategies"][key]
    if kpi in stats:
        return stats[kpi]
    if kpi == "cost_per_order":
        means = {
            name: (s["mean"] if s["mean"] is not None else math.nan) for name, s in stats.items()
        }
        total = total_cost_per_order(means)
        mean = total if math.isfinite(total) else None
        return {"mean": mean, "ci_low": None, "ci_high": None, "std": None}
    return {"mean": None, "ci_low": None, "ci_high": None, "std": None}


def replications_text(summary: Mapping) -> str:
    """ "10 replications" / "1 replication", from the summary."""
    n = summary.get("replications", "?")
    return f"{n} replication{'' if n == 1 else 's'}"


def adjustment_text(summary: Mapping) -> str:
    """ ", Bonferroni-adjusted for 3 comparisons" when the intervals are adjusted."""
    if summary.get("adjustment") != "bonferroni":
        return ""
    return f", Bonferroni-adjusted for {len(summary.get('comparisons', {}))} comparisons"


def column_title(kpi: str, *, diff: bool = False) -> str:
    """KPI label with its display unit: % for rates (percentage points for differences)."""
    label = kpi_label(kpi)
    if kpi in PER_THOUSAND:
        return label.replace("per order", "per 1,000 orders")
    if kpi_kind(kpi) == "rate":
        return f"{label} ({'pp' if diff else '%'})"
    return label


def column_decimals(kpi: str, values: Iterable[float | None]) -> int:
    """Decimals for a column: the kind's default, up to 3 more until the largest shows 2 digits."""
    if kpi == "orders":
        return 0
    kind = kpi_kind(kpi)
    decimals = _BASE_DECIMALS.get(kind, 2) - (1 if kpi in PER_THOUSAND else 0)
    scale = display_scale(kpi)
    finite = [abs(v) * scale for v in values if v is not None and math.isfinite(v)]
    largest = max(finite, default=0.0) * (1 + 1e-9)  # 0.999999... reads as 1
    extra = 0
    while largest and extra < 3 and largest < 10 ** (1 - decimals - extra):
        extra += 1
    return decimals + extra


def _fmt(kpi: str, value: float, decimals: int, signed: bool) -> str:
    """The number as shown; a value that rounds to zero is "0.0", never "-0.0" or "+0.0"."""
    scaled = value * display_scale(kpi)
    text = f"{scaled:+.{decimals}f}" if signed else f"{scaled:.{decimals}f}"
    return text.lstrip("+-") if float(text) == 0.0 else text


def _shows_exclusion(kpi: str, value: float, half: float, digits: int) -> bool:
    """Whether "value ± half" at `digits` decimals reads as excluding 0."""
    shown = abs(float(_fmt(kpi, value, digits, signed=False)))
    return shown > float(_fmt(kpi, half, digits, signed=False))


def _honest_digits(kpi: str, value: float, low: float, high: float, digits: int) -> int:
    """More decimals until the rounded "value ± half" excludes 0 exactly when the interval
    does, so rounding never hides (or invents) a difference."""
    excludes = low > 0 or high < 0
    half = (high - low) / 2
    for extra in range(7):
        if _shows_exclusion(kpi, value, half, digits + extra) == excludes:
            return digits + extra
    return digits


def _half(low: float | None, high: float | None) -> float | None:
    return None if low is None or high is None else (high - low) / 2


def _format_interval(
    kpi: str,
    value: float | None,
    low: float | None,
    high: float | None,
    decimals: int | None,
    signed: bool,
) -> str:
    if value is None:
        return "n/a"
    digits = column_decimals(kpi, [value]) if decimals is None else decimals
    half = _half(low, high)
    if half is not None and low is not None and high is not None:
        digits = _honest_digits(kpi, value, low, high, digits)
    text = _fmt(kpi, value, digits, signed=signed)
    if half is None:  # one replication: a mean but no interval
        return f"{text} ± n/a"
    return f"{text} ± {_fmt(kpi, half, digits, signed=False)}"


def format_stat(kpi: str, stat: Mapping[str, float | None], decimals: int | None = None) -> str:
    """ "71.2 ± 0.8" (rates in %); "n/a" when no replication gave a value."""
    return _format_interval(
        kpi, stat.get("mean"), stat.get("ci_low"), stat.get("ci_high"), decimals, signed=False
    )


def format_diff(kpi: str, comp: Mapping[str, float | None], decimals: int | None = None) -> str:
    """ "+5.2 ± 1.1" (rates in percentage points); "n/a" when there were no pairs."""
    mean = comp.get("mean", comp.get("diff"))
    low, high = comp.get("ci_low"), comp.get("ci_high")
    return _format_interval(kpi, mean, low, high, decimals, signed=True)


def verdict(kpi: str, comp: Mapping[str, float | None]) -> int:
    """+1 better than the baseline, -1 worse, 0 when the interval holds 0 or no side is better.

    Only a `significant` difference (its multiplicity-adjusted interval excludes 0) is coloured.
    """
    low, high = comp.get("ci_low"), comp.get("ci_high")
    if comp.get("significant") is False:  # the multiplicity-adjusted verdict, when given
        return 0
    direction = _DIRECTIONS.get(kpi, 0)
    if low is None or high is None or direction == 0 or comp.get("significant") is False:
        return 0
    if low > 0:
        return direction
    if high < 0:
        return -direction
    return 0


TRANSPOSE_UP_TO = 5  # strategies shown as columns up to this many


def _row_name(summary: Mapping, key: str) -> str:
    baseline = summary.get("baseline")
    strategy = key.split("@", 1)[0] if "sweep" in summary else key
    return f"{key} (baseline)" if strategy == baseline else key


def _add_columns(table: Table, titles: Sequence[str], rows: Sequence[Sequence[str | Text]]) -> None:
    """Strategy column, then one right-aligned column per KPI as wide as its widest number.

    Each header is wrapped beforehand to the width of its column's numbers, so the table is as
    narrow as its numbers; only on a narrow terminal do numbers and strategy names wrap.
    """
    table.add_column("Strategy", overflow="fold")
    for j, title in enumerate(titles, start=1):
        width = max((len(str(row[j])) for row in rows), default=8)
        header = "\n".join(textwrap.wrap(title, width=max(width, 8)))
        table.add_column(header, justify="right")


def _table(
    title: str,
    names: list[str],
    titles: list[str],
    cells: list[list[str | Text]],
    bold: str | None = None,
) -> Table:
    """Few strategies: one column each, KPIs down the side (reads in 80 columns); many (a
    sweep): one row each, KPIs across."""
    table = Table(title=title, title_justify="left")
    if len(names) <= TRANSPOSE_UP_TO:
        table.add_column("KPI")
        for name in names:
            table.add_column(
                name,
                justify="right",
                overflow="fold",
                header_style="bold" if name == bold else None,
            )
        for j, kpi_title in enumerate(titles):
            table.add_row(kpi_title, *(row[j] for row in cells))
        return table
    rows = [[name, *row] for name, row in zip(names, cells, strict=True)]
    _add_columns(table, titles, rows)
    for row in rows:
        table.add_row(*row, style="bold" if row[0] == bold else None)
    return table


def kpi_table(summary: Mapping, kpis: Sequence[str] = MAIN_KPIS) -> Table:
    """Each strategy's KPIs: mean ± half-width of the 95% interval."""
    keys = list(summary["strategies"])
    stats = {kpi: [kpi_stat(summary, key, kpi) for key in keys] for kpi in kpis}
    decimals = {kpi: column_decimals(kpi, (s["mean"] for s in stats[kpi])) for kpi in kpis}
    names = [_row_name(summary, key) for key in keys]
    cells = [[format_stat(k, stats[k][i], decimals[k]) for k in kpis] for i in range(len(keys))]
    baseline = next((n for n in names if n.endswith("(baseline)")), None)
    title = (
        f"{summary.get('scenario', '')}: means ± 95% interval half-width over "
        f"{replications_text(summary)}"
    )
    return _table(title, names, [column_title(k) for k in kpis], cells, bold=baseline)


def comparison_table(summary: Mapping, kpis: Sequence[str] = MAIN_KPIS) -> Table:
    """Paired differences to the baseline; green/red where the interval excludes 0."""
    comparisons = summary["comparisons"]
    title = (
        f"Difference to the baseline {summary.get('baseline')!r} "
        f"(paired over replications, ± 95% half-width{adjustment_text(summary)}; "
        "green better, red worse)"
    )
    empty: dict[str, float | None] = {"diff": None, "ci_low": None, "ci_high": None}
    decimals = {
        kpi: column_decimals(kpi, (c.get(kpi, empty)["diff"] for c in comparisons.values()))
        for kpi in kpis
    }
    names, cells = [], []
    for key, comps in comparisons.items():
        row: list[str | Text] = []
        for kpi in kpis:
            comp = comps.get(kpi, empty)
            style = {1: "green", -1: "red", 0: ""}[verdict(kpi, comp)]
            row.append(Text(format_diff(kpi, comp, decimals[kpi]), style=style))
        names.append(key)
        cells.append(row)
    return _table(title, names, [column_title(k, diff=True) for k in kpis], cells)

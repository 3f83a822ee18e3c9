"""The tables `ordersim run` prints, laid out to fit an 80-column terminal without cutting a label.

KPIs go down the side (short labels), strategies or sweep values across. When the columns do not
fit the width, they are split over several tables, each repeating the KPI column; a long strategy
name wraps at its hyphens, never mid-word. The report carries the full tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from sim.output.i18n import Lang
from sim.output.keys import Group, comparison, display_groups, parameter_label, value_shown
from sim.output.tables import column_decimals, format_diff, format_stat, kpi_stat, verdict
from sim.output.wrap import fill_cells, wrap_name

__all__ = ["diff_tables", "fill_cells", "grid", "mean_tables", "wrap_name"]

_BORDER = 3  # a column's padding and its border


def _chunks(label_w: int, widths: Sequence[int], width: int) -> list[list[int]]:
    """Column indexes packed into tables no wider than `width`."""
    chunks: list[list[int]] = [[]]
    used = 1 + label_w + _BORDER
    for j, w in enumerate(widths):
        if chunks[-1] and used + w + _BORDER > width:
            chunks.append([])
            used = 1 + label_w + _BORDER
        chunks[-1].append(j)
        used += w + _BORDER
    return chunks


def grid(
    title: str,
    row_labels: Sequence[str],
    headers: Sequence[str],
    cells: Sequence[Sequence[str | Text]],
    width: int,
    kpi_header: str,
    bold: int | None = None,
) -> list[Table]:
    """cells[j][i]: column j, row i. Returns one or more tables within `width` cells."""
    label_w = max(cell_len(s) for s in [kpi_header, *row_labels])
    cell_ws = [max((cell_len(str(c)) for c in column), default=4) for column in cells]
    head_lines = [wrap_name(h, max(w, 8)) for h, w in zip(headers, cell_ws, strict=True)]
    widths = [
        max(w, *(cell_len(x) for x in lines)) for w, lines in zip(cell_ws, head_lines, strict=True)
    ]
    tables = []
    chunks = _chunks(label_w, widths, width)
    for n, chunk in enumerate(chunks):
        part = f" ({n + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        across = 1 + label_w + _BORDER + sum(widths[j] + _BORDER for j in chunk)
        # wrapped here, so that a number keeps its unit ("3 次重复") and Chinese fills the line
        heading = "\n".join(fill_cells(title + part, across, ""))
        table = Table(title=heading, title_justify="left")
        table.add_column(kpi_header, no_wrap=True, min_width=label_w)
        for j in chunk:
            table.add_column(
                "\n".join(head_lines[j]),
                justify="right",
                no_wrap=True,
                min_width=widths[j],
                header_style="bold" if j == bold else None,
            )
        for i, label in enumerate(row_labels):
            table.add_row(label, *(cells[j][i] for j in chunk))
        tables.append(table)
    return tables


def _labels(summary: Mapping, group: Group, lang: Lang) -> list[str]:
    """A group's column headers: strategy names, or the sweep's values in the reader's words."""
    if group.title is None or group.title == lang.tr("unchanged by the sweep"):
        return group.labels
    return [value_shown(summary, label, lang.code, group.parameters) for label in group.labels]


def _title_of(group: Group, lang: Lang, head: str) -> str:
    if group.title is None:
        return head
    if group.title == lang.tr("unchanged by the sweep"):
        return f"{head} — {group.title}"
    parameter = " × ".join(parameter_label(p, lang.code) for p in group.parameters)
    by = lang.tr("{strategy} by {parameter}", strategy=group.title, parameter=parameter)
    return f"{head} — {by}"


def mean_tables(summary: Mapping, kpis: Sequence[str], lang: Lang, width: int = 80) -> list[Table]:
    """Means ± 95% half-width: one or more tables per group of keys."""
    baseline = summary.get("baseline")
    head = lang.tr(
        "{scenario}: means ± 95% half-width, {n}",
        scenario=summary.get("scenario", ""),
        n=lang.replications(summary.get("replications", "?")),
    )
    tables = []
    every = list(summary["strategies"])
    digits = {
        k: column_decimals(k, (kpi_stat(summary, key, k)["mean"] for key in every)) for k in kpis
    }
    mark = lang.tr("(baseline)")
    for group in display_groups(summary, lang.tr("unchanged by the sweep")):
        headers, cells, bold = [], [], None
        for j, (key, label) in enumerate(
            zip(group.keys, _labels(summary, group, lang), strict=True)
        ):
            is_base = key.split("@", 1)[0] == baseline
            headers.append(f"{label} {mark}" if is_base else label)
            bold = j if is_base else bold
            cells.append([format_stat(k, kpi_stat(summary, key, k), digits[k]) for k in kpis])
        tables += grid(
            _title_of(group, lang, head),
            [lang.kpi(k) for k in kpis],
            headers,
            cells,
            width,
            lang.tr("KPI"),
            bold,
        )
    return tables


def diff_tables(summary: Mapping, kpis: Sequence[str], lang: Lang, width: int = 80) -> list[Table]:
    """Paired differences to the baseline, green better, red worse (when the interval says so)."""
    comparisons = summary.get("comparisons", {})
    head = lang.tr(
        "Difference to the baseline {baseline} (paired, ± 95% half-width; green better, red worse)",
        baseline=summary.get("baseline"),
    )
    digits = {
        k: column_decimals(
            k, ((comparison(summary, key, k) or {}).get("mean") for key in comparisons)
        )
        for k in kpis
    }
    tables = []
    for group in display_groups(summary, lang.tr("unchanged by the sweep")):
        headers, cells = [], []
        for key, label in zip(group.keys, _labels(summary, group, lang), strict=True):
            if key not in comparisons:
                continue
            column: list[str | Text] = []
            for kpi in kpis:
                comp = comparison(summary, key, kpi) or {"mean": None}
                style = {1: "green", -1: "red", 0: ""}[verdict(kpi, comp)]
                column.append(Text(format_diff(kpi, comp, digits[kpi]), style=style))
            headers.append(label)
            cells.append(column)
        if cells:
            tables += grid(
                _title_of(group, lang, head),
                [lang.kpi(k, diff=True) for k in kpis],
                headers,
                cells,
                width,
                lang.tr("KPI"),
            )
    return tables

"""report.html: one self-contained page that answers the scenario's question.

Self-contained on purpose: images are base64 data URIs, CSS is inline, there is no script and no
external resource, so the file can be mailed or opened offline years later. Every piece of text
from the scenario or the results goes through `html.escape`.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from sim.experiment.results import MAIN_KPIS, UnitResult
from sim.output.atomic import atomic_write_text
from sim.output.choice import adjustment_note, choice_html
from sim.output.diagram import state_diagram_png
from sim.output.tables import (
    column_decimals,
    column_title,
    format_diff,
    format_stat,
    kpi_stat,
    replications_text,
    verdict,
)

__all__ = ["write_report"]

_CAPTIONS = {
    "kpis": "The KPIs that decide a strategy, with 95% intervals over replications.",
    "payment_curve": "Share of orders paid within h hours of placement, by strategy.",
    "outcomes": "How orders end: shares of orders placed.",
    "costs": "Cost per order by component, and the net profit left per order.",
    "agents": "Agent utilisation and queue of phone/IM reminders by hour of day.",
    "sweep": "How the main KPIs respond to the swept parameter.",
    "heatmap": "The grid of two swept parameters: one KPI's mean per combination.",
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;
 color:#222;background:#fafafa;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.question{font-size:1.1rem;color:#333;white-space:pre-wrap}
.meta{color:#666;font-size:.92rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .55rem;text-align:right;white-space:nowrap}
th{background:#f1f3f6;white-space:normal;vertical-align:bottom}
td:first-child,th:first-child{text-align:left}
tr.baseline td{font-weight:600;background:#f7f7f7}
td.better{background:#e3f4e1;color:#1b5e20;font-weight:600}
td.worse{background:#fbe3e3;color:#8e1c1c;font-weight:600}
.scroll{overflow-x:auto}
figure{margin:1.2rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9rem}
details{margin:.8rem 0}summary{cursor:pointer;color:#1f4e8c}
pre{background:#f5f5f5;padding:.8rem;overflow-x:auto;font-size:.85rem}
.note{color:#666;font-size:.88rem}
"""


def _data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _row(cells: Sequence[str], tag: str = "td", classes: Sequence[str] = (), cls: str = "") -> str:
    """One table row; `classes` gives each cell's CSS class, `cls` the row's."""

    def attr(name: str) -> str:
        return f' class="{name}"' if name else ""

    classes = [*classes, *[""] * (len(cells) - len(classes))]
    parts = [
        f"<{tag}{attr(c)}>{html.escape(cell)}</{tag}>"
        for cell, c in zip(cells, classes, strict=True)
    ]
    return f"<tr{attr(cls)}>{''.join(parts)}</tr>"


def _is_baseline(summary: Mapping, key: str) -> bool:
    strategy = key.split("@", 1)[0] if "sweep" in summary else key
    return strategy == summary.get("baseline")


def _kpi_table(summary: Mapping, kpis: Sequence[str]) -> str:
    """Strategies as rows, KPIs as columns, 'mean ± half-width'."""
    keys = list(summary["strategies"])
    stats = {k: [kpi_stat(summary, key, k) for key in keys] for k in kpis}
    digits = {k: column_decimals(k, (s["mean"] for s in stats[k])) for k in kpis}
    rows = [_row(["Strategy", *(column_title(k) for k in kpis)], "th")]
    for i, key in enumerate(keys):
        base = _is_baseline(summary, key)
        name = f"{key} (baseline)" if base else key
        cells = [format_stat(k, stats[k][i], digits[k]) for k in kpis]
        rows.append(_row([name, *cells], cls="baseline" if base else ""))
    return f'<div class="scroll"><table>{"".join(rows)}</table></div>'


def _all_kpis_table(summary: Mapping) -> str:
    """Every KPI as a row (there are many), strategies as columns."""
    keys = list(summary["strategies"])
    kpis = list(next(iter(summary["strategies"].values()), {}))
    names = [f"{key} (baseline)" if _is_baseline(summary, key) else key for key in keys]
    rows = [_row(["KPI", *names], "th")]
    for kpi in kpis:
        stats = [kpi_stat(summary, key, kpi) for key in keys]
        digits = column_decimals(kpi, (s["mean"] for s in stats))
        rows.append(_row([column_title(kpi), *(format_stat(kpi, s, digits) for s in stats)]))
    return f'<div class="scroll"><table>{"".join(rows)}</table></div>'


def _comparison_table(summary: Mapping, kpis: Sequence[str]) -> str:
    """Paired differences to the baseline; cells whose interval excludes 0 coloured."""
    comparisons = summary["comparisons"]
    if not comparisons:
        return '<p class="note">There is no strategy besides the baseline to compare.</p>'
    empty: dict[str, float | None] = {"diff": None, "ci_low": None, "ci_high": None}
    digits = {
        k: column_decimals(k, (c.get(k, empty)["diff"] for c in comparisons.values())) for k in kpis
    }
    rows = [_row(["Strategy", *(column_title(k, diff=True) for k in kpis)], "th")]
    for key, comps in comparisons.items():
        cells = [format_diff(k, comps.get(k, empty), digits[k]) for k in kpis]
        classes = [
            "",
            *({1: "better", -1: "worse", 0: ""}[verdict(k, comps.get(k, empty))] for k in kpis),
        ]
        rows.append(_row([key, *cells], classes=classes))
    return f'<div class="scroll"><table>{"".join(rows)}</table></div>'


def _figure(data: bytes, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{_data_uri(data)}" alt="{html.escape(alt)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _meta_line(summary: Mapping, units: Sequence[UnitResult]) -> str:
    parts = [
        f"scenario {summary.get('scenario')}",
        f"seed {summary.get('seed')}",
        replications_text(summary),
        f"baseline {summary.get('baseline')}",
        f"{len(units)} simulated units",
    ]
    sweep = summary.get("sweep")
    if sweep:
        values = ", ".join(str(v) for v in sweep.get("values", []))
        parts.append(f"sweep of {sweep.get('parameter')} over {values}")
    return html.escape(" · ".join(parts))


def write_report(
    path: str | os.PathLike[str],
    summary: Mapping,
    units: Sequence[UnitResult],
    plot_paths: Sequence[str | os.PathLike[str]],
    *,
    title: str,
    description: str,
    diagram_mermaid: str,
    scenario_text: str | None = None,
    diagram_edges: Sequence[tuple[str, str, str]] | None = None,
    kpis: Sequence[str] = MAIN_KPIS,
) -> Path:
    """Write the self-contained report.html; returns its path."""
    esc = html.escape
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="question">{esc(description)}</p>' if description else "",
        f'<p class="meta">{_meta_line(summary, units)}</p>',
        "<h2>Results</h2>",
        '<p class="note">Means over replications ± half-width of the 95% Student-t interval. '
        "Rates are percentages of orders placed; money is yuan per order placed.</p>",
        _kpi_table(summary, kpis),
        "<details><summary>All KPIs</summary>",
        _all_kpis_table(summary),
        "</details>",
        f"<h2>Compared with the baseline ({esc(str(summary.get('baseline')))})</h2>",
        '<p class="note">Strategy minus baseline, paired replication by replication (common '
        "random numbers), ± half-width of the 95% interval; rates in percentage points. "
        "Green: better with the interval excluding 0; red: worse."
        f"{esc(adjustment_note(summary))}</p>",
        _comparison_table(summary, kpis),
        choice_html(summary),
        "<h2>Plots</h2>",
    ]
    for plot in plot_paths:
        plot = Path(plot)
        body.append(_figure(plot.read_bytes(), plot.stem, _CAPTIONS.get(plot.stem, plot.stem)))
    body.append("<h2>The order lifecycle</h2>")
    if diagram_edges:
        png = state_diagram_png(diagram_edges)
        body.append(_figure(png, "order state diagram", "States and triggers of the simulation."))
    if diagram_mermaid:
        body.append(
            "<details><summary>State diagram as Mermaid text</summary>"
            f"<pre>{esc(diagram_mermaid)}</pre></details>"
        )
    if scenario_text is not None:
        body.append(
            "<h2>Scenario</h2><details><summary>Scenario file (TOML)</summary>"
            f"<pre>{esc(scenario_text)}</pre></details>"
        )
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body><main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main></body>\n</html>\n"
    )
    return atomic_write_text(path, page)

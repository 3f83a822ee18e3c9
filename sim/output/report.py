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

from sim.experiment.results import UnitResult
from sim.output.answer import answer_lines, find_answer
from sim.output.atomic import atomic_write_text
from sim.output.choice import adjustment_note, choice_html
from sim.output.diagram import state_diagram_png
from sim.output.i18n import N_, Lang, get_lang
from sim.output.keys import choose_kpis, comparison, display_groups, shown_keys
from sim.output.tables import column_decimals, format_diff, format_stat, kpi_stat, verdict

_CAPTIONS = {
    "kpis": N_("Differences against the baseline with 95% intervals (paired)."),
    "payment_curve": N_("Share of orders paid by time since placement (log time), by strategy."),
    "outcomes": N_("How orders end: shares of orders placed."),
    "costs": N_("Cost per order by component, and the net profit left per order."),
    "agents": N_("Agent utilisation and queue of phone/IM reminders by hour of day."),
    "sweep": N_(
        "How the main KPIs respond to the swept parameter, as differences against the baseline."
    ),
    "heatmap": N_("The grid of two swept parameters: one KPI's mean per combination."),
}

_RESULTS_NOTE = N_(
    "Means over replications ± half-width of the 95% Student-t interval. Rates are percentages "
    "of orders placed; money is yuan per order placed (totals: per replication); low ratings "
    "per 1,000 orders."
)
_COMPARED = N_("Compared with the baseline ({baseline})")
_COMPARED_NOTE = N_(
    "Strategy minus baseline, paired replication by replication (common random numbers), ± "
    "half-width of the 95% interval; rates in percentage points. Green: better with the "
    "interval excluding 0; red: worse."
)

__all__ = ["write_report"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0;
 color:#222;background:#fafafa;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff;box-sizing:border-box}
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
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
.scroll td:first-child,.scroll th:first-child{position:sticky;left:0;z-index:1}
.scroll td:first-child{background:#fff}
.scroll table{border-collapse:separate;border-spacing:0}
.scroll th,.scroll td{border-width:0 1px 1px 0}
.scroll tr:first-child th{border-top-width:1px}
.scroll th:first-child,.scroll td:first-child{border-left-width:1px}
#answer{background:#f3f7fc;border-left:4px solid #1f4e8c;padding:.4rem 1rem .8rem;margin:1rem 0}
#answer h2{margin-top:.6rem;border:0}
#answer p{margin:.25rem 0}#answer p.lead{font-size:1.12rem;font-weight:600}
@media (max-width:700px){main{padding:1rem .7rem 3rem}h1{font-size:1.4rem}
 table{font-size:.8rem}th,td{padding:.25rem .4rem}}
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


def _name(summary: Mapping, key: str, lang: Lang, unchanged: set[str]) -> str:
    """A row's name: a strategy the sweep leaves unchanged is shown once, by its name."""
    name = key.split("@", 1)[0] if key in unchanged else key
    return name + " " + lang.tr("(baseline)") if _is_baseline(summary, key) else name


def _unchanged(summary: Mapping, lang: Lang) -> set[str]:
    groups = display_groups(summary, lang.tr("unchanged by the sweep"))
    return {k for g in groups if g.title == lang.tr("unchanged by the sweep") for k in g.keys}


def _kpi_table(summary: Mapping, kpis: Sequence[str], lang: Lang) -> str:
    """Strategies as rows, KPIs as columns, 'mean ± half-width' (scrolls on a phone)."""
    keys = shown_keys(summary)
    unchanged = _unchanged(summary, lang)
    stats = {k: [kpi_stat(summary, key, k) for key in keys] for k in kpis}
    digits = {k: column_decimals(k, (s["mean"] for s in stats[k])) for k in kpis}
    rows = [_row([lang.tr("Strategy"), *(lang.kpi(k) for k in kpis)], "th")]
    for i, key in enumerate(keys):
        base = _is_baseline(summary, key)
        cells = [format_stat(k, stats[k][i], digits[k]) for k in kpis]
        rows.append(
            _row([_name(summary, key, lang, unchanged), *cells], cls="baseline" if base else "")
        )
    return f'<div class="scroll"><table>{"".join(rows)}</table></div>'


def _all_kpis_table(summary: Mapping, lang: Lang) -> str:
    """Every KPI as a row (there are many), strategies as columns."""
    keys = shown_keys(summary)
    unchanged = _unchanged(summary, lang)
    kpis = list(next(iter(summary["strategies"].values()), {}))
    names = [_name(summary, key, lang, unchanged) for key in keys]
    rows = [_row([lang.tr("KPI"), *names], "th")]
    for kpi in kpis:
        stats = [kpi_stat(summary, key, kpi) for key in keys]
        digits = column_decimals(kpi, (s["mean"] for s in stats))
        rows.append(_row([lang.kpi(kpi), *(format_stat(kpi, s, digits) for s in stats)]))
    return f'<div class="scroll"><table>{"".join(rows)}</table></div>'


def _comparison_table(summary: Mapping, kpis: Sequence[str], lang: Lang) -> str:
    """Paired differences to the baseline; cells whose interval excludes 0 coloured."""
    comparisons = summary.get("comparisons", {})
    keys = [k for k in shown_keys(summary) if k in comparisons]
    if not keys:
        text = lang.tr("There is no strategy besides the baseline to compare.")
        return f'<p class="note">{html.escape(text)}</p>'
    unchanged = _unchanged(summary, lang)
    empty = {"mean": None}
    digits = {
        k: column_decimals(k, ((comparison(summary, key, k) or empty)["mean"] for key in keys))
        for k in kpis
    }
    rows = [_row([lang.tr("Strategy"), *(lang.kpi(k, diff=True) for k in kpis)], "th")]
    for key in keys:
        comps = [comparison(summary, key, k) or empty for k in kpis]
        cells = [format_diff(k, c, digits[k]) for k, c in zip(kpis, comps, strict=True)]
        classes = [
            "",
            *(
                {1: "better", -1: "worse", 0: ""}[verdict(k, c)]
                for k, c in zip(kpis, comps, strict=True)
            ),
        ]
        rows.append(_row([_name(summary, key, lang, unchanged), *cells], classes=classes))
    return f'<div class="scroll"><table>{"".join(rows)}</table></div>'


def _answer(summary: Mapping, units: Sequence[UnitResult], lang: Lang) -> str:
    """The section a reader sees first: best strategy, its gain, the runner-up, its cost."""
    lines = answer_lines(find_answer(summary, units), lang)
    parts = [f'<p class="lead">{html.escape(lines[0])}</p>']
    parts += [f"<p>{html.escape(line.strip())}</p>" for line in lines[1:]]
    head = html.escape(lang.tr("Answer"))
    return f'<section id="answer"><h2>{head}</h2>{"".join(parts)}</section>'


def _figure(data: bytes, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{_data_uri(data)}" alt="{html.escape(alt)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def _meta_line(summary: Mapping, units: Sequence[UnitResult], lang: Lang) -> str:
    text = lang.tr(
        "scenario {scenario} · seed {seed} · {n} · baseline {baseline} · {units} simulated units",
        scenario=summary.get("scenario"),
        seed=summary.get("seed"),
        n=lang.replications(summary.get("replications", "?")),
        baseline=summary.get("baseline"),
        units=len(units),
    )
    sweep = summary.get("sweep")
    if sweep:
        values = ", ".join(str(v) for v in sweep.get("values", []))
        text += lang.tr(
            " · sweep of {parameter} over {values}", parameter=sweep.get("parameter"), values=values
        )
    return html.escape(text)


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
    kpis: Sequence[str] | None = None,
    lang: str = "en",
) -> Path:
    """Write the self-contained report.html; returns its path."""
    esc = html.escape
    words = get_lang(lang)
    kpis = list(kpis) if kpis is not None else choose_kpis(summary)
    heads = {
        text: esc(words.tr(text))
        for text in (
            N_("Results"),
            N_("All KPIs"),
            N_("Plots"),
            N_("The order lifecycle"),
            N_("State diagram as Mermaid text"),
            N_("Scenario"),
            N_("Scenario file (TOML)"),
        )
    }
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="question">{esc(description)}</p>' if description else "",
        f'<p class="meta">{_meta_line(summary, units, words)}</p>',
        _answer(summary, units, words),
        f"<h2>{heads['Results']}</h2>",
        f'<p class="note">{esc(words.tr(_RESULTS_NOTE))}</p>',
        _kpi_table(summary, kpis, words),
        f"<details><summary>{heads['All KPIs']}</summary>",
        _all_kpis_table(summary, words),
        "</details>",
        f"<h2>{esc(words.tr(_COMPARED, baseline=summary.get('baseline')))}</h2>",
        f'<p class="note">{esc(words.tr(_COMPARED_NOTE))}{esc(adjustment_note(summary))}</p>',
        _comparison_table(summary, kpis, words),
        choice_html(summary),
        f"<h2>{heads['Plots']}</h2>",
    ]
    lifecycle = [Path(p) for p in plot_paths if Path(p).stem == "lifecycle"]
    for plot in plot_paths:
        plot = Path(plot)
        if plot.stem == "lifecycle":
            continue
        caption = words.tr(_CAPTIONS[plot.stem]) if plot.stem in _CAPTIONS else plot.stem
        body.append(_figure(plot.read_bytes(), plot.stem, caption))
    body.append(f"<h2>{heads['The order lifecycle']}</h2>")
    if lifecycle or diagram_edges:
        png = lifecycle[0].read_bytes() if lifecycle else state_diagram_png(diagram_edges or [])
        body.append(
            _figure(png, "order state diagram", words.tr("States and triggers of the simulation."))
        )
    if diagram_mermaid:
        body.append(
            f"<details><summary>{heads['State diagram as Mermaid text']}</summary>"
            f"<pre>{esc(diagram_mermaid)}</pre></details>"
        )
    if scenario_text is not None:
        body.append(
            f"<h2>{heads['Scenario']}</h2><details><summary>"
            f"{heads['Scenario file (TOML)']}</summary>"
            f"<pre>{esc(scenario_text)}</pre></details>"
        )
    page = (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n'
        '<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body><main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main></body>\n</html>\n"
    )
    return atomic_write_text(path, page)

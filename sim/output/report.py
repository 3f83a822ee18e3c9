"""report.html: one self-contained page that answers the scenario's question.

Self-contained on purpose: images are base64 data URIs, CSS is inline, there is no script and no
external resource, so the file can be mailed or opened offline years later. The page is the
Jinja2 template `templates/report.html.j2` (its CSS in `templates/report.css`), filled here with
texts already in the run's language; autoescaping escapes every piece of text from the scenario
or the results. Tables scroll in their box with the first column fixed; headers wrap at spaces,
never between two Chinese characters; on a phone (below 700 px) each plot is shown redrawn with
its panels in one column (`sim.output.phone`).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.experiment.results import UnitResult, sweep_label
from sim.output.answer import answer_lines, find_answer
from sim.output.atomic import atomic_write_text
from sim.output.choice import (
    adjustment_note,
    best_vs_runner_up_text,
    one_replication_note,
    precision_text,
    selection_parts,
)
from sim.output.credited_view import tool_section
from sim.output.diagram import state_diagram_png
from sim.output.i18n import N_, Lang, get_lang
from sim.output.keys import (
    choose_kpis,
    comparison,
    display_groups,
    display_name,
    parameter_label,
    shown_keys,
    value_shown,
)
from sim.output.phone import phone_path
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

__all__ = ["data_uri", "render_report", "write_report"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _cells(texts: Sequence[str], classes: Sequence[str] = ()) -> list[dict]:
    classes = [*classes, *[""] * (len(texts) - len(classes))]
    return [{"text": t, "cls": c} for t, c in zip(texts, classes, strict=True)]


def _is_baseline(summary: Mapping, key: str) -> bool:
    strategy = key.split("@", 1)[0] if "sweep" in summary else key
    return strategy == summary.get("baseline")


def _name(summary: Mapping, key: str, lang: Lang, unchanged: set[str]) -> str:
    """A row's name: a strategy the sweep leaves unchanged is shown once, by its name."""
    name = key.split("@", 1)[0] if key in unchanged else display_name(summary, key, lang.code)
    return name + " " + lang.tr("(baseline)") if _is_baseline(summary, key) else name


def _unchanged(summary: Mapping, lang: Lang) -> set[str]:
    groups = display_groups(summary, lang.tr("unchanged by the sweep"))
    return {k for g in groups if g.title == lang.tr("unchanged by the sweep") for k in g.keys}


def _kpi_table(summary: Mapping, kpis: Sequence[str], lang: Lang) -> dict:
    """Strategies as rows, KPIs as columns, 'mean ± half-width'."""
    keys = shown_keys(summary)
    unchanged = _unchanged(summary, lang)
    stats = {k: [kpi_stat(summary, key, k) for key in keys] for k in kpis}
    digits = {k: column_decimals(k, (s["mean"] for s in stats[k])) for k in kpis}
    rows = []
    for i, key in enumerate(keys):
        cells = [format_stat(k, stats[k][i], digits[k]) for k in kpis]
        rows.append(
            {
                "cells": _cells([_name(summary, key, lang, unchanged), *cells]),
                "cls": "baseline" if _is_baseline(summary, key) else "",
            }
        )
    return {"head": [lang.tr("Strategy"), *(lang.kpi(k) for k in kpis)], "rows": rows}


def _all_kpis_table(summary: Mapping, lang: Lang) -> dict:
    """Every KPI as a row (there are many), strategies as columns."""
    keys = shown_keys(summary)
    unchanged = _unchanged(summary, lang)
    kpis = list(next(iter(summary["strategies"].values()), {}))
    rows = []
    for kpi in kpis:
        stats = [kpi_stat(summary, key, kpi) for key in keys]
        digits = column_decimals(kpi, (s["mean"] for s in stats))
        texts = [lang.kpi(kpi), *(format_stat(kpi, s, digits) for s in stats)]
        rows.append({"cells": _cells(texts), "cls": ""})
    names = [_name(summary, key, lang, unchanged) for key in keys]
    return {"head": [lang.tr("KPI"), *names], "rows": rows}


def _comparison_table(summary: Mapping, kpis: Sequence[str], lang: Lang) -> dict | None:
    """Paired differences to the baseline; cells whose interval excludes 0 coloured by the
    KPI's direction (better green, worse red)."""
    comparisons = summary.get("comparisons", {})
    keys = [k for k in shown_keys(summary) if k in comparisons]
    if not keys:
        return None
    unchanged = _unchanged(summary, lang)
    empty = {"mean": None}
    digits = {
        k: column_decimals(k, ((comparison(summary, key, k) or empty)["mean"] for key in keys))
        for k in kpis
    }
    rows = []
    for key in keys:
        comps = [comparison(summary, key, k) or empty for k in kpis]
        texts = [format_diff(k, c, digits[k]) for k, c in zip(kpis, comps, strict=True)]
        classes = [
            {1: "better", -1: "worse", 0: ""}[verdict(k, c)]
            for k, c in zip(kpis, comps, strict=True)
        ]
        name = _name(summary, key, lang, unchanged)
        rows.append({"cells": _cells([name, *texts], ["", *classes]), "cls": ""})
    head = [lang.tr("Strategy"), *(lang.kpi(k, diff=True) for k in kpis)]
    return {"head": head, "rows": rows}


def _choice(summary: Mapping, lang: Lang) -> dict | None:
    """The "Which strategy is best?" section: best vs runner-up, the selection, the notes."""
    parts = selection_parts(summary, lang)
    selection = None
    if parts is not None:
        rows = [
            {"cells": _cells(row), "cls": "baseline" if row[0] == parts["best"] else ""}
            for row in parts["rows"]
        ]
        selection = {
            "title": parts["title"],
            "table": {"head": parts["head"], "rows": rows},
            "note": parts["note"],
        }
    notes = [
        note[0].upper() + note[1:] + "."
        for note in (precision_text(summary, lang), one_replication_note(summary, lang))
        if note
    ]
    duel = best_vs_runner_up_text(summary, lang)
    if not (duel or selection or notes):
        return None
    return {"duel": duel, "selection": selection, "notes": notes}


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
    if sweep and sweep.get("grid"):  # each axis: "... over 0.25, 2, 12 × 24, 72"
        axes = sweep["grid"]
        parameter = " × ".join(parameter_label(a["parameter"], lang.code) for a in axes)
        values = " × ".join(
            ", ".join(
                value_shown(summary, sweep_label(v), lang.code, [a["parameter"]])
                for v in a["values"]
            )
            for a in axes
        )
        text += lang.tr(" · sweep of {parameter} over {values}", parameter=parameter, values=values)
    elif sweep:
        values = ", ".join(value_shown(summary, str(v), lang.code) for v in sweep.get("values", []))
        parameter = parameter_label(sweep.get("parameter"), lang.code) or sweep.get("parameter")
        text += lang.tr(" · sweep of {parameter} over {values}", parameter=parameter, values=values)
    return text


def _texts(summary: Mapping, lang: Lang) -> dict[str, str]:
    return {
        "answer": lang.tr("Answer"),
        "results": lang.tr("Results"),
        "results_note": lang.tr(_RESULTS_NOTE),
        "all_kpis": lang.tr("All KPIs"),
        "compared": lang.tr(_COMPARED, baseline=summary.get("baseline")),
        "compared_note": lang.tr(_COMPARED_NOTE) + adjustment_note(summary, lang),
        "no_comparison": lang.tr("There is no strategy besides the baseline to compare."),
        "which_best": lang.tr("Which strategy is best?"),
        "plots": lang.tr("Plots"),
        "lifecycle": lang.tr("The order lifecycle"),
        "mermaid": lang.tr("State diagram as Mermaid text"),
        "scenario": lang.tr("Scenario"),
        "scenario_file": lang.tr("Scenario file (TOML)"),
    }


def render_report(context: Mapping, template: str = "report.html.j2") -> str:
    """The page for a filled-in context (see write_report; robust's page: `sim.robust.report`)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(template).render(**context)


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
    scenario: Any = None,
) -> Path:
    """Write the self-contained report.html; returns its path."""
    words = get_lang(lang)
    kpis = list(kpis) if kpis is not None else choose_kpis(summary)
    figures, lifecycle = [], None
    for plot in map(Path, plot_paths):
        if plot.stem == "lifecycle":
            continue
        caption = words.tr(_CAPTIONS[plot.stem]) if plot.stem in _CAPTIONS else plot.stem
        phone = phone_path(plot)
        figures.append(
            {
                "src": data_uri(plot.read_bytes()),
                "phone": data_uri(phone.read_bytes()) if phone.is_file() else None,
                "alt": plot.stem,
                "caption": caption,
            }
        )
    drawn = [Path(p) for p in plot_paths if Path(p).stem == "lifecycle"]
    if drawn or diagram_edges:
        png = drawn[0].read_bytes() if drawn else state_diagram_png(diagram_edges or [])
        caption = words.tr("States and triggers of the simulation.")
        lifecycle = {
            "src": data_uri(png),
            "phone": None,
            "alt": "order state diagram",
            "caption": caption,
        }
    context = {
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "title": title,
        "description": description,
        "meta": _meta_line(summary, units, words),
        "t": _texts(summary, words),
        "answer": [
            line.strip()
            for line in answer_lines(find_answer(summary, units, lang, scenario), words)
        ],
        "kpi_table": _kpi_table(summary, kpis, words),
        "all_kpis_table": _all_kpis_table(summary, words),
        "comparison_table": _comparison_table(summary, kpis, words),
        "choice": _choice(summary, words),
        "tool": tool_section(summary, words),
        "figures": figures,
        "lifecycle": lifecycle,
        "mermaid": diagram_mermaid,
        "scenario_text": scenario_text,
    }
    return atomic_write_text(path, render_report(context))

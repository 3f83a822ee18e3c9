"""report.html of `ordersim robust`: the answer, where each option is best, the numbers it
rests on with their break-evens, influence and worth, and robust.png.

The same self-contained page as a run's report (`sim.output.report`: inline CSS, the plot as a
data URI, tables that scroll with their first column fixed), from the template
`robust.html.j2`, with every text in the run's language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.output.i18n import N_

__all__ = ["write_robust_report"]

_NOTE = N_(
    "Each behaviour number below was varied over its range, one at a time (the others at their "
    "stated values) and all together over a space-filling design, every run on the same random "
    "numbers. KPI deciding: {kpi}."
)
_SHARE_NOTE = N_(
    "Share of the {points} points of the joint design where each option has the best mean, "
    "with its 95% interval (Wilson)."
)
_ASSUMPTIONS_NOTE = N_(
    "Influence: share of the variation of the recommended option's lead that the number "
    "explains alone (0 = none, 1 = all). Worth knowing: how much more per order a seller who "
    "knew the number would earn than one deciding on the whole range. Break-even: the value "
    "where another option becomes best."
)


def _share_table(result: Any, lang: Any) -> dict | None:
    if not result.best_share:
        return None
    rows = []
    for option, share in sorted(result.best_share.items(), key=lambda item: -item[1]["share"]):
        texts = [option, f"{share['share']:.0%}", f"{share['low']:.0%} – {share['high']:.0%}"]
        cls = "baseline" if option == result.recommended else ""
        rows.append({"cells": [{"text": t, "cls": ""} for t in texts], "cls": cls})
    head = [lang.tr("Option"), lang.tr("Best in"), lang.tr("95% interval")]
    return {"head": head, "rows": rows}


def _assumption_table(result: Any, lang: Any) -> dict | None:
    if not result.assumptions:
        return None
    rows = []
    for item in result.assumptions:
        flips = "; ".join(
            lang.tr("{value:.3g}: {a} → {b}", value=f["value"], a=f["from"], b=f["to"])
            for f in item["break_even"]
        )
        texts = [
            item["key"],
            f"{item['stated']:.3g}",
            f"{item['low']:.3g} – {item['high']:.3g}",
            f"{item['influence']:.2f}",
            f"{item['evpi']:.3f}",
            flips or lang.tr("none in the range"),
        ]
        cells = [{"text": t, "cls": "key" if i == 0 else ""} for i, t in enumerate(texts)]
        rows.append({"cells": cells, "cls": ""})
    head = [
        lang.tr("Number"),
        lang.tr("Stated"),
        lang.tr("Range"),
        lang.tr("Influence"),
        lang.tr("Worth knowing (per order)"),
        lang.tr("Break-even"),
    ]
    return {"head": head, "rows": rows}


def write_robust_report(
    result: Any, scenario: Any, source: Path | None, plot: Path, stage: Path, lang: Any
) -> Path:
    """Write report.html into ``stage``; returns its path."""
    from sim.output.atomic import atomic_write_text
    from sim.output.report import data_uri, render_report
    from sim.robust.answer import answer_lines

    meta = lang.tr(
        "scenario {scenario} · seed {seed} · {points} points · {reps} replications per point "
        "· {units} simulated units",
        scenario=scenario.scenario.name,
        seed=scenario.scenario.seed,
        points=result.points,
        reps=result.replications,
        units=result.units,
    )
    texts = {
        "answer": lang.tr("Answer"),
        "robust": lang.tr("How far the assumptions may be wrong"),
        "robust_note": lang.tr(_NOTE, kpi=lang.kpi(result.kpi)),
        "share": lang.tr("Where each option is best"),
        "share_note": lang.tr(_SHARE_NOTE, points=result.points),
        "assumptions": lang.tr("The numbers the answer rests on"),
        "assumptions_note": lang.tr(_ASSUMPTIONS_NOTE),
        "scenario": lang.tr("Scenario"),
        "scenario_file": lang.tr("Scenario file (TOML)"),
    }
    caption = lang.tr(
        "Left: each number's influence on the recommended option's lead. Right: the lead along "
        "the most influential numbers, the stated value dashed, break-evens as black lines."
    )
    context = {
        "html_lang": "zh-CN" if lang.code == "zh" else "en",
        "title": lang.tr("{name}: robustness", name=scenario.scenario.name),
        "description": scenario.scenario.description,
        "meta": meta,
        "t": texts,
        "answer": [line.strip() for line in answer_lines(result, scenario, lang)],
        "share_table": _share_table(result, lang),
        "assumption_table": _assumption_table(result, lang),
        "plot": {"src": data_uri(plot.read_bytes()), "alt": "robust.png", "caption": caption},
        "scenario_text": source.read_text(encoding="utf-8") if source is not None else None,
    }
    page = render_report(context, "robust.html.j2")
    return atomic_write_text(stage / "report.html", page)

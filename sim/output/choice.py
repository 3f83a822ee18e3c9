"""The answer to "which should I do?": the selection, best vs runner-up, precision, as tables.

Terminal (rich) tables and the parts the report lays out, of the summary's `selection`,
`best_vs_runner_up` and `precision` entries, plus the one note a one-replication run needs, in
the run's language. Kept apart from the KPI tables so either can change layout without the
other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from rich.table import Table

from sim.experiment.results import kpi_kind, kpi_label
from sim.output.i18n import Lang
from sim.output.keys import display_name
from sim.output.tables import column_decimals, format_diff
from sim.output.terminal import wrap_name

__all__ = [
    "adjustment_note",
    "best_vs_runner_up_text",
    "one_replication_note",
    "precision_text",
    "print_choice",
    "selection_parts",
    "selection_rows",
    "selection_table",
]

_EN = Lang("en")
_CANDIDATE_WIDTH = 20  # leaves the other five columns room in 80 columns


def _unit(kpi: str, lang: Lang) -> str:
    """The unit after a difference: " pp", " yuan", " h" (in the run's language)."""
    kind = kpi_kind(kpi)
    if kind == "rate":
        return " " + lang.tr("pp")
    if kind == "money":
        return " " + lang.tr("yuan")
    return " " + lang.tr("h") if kind == "hours" else ""


def _kpi_words(kpi: str, lang: Lang) -> str:
    return kpi_label(kpi).lower() if lang.code == "en" else lang.kpi(kpi)


def _num(kpi: str, value: float | None, digits: int, signed: bool = False) -> str:
    """A value in the KPI's display unit (rates in %); zero never shows a sign."""
    if value is None or not math.isfinite(value):
        return "n/a"
    scaled = value * (100.0 if kpi_kind(kpi) == "rate" else 1.0)
    text = f"{scaled:+.{digits}f}" if signed else f"{scaled:.{digits}f}"
    return text.lstrip("+-") if float(text) == 0.0 else text


def adjustment_note(summary: Mapping, lang: Lang = _EN) -> str:
    """Why the intervals of several comparisons are wider than one alone would be."""
    if summary.get("adjustment") != "bonferroni":
        return ""
    m = len(summary.get("comparisons", {}))
    confidence = float(summary.get("confidence", 0.95))
    return " " + lang.tr(
        "With {m} comparisons with the baseline each interval is Bonferroni-adjusted (each at "
        "{each:.2%}), so that all {m} hold together with {confidence:.0%} confidence and a "
        "strategy with no effect is coloured in at most {error:.0%} of runs; summary.json "
        "keeps the unadjusted intervals too.",
        m=m,
        each=1 - (1 - confidence) / m,
        confidence=confidence,
        error=1 - confidence,
    )


def one_replication_note(summary: Mapping, lang: Lang = _EN) -> str | None:
    """The one message a run with a single replication gets."""
    if summary.get("replications") != 1:
        return None
    return lang.tr(
        "one replication gives no interval (± n/a) and nothing is coloured; run 2 or more "
        "(--replications) to see how sure each number is"
    )


def precision_text(summary: Mapping, lang: Lang = _EN) -> str | None:
    """ "Target half-width reached with 87 replications (paid_rate ≤ 0.4 pp)." """
    precision = summary.get("precision")
    if not precision:
        return None
    targets = ", ".join(
        f"{kpi} ≤ {_num(kpi, h, 3).rstrip('0').rstrip('.')}{_unit(kpi, lang)}"
        for kpi, h in precision["targets"].items()
    )
    n = precision["replications"]
    if precision["reached"]:
        return lang.tr(
            "target half-width ({targets}) reached with {n} replications per strategy",
            targets=targets,
            n=n,
        )
    return lang.tr(
        "target half-width ({targets}) NOT reached: stopped at --max-replications {n}; raise "
        "it or accept the wider intervals shown",
        targets=targets,
        n=n,
    )


def best_vs_runner_up_text(summary: Mapping, lang: Lang = _EN) -> str | None:
    """One sentence: best minus runner-up on the main KPI, and whether they differ."""
    duel = summary.get("best_vs_runner_up")
    if not duel:
        return None
    kpi = duel["kpi"]
    comp = {"diff": duel["mean"], "ci_low": duel["ci_low"], "ci_high": duel["ci_high"]}
    diff = format_diff(kpi, comp, column_decimals(kpi, [duel["mean"]]))
    if duel["ci_low"] is None:
        verdict = lang.tr("no interval from one replication")
    elif duel["distinguishable"]:
        verdict = lang.tr("the interval excludes 0: the best is ahead")
    else:
        verdict = lang.tr("the interval holds 0: these two cannot be told apart yet")
    return lang.tr(
        "Best vs runner-up on {kpi}: {best} minus {runner_up} = {diff} (paired, 95%); {verdict}",
        kpi=_kpi_words(kpi, lang),
        best=display_name(summary, duel["best"], lang.code),
        runner_up=display_name(summary, duel["runner_up"], lang.code),
        diff=diff + _unit(kpi, lang),
        verdict=verdict,
    )


def selection_rows(summary: Mapping, lang: Lang = _EN) -> list[list[str]]:
    """Candidate, replications, mean, MCB interval, may it be the best, status; the selected
    one first, then by mean."""
    sel = summary["selection"]
    kpi = sel["kpi"]
    means = {c: summary["strategies"].get(c, {}).get(kpi, {}).get("mean") for c in sel["mcb"]}
    digits = column_decimals(kpi, means.values())
    out_after = {e["candidate"]: e["after_replications"] for e in sel["eliminated"]}
    sign = 1 if sel.get("better", "higher") == "higher" else -1

    def order(c: str) -> tuple[bool, float]:
        mean = means.get(c)
        return (c != sel["best"], -sign * (mean if mean is not None else -sign * math.inf))

    rows = []
    for c in sorted(sel["mcb"], key=order):
        mcb = sel["mcb"][c]
        low, high = mcb["ci_low"], mcb["ci_high"]
        interval = f"[{_num(kpi, low, digits, True)}, {_num(kpi, high, digits, True)}]"
        if c == sel["best"]:
            status = lang.tr("selected")
        elif c in out_after:
            status = lang.tr("out after {n}", n=out_after[c])
        else:
            status = lang.tr("within delta")
        reps = str(sel["replications"].get(c, ""))
        better_side = high if sign > 0 else low
        if better_side is None:
            may = lang.tr("n/a")
        else:
            may = lang.tr("yes") if sign * better_side > 0 else lang.tr("no")
        shown = _shown(summary, c, lang)
        rows.append([shown, reps, _num(kpi, means.get(c), digits), interval, may, status])
    return rows


def _shown(summary: Mapping, key: str, lang: Lang) -> str:
    """A candidate as the selection names it: its key in English (as summary.json does), with
    its sweep values in words in another language."""
    return key if lang.code == "en" else display_name(summary, key, lang.code)


def _selection_title(summary: Mapping, lang: Lang) -> str:
    sel = summary["selection"]
    kpi = sel["kpi"]
    delta = _num(kpi, sel["delta"], 3).rstrip("0").rstrip(".")
    better = sel.get("better", "higher")
    return lang.tr(
        "Best by {kpi}, {better}: KN selection, {confidence:.0%} confidence, delta {delta}",
        kpi=_kpi_words(kpi, lang),
        better=lang.tr("higher is better") if better == "higher" else lang.tr("lower is better"),
        confidence=sel["confidence"],
        delta=delta + _unit(kpi, lang),
    )


def _selection_note(summary: Mapping, lang: Lang) -> str:
    sel = summary["selection"]
    kpi = sel["kpi"]
    delta = _num(kpi, sel["delta"], 3).rstrip("0").rstrip(".") + _unit(kpi, lang)
    if "first_stage" in sel:
        hsu = lang.tr("Hsu, on the {n} replications all share", n=sel["first_stage"])
    else:
        hsu = lang.tr("Hsu")
    text = lang.tr(
        "Selected: {best}. With {confidence:.0%} confidence its true mean is the best or within "
        "{delta} of it. MCB: interval for each candidate's mean minus the best of the others "
        "({hsu}); a candidate whose interval lies on the worse side of 0 is ruled out as the "
        "best.",
        best=_shown(summary, sel["best"], lang),
        confidence=sel["confidence"],
        delta=delta,
        hsu=hsu,
    )
    if sel.get("stopped_by") == "max replications":
        text += " " + lang.tr(
            "Stopped at --max-replications before the procedure finished: not guaranteed."
        )
    return text


def selection_parts(summary: Mapping, lang: Lang = _EN) -> dict | None:
    """The selection's title, column headers, rows (selected first) and reading; None
    without a selection. The terminal and the report lay them out."""
    if not summary.get("selection"):
        return None
    kpi = summary["selection"]["kpi"]
    rate = kpi_kind(kpi) == "rate"
    head = [
        lang.tr("Candidate"),
        lang.tr("Reps"),
        lang.tr("Mean") + (" (%)" if rate else ""),
        lang.tr("MCB interval") + (" (" + lang.tr("pp") + ")" if rate else ""),
        lang.tr("Best?"),
        lang.tr("Status"),
    ]
    return {
        "title": _selection_title(summary, lang),
        "head": head,
        "rows": selection_rows(summary, lang),
        "note": _selection_note(summary, lang),
        "best": _shown(summary, summary["selection"]["best"], lang),
    }


def selection_table(summary: Mapping, lang: Lang = _EN) -> Table | None:
    """The selection as a rich table, with its reading underneath."""
    parts = selection_parts(summary, lang)
    if parts is None:
        return None
    table = Table(title=parts["title"], title_justify="left", caption=parts["note"])
    table.caption_justify = "left"
    for j, header in enumerate(parts["head"]):
        table.add_column(
            header,
            justify="right" if j in (1, 2, 3) else "left",
            no_wrap=j == 0,
        )
    for row in parts["rows"]:
        name = "\n".join(wrap_name(row[0], _CANDIDATE_WIDTH))  # at hyphens, never mid-word
        table.add_row(name, *row[1:], style="bold" if row[0] == parts["best"] else None)
    return table


def print_choice(console, summary: Mapping, lang: Lang = _EN) -> None:
    """Print what supports a choice after the KPI tables: the one-replication note, best vs
    runner-up, the selection and how many replications a precision target took."""
    for line in (one_replication_note(summary, lang), best_vs_runner_up_text(summary, lang)):
        if line:
            console.print(line, highlight=False)
    table = selection_table(summary, lang)
    if table is not None:
        console.print(table)
    note = precision_text(summary, lang)
    if note:
        console.print(note, highlight=False)

"""The answer to "which should I do?": the selection, best vs runner-up, precision, as tables.

Terminal (rich) and HTML renderings of the summary's `selection`, `best_vs_runner_up` and
`precision` entries, plus the one note a one-replication run needs. Kept apart from the KPI
tables so either can change layout without the other.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

from rich.table import Table

from sim.experiment.results import kpi_kind, kpi_label
from sim.output.tables import column_decimals, format_diff

__all__ = [
    "adjustment_note",
    "best_vs_runner_up_html",
    "best_vs_runner_up_text",
    "choice_html",
    "one_replication_note",
    "precision_text",
    "print_choice",
    "selection_html",
    "selection_rows",
    "selection_table",
]

_UNITS = {"rate": " pp", "money": " yuan", "hours": " h", "count": ""}


def _num(kpi: str, value: float | None, digits: int, signed: bool = False) -> str:
    """A value in the KPI's display unit (rates in %); zero never shows a sign."""
    if value is None or not math.isfinite(value):
        return "n/a"
    scaled = value * (100.0 if kpi_kind(kpi) == "rate" else 1.0)
    text = f"{scaled:+.{digits}f}" if signed else f"{scaled:.{digits}f}"
    return text.lstrip("+-") if float(text) == 0.0 else text


def adjustment_note(summary: Mapping) -> str:
    """Why the intervals of several comparisons are wider than one alone would be."""
    if summary.get("adjustment") != "bonferroni":
        return ""
    m = len(summary.get("comparisons", {}))
    confidence = float(summary.get("confidence", 0.95))
    return (
        f" With {m} comparisons with the baseline each interval is Bonferroni-adjusted "
        f"(each at {1 - (1 - confidence) / m:.2%}), so that all {m} hold together with "
        f"{confidence:.0%} confidence and a strategy with no effect is coloured in at most "
        f"{1 - confidence:.0%} of runs; summary.json keeps the unadjusted intervals too."
    )


def one_replication_note(summary: Mapping) -> str | None:
    """The one message a run with a single replication gets."""
    if summary.get("replications") != 1:
        return None
    return (
        "one replication gives no interval (± n/a) and nothing is coloured; run 2 or "
        "more (--replications) to see how sure each number is"
    )


def precision_text(summary: Mapping) -> str | None:
    """ "Target half-width reached with 87 replications (paid_rate ≤ 0.4 pp)." """
    precision = summary.get("precision")
    if not precision:
        return None
    targets = ", ".join(
        f"{kpi} ≤ {_num(kpi, h, 3).rstrip('0').rstrip('.')}{_UNITS.get(kpi_kind(kpi), '')}"
        for kpi, h in precision["targets"].items()
    )
    n = precision["replications"]
    if precision["reached"]:
        return f"target half-width ({targets}) reached with {n} replications per strategy"
    return (
        f"target half-width ({targets}) NOT reached: stopped at --max-replications {n}; "
        "raise it or accept the wider intervals shown"
    )


def best_vs_runner_up_text(summary: Mapping) -> str | None:
    """One sentence: best minus runner-up on the main KPI, and whether they differ."""
    duel = summary.get("best_vs_runner_up")
    if not duel:
        return None
    kpi = duel["kpi"]
    comp = {"diff": duel["mean"], "ci_low": duel["ci_low"], "ci_high": duel["ci_high"]}
    diff = format_diff(kpi, comp, column_decimals(kpi, [duel["mean"]]))
    unit = _UNITS.get(kpi_kind(kpi), "")
    if duel["ci_low"] is None:
        verdict = "no interval from one replication"
    elif duel["distinguishable"]:
        verdict = "the interval excludes 0: the best is ahead"
    else:
        verdict = "the interval holds 0: these two cannot be told apart yet"
    return (
        f"Best vs runner-up on {kpi_label(kpi).lower()}: {duel['best']} minus "
        f"{duel['runner_up']} = {diff}{unit} (paired, 95%); {verdict}"
    )


def selection_rows(summary: Mapping) -> list[list[str]]:
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
            status = "selected"
        elif c in out_after:
            status = f"out after {out_after[c]}"
        else:
            status = "within delta"
        reps = str(sel["replications"].get(c, ""))
        better_side = high if sign > 0 else low
        may = "n/a" if better_side is None else ("yes" if sign * better_side > 0 else "no")
        rows.append([c, reps, _num(kpi, means.get(c), digits), interval, may, status])
    return rows


def _selection_title(summary: Mapping) -> str:
    sel = summary["selection"]
    kpi = sel["kpi"]
    delta = _num(kpi, sel["delta"], 3).rstrip("0").rstrip(".")
    return (
        f"Best by {kpi_label(kpi).lower()}, {sel.get('better', 'higher')} is better: "
        f"KN selection, {sel['confidence']:.0%} confidence, delta {delta}"
        f"{_UNITS.get(kpi_kind(kpi), '')}"
    )


def _selection_note(summary: Mapping) -> str:
    sel = summary["selection"]
    kpi = sel["kpi"]
    delta = _num(kpi, sel["delta"], 3).rstrip("0").rstrip(".") + _UNITS.get(kpi_kind(kpi), "")
    text = (
        f"Selected: {sel['best']}. With {sel['confidence']:.0%} confidence its true mean is the "
        f"best or within {delta} of it. MCB: interval for each candidate's mean minus the best "
        "of the others (Hsu"
        + (f", on the {sel['first_stage']} replications all share" if "first_stage" in sel else "")
        + "); a candidate whose interval lies on the worse side of 0 is ruled out as the best."
    )
    if sel.get("stopped_by") == "max replications":
        text += " Stopped at --max-replications before the procedure finished: not guaranteed."
    return text


def selection_table(summary: Mapping) -> Table | None:
    """The selection as a rich table, with its reading underneath."""
    if not summary.get("selection"):
        return None
    kpi = summary["selection"]["kpi"]
    unit = " (%)" if kpi_kind(kpi) == "rate" else ""
    table = Table(
        title=_selection_title(summary), title_justify="left", caption=_selection_note(summary)
    )
    table.caption_justify = "left"
    table.add_column("Candidate", overflow="fold")
    table.add_column("Reps", justify="right")
    table.add_column(f"Mean{unit}", justify="right")
    table.add_column("MCB interval" + (" (pp)" if unit else ""), justify="right")
    table.add_column("Best?")
    table.add_column("Status")
    for row in selection_rows(summary):
        table.add_row(*row, style="bold" if row[-1] == "selected" else None)
    return table


def selection_html(summary: Mapping) -> str:
    """The selection as an HTML table with its reading."""
    if not summary.get("selection"):
        return ""
    esc = html.escape
    head = ["Candidate", "Replications", "Mean", "MCB interval", "May be best", "Status"]
    rows = ["<tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"]
    for row in selection_rows(summary):
        cls = ' class="baseline"' if row[-1] == "selected" else ""
        rows.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
    return (
        f"<h3>{esc(_selection_title(summary))}</h3>"
        f'<div class="scroll"><table>{"".join(rows)}</table></div>'
        f'<p class="note">{esc(_selection_note(summary))}</p>'
    )


def best_vs_runner_up_html(summary: Mapping) -> str:
    text = best_vs_runner_up_text(summary)
    return f"<p><strong>{html.escape(text)}</strong></p>" if text else ""


def choice_html(summary: Mapping) -> str:
    """The report's "Which is best?" section (empty when there is nothing to choose)."""
    parts = [best_vs_runner_up_html(summary), selection_html(summary)]
    for note in (precision_text(summary), one_replication_note(summary)):
        if note:
            parts.append(f'<p class="note">{html.escape(note[0].upper() + note[1:])}.</p>')
    body = "".join(p for p in parts if p)
    return f"<h2>Which strategy is best?</h2>{body}" if body else ""


def print_choice(console, summary: Mapping) -> None:
    """Print what supports a choice after the KPI tables: the one-replication note, best vs
    runner-up, the selection and how many replications a precision target took."""
    for line in (one_replication_note(summary), best_vs_runner_up_text(summary)):
        if line:
            console.print(line, highlight=False)
    table = selection_table(summary)
    if table is not None:
        console.print(table)
    note = precision_text(summary)
    if note:
        console.print(note, highlight=False)

"""What the seller's reminder tool would report beside what really happened: the answer's
lines, the terminal table and the report's section (docs/kpis.md, "Credited and incremental").

Read from the summary only; a strategy that reminds nobody has nothing to show here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from rich.table import Table

from sim.experiment.results import TOOL_KPIS
from sim.output.i18n import N_, Lang
from sim.output.keys import display_name, shown_keys
from sim.output.tables import column_decimals, format_stat, kpi_stat

__all__ = ["ToolFacts", "tool_facts", "tool_lines", "tool_section", "tool_tables"]

_NOTE = N_(
    "Tool: reminded orders paid before they closed ÷ orders reminded, and their amount (every "
    "buyer who would have paid anyway counted). Real gain: the paired difference against the "
    "baseline (common random numbers). ROI per yuan of reminder cost (messages, agent time, "
    "gifts, discounts)."
)
_STEP_COLUMNS = (
    N_("Step"),
    N_("Reminded (%)"),
    N_("Tool: credited (% of orders, last touch)"),
    N_("Tool: recovered/order"),
    N_("Real gain: paid (pp)"),
    N_("Real gain: yuan/order"),
)
_STEPS_NOTE = N_(
    "Credited by last touch: each paid order goes to the last reminder before it paid, so the "
    "steps' credited figures add up to the strategy's. A step's real gain is the strategy minus "
    "the strategy without that step; 'won by the steps together' is the strategy's gain over no "
    "reminder minus the steps' gains."
)


def _title(summary: Mapping, lang: Lang) -> str:
    return lang.tr(
        "What a reminder tool would report, and what really happened (vs {baseline})",
        baseline=summary.get("baseline"),
    )


@dataclass(frozen=True)
class ToolFacts:
    """The tool's figures and the real ones for one strategy (means; the gain's interval)."""

    success: float  # credited_paid_rate
    recovered: float  # credited amount per order placed
    ratio: float  # credited orders per order really won (NaN: none won)
    gain: Mapping[str, float | None]  # incremental_paid_rate {mean, ci_low, ci_high}
    gain_amount: float  # incremental amount per order placed
    tool_roi: float
    real_roi: float
    anyway_coupons: float  # per order placed
    capped: float = 0.0  # reminders skipped by daily caps, per order placed


def _mean(stats: Mapping, kpi: str) -> float:
    value = stats.get(kpi, {}).get("mean")
    return math.nan if value is None else float(value)


def tool_facts(summary: Mapping, key: str) -> ToolFacts | None:
    """The facts of strategy ``key`` (None when it reminds nobody or is the baseline)."""
    stats = summary["strategies"].get(key, {})
    gain = stats.get("incremental_paid_rate") or {}
    if not _mean(stats, "reminded_rate") > 0 or gain.get("mean") is None:
        return None
    return ToolFacts(
        success=_mean(stats, "credited_paid_rate"),
        recovered=_mean(stats, "credited_amount_per_order"),
        ratio=_mean(stats, "credited_over_incremental"),
        gain=gain,
        gain_amount=_mean(stats, "incremental_amount_per_order"),
        tool_roi=_mean(stats, "tool_roi"),
        real_roi=_mean(stats, "real_roi"),
        anyway_coupons=_mean(stats, "anyway_coupon_cost_per_order"),
        capped=_mean(stats, "capped_reminders_per_order") or 0.0,
    )


def _in(share: float, lang: Lang) -> str:
    """A share as "4 in 5" (a fraction with a small denominator)."""
    part = Fraction(share).limit_denominator(10)
    if part.numerator == 0 or part.numerator == part.denominator:
        return f"{share:.0%}"
    return lang.tr("{n} in {m}", n=part.numerator, m=part.denominator)


def _points(stat: Mapping[str, float | None]) -> str:
    text = f"{100 * float(stat['mean']):.1f}"
    if stat.get("ci_low") is not None and stat.get("ci_high") is not None:
        text += f" [{100 * float(stat['ci_low']):.1f}, {100 * float(stat['ci_high']):.1f}]"
    return text


def tool_lines(facts: ToolFacts, lang: Lang) -> list[str]:
    """The answer's lines: what the tool reports, how much of it is real, what it pays for."""
    success, recovered = f"{facts.success:.0%}", f"{1000 * facts.recovered:,.0f}"
    points, amount = _points(facts.gain), f"{1000 * facts.gain_amount:,.0f}"
    if math.isfinite(facts.ratio):
        anyway = _in(max(0.0, 1.0 - 1.0 / facts.ratio), lang)
        text = lang.tr(
            "Your reminder tool would report {success} success and {recovered} yuan recovered "
            "per 1,000 orders; about {anyway} of those buyers would have paid anyway: the real "
            "gain is {points} points of paid orders, {amount} yuan per 1,000 orders.",
            success=success, recovered=recovered, anyway=anyway, points=points, amount=amount,
        )  # fmt: skip
    else:
        text = lang.tr(
            "Your reminder tool would report {success} success and {recovered} yuan recovered "
            "per 1,000 orders, but the reminders won no order that would not have been paid "
            "anyway: the real gain is {points} points of paid orders, {amount} yuan per 1,000 "
            "orders.",
            success=success, recovered=recovered, points=points, amount=amount,
        )  # fmt: skip
    lines = [text]
    money = []
    tool, real = f"{facts.tool_roi:,.1f}", f"{facts.real_roi:,.1f}"
    coupons = f"{1000 * facts.anyway_coupons:,.0f}"
    capped = f"{1000 * facts.capped:,.1f}"
    if math.isfinite(facts.tool_roi):
        money.append(lang.tr(
            "the tool's ROI is {tool} yuan recovered per yuan the reminders cost, the real ROI "
            "{real} yuan of margin per yuan", tool=tool, real=real,
        ))  # fmt: skip
    if facts.anyway_coupons > 0:
        money.append(lang.tr(
            "coupons to buyers who would have paid anyway: {value} yuan per 1,000 orders",
            value=coupons,
        ))  # fmt: skip
    if facts.recovered > 0:
        share = f"{min(1.0, 1.0 - max(0.0, facts.gain_amount) / facts.recovered):.0%}"
        money.append(lang.tr(
            "a commission or agents' bonus on the recovered amount pays {share} of it on "
            "orders that were coming anyway", share=share,
        ))  # fmt: skip
    if money:
        lines.append("; ".join(money))
    if facts.capped > 0:
        lines.append(lang.tr(
            "the daily caps skipped {value} reminders per 1,000 orders (strategies.*."
            "max_per_buyer_per_day, channels.CHANNEL.max_per_day)", value=capped,
        ))  # fmt: skip
    return lines


def _reminding(summary: Mapping) -> list[str]:
    return [k for k in shown_keys(summary) if _mean(summary["strategies"][k], "reminded_rate") > 0]


def _cells(
    summary: Mapping, keys: Sequence[str], lang: str = "en"
) -> tuple[list[str], list[list[str]]]:
    stats = {k: [kpi_stat(summary, key, k) for key in keys] for k in TOOL_KPIS}
    digits = {k: column_decimals(k, (s["mean"] for s in stats[k])) for k in TOOL_KPIS}
    columns = [
        [format_stat(k, stats[k][i], digits[k]) for k in TOOL_KPIS] for i in range(len(keys))
    ]
    return [display_name(summary, key, lang) for key in keys], columns


def tool_tables(summary: Mapping, lang: Lang, width: int = 80) -> list[Table]:
    """The terminal's table: the tool's figures beside the real ones, per reminding strategy."""
    from sim.output.terminal import grid

    keys = _reminding(summary)
    if not keys:
        return []
    names, columns = _cells(summary, keys, lang.code)
    title = _title(summary, lang)
    return grid(title, [lang.kpi(k) for k in TOOL_KPIS], names, columns, width, lang.tr("KPI"))


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> dict:
    """A table as the report's template reads it."""
    cells = [{"cells": [{"text": c, "cls": ""} for c in row], "cls": ""} for row in rows]
    return {"head": list(head), "rows": cells}


def _step_rows(summary: Mapping, key: str, lang: Lang) -> list[list[str]]:
    rows = []
    names = ("reminded_rate", "credited_rate", "credited_amount_per_order",
             "incremental_paid_rate", "incremental_amount_per_order")  # fmt: skip
    for entry in summary.get("steps", {}).get(key, []):
        label = entry.get("label") or str(entry["step"])
        if entry["step"] == "shared":
            label = lang.tr("won by the steps together")
        cells = [label]
        for name in names:
            stat = entry.get(name)
            kpi = "reminded_rate" if name == "credited_rate" else name
            cells.append(format_stat(kpi, stat) if stat else "")
        rows.append(cells)
    return rows


def tool_section(summary: Mapping, lang: Lang) -> dict | None:
    """The report's section: the table per strategy, and per step for multi-step strategies
    (None when no strategy reminds anyone)."""
    keys = _reminding(summary)
    if not keys:
        return None
    names, columns = _cells(summary, keys, lang.code)
    head = [lang.tr("Strategy"), *(lang.kpi(k) for k in TOOL_KPIS)]
    table = _table(head, [[name, *column] for name, column in zip(names, columns, strict=True)])
    step_head = [lang.tr(text) for text in _STEP_COLUMNS]
    steps = []
    for key in keys:
        rows = _step_rows(summary, key, lang)
        if rows:
            title = lang.tr("Per step: {name}", name=display_name(summary, key, lang.code))
            steps.append({"title": title, "table": _table(step_head, rows)})
    return {
        "title": _title(summary, lang),
        "note": lang.tr(_NOTE),
        "table": table,
        "steps": steps,
        "steps_note": lang.tr(_STEPS_NOTE),
    }

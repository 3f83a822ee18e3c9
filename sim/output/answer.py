"""The answer a seller reads first: which strategy earns most, by how much, and at what cost.

Read from the summary: the experiment layer's selection and best-vs-runner-up comparison when
it made them, else the best mean of net profit and a paired interval computed here from the
replications. Net profit is compared as a total per replication when the strategies place
different numbers of orders (a blacklist, lost sales), since per-order figures would then
divide by different counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.experiment.results import UnitResult, kpi_kind, sweep_key
from sim.output.credited_view import ToolFacts, tool_facts, tool_lines
from sim.output.footing import Footing, defaults_line, find_footing, flip_line, footing_line
from sim.output.i18n import N_, Lang
from sim.output.keys import comparison, display_name, shown_keys, uses_totals
from sim.output.tables import column_decimals, display_scale

__all__ = [
    "Answer",
    "Footing",
    "answer_lines",
    "defaults_line",
    "find_answer",
    "find_footing",
    "footing_line",
]

Interval = dict[str, float | None]

# the selection procedures summary.json names, in the reader's language
_PROCEDURES = {
    "KN (Kim and Nelson 2001, fully sequential, common random numbers)": N_(
        "KN (Kim and Nelson 2001, fully sequential, common random numbers)"
    ),
}

_KPI_WORDS = {
    "net_profit": N_("net profit per replication"),
    "net_profit_per_order": N_("net profit per order"),
}


@dataclass
class Answer:
    """The facts of the answer, language-free."""

    kpi: str
    totals: bool
    best: str
    baseline: str
    best_is_baseline: bool
    replications: int
    gain: Interval | None = None
    paid: tuple[str, Interval] | None = None
    runner_up: str | None = None
    vs_runner_up: Interval | None = None
    distinguishable: bool | None = None
    selection: Mapping | None = None
    costs: dict[str, Interval] = field(default_factory=dict)
    best_name: str = ""
    runner_up_name: str = ""
    tool: ToolFacts | None = None  # what a reminder tool would report for the best strategy
    footing: Footing | None = None
    oracle: str | None = None  # the best strategy that needs buyers' hidden types (by_segment)
    oracle_name: str = ""
    oracle_gain: Interval | None = None  # oracle minus best
    scenario: Any = None  # when given, the answer opens with the plain recommendation
    robust: Mapping | None = None  # from robust.json of the same scenario (summary["robust"])


def _mean(summary: Mapping, key: str, kpi: str) -> float:
    value = summary["strategies"].get(key, {}).get(kpi, {}).get("mean")
    return -math.inf if value is None or not math.isfinite(value) else float(value)


def _paired(units: Sequence[UnitResult], a: str, b: str, kpi: str) -> Interval | None:
    """best minus runner-up, paired by replication, from the units (None if not found)."""
    from sim.experiment.stats import paired_difference

    values: dict[str, dict[int, float]] = {}
    for unit in units:
        key = sweep_key(unit.strategy, unit.sweep_value)
        values.setdefault(key, {})[unit.replication] = unit.kpis.get(kpi, math.nan)
    if a not in values or b not in values:
        return None
    shared = sorted(set(values[a]) & set(values[b]))
    diff = paired_difference([values[a][r] for r in shared], [values[b][r] for r in shared])
    return {"mean": diff["diff"], "ci_low": diff["ci_low"], "ci_high": diff["ci_high"]}


def find_answer(
    summary: Mapping, units: Sequence[UnitResult] = (), lang: str = "en", scenario: Any = None
) -> Answer:
    """The best strategy on net profit and what it gains and costs against the baseline;
    with the validated ``scenario``, the answer opens with what to do in a seller's words."""
    totals = uses_totals(summary)
    bvr = summary.get("best_vs_runner_up") or None
    selection = summary.get("selection") or None
    kpi = "net_profit" if totals else "net_profit_per_order"
    if all(_mean(summary, key, kpi) == -math.inf for key in summary["strategies"]):
        kpi = "net_profit_per_order"  # a summary without totals
    if bvr and bvr.get("kpi"):
        kpi = bvr["kpi"]
    keys = shown_keys(summary)
    ranked = sorted(keys, key=lambda k: _mean(summary, k, kpi), reverse=True)
    hidden = set(summary.get("hidden_type") or ())
    oracles = [k for k in ranked if k.split("@", 1)[0] in hidden]
    if oracles and len(oracles) < len(ranked):  # a seller cannot run these: shown beside
        ranked = [k for k in ranked if k not in oracles]
    best = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    if selection and selection.get("best") in summary["strategies"]:
        best = selection["best"]
        runner = next((k for k in ranked if k != best), None)
    baseline = str(summary.get("baseline"))
    ans = Answer(
        kpi=kpi,
        totals=totals,
        best=best,
        baseline=baseline,
        best_is_baseline=best.split("@", 1)[0] == baseline,
        replications=int(summary.get("replications") or 0),
        selection=selection,
        runner_up=runner,
        scenario=scenario,
        robust=summary.get("robust"),
    )
    ans.gain = comparison(summary, best, kpi)
    paid_kpi = "paid_orders" if totals else "paid_rate"
    paid = comparison(summary, best, paid_kpi)
    ans.paid = (paid_kpi, paid) if paid is not None else None
    if bvr and bvr.get("best") == best and bvr.get("runner_up"):
        ans.runner_up = bvr["runner_up"]
        ans.vs_runner_up = {k: bvr.get(k) for k in ("mean", "ci_low", "ci_high")}
        ans.distinguishable = bvr.get("distinguishable")
    elif runner is not None:
        ans.vs_runner_up = _paired(units, best, runner, kpi)
        if ans.vs_runner_up is None and runner.split("@", 1)[0] == baseline:
            ans.vs_runner_up = ans.gain
        if ans.vs_runner_up is not None and ans.vs_runner_up.get("ci_low") is not None:
            low, high = ans.vs_runner_up["ci_low"], ans.vs_runner_up["ci_high"]
            ans.distinguishable = bool(low > 0 or high < 0)
    # the runner-up is the baseline: "told apart" is the gain's interval printed above
    gain = ans.gain or {}
    runner_is_baseline = bool(ans.runner_up) and ans.runner_up.split("@", 1)[0] == baseline
    if (
        runner_is_baseline
        and not ans.best_is_baseline
        and None
        not in (
            gain.get("ci_low"),
            gain.get("ci_high"),
        )
    ):
        apart = bool(gain["ci_low"] > 0 or gain["ci_high"] < 0)
        ans.distinguishable = apart and ans.distinguishable is not False
    if oracles and ranked and oracles[0] != ranked[0]:
        ans.oracle = oracles[0]
        ans.oracle_name = display_name(summary, ans.oracle, lang)
        ans.oracle_gain = _paired(units, ans.oracle, best, kpi) or {
            "mean": _mean(summary, ans.oracle, kpi) - _mean(summary, best, kpi)
        }
    ans.footing = find_footing(summary, ans.best)
    ans.best_name = display_name(summary, ans.best, lang)
    ans.runner_up_name = display_name(summary, ans.runner_up, lang) if ans.runner_up else ""
    ans.tool = tool_facts(summary, best)
    for cost in (
        "reminders_per_order",
        "low_ratings_per_order",
        "harassment_complaints_per_order",
        "penalty_points_per_order",
        "traffic_lost_rate",
    ):
        comp = comparison(summary, best, cost)
        if comp is not None and comp.get("mean") is not None:
            ans.costs[cost] = comp
    return ans


def _unit_word(kpi: str, diff: bool, lang: Lang) -> str:
    kind = kpi_kind(kpi)
    if kind == "rate":
        return (" pp" if diff else "%") if lang.code == "en" else (" 个百分点" if diff else "%")
    if kind == "money":
        return " yuan" if lang.code == "en" else " 元"
    return ""


def format_interval(kpi: str, stat: Interval | None, lang: Lang) -> str:
    """ "+4.37 yuan [4.18, 4.56]" (signed, rates in pp); "n/a" without a mean."""
    if stat is None or stat.get("mean") is None:
        return lang.tr("n/a")
    factor = display_scale(kpi)
    mean = float(stat["mean"]) * factor
    low, high = stat.get("ci_low"), stat.get("ci_high")
    digits = column_decimals(kpi, [stat["mean"], low, high])
    bounds = None if low is None or high is None else (low * factor, high * factor)
    if kpi == "paid_orders" or kpi == "net_profit":
        # a total per replication rests on assumed rules (bans, returns, traffic): three
        # significant figures, not the last yuan
        digits = 0 if abs(mean) >= 100 else 1
        largest = max(abs(v) for v in (mean, *(bounds or ())))
        mean = _three_figures(mean, largest)
        if bounds is not None:
            bounds = (_three_figures(bounds[0], largest), _three_figures(bounds[1], largest))
    text = f"{mean:+,.{digits}f}{_unit_word(kpi, True, lang)}"
    if bounds is not None:
        text += f" [{bounds[0]:+,.{digits}f}, {bounds[1]:+,.{digits}f}]"
    return text


def _three_figures(value: float, largest: float) -> float:
    """``value`` rounded to the step of three significant figures of ``largest`` (whole
    numbers only: a step below 1 leaves it as it is)."""
    if largest <= 0 or not math.isfinite(largest):
        return value
    step = 10.0 ** (math.floor(math.log10(largest)) - 2)
    return float(round(value / step) * step) if step >= 1 else value


def _short(x: float) -> str:
    """A signed number with about two significant digits (a cost at a glance)."""
    size = abs(x)
    digits = 0 if size >= 10 else 1 if size >= 1 else 2
    return f"{x:+,.{digits}f}"


def _robust_lines(ans: Answer, lang: Lang) -> list[str]:
    """How robust the recommendation is, when `ordersim robust` checked this scenario and
    recommends the same option: the share of the range where it is best, the break-evens."""
    robust = ans.robust
    if not robust or robust.get("recommended") != ans.best or not robust.get("share"):
        return []
    from sim.robust.answer import share_line

    lines = [share_line(ans.best_name, robust["share"], robust.get("points"), lang)]
    return lines + ["  " + flip_line(f["key"], f["stated"], f, lang) for f in robust["flips"]]


def answer_lines(ans: Answer, lang: Lang) -> list[str]:
    """The answer as a few plain sentences (terminal and report)."""
    kpi_words = lang.tr(_KPI_WORDS[ans.kpi]) if ans.kpi in _KPI_WORDS else ans.kpi
    lines = []
    if ans.scenario is not None:
        from sim.output.recommend import recommendation

        apart = True if ans.selection else ans.distinguishable
        names = {ans.best: ans.best_name}
        if ans.runner_up:
            names[ans.runner_up] = ans.runner_up_name
        lines.append(recommendation(ans.scenario, ans.best, ans.runner_up, apart, lang, names))
        lines += _robust_lines(ans, lang)
    if ans.best_is_baseline:
        lines.append(
            lang.tr(
                "Best on {kpi}: {best}, the baseline: no strategy beats it",
                kpi=kpi_words,
                best=ans.best_name,
            )
        )
    else:
        lines.append(lang.tr("Best on {kpi}: {best}", kpi=kpi_words, best=ans.best_name))
        gain = lang.tr(
            "vs baseline {baseline}: {value}",
            baseline=ans.baseline,
            value=format_interval(ans.kpi, ans.gain, lang),
        )
        if ans.paid is not None:
            gain += "; " + lang.tr("paid orders {value}", value=format_interval(*ans.paid, lang))
        lines.append("  " + gain)
    if ans.selection:
        sel = ans.selection
        lines.append(
            "  "
            + lang.tr(
                "selected by {procedure} ({confidence:.0%} confidence, within {delta})",
                procedure=lang.tr(_PROCEDURES[sel.get("procedure")])
                if sel.get("procedure") in _PROCEDURES
                else sel.get("procedure", "?"),
                confidence=float(sel.get("confidence") or 0.95),
                delta=sel.get("delta", "?"),
            )
        )
    if ans.runner_up is None:
        lines.append("  " + lang.tr("there is no runner-up to compare"))
    elif ans.runner_up.split("@", 1)[0] == ans.baseline and not ans.best_is_baseline:
        n = lang.replications(ans.replications)
        if ans.distinguishable:
            line = lang.tr("the runner-up is the baseline itself, and the gain above is real")
        else:
            line = lang.tr(
                "the runner-up is the baseline itself, and the interval above holds 0: with {n} "
                "it cannot be told apart from doing nothing new",
                n=n,
            )
        lines.append("  " + line)
    elif ans.vs_runner_up is not None:
        value = format_interval(ans.kpi, ans.vs_runner_up, lang)
        n = lang.replications(ans.replications)
        if ans.distinguishable:
            line = lang.tr(
                "ahead of the runner-up {runner} by {value}: the two can be told apart",
                runner=ans.runner_up_name,
                value=value,
            )
        else:
            line = lang.tr(
                "the runner-up {runner} is within {value}: the two cannot be told apart with "
                "{n}; run more replications to separate them",
                runner=ans.runner_up_name,
                value=value,
                n=n,
            )
        lines.append("  " + line)
    if ans.costs and not ans.best_is_baseline:
        items = []
        for kpi, name, scale in (
            ("reminders_per_order", N_("{value} reminders per order"), 1.0),
            ("low_ratings_per_order", N_("{value} low ratings per 1,000 orders"), 1000.0),
            (
                "harassment_complaints_per_order",
                N_("{value} harassment complaints per 1,000 orders"),
                1000.0,
            ),
            ("penalty_points_per_order", N_("{value} penalty points per 1,000 orders"), 1000.0),
            (
                "traffic_lost_rate",
                N_("{value}% of would-be orders lost to ratings and complaints"),
                100.0,
            ),
        ):
            mean = ans.costs.get(kpi, {}).get("mean")
            if kpi in ("harassment_complaints_per_order", "traffic_lost_rate") and not mean:
                continue  # none under the articles' reading, or no traffic lost: no word
            if mean is not None:
                items.append(lang.tr(name, value=_short(mean * scale)))
        lines.append("  " + lang.tr("what it costs vs baseline: {items}", items="; ".join(items)))
    if ans.tool is not None:
        lines += ["  " + line for line in tool_lines(ans.tool, lang)]
    if ans.oracle is not None:
        lines.append(
            "  "
            + lang.tr(
                "knowing each buyer's hidden type, as {oracle} assumes (by_segment), would be "
                "worth {value} more: a seller cannot see it, so it is not the answer",
                oracle=ans.oracle_name,
                value=format_interval(ans.kpi, ans.oracle_gain, lang),
            )
        )
    if ans.totals:
        lines.append(
            "  "
            + lang.tr(
                "the strategies place different numbers of orders, so totals per replication "
                "are compared (net_profit, paid_orders)"
            )
        )
    if ans.footing is not None:
        lines.append("  " + footing_line(ans.footing, ans.best_name, lang))
    return lines

"""The answer of `ordersim robust`: the recommendation and how robust it is, in the run's
language; the terminal prints it wrapped to its width, report.html shows the same lines."""

from __future__ import annotations

from typing import Any

__all__ = ["answer_lines", "share_line"]

WORTH = 0.0005  # per order: below this (0.000 at three decimals) knowing a number is worth nothing


def share_line(option: str, share: dict[str, float], points: Any, lang: Any) -> str:
    """The line "X is best in 91% [81%, 96%] of the plausible range (64 points)", indented as a
    continuation line: robust's answer and, once robust has checked the scenario, run's."""
    return "  " + lang.tr(
        "{option} is best in {share:.0%} [{low:.0%}, {high:.0%}] of the plausible range "
        "({points} points)",
        option=option,
        share=share["share"],
        low=share["low"],
        high=share["high"],
        points=points,
    )


def _worth_line(result: Any, lang: Any) -> list[str]:
    """The number worth measuring first; where knowing any one is worth less than a tenth of a
    fen per order, says so and names the one that moves the lead most instead."""
    if not result.assumptions:
        return []
    top = max(result.assumptions, key=lambda a: a["evpi"])
    if top["evpi"] >= WORTH:
        text = lang.tr(
            "worth measuring first: {key} (knowing it is worth {evpi:.3f} per order)",
            key=top["key"],
            evpi=top["evpi"],
        )
    else:
        text = lang.tr(
            "no number is worth measuring for this decision alone (knowing any one is worth "
            "under {worth:.3f} per order); the one that moves the lead most: {key}",
            worth=2 * WORTH,
            key=result.assumptions[0]["key"],
        )
    return ["  " + text]


def answer_lines(result: Any, scenario: Any, lang: Any) -> list[str]:
    """The recommendation and how robust it is, the break-evens, the number worth measuring
    first, and how many of the numbers are assumptions; continuation lines start with two
    spaces. With nothing to vary, says so instead of the robustness lines."""
    from sim.output.footing import Footing, flip_line, footing_line
    from sim.output.recommend import option_name, recommendation
    from sim.scenario.stated import footing

    lead = result.lead
    apart = None if not lead else bool(lead["ci_low"] > 0 or lead["ci_high"] < 0)
    lines = [recommendation(scenario, result.recommended, result.runner_up, apart, lang)]
    if not result.assumptions:
        lines.append(
            "  "
            + lang.tr(
                "nothing to vary: no channel in use has a stated response or annoyance above "
                "0 that the scenario does not sweep; name a number with --vary KEY=LOW:HIGH "
                "to see how far it may be wrong"
            )
        )
    share = result.best_share.get(result.recommended)
    if share is not None:
        option = option_name(scenario, result.recommended, lang)
        lines.append(share_line(option, share, result.points, lang))
    for item in result.assumptions:
        lines += [
            "  " + flip_line(item["key"], item["stated"], flip, lang) for flip in item["break_even"]
        ]
    lines += _worth_line(result, lang)
    stated = footing(scenario)
    ranked = [a["key"] for a in result.assumptions if a["influence"] > 0.05][:3]
    total = len(stated["assumptions"]) + len(stated["sourced"])
    foot = Footing(len(stated["assumptions"]), total, ranked, True)
    lines.append("  " + footing_line(foot, result.recommended, lang))
    return lines

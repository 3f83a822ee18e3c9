"""The footing of an answer: how many of its behaviour numbers are assumptions, which matter
most, and which documented defaults the run used (the closing lines of `run` and `robust`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.output.i18n import Lang

__all__ = [
    "Footing",
    "defaults_line",
    "find_footing",
    "flip_line",
    "footing_line",
    "robust_footing",
]


@dataclass
class Footing:
    """How many behaviour numbers the answer rests on are assumptions, and which matter most
    (ranked by `ordersim robust` when it ran, else the best strategy's response chances)."""

    assumptions: int
    total: int
    matter_most: list[str]
    ranked: bool


def find_footing(summary: Mapping, best: str) -> Footing | None:
    """The footing of an answer from summary.json (None for a summary without it)."""
    stated = summary.get("assumptions")
    if stated is None:
        return None
    total = len(stated) + len(summary.get("sourced") or [])
    ranked = summary.get("influence_order")
    if ranked:
        return Footing(len(stated), total, list(ranked)[:3], True)
    strategy = best.split("@", 1)[0]
    keys = [
        a["key"]
        for a in stated
        if strategy in a.get("used_by", ()) and a["key"].rsplit(".", 2)[1] == "response"
    ]
    return Footing(len(stated), total, keys[:3], False)


def footing_line(footing: Footing, best: str, lang: Lang) -> str:
    """The closing line: how many numbers are assumptions and which to check first."""
    if footing.assumptions == 0:
        return lang.tr("every behaviour number behind this answer is fitted or measured")
    text = lang.tr(
        "{n} of the {total} behaviour numbers behind this answer are assumptions (stated in "
        "the file, not fitted or measured)",
        n=footing.assumptions,
        total=footing.total,
    )
    if not footing.matter_most:
        return text
    keys = ", ".join(footing.matter_most)
    if footing.ranked:
        return text + lang.tr("; those that matter most: {keys}", keys=keys)
    return text + lang.tr(
        "; first to check, the response chances {best} relies on: {keys} "
        "(`ordersim robust` ranks them)",
        best=best,
        keys=keys,
    )


def _value_text(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k} {v:g}" if isinstance(v, float) else str(v) for k, v in value.items())
    return f"{value:g}" if isinstance(value, float) else str(value)


def defaults_line(defaults: list[dict[str, Any]], lang: Lang) -> str:
    """The defaults a run used, in one line: "defaults used (docs/format.md): in every segment:
    complains 0.5, ...; in malicious: pay_hours lognormal median 18 sigma 0.5"."""
    where: dict[str, list[str]] = {}
    for item in defaults:
        segment, key = item["key"].rsplit(".", 1)
        where.setdefault(f"{key} {_value_text(item['value'])}", []).append(segment)
    segments = list(dict.fromkeys(item["key"].rsplit(".", 1)[0] for item in defaults))
    groups: dict[str, list[str]] = {}
    for text, names in where.items():
        every = len(names) == len(segments) > 1
        label = "" if every else ", ".join(name.split(".", 1)[1] for name in names)
        groups.setdefault(label, []).append(text)
    parts = [
        lang.tr("in {segments}: {items}", segments=label, items=", ".join(items))
        if label
        else lang.tr("in every segment: {items}", items=", ".join(items))
        for label, items in groups.items()
    ]
    return lang.tr("defaults used (docs/format.md): {text}", text="; ".join(parts))


def flip_line(key: str, stated: float, flip: Mapping[str, Any], lang: Lang) -> str:
    """One break-even of `ordersim robust` in words: which option wins past it."""
    values = {"key": key, "value": flip["value"], "stated": stated}
    if flip["value"] > stated:
        return lang.tr(
            "{other} wins instead once {key} rises above {value:.3g} (you assumed {stated:.3g})",
            other=flip["to"],
            **values,
        )
    return lang.tr(
        "{other} wins instead once {key} falls below {value:.3g} (you assumed {stated:.3g})",
        other=flip["from"],
        **values,
    )


def robust_footing(robust: Mapping[str, Any]) -> dict[str, Any]:
    """What a run's summary takes from robust.json of the same scenario: the numbers ranked by
    influence (the footing line's "matter most") and how robust its recommendation is."""
    items = robust.get("assumptions") or []
    share = (robust.get("best_share") or {}).get(robust.get("recommended"))
    flips = [
        {"key": a["key"], "stated": a["stated"], **flip}
        for a in items
        for flip in a.get("break_even") or []
    ]
    out: dict[str, Any] = {
        "influence_order": [a["key"] for a in items if a.get("influence", 0) > 0.05],
        "robust": {
            "recommended": robust.get("recommended"),
            "points": robust.get("points"),
            "share": share,
            "flips": flips,
        },
    }
    return out

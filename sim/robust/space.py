"""Which behaviour numbers a robustness check varies, and over which ranges.

By default every assumption a used channel rests on (each segment's `response` and `annoyance`
of the channels strategies send it) varies from half to one and a half times its stated value,
clipped to [0, 1]; a number stated as 0 has no such range and stays fixed (name it with
--vary to give it one). ``--vary KEY=LOW:HIGH`` replaces the default with the named keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.errors import PathError, UsageError
from sim.scenario.dotted import resolve
from sim.scenario.load import named_path
from sim.scenario.paths import scenario_input
from sim.scenario.stated import CHANNEL_KEYS, footing

__all__ = ["Axis", "default_axes", "parse_vary"]

SPREAD = 0.5  # default range: stated x (1 - SPREAD) .. stated x (1 + SPREAD), clipped to [0, 1]


@dataclass(frozen=True)
class Axis:
    """One varied number: its dotted key, its stated value and the range it varies over."""

    key: str
    stated: float
    low: float
    high: float


def default_axes(scenario: Any) -> list[Axis]:
    """The assumptions of used channels, each over its default range (zeros left out)."""
    axes = []
    for item in footing(scenario)["assumptions"]:
        parts = item["key"].rsplit(".", 2)
        if len(parts) < 3 or parts[1] not in CHANNEL_KEYS or not item.get("used_by"):
            continue
        stated = float(item["value"])
        low, high = max(0.0, stated * (1 - SPREAD)), min(1.0, stated * (1 + SPREAD))
        if high > low:
            axes.append(Axis(item["key"], stated, low, high))
    return axes


def parse_vary(scenario: Any, texts: list[str]) -> list[Axis]:
    """--vary KEY=LOW:HIGH options, each checked; UsageError lists every bad one."""
    data = scenario_input(scenario)
    full = scenario.model_dump()
    axes, problems = [], []
    for text in texts:
        key, _, span = text.partition("=")
        low_text, _, high_text = span.partition(":")
        try:
            low, high = float(low_text), float(high_text)
        except ValueError:
            problems.append(f"--vary: use KEY=LOW:HIGH, e.g. segments.a.response.sms=0.1:0.5 "
                            f"(got {text!r})")  # fmt: skip
            continue
        try:
            stated = resolve(full, key)
        except PathError as exc:
            problems.append(f"--vary {key}: no such key: {exc}")
            continue
        if isinstance(stated, bool) or not isinstance(stated, int | float):
            problems.append(f"--vary {key}: must name one number (got {stated!r})")
            continue
        if not low < high:
            problems.append(f"--vary {key}: LOW must be below HIGH (got {low:g}:{high:g})")
            continue
        axes.append(Axis(named_path(data, key), float(stated), low, high))
    if problems:
        raise UsageError("\n".join(problems))
    return axes

"""Which behaviour numbers a robustness check varies, and over which ranges.

By default every assumption a used channel rests on (each segment's `response` and `annoyance`
of the channels strategies send it) varies from half to one and a half times its stated value,
clipped to [0, 1]; a number stated as 0 has no such range and stays fixed (name it with
--vary to give it one). ``--vary KEY=LOW:HIGH`` replaces the default with the named keys.
A key the scenario sweeps is not varied: the sweep already tries its values.

Each range is validated once, at both ends, like a `--set` of that value; the points inside
are typed copies of the validated scenario (`sim.scenario.typed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.errors import PathError, ScenarioError, UsageError
from sim.output.i18n import N_
from sim.scenario.dotted import resolve
from sim.scenario.load import named_path
from sim.scenario.paths import apply_override, scenario_input
from sim.scenario.stated import CHANNEL_KEYS, footing
from sim.scenario.typed import replace_number

__all__ = ["Axis", "axis_label", "default_axes", "parse_vary"]

SPREAD = 0.5  # default range: stated x (1 - SPREAD) .. stated x (1 + SPREAD), clipped to [0, 1]

_CHANNEL_WORDS = {"sms": N_("SMS"), "phone": N_("a call"), "im": N_("an IM"),
                  "auto": N_("the platform's reminder")}  # fmt: skip


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
    swept = swept_keys(scenario)
    for item in footing(scenario)["assumptions"]:
        parts = item["key"].rsplit(".", 2)
        if len(parts) < 3 or parts[1] not in CHANNEL_KEYS or not item.get("used_by"):
            continue
        if item["key"] in swept:
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
    swept = swept_keys(scenario)
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
        named = named_path(data, key)
        if named in swept:
            problems.append(f"--vary {key}: the scenario sweeps this key; its values are tried "
                            "already (remove the --vary or the sweep)")  # fmt: skip
            continue
        wrong = _range_problems(scenario, named, low, high)
        if wrong:
            problems += wrong
            continue
        axes.append(Axis(named, float(stated), low, high))
    if problems:
        raise UsageError("\n".join(problems))
    return axes


def swept_keys(scenario: Any) -> set[str]:
    """The keys a sweep of the scenario sets, spelled as the answer names them."""
    if scenario.sweep is None:
        return set()
    data = scenario_input(scenario)
    return {named_path(data, name) for name, _values in scenario.sweep.axes}


def _range_problems(scenario: Any, key: str, low: float, high: float) -> list[str]:
    """What is wrong with the range's ends, each validated as a --set of it would be (the
    points between them are typed copies and are not validated again)."""
    try:
        replace_number(scenario, key, low)
    except PathError as exc:
        return [f"--vary {key}: {exc}"]
    problems = []
    for end in (low, high):
        try:
            apply_override(scenario, key, end)
        except ScenarioError as exc:
            problems += [str(p) for p in exc.problems if str(p) not in problems]
    return problems


def axis_label(key: str, words: Any) -> str:
    """A varied number in the reader's words: "changed-mind's response to SMS" for
    segments.changed-mind.response.sms; another key as it is written (what --vary takes)."""
    parts = key.split(".")
    if len(parts) == 4 and parts[0] == "segments" and parts[3] in _CHANNEL_WORDS:
        channel = words.tr(_CHANNEL_WORDS[parts[3]])
        if parts[2] == "response":
            return words.tr("{segment}'s response to {channel}", segment=parts[1], channel=channel)
        if parts[2] == "annoyance":
            return words.tr("{segment}'s annoyance at {channel}", segment=parts[1], channel=channel)
    return key

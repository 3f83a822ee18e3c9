"""Which behaviour numbers an answer rests on, and whether the file states them.

A reminder's effect is decided by two numbers per segment and channel: `response` (the chance
one reminder wins the buyer) and `annoyance` (the chance it earns a low rating). No default can
stand in for them, so every channel a strategy sends to a segment must be stated in the file
(written by hand, by `ordersim fit`, or from a trial). The other behaviour keys of a segment keep
their documented defaults, and a run lists the ones it used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sim.errors import Problem
from sim.scenario.buyers import CHANNELS
from sim.scenario.models import Scenario
from sim.scenario.step_checks import strategy_keys

__all__ = [
    "BEHAVIOUR_KEYS",
    "CHANNEL_KEYS",
    "behaviour_numbers",
    "defaults_used",
    "footing",
    "unstated_problems",
    "used_channels",
]

CHANNEL_KEYS = ("response", "annoyance")
# segment keys that describe how buyers behave (share, name, malicious describe who they are)
BEHAVIOUR_KEYS = (
    "pays_unprompted",
    "pay_hours",
    "cancels",
    "cancel_hours",
    "response_hours",
    "annoyance_growth",
    "complains",
    "accepts_alternative",
    "refuses_delivery",
    "disputes",
    "orders_per_buyer",
    "returns",
    "return_days",
    "reorders",
    "reorder_hours",
    "returning_share",
)


def _reaches(step: Any, segment: Any) -> bool:
    """Whether a step's only_if can match a buyer of this segment at all."""
    cond = step.only_if
    if cond is None or cond.buyer is None:
        return True
    if cond.buyer == "returning":
        return segment.returning_share > 0
    return segment.returning_share < 1


def channel_users(scenario: Scenario) -> dict[tuple[int, str], list[str]]:
    """(segment index, channel) -> the strategies that send that channel to that segment."""
    users: dict[tuple[int, str], list[str]] = {}
    for strategy in scenario.strategies:
        for step in strategy.reminders:
            for s, segment in enumerate(scenario.segments):
                channel = step.channel_for(segment.name)
                if channel is None or segment.share <= 0 or not _reaches(step, segment):
                    continue
                names = users.setdefault((s, channel), [])
                if strategy.name not in names:
                    names.append(strategy.name)
    return users


def used_channels(scenario: Scenario) -> dict[int, dict[str, str]]:
    """segment index -> {channel: the first step that sends it to that segment}, for segments
    that place orders; the step is named as error paths name it."""
    used: dict[int, dict[str, str]] = {}
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        for j, step in enumerate(strategy.reminders):
            for s, segment in enumerate(scenario.segments):
                channel = step.channel_for(segment.name)
                if channel is None or segment.share <= 0 or not _reaches(step, segment):
                    continue
                where = f"strategies.{keys[i]}.reminders.{j}"
                used.setdefault(s, {}).setdefault(channel, where)
    return used


def _segment_path(scenario: Scenario, s: int) -> str:
    """ "segments.NAME" when the name is unambiguous, else "segments.INDEX"."""
    name = scenario.segments[s].name
    names = [seg.name for seg in scenario.segments]
    plain = names.count(name) == 1 and not name.isdigit() and "." not in name
    return f"segments.{name if plain else s}"


def _written(data: Mapping[str, Any], s: int) -> Mapping[str, Any]:
    segments = data.get("segments")
    if isinstance(segments, list) and s < len(segments) and isinstance(segments[s], Mapping):
        return segments[s]
    return {}


def unstated_problems(
    scenario: Scenario, data: Mapping[str, Any], source: str
) -> Iterator[Problem]:
    """Each response and annoyance chance that a used channel needs and the file leaves out."""
    for s, channels in sorted(used_channels(scenario).items()):
        written = _written(data, s)
        for key in CHANNEL_KEYS:
            table = written.get(key)
            table = table if isinstance(table, Mapping) else {}
            for channel, where in channels.items():
                if channel in table:
                    continue
                message = (
                    f"not stated, and {where} sends {channel} to these buyers: state the chance "
                    "(your guess, a number from `ordersim fit`, or a trial's); there is no default"
                )
                yield Problem(source, f"{_segment_path(scenario, s)}.{key}.{channel}", message)


def defaults_used(scenario: Scenario) -> list[tuple[str, Any]]:
    """(dotted key, value) of each behaviour key a segment that places orders leaves to its
    documented default (empty for a scenario built in code, which states everything)."""
    data = scenario._input
    if data is None:
        return []
    out = []
    for s, segment in enumerate(scenario.segments):
        if segment.share <= 0:
            continue
        written = _written(data, s)
        for key in BEHAVIOUR_KEYS:
            if key not in written:
                value = getattr(segment, key)
                value = value.model_dump() if hasattr(value, "model_dump") else value
                out.append((f"{_segment_path(scenario, s)}.{key}", value))
    return out


def behaviour_numbers(scenario: Scenario) -> list[tuple[str, Any]]:
    """(dotted key, value) of every behaviour number the file states and the answer uses:
    the response and annoyance of each used channel, the other behaviour keys of segments that
    place orders, and the response uplift of each incentive."""
    data = scenario._input if scenario._input is not None else scenario.model_dump()
    used = used_channels(scenario)
    out: list[tuple[str, Any]] = []
    for s, segment in enumerate(scenario.segments):
        if segment.share <= 0:
            continue
        written = _written(data, s)
        base = _segment_path(scenario, s)
        for key in CHANNEL_KEYS:
            table = getattr(segment, key)
            for channel in sorted(used.get(s, {}), key=CHANNELS.index):
                if channel in (written.get(key) or {}):
                    out.append((f"{base}.{key}.{channel}", table.of(channel)))
        for key in BEHAVIOUR_KEYS:
            if key in written:
                value = getattr(segment, key)
                out.append((f"{base}.{key}", _plain(value)))
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        for j, step in enumerate(strategy.reminders):
            if step.incentive is not None and step.incentive.uplift > 0:
                key = f"strategies.{keys[i]}.reminders.{j}.incentive.uplift"
                out.append((key, step.incentive.uplift))
    return out


def footing(scenario: Scenario) -> dict[str, list[dict[str, Any]]]:
    """What an answer rests on, for summary.json: ``assumptions`` (stated behaviour numbers,
    each with its key, value and, for a channel's chance, the strategies that send it),
    ``sourced`` (numbers fitted or measured, with their source) and ``defaults_used``."""
    users = channel_users(scenario)
    index = {_segment_path(scenario, s): s for s in range(len(scenario.segments))}
    assumptions, sourced = [], []
    for key, value in behaviour_numbers(scenario):
        entry = _source_of(scenario.sources, key, value)
        if entry is not None:
            sourced.append({"key": key, "value": value, **entry})
            continue
        item: dict[str, Any] = {"key": key, "value": value}
        parts = key.rsplit(".", 2)
        if parts[0] in index and parts[1] in CHANNEL_KEYS:
            item["used_by"] = users.get((index[parts[0]], parts[2]), [])
        assumptions.append(item)
    defaults = [{"key": key, "value": value} for key, value in defaults_used(scenario)]
    return {"assumptions": assumptions, "sourced": sourced, "defaults_used": defaults}


def _source_of(sources: Mapping[str, Any], key: str, value: Any) -> dict[str, Any] | None:
    """The fitted or measured entry of a number, as summary.json writes it (None: stated).

    A distribution (`response_hours = { dist = "exponential", mean = 1.5 }`) is sourced when
    each of its numbers has an entry (`segments.NAME.response_hours.mean`); [sources] names
    single numbers only."""
    entry = sources.get(key)
    if entry is not None:
        return None if entry.kind == "stated" else entry.model_dump(mode="json")
    if not isinstance(value, Mapping):
        return None
    parts = {p: sources.get(f"{key}.{p}") for p, x in value.items() if not isinstance(x, str)}
    if not parts or any(e is None or e.kind == "stated" for e in parts.values()):
        return None
    if len(parts) == 1:
        return next(iter(parts.values())).model_dump(mode="json")
    kinds = {e.kind for e in parts.values()}
    kind = "measured" if kinds == {"measured"} else "fitted"
    return {"kind": kind, "parts": {p: e.model_dump(mode="json") for p, e in parts.items()}}


def _plain(value: Any) -> Any:
    return value.model_dump() if hasattr(value, "model_dump") else value

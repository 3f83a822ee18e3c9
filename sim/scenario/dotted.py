"""Dotted key paths into plain scenario data: "strategies.next-day.reminders.0.at".

List items are addressed by index ("strategies.1") or, when the token is not a number, by
their `name` key ("strategies.next-day-by-segment"). These functions work on plain dicts and
lists only, so sweeps and overrides are data edits followed by a normal validation.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sim.errors import PathError
from sim.scenario.problems import did_you_mean

__all__ = ["assign", "resolve", "split_path", "thaw"]


def split_path(dotted: str) -> list[str]:
    """The tokens of a dotted path; PathError when a token is empty."""
    parts = dotted.split(".") if isinstance(dotted, str) else [""]
    if not all(parts):
        raise PathError(f"{dotted!r} is not a dotted key path such as 'shop.freight'")
    return parts


def _where(done: list[str]) -> str:
    return ".".join(done) if done else "the scenario"


def _key(node: Any, part: str, done: list[str]) -> str | int:
    """The dict key or list index that `part` names inside `node`."""
    if isinstance(node, Mapping):
        if part in node:
            return part
        hint = did_you_mean(part, [str(k) for k in node])
        raise PathError(f"{_where(done)} has no key {part!r}{hint}")
    if isinstance(node, list | tuple):
        if part.isdigit():
            index = int(part)
            if index < len(node):
                return index
            count = len(node)
            raise PathError(f"{_where(done)} has {count} item(s); index {index} is past the end")
        names = [item.get("name") if isinstance(item, Mapping) else None for item in node]
        if part in names:
            return names.index(part)
        known = [n for n in names if isinstance(n, str)]
        hint = did_you_mean(part, known) or f" (names: {', '.join(known)})"
        raise PathError(f"{_where(done)} has no item named {part!r}{hint}")
    if node is None:
        raise PathError(f"{_where(done)} is not set, so it has no {part!r}")
    raise PathError(f"{_where(done)} is a single value, not a table or list")


def resolve(data: Mapping[str, Any], dotted: str) -> Any:
    """The value at `dotted` inside `data`; PathError (a LookupError) if there is none."""
    node: Any = data
    done: list[str] = []
    for part in split_path(dotted):
        node = node[_key(node, part, done)]
        done.append(part)
    return node


def thaw(value: Any) -> Any:
    """A deep, mutable copy: mappings become dicts, tuples become lists."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [thaw(item) for item in value]
    return copy.deepcopy(value)


def assign(
    data: Mapping[str, Any],
    dotted: str,
    value: Any,
    *,
    fill: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A copy of `data` with `dotted` set to `value`; `data` itself is left unchanged.

    `data` is the scenario as written, so keys it leaves out keep their defaults. When the path
    goes through a key `data` leaves out, a missing top-level table starts empty (its other keys
    keep their defaults, and a platform preset keeps working) and anything deeper is copied from
    `fill`, the fully defaulted scenario, so that e.g. a default distribution can be edited.
    """
    parts = split_path(dotted)
    result: dict[str, Any] = thaw(data)
    node: Any = result
    full: Any = fill
    done: list[str] = []
    for depth, part in enumerate(parts[:-1]):
        if isinstance(node, Mapping) and part not in node:
            if depth == 0 or full is None:
                node[part] = {}
            else:
                node[part] = thaw(full[_key(full, part, done)])
        key = _key(node, part, done)
        full = full[_key(full, part, done)] if full is not None else None
        node = node[key]
        done.append(part)
    last = parts[-1]
    if isinstance(node, list):
        node[_key(node, last, done)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        _key(node, last, done)  # raises the right PathError
    return result

"""Setting a number inside an already validated scenario, without validating it again.

An override (`sim.scenario.paths.apply_override`) edits the data as written and validates the
whole scenario again: right for one change a user makes. A robustness check sets the same few
behaviour numbers at hundreds of points; validating each point again would cost more than some
runs. Its ranges are validated once, at their ends (`sim.robust.space`); inside them each
point is a copy of the typed objects with the number replaced (`model_copy`), sharing
everything else with the validated scenario.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from sim.errors import PathError
from sim.scenario.dotted import split_path

__all__ = ["replace_number"]


def replace_number(node: Any, dotted: str, value: float) -> Any:
    """A copy of ``node`` (a validated model) with the number at ``dotted`` set to ``value``;
    list items are named by index or by name, as `--set` takes them. The caller has checked
    that ``value`` is allowed there (validated ends of a range)."""
    return _replace(node, split_path(dotted), value, [])


def _replace(node: Any, parts: list[str], value: float, done: list[str]) -> Any:
    part, rest = parts[0], parts[1:]
    where = ".".join(done) or "the scenario"
    if isinstance(node, BaseModel):
        if part not in type(node).model_fields:
            raise PathError(f"{where} has no key {part!r}")
        child = getattr(node, part)
        new = _replace(child, rest, value, [*done, part]) if rest else _number(child, value, done)
        return node.model_copy(update={part: new})
    if isinstance(node, tuple):
        if part.isdigit() and int(part) < len(node):
            i = int(part)
        else:
            names = [getattr(item, "name", None) for item in node]
            if part not in names:
                raise PathError(f"{where} has no item named {part!r}")
            i = names.index(part)
        new = (
            _replace(node[i], rest, value, [*done, part]) if rest else _number(node[i], value, done)
        )
        return (*node[:i], new, *node[i + 1 :])
    if isinstance(node, dict) and part in node:
        new = (
            _replace(node[part], rest, value, [*done, part])
            if rest
            else _number(node[part], value, done)
        )
        return {**node, part: new}
    raise PathError(f"{where} has no key {part!r}")


def _number(old: Any, value: float, done: list[str]) -> float:
    """The new value where a number stood (a whole number or a flag is not varied)."""
    if isinstance(old, bool) or not isinstance(old, float):
        where = ".".join(done) or "the scenario"
        raise PathError(f"{where}: only a number with decimals can vary (got {old!r})")
    return float(value)

"""Turn pydantic's validation errors into ordersim `Problem`s a seller can act on.

pydantic locates errors with its own internals (union tags, member names) and phrases them for
programmers. Here each error becomes one line with the exact TOML key path, a short message,
and, for unknown keys and names, a "did you mean" hint.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ValidationError

from sim.errors import MISSING, Problem

__all__ = ["did_you_mean", "problems_from_validation_error"]

_TYPE_MESSAGES = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "finite_number": "must be a finite number",
    "string_too_short": "must not be empty",
    "date_type": "must be a date such as 2026-06-01",
    "date_parsing": "must be a date such as 2026-06-01",
    "date_from_datetime_parsing": "must be a date such as 2026-06-01",
    "date_from_datetime_inexact": "must be a date such as 2026-06-01",
    "missing": "required key is missing",
}
_BOUNDS = {
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "too_short": "must have at least {min_length} item(s)",
    "too_long": "must have at most {max_length} item(s)",
}
_QUOTED = re.compile(r"'([^']*)'")
_DIST_EXAMPLE = 'an inline table such as { dist = "exponential", mean = 6 }'


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """A "; did you mean 'x'?" suffix when `word` looks like a typo of a candidate, else ""."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional so only the type that holds the value is left."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _tagged_member(union: Any, tag: object) -> type[BaseModel] | None:
    """The member of a discriminated union whose literal tag field equals `tag`."""
    for member in typing.get_args(union):
        if isinstance(member, type) and issubclass(member, BaseModel):
            for field in member.model_fields.values():
                if typing.get_origin(field.annotation) is Literal and typing.get_args(
                    field.annotation
                ) == (tag,):
                    return member
    return None


def _model(tp: Any) -> type[BaseModel] | None:
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _walk(root: type[BaseModel], loc: Sequence[str | int]) -> tuple[list[str | int], Any]:
    """Follow `loc` through the model types: the user's key path, and the last model seen.

    Union tags that pydantic inserts into locations are dropped (they are not keys).
    """
    path: list[str | int] = []
    tp: Any = root
    parent: type[BaseModel] | None = None
    for part in loc:
        if part == "[key]":  # pydantic's marker for an error in a dict key, not a key itself
            continue
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            member = _tagged_member(tp, part)
            if member is not None:
                tp = member
                continue
            tp = None
        model = _model(tp)
        path.append(part)
        if model is not None:
            parent = model
            field = model.model_fields.get(str(part))
            tp = field.annotation if field is not None else None
        elif origin in (list, tuple) and isinstance(part, int):
            args = [a for a in typing.get_args(tp) if a is not Ellipsis]
            tp = args[min(part, len(args) - 1)] if args else None
        elif origin is dict:
            tp = typing.get_args(tp)[1]
        else:
            tp = None
    return path, parent


def _dotted(path: Sequence[str | int]) -> str:
    return ".".join(str(p) for p in path)


def _convert(root: type[BaseModel], error: Any, source: str) -> Problem:
    kind: str = error["type"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    value: object = error.get("input", MISSING)
    path, parent = _walk(root, error["loc"])
    if kind == "extra_forbidden":
        allowed = list(parent.model_fields) if parent is not None else []
        hint = did_you_mean(path[-1], allowed) if path else ""
        if not hint and allowed:
            hint = f"; allowed keys here: {', '.join(allowed)}"
        return Problem(source, _dotted(path), f"unknown key{hint}")
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        key = ctx.get("discriminator", "").strip("'")
        expected = ctx.get("expected_tags", "")
        if kind == "union_tag_not_found":
            tags = ", ".join(repr(tag) for tag in _union_tags(root, error["loc"]))
            return Problem(source, _dotted([*path, key]), f"required key is missing ({tags})")
        what = "distribution" if key == "dist" else key
        hint = did_you_mean(ctx.get("tag"), _QUOTED.findall(expected))
        return Problem(
            source,
            _dotted([*path, key]),
            f"unknown {what}{hint} (expected one of {expected})",
            ctx.get("tag", MISSING),
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        hint = did_you_mean(value, _QUOTED.findall(expected))
        return Problem(source, _dotted(path), f"must be one of {expected}{hint}", value)
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return Problem(source, _dotted(path), str(ctx["error"]), value)
    if kind in _BOUNDS:
        bounds = _Lenient({key: _plain_number(item) for key, item in ctx.items()})
        return Problem(source, _dotted(path), _BOUNDS[kind].format_map(bounds), value)
    if kind in ("model_attributes_type", "model_type") and _is_distribution(error["loc"], root):
        return Problem(source, _dotted(path), f"must be {_DIST_EXAMPLE}", value)
    if kind == "missing":
        if path and isinstance(path[-1], int):  # a fixed-length list given too few items
            return Problem(source, _dotted(path), "item is missing (the list is too short)")
        return Problem(source, _dotted(path), _TYPE_MESSAGES[kind])
    message = _TYPE_MESSAGES.get(kind)
    if message is None:
        text: str = error.get("msg", kind)
        message = text[:1].lower() + text[1:]
    return Problem(source, _dotted(path), message, value)


def _union_tags(root: type[BaseModel], loc: Sequence[str | int]) -> list[object]:
    """The tags of the discriminated union that the field at `loc` holds (empty if none)."""
    if not loc:
        return []
    path, parent = _walk(root, loc)
    field = parent.model_fields.get(str(path[-1])) if parent is not None else None
    if field is None:
        return []
    tags: list[object] = []
    for member in typing.get_args(_unwrap(field.annotation)):
        for item in getattr(member, "model_fields", {}).values():
            if typing.get_origin(item.annotation) is Literal and item.default is not None:
                tags.extend(typing.get_args(item.annotation))
                break
    return tags


def _is_distribution(loc: Sequence[str | int], root: type[BaseModel]) -> bool:
    """Whether `loc` names a field whose type is the distribution union."""
    return "exponential" in _union_tags(root, loc)


def _plain_number(value: object) -> object:
    """1.0 -> 1, so bounds read as the user wrote them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _spurious_length_error(error: Any) -> bool:
    """pydantic counts only the valid items of a list; a bad item is reported on its own."""
    if error["type"] != "too_short":
        return False
    given, least = error.get("input"), (error.get("ctx") or {}).get("min_length", 0)
    return isinstance(given, list | tuple) and len(given) >= least


class _Lenient(dict):  # type: ignore[type-arg]
    """format_map helper: a bound missing from pydantic's context prints as '?'."""

    def __missing__(self, key: str) -> str:
        return "?"


def problems_from_validation_error(
    error: ValidationError, root: type[BaseModel], source: str
) -> list[Problem]:
    """Every pydantic error as one Problem, in pydantic's order, duplicates dropped."""
    seen: set[str] = set()
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        if _spurious_length_error(item):
            continue
        problem = _convert(root, item, source)
        if str(problem) not in seen:
            seen.add(str(problem))
            problems.append(problem)
    return problems

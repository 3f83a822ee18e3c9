"""Where a behaviour number came from: the optional [sources] table of a scenario.

Each entry is keyed by the dotted key of a number the file states (as `--set` takes it) and
says how that number was obtained:

    [sources]
    "segments.impulse.pays_unprompted" = { kind = "fitted", n = 1840, export = "orders.csv" }

    [sources."segments.impulse.response.sms"]
    kind = "measured"
    value = 0.31
    low = 0.27
    high = 0.35
    n = 812
    window = [2026-06-01, 2026-06-14]

A number with no entry (or `kind = "stated"`) is an assumption: the seller's own guess. `fit`
writes `fitted` entries, a trial writes `measured` ones; answers count the assumptions they rest
on. The entries are checked at load against the numbers they describe (`source_problems`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, Strict

from sim.errors import PathError, Problem
from sim.scenario.dotted import resolve
from sim.scenario.fields import Section, tag_required

__all__ = ["Fitted", "Measured", "Source", "Stated", "provenance", "source_problems"]

_N = Annotated[int, Strict(), Field(ge=1)]
_MATCH = 1e-9  # a measured value and the file's number must agree to this


class Stated(Section):
    """An assumption: the seller's own number (the same as having no entry)."""

    model_config = ConfigDict(json_schema_extra=tag_required("kind"))

    kind: Literal["stated"] = Field(default="stated", description="which source")
    note: str = Field(default="", description="where the guess comes from (free text)")


class Fitted(Section):
    """Fitted from an order export by `ordersim fit`."""

    model_config = ConfigDict(json_schema_extra=tag_required("kind"))

    kind: Literal["fitted"] = Field(default="fitted", description="which source")
    n: _N = Field(description="required; the orders the number was fitted from")
    export: str = Field(default="", description="the export file it was fitted from")
    note: str = Field(default="", description="free text (how it was fitted)")


class Measured(Section):
    """Measured in a trial: the number the file states, with its interval."""

    model_config = ConfigDict(json_schema_extra=tag_required("kind"))

    kind: Literal["measured"] = Field(default="measured", description="which source")
    value: float | None = Field(
        default=None, description="the measured value; when given it must equal the file's number"
    )
    low: float = Field(description="required; lower end of its 95% interval")
    high: float = Field(description="required; upper end of its 95% interval")
    n: _N = Field(description="required; the orders the trial measured it on")
    window: tuple[dt.date, dt.date] = Field(
        description="required; the trial's first and last day, e.g. [2026-06-01, 2026-06-14]"
    )
    note: str = Field(default="", description="free text (the trial's name, its arms)")


Source = Annotated[Stated | Fitted | Measured, Field(discriminator="kind")]


def provenance(sources: Mapping[str, Any], key: str) -> str:
    """ "stated", "fitted" or "measured" for a dotted key (stated when it has no entry)."""
    entry = sources.get(key)
    return "stated" if entry is None else entry.kind


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def source_problems(
    sources: Mapping[str, Any], data: Mapping[str, Any], source: str, named: Any
) -> Iterator[Problem]:
    """Each entry must name a number the file states, and a measurement must agree with it.

    ``named`` turns an index path into the named spelling; an entry must use the spelling the
    answers use (names where they are unique), so that one number has one key.
    """
    for key, entry in sources.items():
        where = f'sources."{key}"'
        try:
            value = resolve(data, key)
        except PathError as exc:
            yield Problem(source, where, f"names no number the file states: {exc}", key)
            continue
        if not _number(value):
            message = "must name one number the file states (a dotted key such as --set takes)"
            yield Problem(source, where, message, value)
            continue
        spelled = named(data, key)
        if spelled != key:
            yield Problem(source, where, f'write the key as "{spelled}"', key)
        if entry.kind != "measured":
            continue
        if entry.low > entry.high:
            yield Problem(
                source, f"{where}.low", f"must not exceed high ({entry.high:g})", entry.low
            )
        elif not entry.low <= value <= entry.high:
            message = f"the file's number lies outside the interval [{entry.low:g}, {entry.high:g}]"
            yield Problem(source, where, message, value)
        if entry.value is not None and not math.isclose(entry.value, value, abs_tol=_MATCH):
            message = f"the file states {value:g}, not the measured value (edited since?)"
            yield Problem(source, f"{where}.value", message, entry.value)
        start, end = entry.window
        if start > end:
            yield Problem(
                source, f"{where}.window", "the first day is after the last", [start, end]
            )

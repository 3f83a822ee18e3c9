"""Building blocks shared by every scenario section: the base model and the value types.

Numbers are strict (a TOML string "0.5" is a mistake, not a number) so that a typo is reported
instead of silently coerced; NaN and infinity are refused everywhere. Every number also has an
upper bound (docs/format.md lists them): a value past it is a typo or an attack, and let through
it would make the engine allocate terabytes or overflow. Names are printed in tables, folder
names and CSV cells, so control and direction-changing characters are refused in them.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    WithJsonSchema,
)

__all__ = [
    "MAX_DAYS",
    "MAX_HOURS",
    "MAX_NAME_CHARS",
    "MAX_NUMBER",
    "SUM_TOLERANCE",
    "Count",
    "Days",
    "Hours",
    "Name",
    "NonNegative",
    "Positive",
    "Probability",
    "Section",
    "number_keyed",
    "printable",
    "tag_required",
]

SUM_TOLERANCE = 1e-6  # how far shares that must sum to 1 may be off


class Section(BaseModel):
    """Base of every scenario table: unknown keys are errors and loaded values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


MAX_NUMBER = 1e9  # any amount, count or factor: far above a shop's, far below overflow
MAX_HOURS = 8784.0  # a leap year: the longest span any time key may have
MAX_DAYS = 3660.0  # ten years of arrivals: hourly tables stay a few MB
MAX_NAME_CHARS = 200

Probability = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Strict(), Field(ge=0.0, le=MAX_NUMBER)]
Positive = Annotated[float, Strict(), Field(gt=0.0, le=MAX_NUMBER)]
Hours = Annotated[float, Strict(), Field(gt=0.0, le=MAX_HOURS)]
Days = Annotated[float, Strict(), Field(gt=0.0, le=MAX_DAYS)]
Count = Annotated[int, Strict(), Field(ge=0, le=int(MAX_NUMBER))]


_HIDDEN = ("Cc", "Cf", "Zl", "Zp")


def printable(name: str) -> bool:
    """No control characters (newline, BEL), invisible format characters (the right-to-left
    override that makes "exe.txt" read "txt.exe") or line or paragraph separators."""
    return not any(unicodedata.category(char) in _HIDDEN for char in name)


def _printable(name: str) -> str:
    for char in name:
        if unicodedata.category(char) in _HIDDEN:
            raise ValueError(f"must not contain control or invisible characters (found {char!a})")
    return name


Name = Annotated[
    str, Strict(), Field(min_length=1, max_length=MAX_NAME_CHARS), AfterValidator(_printable)
]


def tag_required(tag: str) -> Any:
    """A json_schema_extra hook: the tag key has a default in Python but is required in files."""

    def hook(schema: dict[str, Any]) -> None:
        required = schema.setdefault("required", [])
        if tag not in required:
            required.insert(0, tag)

    return hook


def _number_key(value: object, whole: bool) -> float | int | None:
    """A table key read as a number (None when it is not one): TOML writes keys as strings."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    if whole:
        return int(text) if isinstance(value, str | int) and text.isdigit() else None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def number_keyed(value_type: Any, *, what: str, least: float, whole: bool = False) -> Any:
    """A table keyed by numbers written as TOML keys ("12" = ..., "0.5" = ...), such as a
    curve over hours or a ladder over points: each key must be a number (a whole one if
    ``whole``) of at least ``least``, is written one way ("12", not "12.0" or " 12"), and the
    entries come sorted by their number, so two spellings of one table load as one."""

    def check(value: object) -> str:
        number = _number_key(value, whole)
        if number is None or number < least:
            kind = "whole number" if whole else "number"
            raise ValueError(f"{what} must be a {kind} of at least {least:g}")
        return str(int(number)) if whole else f"{number:g}"

    def by_number(table: dict[str, Any]) -> dict[str, Any]:
        return dict(sorted(table.items(), key=lambda item: float(item[0])))

    key = Annotated[str, PlainValidator(check), WithJsonSchema({"type": "string"})]
    return Annotated[dict[key, value_type], AfterValidator(by_number)]

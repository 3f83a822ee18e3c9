"""Building blocks shared by every scenario section: the base model and the value types.

Numbers are strict (a TOML string "0.5" is a mistake, not a number) so that a typo is reported
instead of silently coerced; NaN and infinity are refused everywhere.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict

__all__ = [
    "SUM_TOLERANCE",
    "Count",
    "Name",
    "NonNegative",
    "Positive",
    "Probability",
    "Section",
    "tag_required",
]

SUM_TOLERANCE = 1e-6  # how far shares that must sum to 1 may be off


class Section(BaseModel):
    """Base of every scenario table: unknown keys are errors and loaded values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


Probability = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Strict(), Field(ge=0.0)]
Positive = Annotated[float, Strict(), Field(gt=0.0)]
Count = Annotated[int, Strict(), Field(ge=0)]
Name = Annotated[str, Strict(), Field(min_length=1)]


def tag_required(tag: str) -> Any:
    """A json_schema_extra hook: the tag key has a default in Python but is required in files."""

    def hook(schema: dict[str, Any]) -> None:
        required = schema.setdefault("required", [])
        if tag not in required:
            required.insert(0, tag)

    return hook

"""Hour-of-day and day-of-week profiles: a name in the file, a tuple of numbers after loading.

A scenario may write "taobao", "flat", "daytime" or "always", or give the numbers itself; the
loaded scenario always holds the numbers, so the engine never looks a name up.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, WithJsonSchema

from sim.scenario.problems import did_you_mean

__all__ = [
    "HOURLY_PROFILES",
    "REACH_PROFILES",
    "WEEKDAY_PROFILES",
    "HourlyWeights",
    "InquiryLoad",
    "Reach",
    "WeekdayWeights",
    "resolve_profile",
]

# docs/rules.md, simulation rule 8: the seeds give the shape, these are the numbers.
_TAOBAO_HOURLY = (
    2.0, 1.0, 0.5, 0.3, 0.2, 0.2, 0.4, 1.0, 2.0, 3.5, 5.0, 4.5,
    3.5, 4.0, 4.2, 4.3, 4.2, 3.8, 3.5, 4.0, 5.0, 6.0, 5.8, 4.0,
)  # fmt: skip
_TAOBAO_WEEKDAY = (1.0, 1.1, 1.0, 1.0, 0.95, 0.9, 0.95)
_DAYTIME_REACH = (0.1,) * 8 + (0.5,) + (0.8,) * 12 + (0.6, 0.3, 0.1)

HOURLY_PROFILES: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        "taobao": _TAOBAO_HOURLY,
        "flat": (1.0,) * 24,
    }
)
WEEKDAY_PROFILES: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        "taobao": _TAOBAO_WEEKDAY,
        "flat": (1.0,) * 7,
    }
)
REACH_PROFILES: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        "daytime": _DAYTIME_REACH,
        "always": (1.0,) * 24,
    }
)


def resolve_profile(
    value: object,
    names: Mapping[str, tuple[float, ...]],
    length: int,
    *,
    what: str = "values",
) -> object:
    """Turn a profile name into its numbers and check a list's length; items are left to pydantic.

    Raises ValueError with one clean message, so the user sees a single line per mistake.
    """
    expected = f"{', '.join(repr(n) for n in names)} or a list of {length} {what}"
    if isinstance(value, str):
        if value in names:
            return names[value]
        hint = did_you_mean(value, names)
        raise ValueError(f"unknown profile{hint} (expected {expected})")
    if not isinstance(value, list | tuple):
        raise ValueError(f"must be {expected}")
    if len(value) != length:
        raise ValueError(f"must have exactly {length} values, not {len(value)}")
    return value


def _not_all_zero(weights: tuple[float, ...]) -> tuple[float, ...]:
    if not any(weights):
        raise ValueError("the weights must not all be zero")
    return weights


def _profile_type(
    names: Mapping[str, tuple[float, ...]], length: int, upper: float | None, what: str
) -> Any:
    def check(value: object) -> object:
        return resolve_profile(value, names, length, what=what)

    item: dict[str, Any] = {"type": "number", "minimum": 0}
    if upper is not None:
        item["maximum"] = upper
    schema = {
        "anyOf": [
            {"type": "string", "enum": list(names)},
            {"type": "array", "items": item, "minItems": length, "maxItems": length},
        ]
    }
    number = Annotated[float, Strict(), Field(ge=0.0, le=upper)]
    if upper is None:  # weights: relative, so at least one must be positive
        return Annotated[
            tuple[number, ...],
            BeforeValidator(check),
            AfterValidator(_not_all_zero),
            WithJsonSchema(schema),
        ]
    return Annotated[tuple[number, ...], BeforeValidator(check), WithJsonSchema(schema)]


HourlyWeights = _profile_type(HOURLY_PROFILES, 24, None, "weights >= 0, hour 0 first")
WeekdayWeights = _profile_type(WEEKDAY_PROFILES, 7, None, "weights >= 0, Monday first")
Reach = _profile_type(REACH_PROFILES, 24, 1.0, "chances in [0, 1], hour 0 first")


def _every_hour(value: object) -> object:
    """One share for every hour, or 24 of them (hour 0 first)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0.0 <= value < 1.0:  # one problem for one number, not one per hour
            raise ValueError("must be a share in [0, 1): below 1, or agents would do nothing else")
        return (value,) * 24
    if not isinstance(value, list | tuple):
        raise ValueError("must be a share in [0, 1) for every hour or a list of 24, hour 0 first")
    if len(value) != 24:
        raise ValueError(f"must have exactly 24 values, not {len(value)}")
    return value


_Share = Annotated[float, Strict(), Field(ge=0.0, lt=1.0)]
InquiryLoad = Annotated[
    tuple[_Share, ...],
    BeforeValidator(_every_hour),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                {
                    "type": "array",
                    "items": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                    "minItems": 24,
                    "maxItems": 24,
                },
            ]
        }
    ),
]

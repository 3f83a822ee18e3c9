"""Windows of clock hours: the shop's quiet hours and a step's `placed_hours`.

A window is [start, end] in hours of the day; start > end runs over midnight ([22, 8] is
22:00 to 08:00). The start belongs to the window, the end does not. The functions here are
the one definition of "inside a window" that the load checks and the engines share.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Annotated

import numpy as np
from numpy.typing import ArrayLike
from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

__all__ = [
    "HourWindow",
    "PlacedHours",
    "QuietHours",
    "in_window",
    "release_after",
]

HourWindow = tuple[float, float]

_WINDOW_SCHEMA = {
    "type": "array",
    "items": {"type": "number", "minimum": 0, "maximum": 24},
    "minItems": 2,
    "maxItems": 2,
}


def _hours(value: object, what: str) -> HourWindow:
    """Two hours of the day, 0 to 24, that differ; one clean message otherwise."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(what)
    hours = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, Real) or not math.isfinite(item):
            raise ValueError(what)
        if not 0 <= item <= 24:
            raise ValueError(what)
        hours.append(float(item))
    start, end = hours
    if start == end:
        raise ValueError("the start and the end must differ")
    return start, end


def _check_quiet(value: object) -> HourWindow | tuple[()]:
    if isinstance(value, list | tuple) and len(value) == 0:
        return ()
    what = "must be [start, end] hours of the day (0 to 24; [22, 8] runs over midnight) or []"
    start, end = _hours(value, what)
    if start % 24 == end % 24:
        raise ValueError("a quiet window of the whole day would silence every reminder")
    return start, end


def _check_placed(value: object) -> HourWindow:
    what = "must be [start, end] hours of the day (0 to 24; [22, 8] runs over midnight)"
    return _hours(value, what)


QuietHours = Annotated[
    tuple[float, ...],
    PlainValidator(_check_quiet),
    PlainSerializer(list, return_type=list[float]),
    WithJsonSchema({"anyOf": [_WINDOW_SCHEMA, {"type": "array", "maxItems": 0}]}),
]
PlacedHours = Annotated[
    tuple[float, ...],
    PlainValidator(_check_placed),
    PlainSerializer(list, return_type=list[float]),
    WithJsonSchema(_WINDOW_SCHEMA),
]


def in_window(hours: ArrayLike, window: HourWindow | tuple[()]) -> np.ndarray:
    """Whether each time (hours since a midnight) falls inside the window of clock hours."""
    clock = np.mod(np.asarray(hours, dtype=float), 24.0)
    if not window:
        return np.zeros(clock.shape, dtype=bool)
    start, end = window
    if start < end:
        return (clock >= start) & (clock < end)
    return (clock >= start) | (clock < end % 24.0)


def release_after(hours: ArrayLike, window: HourWindow | tuple[()]) -> np.ndarray:
    """Each time moved to the window's end when it falls inside the window (else unchanged).

    For the quiet hours: a reminder due at 23:30 under [22, 8] waits until 08:00 next morning.
    """
    t = np.asarray(hours, dtype=float)
    inside = in_window(t, window)
    if not window or not inside.any():
        return t.copy()
    end = window[1] % 24.0
    day = np.floor(t / 24.0) * 24.0
    release = day + end
    release = np.where(release <= t, release + 24.0, release)
    # day + end may round to a hair before the end (e.g. 1896 + 1.3444...): step past it
    short = in_window(release, window)
    while short.any():
        release[short] = np.nextafter(release[short], np.inf)
        short = in_window(release, window)
    return np.where(inside, release, t)

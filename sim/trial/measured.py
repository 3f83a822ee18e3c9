"""The scenario a trial measured: its response numbers written in, each with a `[sources]` entry.

The scenario format's `[sources]` table (sim/scenario/sources.py) records where a behaviour
number came from; a trial writes `kind = "measured"` entries, keyed as `--set` takes the
number:

    [sources."segments.card.response.sms"]
    kind = "measured"
    value = 0.28
    low = 0.245
    high = 0.319
    n = 7021
    window = [2026-03-02, 2026-03-29]

so `run`'s summary.json counts them under `sourced` (not `assumptions`), its answer's footing
line leaves them out of the assumptions, and `robust` does not sweep them. Values are written
with the digits their interval supports (no false precision); the interval's ends are rounded
outward, so it still holds the written value.
"""

from __future__ import annotations

import copy
import math
import sys
from pathlib import Path

import numpy as np

from sim.scenario.buyers import CHANNELS
from sim.scenario.load import named_path, scenario_from_dict
from sim.scenario.paths import scenario_input

from .toml_out import dumps

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["digits", "rounded", "trial_scenario"]


def digits(half: float) -> int:
    """Decimals an interval of half width ``half`` supports (its two significant digits)."""
    if half <= 0 or not np.isfinite(half):
        return 4
    return max(0, 1 - int(np.floor(np.log10(half))))


def rounded(e: dict) -> tuple[float, float, float]:
    """(value, low, high) of an estimate to the digits its interval supports; the ends one digit
    finer and rounded outward, so that low <= value <= high holds as written."""
    d = digits((e["high"] - e["low"]) / 2)
    value = round(float(e["value"]), d)
    scale = 10.0 ** (d + 1)
    low = math.floor(float(e["low"]) * scale) / scale
    high = math.ceil(float(e["high"]) * scale) / scale
    return value, round(min(low, value), d + 1), round(max(high, value), d + 1)


def _entry(e: dict, value: float, low: float, high: float, window, note: str) -> dict:
    return {
        "kind": "measured",
        "value": value,
        "low": low,
        "high": high,
        "n": max(int(e["n"]), 1),
        "window": [window[0].date(), window[1].date()],
        "note": note,
    }


def trial_scenario(scenario, estimates: list[dict], window, command: str, note: str) -> str:
    """The scenario's file with the measured numbers written in and a `[sources]` entry for
    each; checked by loading it (valid as it is, or it raises). ``estimates`` are keyed as
    `--set` takes the number (segments.NAME.response.CHANNEL, segments.NAME.response_hours.mean).
    """
    data = copy.deepcopy(scenario_input(scenario))
    sources = dict(data.get("sources") or {})
    by_key = {e["key"]: e for e in estimates}
    for i, seg in enumerate(data["segments"]):
        base = named_path(data, f"segments.{i}")
        response = dict(seg.get("response") or {})  # the channels the file states
        for channel in CHANNELS:
            e = by_key.get(f"{base}.response.{channel}")
            if e is not None:
                value, low, high = rounded(e)
                response[channel] = value
                sources[f"{base}.response.{channel}"] = _entry(e, value, low, high, window, note)
        if response:
            seg["response"] = response
        e = by_key.get(f"{base}.response_hours.mean")
        if e is not None:
            value, low, high = rounded(e)
            seg["response_hours"] = {"dist": "exponential", "mean": value}
            sources[f"{base}.response_hours.mean"] = _entry(e, value, low, high, window, note)
    data.pop("sources", None)
    data["sources"] = sources  # last in the file: the provenance after the numbers
    first, last = (x.date().isoformat() for x in window)
    header = [
        f"# {Path(str(scenario._source)).name} with the response numbers a reminder trial",
        f"# measured ({first} to {last}).",
        f"# Made by:  {command}",
        '# Each measured number has an entry in [sources] (kind = "measured": its value, 95%',
        "# interval, the orders it rests on (n) and the trial's days); every other number is as",
        "# the scenario gave it. `ordersim run` counts the measured ones as measured, not assumed.",
    ]
    text = dumps(data, {}, header)
    scenario_from_dict(tomllib.loads(text), "scenario.toml")  # valid as it is, or it raises
    return text

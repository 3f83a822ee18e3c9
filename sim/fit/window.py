"""The orders placed in a window of time: fit on some weeks, check on the weeks after.

A window keeps whole orders (by the moment they were placed) with everything the export says
about them, up to the export's end: the export was downloaded once, so an order placed on the
window's last day is still seen paying the day after. The fitted scenario's header records the
window it was fitted on (`FIT_WINDOW`); `check` reads it back to say whether the orders it is
given overlap those (in-sample) or not (out-of-sample).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re

import numpy as np

from sim.errors import Said
from sim.output.i18n import N_, Lang, get_lang

from .errors import ExportError, located
from .orders import Orders

__all__ = [
    "FIT_WINDOW",
    "Sample",
    "fit_window_line",
    "in_window",
    "moment",
    "placed_range",
    "recent",
    "sample_of",
    "subset",
]

FIT_WINDOW = "# Fitted on: orders placed"
_STAMP = r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"
_WINDOW = re.compile(rf"^# Fitted on: orders placed {_STAMP} to {_STAMP}")
_SHOWN = "%Y-%m-%d %H:%M:%S"


def moment(text: str) -> np.datetime64:
    """A --since/--until value: ``YYYY-MM-DD`` (midnight) or ``YYYY-MM-DD HH:MM[:SS]``."""
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return np.datetime64(dt.datetime.strptime(text.strip(), fmt), "s")
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"use YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (got {text!r})")


def _stamp(orders: Orders, hours: float) -> dt.datetime:
    return (orders.start + np.timedelta64(round(hours * 3600), "s")).astype(dt.datetime)


def placed_range(orders: Orders) -> tuple[dt.datetime, dt.datetime]:
    """When the first and the last order of ``orders`` were placed."""
    return _stamp(orders, float(orders.placed.min())), _stamp(orders, float(orders.placed.max()))


def subset(orders: Orders, keep: np.ndarray) -> Orders:
    """The orders where ``keep``, with hours counted from the midnight of the first kept one."""
    first = orders.start + np.timedelta64(int(orders.placed[keep].min() * 3600), "s")
    start = first.astype("datetime64[D]").astype("datetime64[s]")
    shift = float((start - orders.start).astype("timedelta64[s]").astype(np.int64)) / 3600.0
    per_order = {}
    for f in dataclasses.fields(Orders):
        value = getattr(orders, f.name)
        if isinstance(value, np.ndarray) and value.shape == orders.placed.shape:
            per_order[f.name] = value[keep]
    per_order["placed"] = per_order["placed"] - shift
    return dataclasses.replace(orders, start=start, end=orders.end - shift, **per_order)


def in_window(
    orders: Orders, since: np.datetime64 | None = None, until: np.datetime64 | None = None
) -> Orders:
    """The orders placed at or after ``since`` and before ``until`` (either may be None)."""
    if since is None and until is None:
        return orders
    at = orders.start + (orders.placed * 3600).astype("timedelta64[s]")
    keep = np.ones(orders.n, dtype=bool)
    if since is not None:
        keep &= at >= since
    if until is not None:
        keep &= at < until
    if not keep.any():
        first, last = placed_range(orders)
        asked = " ".join(
            part
            for part in (
                f"--since {since}" if since is not None else "",
                f"--until {until}" if until is not None else "",
            )
            if part
        )
        raise ExportError(
            [
                located(
                    orders.name,
                    Said(
                        N_("no order placed in the window {window}"),
                        window=asked.replace("T", " "),
                    ),
                    column=orders.roles["placed"],
                    got_text=Said(
                        N_("orders placed {first} to {last}"),
                        first=f"{first:{_SHOWN}}",
                        last=f"{last:{_SHOWN}}",
                    ),
                )
            ]
        )
    return subset(orders, keep)


def recent(orders: Orders, days: float) -> Orders:
    """The orders placed in the last ``days`` days before the export's end."""
    end = orders.start + np.timedelta64(int(orders.end * 3600), "s")
    return in_window(orders, since=end - np.timedelta64(int(days * 86400), "s"))


def fit_window_line(orders: Orders) -> str:
    """The header line that records which orders a scenario was fitted on."""
    first, last = placed_range(orders)
    return f"{FIT_WINDOW} {first:{_SHOWN}} to {last:{_SHOWN}} ({orders.n:,} orders)"


@dataclasses.dataclass(frozen=True)
class Sample:
    """Whether a check's orders overlap the fit's, and the sentence that says so."""

    kind: str  # "in-sample" | "out-of-sample" | "unknown"
    text: str


def sample_of(scenario_text: str, orders: Orders, lang: Lang | None = None) -> Sample:
    """In-sample when the checked orders were placed within the fit's window (any overlap)."""
    lang = lang or get_lang("en")
    first, last = placed_range(orders)
    mine = lang.tr(
        "these {n:,} orders were placed {first} to {last}",
        n=orders.n,
        first=first.strftime("%Y-%m-%d"),
        last=last.strftime("%Y-%m-%d"),
    )
    for line in scenario_text.splitlines()[:40]:
        found = _WINDOW.match(line)
        if found:
            f0, f1 = (dt.datetime.strptime(x, _SHOWN) for x in found.groups())
            window = {"first": f"{f0:%Y-%m-%d}", "last": f"{f1:%Y-%m-%d}", "mine": mine}
            if first <= f1 and last >= f0:
                return Sample(
                    "in-sample",
                    lang.tr(
                        "in-sample: {mine}, inside the window the scenario was fitted on "
                        "orders placed {first} to {last}; passing shows the fit reproduces its "
                        "own data, not that it predicts (fit --until DATE, then check --since "
                        "DATE)",
                        **window,
                    ),
                )
            return Sample(
                "out-of-sample",
                lang.tr(
                    "out-of-sample: the scenario was fitted on orders placed {first} to "
                    "{last}; {mine}",
                    **window,
                ),
            )
    return Sample(
        "unknown",
        lang.tr(
            "sample unknown: the scenario's header records no fit window (not made by "
            "ordersim fit); {mine}",
            mine=mine,
        ),
    )

"""Shared pieces of the plots: one colour per strategy, figure creation and atomic PNG saving.

Figures are built with `matplotlib.figure.Figure` and the Agg canvas directly, never pyplot, so
plotting touches no global state and works in worker processes and without a display.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.experiment.results import UnitResult
from sim.experiment.stats import sweep_key
from sim.output.atomic import atomic_write_bytes
from sim.output.tables import kpi_stat

__all__ = [
    "BASELINE_COLOR",
    "DPI",
    "KeyInfo",
    "new_figure",
    "percent_axis",
    "plot_keys",
    "png_bytes",
    "save_png",
    "stat_arrays",
    "strategy_colors",
]

DPI = 110
BASELINE_COLOR = "#6b6b6b"
# tab10 without its grey, which is kept for the baseline.
_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
)


# Okabe and Ito's palette, told apart with every kind of colour blindness (black left out)
COLOR_BLIND_SAFE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
# a difference whose interval excludes 0, by the KPI's direction: as the tables colour it
BETTER_COLOR, WORSE_COLOR, NEUTRAL_COLOR = "#2e7d32", "#c62828", "#9e9e9e"


@dataclass(frozen=True)
class KeyInfo:
    """One row of a plot: a summary key, its strategy and sweep value, colour and label."""

    key: str
    strategy: str
    value: float | str | None
    color: str
    is_baseline: bool

    @property
    def label(self) -> str:
        return f"{self.key} (baseline)" if self.is_baseline else self.key


def _strategies(summary: Mapping, units: Sequence[UnitResult]) -> list[str]:
    names = list(dict.fromkeys(u.strategy for u in units))
    if not names:  # plotting a summary alone: take the strategies from its keys
        split = "sweep" in summary
        names = list(
            dict.fromkeys(k.split("@", 1)[0] if split else k for k in summary["strategies"])
        )
    return names


def strategy_colors(summary: Mapping, units: Sequence[UnitResult]) -> dict[str, str]:
    """Baseline grey, the others the tab10 colours in the order the strategies were run."""
    baseline = summary.get("baseline")
    others = [s for s in _strategies(summary, units) if s != baseline]
    colors = {s: _PALETTE[i % len(_PALETTE)] for i, s in enumerate(others)}
    colors[str(baseline)] = BASELINE_COLOR
    return colors


def plot_keys(summary: Mapping, units: Sequence[UnitResult]) -> list[KeyInfo]:
    """The summary's keys in its order, each with its strategy, sweep value and colour."""
    colors = strategy_colors(summary, units)
    by_key: dict[str, tuple[str, float | str | None]] = {
        sweep_key(u.strategy, u.sweep_value): (u.strategy, u.sweep_value) for u in units
    }
    infos = []
    for key in summary["strategies"]:
        if key in by_key:
            strategy, value = by_key[key]
        elif "sweep" in summary and "@" in key:
            strategy, value = key.split("@", 1)
        else:
            strategy, value = key, None
        color = colors.get(strategy, BASELINE_COLOR)
        infos.append(KeyInfo(key, strategy, value, color, strategy == summary.get("baseline")))
    return infos


def stat_arrays(
    summary: Mapping, keys: Sequence[str], kpi: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Means, interval lows and highs of one KPI over keys, NaN where missing."""

    def num(x: float | None) -> float:
        return math.nan if x is None else float(x)

    stats = [kpi_stat(summary, key, kpi) for key in keys]
    means = np.array([num(s["mean"]) for s in stats])
    lows = np.array([num(s["ci_low"]) for s in stats])
    highs = np.array([num(s["ci_high"]) for s in stats])
    lows = np.where(np.isnan(lows), means, lows)
    highs = np.where(np.isnan(highs), means, highs)
    return means, lows, highs


def new_figure(width: float, height: float) -> Figure:
    """A figure on its own Agg canvas with constrained layout (no pyplot, no global state)."""
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def percent_axis(ax: Axes, axis: str = "x", decimals: int | None = None) -> None:
    """Show fractions on an axis as percentages."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(PercentFormatter(1.0, decimals=decimals))


def png_bytes(figure: Figure) -> bytes:
    """Render to PNG in memory; no software tag, so no URL inside the file."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def save_png(figure: Figure, path: str | os.PathLike[str], phone: bool = False) -> Path:
    """Render to PNG and write it atomically (`phone`: and the figure's panels stacked in one
    column, for report.html on a phone: `sim.output.phone`)."""
    written = atomic_write_bytes(path, png_bytes(figure))
    if phone:
        from sim.output.phone import phone_path, restack

        if restack(figure):
            atomic_write_bytes(phone_path(path), png_bytes(figure))
    return written

"""heatmap.png: a sweep over two parameters, one panel per strategy the grid changes.

Each cell is the mean of one KPI at one combination of the two swept values (the selection's
KPI with `--select`, else net profit per order), printed in the cell; the brighter the cell,
the better for the seller whatever the KPI's direction. The best cell of the run (the selected
candidate with `--select`) is outlined.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiment.results import KPI_DIRECTIONS, UnitResult, kpi_kind, sweep_label
from sim.experiment.results import sweep_key as key_of
from sim.output.i18n import get_lang
from sim.output.keys import display_name
from sim.output.plotkit import new_figure, percent_axis, plot_keys, save_png
from sim.output.swept import parameter_label, value_label
from sim.output.tables import column_decimals

__all__ = ["plot_heatmap"]


def _kpi(summary: Mapping) -> str:
    selection = summary.get("selection")
    return selection["kpi"] if selection else "net_profit_per_order"


def _grid(summary: Mapping) -> list[dict] | None:
    sweep = summary.get("sweep") or {}
    grid = sweep.get("grid")
    return grid if grid and len(grid) == 2 else None


def _mean(summary: Mapping, key: str, kpi: str) -> float:
    stat = summary["strategies"].get(key, {}).get(kpi) or {}
    mean = stat.get("mean")
    return math.nan if mean is None else float(mean)


def plot_heatmap(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path | None:
    """The heat map of a two-parameter grid; None for any other run."""
    grid = _grid(summary)
    if grid is None:
        return None
    kpi = _kpi(summary)
    lang = get_lang(meta.get("lang"))
    (p_x, xs), (p_y, ys) = ((g["parameter"], g["values"]) for g in grid)
    strategies = list(dict.fromkeys(info.strategy for info in plot_keys(summary, units)))
    panels: dict[str, np.ndarray] = {}
    for strategy in strategies:
        cells = np.array([[_mean(summary, key_of(strategy, (x, y)), kpi) for x in xs] for y in ys])
        if np.isfinite(cells).any():
            panels[strategy] = cells
    if not panels:
        return None
    everything = np.concatenate([c.ravel() for c in panels.values()])
    finite = everything[np.isfinite(everything)]
    low, high = float(finite.min()), float(finite.max())
    direction = KPI_DIRECTIONS.get(kpi, 1) or 1
    cmap = "viridis" if direction > 0 else "viridis_r"
    best = (summary.get("selection") or {}).get("best")
    if best is None:
        flat = {
            key_of(s, (x, y)): c[j, i]
            for s, c in panels.items()
            for j, y in enumerate(ys)
            for i, x in enumerate(xs)
        }
        scored = {k: direction * v for k, v in flat.items() if math.isfinite(v)}
        best = max(scored, key=scored.get) if scored else None
    scale = 100.0 if kpi_kind(kpi) == "rate" else 1.0
    digits = column_decimals(kpi, finite.tolist())
    columns = min(len(panels), 3)
    rows = math.ceil(len(panels) / columns)
    figure = new_figure(4.6 * columns + 1.2, 0.55 * len(ys) * rows + 1.6 * rows + 0.8)
    axes = np.atleast_1d(figure.subplots(rows, columns, squeeze=False)).ravel()
    image = None
    for ax, (strategy, cells) in zip(axes, panels.items(), strict=False):
        image = ax.imshow(cells, cmap=cmap, vmin=low, vmax=high, aspect="auto", origin="lower")
        for j in range(len(ys)):
            for i in range(len(xs)):
                value = cells[j, i]
                text = lang.tr("n/a") if not math.isfinite(value) else f"{value * scale:.{digits}f}"
                shade = (value - low) / (high - low) if high > low else 0.5
                bright = shade > 0.6 if direction > 0 else shade < 0.4
                ax.text(i, j, text, ha="center", va="center", fontsize=9,
                        color="black" if bright else "white")  # fmt: skip
                if key_of(strategy, (xs[i], ys[j])) == best:
                    ax.add_patch(_outline(i, j))
        x_ticks = [value_label(p_x, sweep_label(x), lang.code) for x in xs]
        long_ticks = max(len(t) for t in x_ticks) > 8
        ax.set_xticks(range(len(xs)), x_ticks, rotation=25 if long_ticks else 0,
                      ha="right" if long_ticks else "center")  # fmt: skip
        ax.set_yticks(range(len(ys)), [value_label(p_y, sweep_label(y), lang.code) for y in ys])
        ax.set_xlabel(parameter_label(p_x, lang.code))
        ax.set_ylabel(parameter_label(p_y, lang.code))
        ax.set_title(strategy, fontsize=11)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    label = lang.kpi(kpi)
    bar = figure.colorbar(image, ax=list(axes[: len(panels)]), shrink=0.9, label=label)
    if scale == 100.0:
        percent_axis(bar.ax, "y")
    title = lang.tr("{kpi} over the grid: mean per cell, brighter is better", kpi=label)
    if best:
        shown = display_name(summary, best, lang.code)
        title += lang.tr("; outlined: {key}", key=shown)
    figure.suptitle(title, fontsize=12)
    return save_png(figure, Path(out_dir) / "heatmap.png", phone=True)


def _outline(i: int, j: int):
    from matplotlib.patches import Rectangle

    return Rectangle((i - 0.5, j - 0.5), 1, 1, fill=False, edgecolor="#d62728", lw=3)

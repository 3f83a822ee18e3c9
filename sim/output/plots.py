"""The plots of a run, one PNG each, every one answering one question a seller asks.

Every plot function takes `(summary, units, out_dir, **meta)` and returns the PNG's path, or None
when the plot does not apply (no agents, no sweep). Strategies keep one colour everywhere and
the baseline is grey and labelled. Time-based plots live in `timeplots.py`; `plot_all` runs all.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiment.results import COST_COMPONENTS, UnitResult, kpi_kind, kpi_label
from sim.forking import fork_context
from sim.output.plotkit import BASELINE_COLOR, new_figure, percent_axis, plot_keys, save_png
from sim.output.plotkit import stat_arrays as _stat_arrays
from sim.output.tables import column_decimals, replications_text
from sim.output.timeplots import plot_agents, plot_payment_curve, plot_sweep

__all__ = [
    "plot_agents",
    "plot_all",
    "plot_costs",
    "plot_kpis",
    "plot_outcomes",
    "plot_payment_curve",
    "plot_sweep",
]

_KPI_PANELS = (
    ("paid_rate", "higher is better"),
    ("net_profit_per_order", "higher is better"),
    ("low_ratings_per_order", "lower is better"),
    ("cost_per_order", "lower is better"),
)
_OUTCOMES = (
    ("completed_rate", "Completed", "#3a923a"),
    ("refunded_rate", "Refunded", "#e1812c"),
    ("buyer_cancelled_rate", "Cancelled by buyer", "#8172b3"),
    ("seller_closed_rate", "Closed by seller", "#937860"),
    ("auto_closed_rate", "Auto-closed unpaid", "#c44e52"),
)
_COST_STYLE = {  # the costs a strategy moves first, volume-driven freight last
    "compensation_per_order": ("Compensation", "#c44e52"),
    "incentive_cost_per_order": ("Incentives", "#dd8452"),
    "discount_per_order": ("Discounts", "#f2c45f"),
    "reminder_cost_per_order": ("Reminders", "#4c72b0"),
    "lever_cost_per_order": ("Levers", "#55a868"),
    "freight_loss_per_order": ("Freight loss", "#8172b3"),
    "insurance_cost_per_order": ("Freight insurance", "#64b5cd"),
    "outbound_freight_per_order": ("Outbound freight", "#b5b5b5"),
    "dispute_fee_per_order": ("Dispute fees", "#da8bc3"),
}
_COSTS = tuple((kpi, *_COST_STYLE[kpi]) for kpi in COST_COMPONENTS)  # the KPI's own sum


_AXIS_LABELS = {
    "rate": "share of orders placed",
    "money": "yuan per order placed",
    "count": "per order placed",
    "hours": "hours",
}


def _row_height(n: int) -> float:
    return 0.9 + 0.42 * n


def _label_keys(axes: Sequence[Any], infos: Sequence[Any]) -> None:
    """Keys as y tick labels, first key on top, baseline in bold (axes may share their y)."""
    axes[0].set_yticks(np.arange(len(infos)), [i.label for i in infos])
    axes[0].invert_yaxis()
    for ax in axes:
        for tick, info in zip(ax.get_yticklabels(), infos, strict=False):
            if info.is_baseline:
                tick.set_fontweight("bold")


def plot_kpis(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path:
    """2x2 panel of the KPIs that decide a strategy, means with 95% intervals."""
    infos = plot_keys(summary, units)
    keys = [i.key for i in infos]
    y = np.arange(len(infos))
    figure = new_figure(12, 1.2 + 2 * _row_height(len(infos)))
    axes = figure.subplots(2, 2, sharey=True)
    base_key = summary.get("baseline") if "sweep" not in summary else None
    for ax, (kpi, hint) in zip(axes.flat, _KPI_PANELS, strict=True):
        means, lows, highs = _stat_arrays(summary, keys, kpi)
        ax.barh(y, np.nan_to_num(means), height=0.62, color=[i.color for i in infos], alpha=0.85)
        ax.errorbar(
            np.nan_to_num(means),
            y,
            xerr=[means - lows, highs - means],
            fmt="none",
            ecolor="#222222",
            elinewidth=1.2,
            capsize=4,
        )
        if base_key in keys:
            ax.axvline(means[keys.index(base_key)], color=BASELINE_COLOR, ls="--", lw=1)
        rate = kpi_kind(kpi) == "rate"
        digits = column_decimals(kpi, means)
        for yi, mean, high in zip(y, means, highs, strict=True):
            text = "n/a" if math.isnan(mean) else f"{mean * (100 if rate else 1):.{digits}f}"
            ax.annotate(
                text + ("%" if rate and text != "n/a" else ""),
                (0 if math.isnan(high) else max(high, 0), yi),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
            )
        ax.margins(x=0.16)
        left = min(0.0, float(np.nanmin(lows, initial=0.0)) * 1.16)
        right = float(np.nanmax(np.abs(highs), initial=0.0))
        if right <= left:  # every value 0 (no low ratings at all, say): keep a readable axis
            ax.set_xlim(0.0, 1.0)
        else:
            ax.set_xlim(left=left)
        ax.set_title(f"{kpi_label(kpi)}: {hint}", fontsize=11)
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
        if rate:
            percent_axis(ax, "x")
        ax.set_xlabel(_AXIS_LABELS[kpi_kind(kpi)])
    _label_keys(axes[:, 0], infos)
    figure.suptitle(
        f"Which strategy serves the seller best? Means over {replications_text(summary)} "
        "with 95% intervals" + ("" if base_key is None else " (dashed: baseline)"),
        fontsize=13,
    )
    return save_png(figure, Path(out_dir) / "kpis.png")


def plot_outcomes(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path:
    """How do orders end under each strategy? Stacked shares of orders placed."""
    infos = plot_keys(summary, units)
    keys = [i.key for i in infos]
    y = np.arange(len(infos))
    figure = new_figure(12, 1.6 + _row_height(len(infos)))
    ax = figure.subplots()
    left = np.zeros(len(infos))
    for kpi, label, color in _OUTCOMES:
        share = np.nan_to_num(_stat_arrays(summary, keys, kpi)[0])
        ax.barh(y, share, left=left, height=0.62, color=color, label=label)
        for yi, x0, s in zip(y, left, share, strict=True):
            if s >= 0.03:
                ax.text(
                    x0 + s / 2,
                    yi,
                    f"{s:.0%}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white",
                    fontweight="bold",
                )
        left += share
    other = np.clip(1.0 - left, 0.0, None)
    if np.any(other > 0.005):
        ax.barh(
            y,
            other,
            left=left,
            height=0.62,
            color="#e6e6e6",
            hatch="//",
            edgecolor="#bbbbbb",
            label="Not ended / other",
        )
    refused = _stat_arrays(summary, keys, "refused_rate")[0]
    disputed = _stat_arrays(summary, keys, "disputed_rate")[0]
    for yi, r, d in zip(y, refused, disputed, strict=True):
        text = f"refused {r:.1%}\ndisputed {d:.1%}".replace("nan%", "n/a")
        ax.annotate(
            text,
            (1.0, yi),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
            color="#333333",
            annotation_clip=False,
        )
    ax.set_xlim(0, 1)
    percent_axis(ax, "x", decimals=0)
    ax.set_xlabel("share of orders placed (refused and disputed orders pass on to the outcomes)")
    _label_keys([ax], infos)
    figure.legend(loc="outside lower center", ncol=6, frameon=False, fontsize=9)
    ax.set_title("How do orders end under each strategy?", fontsize=13)
    return save_png(figure, Path(out_dir) / "outcomes.png")


def plot_costs(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path:
    """What each order costs the seller, by component, next to the net profit it leaves."""
    infos = plot_keys(summary, units)
    keys = [i.key for i in infos]
    y = np.arange(len(infos))
    figure = new_figure(12, 1.8 + _row_height(len(infos)))
    ax, ax_profit = figure.subplots(1, 2, sharey=True, width_ratios=(2, 1))
    left = np.zeros(len(infos))
    present = next(iter(summary["strategies"].values()), {})
    for kpi, label, color in _COSTS:
        cost = np.nan_to_num(_stat_arrays(summary, keys, kpi)[0]) if kpi in present else None
        if cost is not None and np.any(cost != 0):  # all-zero components would clutter the legend
            ax.barh(y, cost, left=left, height=0.62, color=color, label=label)
            left += cost
    for yi, total in zip(y, left, strict=True):
        ax.annotate(
            f"{total:.2f}",
            (total, yi),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.margins(x=0.1)
    ax.set_xlabel("cost, yuan per order placed")
    ax.set_title("Costs by component", fontsize=11)
    profit, low, high = _stat_arrays(summary, keys, "net_profit_per_order")
    for yi, info, p, lo, hi in zip(y, infos, profit, low, high, strict=True):
        ax_profit.errorbar(
            [p],
            [yi],
            xerr=[[p - lo], [hi - p]],
            fmt="D",
            color=info.color,
            markersize=8,
            capsize=4,
            ecolor="#222222",
        )
        if not math.isnan(p):
            ax_profit.annotate(
                f"{p:.2f}",
                (hi, yi),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=9,
            )
    span = np.nanmax(np.abs(np.concatenate([low, high, [1.0]])))
    ax_profit.set_xlim(min(0.0, float(np.nanmin(low, initial=0.0))) - 0.05 * span, 1.25 * span)
    ax_profit.set_xlabel("net profit, yuan per order placed")
    ax_profit.set_title("Net profit per order (95% interval)", fontsize=11)
    for axis in (ax, ax_profit):
        axis.axvline(0, color="#444444", lw=0.8)
        axis.grid(axis="x", alpha=0.3)
        axis.set_axisbelow(True)
    _label_keys([ax, ax_profit], infos)
    figure.legend(loc="outside lower center", ncol=8, frameon=False, fontsize=9)
    figure.suptitle("What does each order cost the seller, and what profit is left?", fontsize=13)
    return save_png(figure, Path(out_dir) / "costs.png")


def plot_all(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> list[Path]:
    """Write every plot that applies to this run; returns their paths in reading order.

    Rendering is most of the time of writing a run's outputs (a second per busy figure), and the
    figures are independent, so they are drawn in forked processes, one per core, where that is
    safe; otherwise here, one after another.
    """
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    plotters = (plot_kpis, plot_payment_curve, plot_outcomes, plot_costs, plot_agents, plot_sweep)
    pool = _forked_pool(len(plotters))
    if pool is None:
        paths = [plot(summary, units, out_dir, **meta) for plot in plotters]
    else:
        with pool:
            futures = [pool.submit(plot, summary, units, out_dir, **meta) for plot in plotters]
            paths = [future.result() for future in futures]
    return [p for p in paths if p is not None]


def _forked_pool(tasks: int) -> ProcessPoolExecutor | None:
    """A pool of forked workers (they start with matplotlib loaded, in ~10 ms), or None where
    fork is unavailable or unsafe or there is one core."""
    cores = os.cpu_count() or 1
    context = fork_context()
    if cores < 2 or context is None:
        return None
    return ProcessPoolExecutor(max_workers=min(cores, tasks), mp_context=context)

"""The plots of a run, one PNG each, every one answering one question a seller asks.

Every plot function takes `(summary, units, out_dir, **meta)` and returns the PNG's path, or None
when the plot does not apply (no agents, no sweep). Strategies keep one colour everywhere and
the baseline is grey and labelled. Time-based plots live in `timeplots.py`; `plot_all` runs all.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiment.results import COST_COMPONENTS, UnitResult
from sim.forking import fork_context, ignore_sigint, stop_pool
from sim.output.folder import sigint_deferred
from sim.output.fonts import plot_fonts
from sim.output.heatmap import plot_heatmap
from sim.output.i18n import get_lang
from sim.output.keys import display_name, shown_keys
from sim.output.kpiplot import plot_kpis
from sim.output.plotkit import new_figure, percent_axis, plot_keys, save_png
from sim.output.plotkit import stat_arrays as _stat_arrays
from sim.output.sweepplot import plot_sweep
from sim.output.timeplots import plot_agents, plot_payment_curve

__all__ = [
    "plot_agents",
    "plot_all",
    "plot_costs",
    "plot_kpis",
    "plot_lifecycle",
    "plot_outcomes",
    "plot_payment_curve",
    "plot_sweep",
]

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
    "chargeback_fee_per_order": ("Chargeback fees", "#8c613c"),
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


def _rows(summary: Mapping, units: Sequence[UnitResult]) -> tuple[list[Any], list[str], Any]:
    """A plot's rows (each key shown once: a strategy the sweep leaves alone by its name), their
    keys and their y positions."""
    shown = set(shown_keys(summary))
    infos = [i for i in plot_keys(summary, units) if i.key in shown]
    return infos, [i.key for i in infos], np.arange(len(infos))


def _label_keys(axes: Sequence[Any], infos: Sequence[Any], summary: Mapping, lang: Any) -> None:
    """Keys as y tick labels, first key on top, baseline in bold (axes may share their y)."""
    labels = []
    for info in infos:
        name = display_name(summary, info.key, lang.code)
        labels.append(name + " " + lang.tr("(baseline)") if info.is_baseline else name)
    axes[0].set_yticks(np.arange(len(infos)), labels)
    axes[0].invert_yaxis()
    for ax in axes:
        for tick, info in zip(ax.get_yticklabels(), infos, strict=False):
            if info.is_baseline:
                tick.set_fontweight("bold")


def plot_outcomes(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path:
    """How do orders end under each strategy? Stacked shares of orders placed."""
    lang = get_lang(meta.get("lang"))
    infos, keys, y = _rows(summary, units)
    figure = new_figure(12, 1.6 + _row_height(len(infos)))
    ax = figure.subplots()
    left = np.zeros(len(infos))
    for kpi, label, color in _OUTCOMES:
        share = np.nan_to_num(_stat_arrays(summary, keys, kpi)[0])
        if not np.any(share > 0.0005):  # the legend lists only outcomes that occur
            continue
        label = label if lang.code == "en" else lang.kpi(kpi).replace(" (%)", "")
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
            label=lang.tr("Not ended / other"),
        )
    refused = _stat_arrays(summary, keys, "refused_rate")[0]
    disputed = _stat_arrays(summary, keys, "disputed_rate")[0]
    for yi, r, d in zip(y, refused, disputed, strict=True):
        text = lang.tr("refused {r:.1%}\ndisputed {d:.1%}", r=r, d=d).replace("nan%", "n/a")
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
    ax.set_xlabel(lang.tr("share of orders placed"))
    _label_keys([ax], infos, summary, lang)
    figure.legend(loc="outside lower center", ncol=6, frameon=False, fontsize=9)
    ax.set_title(lang.tr("How do orders end under each strategy?"), fontsize=13)
    return save_png(figure, Path(out_dir) / "outcomes.png", phone=True)


def plot_costs(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path:
    """What each order costs the seller, by component, next to the net profit it leaves."""
    lang = get_lang(meta.get("lang"))
    infos, keys, y = _rows(summary, units)
    figure = new_figure(12, 1.8 + _row_height(len(infos)))
    ax, ax_profit = figure.subplots(1, 2, sharey=True, width_ratios=(2, 1))
    left = np.zeros(len(infos))
    present = next(iter(summary["strategies"].values()), {})
    for kpi, label, color in _COSTS:
        cost = np.nan_to_num(_stat_arrays(summary, keys, kpi)[0]) if kpi in present else None
        if cost is not None and np.any(cost != 0):  # all-zero components would clutter the legend
            label = label if lang.code == "en" else lang.kpi(kpi)
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
    ax.set_xlabel(lang.tr("cost, yuan per order placed"))
    ax.set_title(lang.tr("Costs by component"), fontsize=11)
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
    # zoomed on the intervals (0 is not forced in): strategies a few yuan apart are told apart
    lo_all = float(np.nanmin(np.concatenate([low, profit]), initial=np.inf))
    hi_all = float(np.nanmax(np.concatenate([high, profit]), initial=-np.inf))
    if math.isfinite(lo_all) and math.isfinite(hi_all):
        width = max(hi_all - lo_all, 0.02 * max(abs(hi_all), abs(lo_all), 1.0))
        ax_profit.set_xlim(lo_all - 0.1 * width, hi_all + 0.3 * width)
    ax_profit.set_xlabel(lang.tr("net profit, yuan per order placed"))
    ax_profit.set_title(lang.tr("Net profit per order (95% interval)"), fontsize=11)
    ax.axvline(0, color="#444444", lw=0.8)
    if ax_profit.get_xlim()[0] < 0 < ax_profit.get_xlim()[1]:
        ax_profit.axvline(0, color="#444444", lw=0.8)
    for axis in (ax, ax_profit):
        axis.grid(axis="x", alpha=0.3)
        axis.set_axisbelow(True)
    _label_keys([ax, ax_profit], infos, summary, lang)
    figure.legend(loc="outside lower center", ncol=8, frameon=False, fontsize=9)
    figure.suptitle(
        lang.tr("What does each order cost the seller, and what profit is left?"), fontsize=13
    )
    return save_png(figure, Path(out_dir) / "costs.png", phone=True)


def plot_lifecycle(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path:
    """lifecycle.png: the order state machine the run used (drawn here, beside the other plots,
    so that it renders in parallel with them rather than after them in the report)."""
    from fsm.table import compiled_table
    from sim.output.diagram import draw_state_diagram

    return draw_state_diagram(compiled_table().edges(), Path(out_dir) / "lifecycle.png")


PLOTTERS = (
    plot_kpis,
    plot_sweep,
    plot_heatmap,
    plot_payment_curve,
    plot_outcomes,
    plot_costs,
    plot_agents,
    plot_lifecycle,
)


def plot_all(
    summary: Mapping,
    units: Sequence[UnitResult],
    out_dir: str | os.PathLike[str],
    on_done: Callable[[Path], None] | None = None,
    **meta: Any,
) -> list[Path]:
    """Write every plot that applies to this run; returns their paths in reading order.

    Rendering is most of the time of writing a run's outputs (a second per busy figure), and the
    figures are independent, so they are drawn in forked processes, one per core, where that is
    safe; otherwise here, one after another.
    """
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    done = on_done or (lambda path: None)
    pool = _forked_pool(len(PLOTTERS))
    if pool is None:
        paths = []
        for plot in PLOTTERS:
            paths.append(_draw(plot, summary, units, out_dir, meta))
            done(paths[-1] or Path(out_dir) / f"{plot.__name__[5:]}.png")
    else:
        try:
            # a stop signal is held until every worker is started: raised inside submit, it
            # left a worker forked but not yet known to the pool, which stop_pool then missed
            # and the exit waited for forever
            with sigint_deferred():
                futures = {
                    pool.submit(_draw, plot, summary, units, out_dir, meta): plot
                    for plot in PLOTTERS
                }
            for future in as_completed(futures):
                done(future.result() or Path(out_dir) / f"{futures[future].__name__[5:]}.png")
            paths = [future.result() for future in futures]
        except BaseException:
            stop_pool(pool)  # Ctrl-C or SIGTERM while drawing: no worker left running
            raise
        pool.shutdown()
    return [p for p in paths if p is not None]


def _draw(plot: Any, summary: Mapping, units: Any, out_dir: Any, meta: dict) -> Path | None:
    """One plot, drawn with a CJK fallback font where one is installed."""
    with plot_fonts():
        return plot(summary, units, out_dir, **meta)


def _forked_pool(tasks: int) -> ProcessPoolExecutor | None:
    """A pool of forked workers (they start with matplotlib loaded, in ~10 ms), or None where
    fork is unavailable or unsafe or there is one core."""
    cores = os.cpu_count() or 1
    context = fork_context()
    if cores < 2 or context is None:
        return None
    return ProcessPoolExecutor(
        max_workers=min(cores, tasks), mp_context=context, initializer=ignore_sigint
    )

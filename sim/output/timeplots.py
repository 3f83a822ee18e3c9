"""Plots over time and over a swept parameter: payment curve, agent load, sweep response.

Same contract as `plots.py`: `(summary, units, out_dir, **meta) -> Path | None`, None when the
run has nothing to show (no curves, no agents, no sweep).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import MultipleLocator

from sim.experiment.results import MAIN_KPIS, UnitResult, kpi_kind, kpi_label
from sim.experiment.stats import CONFIDENCE, sweep_key, t_quantile
from sim.output.plotkit import KeyInfo, new_figure, percent_axis, plot_keys, save_png, stat_arrays
from sim.output.tables import replications_text

__all__ = ["plot_agents", "plot_payment_curve", "plot_sweep"]


def _curves(units: Sequence[UnitResult], name: str) -> dict[str, np.ndarray]:
    """Per key, the replications' curves as rows (cut to the shortest, should lengths differ)."""
    grouped: dict[str, list[list[float]]] = {}
    for unit in units:
        curve = unit.curves.get(name)
        if curve:
            grouped.setdefault(sweep_key(unit.strategy, unit.sweep_value), []).append(curve)
    out = {}
    for key, rows in grouped.items():
        length = min(len(r) for r in rows)
        out[key] = np.array([r[:length] for r in rows], dtype=float)
    return out


def _mean_band(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and 95% t-band per column, ignoring NaN."""
    counts = np.sum(np.isfinite(rows), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nanmean(rows, axis=0) if rows.size else np.zeros(rows.shape[1])
        std = np.nanstd(rows, axis=0, ddof=1) if rows.shape[0] > 1 else np.zeros(rows.shape[1])
        tq = t_quantile(0.5 + CONFIDENCE / 2, np.maximum(counts - 1, 1))
        half = np.where(counts > 1, tq * np.nan_to_num(std) / np.sqrt(np.maximum(counts, 1)), 0)
    return mean, mean - half, mean + half


def _line_style(info: KeyInfo, infos: Sequence[KeyInfo]) -> dict[str, Any]:
    """Baseline dashed; with a sweep, later values of a strategy drawn darker."""
    same = [i for i in infos if i.strategy == info.strategy]
    alpha = 1.0 if len(same) == 1 else 0.35 + 0.65 * same.index(info) / (len(same) - 1)
    return {"color": info.color, "alpha": alpha, "ls": "--" if info.is_baseline else "-", "lw": 2}


def _hour_step(hours: int) -> int:
    return next((s for s in (1, 2, 3, 6, 12, 24, 48, 96, 168) if hours / s <= 12), 336)


def plot_payment_curve(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path | None:
    """How fast do orders get paid? Mean cumulative paid share by hours since placement."""
    curves = _curves(units, "paid_by_hour")
    if not curves:
        return None
    infos = [i for i in plot_keys(summary, units) if i.key in curves]
    crowded = len(infos) > 6
    figure = new_figure(13 if crowded else 11, 6)
    ax = figure.subplots()
    top = 0.0
    for info in infos:
        mean, low, high = _mean_band(curves[info.key])
        hours = np.arange(mean.size)
        style = _line_style(info, infos)
        ax.plot(hours, mean, label=info.label, **style)
        top = max(top, float(np.nanmax(mean if crowded else high, initial=0.0)))
        if not crowded:  # with many keys, overlapping bands would hide the lines
            ax.fill_between(hours, low, high, color=info.color, alpha=0.12 * style["alpha"], lw=0)
    span = max(c.shape[1] for c in curves.values()) - 1
    auto_close = meta.get("auto_close_hours")
    if auto_close is not None:
        ax.axvline(auto_close, color="#444444", ls=":", lw=1.5)
        ax.annotate(
            f"platform auto-closes unpaid orders ({auto_close:g} h)",
            (auto_close, 0.04),
            xytext=(-5, 0),
            textcoords="offset points",
            ha="right",
            va="bottom",
            rotation=90,
            fontsize=9,
            xycoords=("data", "axes fraction"),
        )
    ax.set_xlim(0, max(span, auto_close or 0) * 1.03)
    ax.set_ylim(0, min(1.0, top * 1.08) or 1.0)
    ax.xaxis.set_major_locator(MultipleLocator(_hour_step(span)))
    percent_axis(ax, "y", decimals=0)
    ax.grid(alpha=0.3)
    ax.set_xlabel("hours since the order was placed")
    ax.set_ylabel("share of orders placed that are paid")
    if crowded:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9, title="mean")
    else:
        ax.legend(loc="lower center", fontsize=9, title="mean, 95% band")
    ax.set_title("How fast do orders get paid under each strategy?", fontsize=13)
    return save_png(figure, Path(out_dir) / "payment_curve.png")


def plot_agents(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path | None:
    """When are the agents busy and how long is the queue? By hour of day, per strategy."""
    busy = _curves(units, "agent_utilization_by_hour")
    share = bool(busy)  # the engine's own utilisation: busy / that run's agents
    if not share:  # older results: busy agents, divided by the scenario's count below
        busy = _curves(units, "agent_busy_by_hour")
    queue = _curves(units, "agent_queue_by_hour")
    active = {
        k
        for k in set(busy) | set(queue)
        if np.nansum(np.abs(busy.get(k, 0))) + np.nansum(np.abs(queue.get(k, 0))) > 0
    }
    if not active:
        return None
    infos = [i for i in plot_keys(summary, units) if i.key in active]
    agents = meta.get("agents")
    figure = new_figure(13, 5.2)
    ax_busy, ax_queue = figure.subplots(1, 2, sharex=True)
    for info in infos:
        style = _line_style(info, infos)
        if info.key in busy:
            load = np.nanmean(busy[info.key], axis=0)
            if not share:
                load = load / (agents if agents else 1)
            ax_busy.plot(np.arange(load.size), load, marker="o", ms=3, label=info.label, **style)
        if info.key in queue:
            mean_queue = np.nanmean(queue[info.key], axis=0)
            ax_queue.plot(np.arange(mean_queue.size), mean_queue, marker="o", ms=3, **style)
    on_duty = meta.get("on_duty")
    for ax in (ax_busy, ax_queue):
        if on_duty:
            start, end = on_duty
            ax.axvspan(-0.5, start - 0.5, color="#000000", alpha=0.06, lw=0)
            ax.axvspan(end - 0.5, 23.5, color="#000000", alpha=0.06, lw=0)
        ax.set_xlim(-0.5, 23.5)
        ax.xaxis.set_major_locator(MultipleLocator(3))
        ax.set_xlabel("hour of day" + (" (shaded: off duty)" if on_duty else ""))
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    if share:
        percent_axis(ax_busy, "y", decimals=0)
        ax_busy.set_ylabel("agent utilisation (busy share of the agents)")
    elif agents:
        percent_axis(ax_busy, "y", decimals=0)
        ax_busy.set_ylabel(f"agent utilisation (busy share of {agents:g} agents)")
    else:
        ax_busy.set_ylabel("mean number of busy agents")
    ax_busy.set_title("How busy are the agents?", fontsize=11)
    ax_queue.set_ylabel("mean reminders waiting for an agent")
    ax_queue.set_title("How long is the queue of phone/IM reminders?", fontsize=11)
    figure.legend(loc="outside lower center", ncol=min(len(infos), 4), frameon=False, fontsize=9)
    figure.suptitle("Agent workload by hour of day (mean over replications)", fontsize=13)
    return save_png(figure, Path(out_dir) / "agents.png")


def _short(parameter: str, limit: int = 32) -> str:
    if len(parameter) <= limit:
        return parameter
    parts = parameter.split(".")
    tail = parts.pop()
    while parts and len(parts[-1]) + len(tail) + 2 <= limit:
        tail = f"{parts.pop()}.{tail}"
    return f"…{tail}"


def plot_sweep(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path | None:
    """How do the main KPIs move with the swept parameter? Line and 95% band per strategy."""
    sweep = summary.get("sweep")
    if not sweep or not sweep.get("values"):
        return None
    parameter = str(meta.get("sweep_parameter") or sweep.get("parameter") or "swept value")
    values = list(sweep["values"])
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    if numeric:
        values.sort()
    positions = np.array(values, dtype=float) if numeric else np.arange(len(values), dtype=float)
    strategies = list(
        dict.fromkeys((i.strategy, i.color, i.is_baseline) for i in plot_keys(summary, units))
    )
    figure = new_figure(16, 8.4)
    axes = figure.subplots(2, 4, sharex=True)
    for ax, kpi in zip(axes.flat, MAIN_KPIS, strict=True):
        for strategy, color, is_baseline in strategies:
            keep = [
                j for j, v in enumerate(values) if sweep_key(strategy, v) in summary["strategies"]
            ]
            keys = [sweep_key(strategy, values[j]) for j in keep]
            if not keep and strategy in summary["strategies"]:
                # run once (the sweep does not change it): the same value at every point
                keep, keys = list(range(len(values))), [strategy] * len(values)
            means, lows, highs = stat_arrays(summary, keys, kpi)
            xs = positions[keep]
            label = f"{strategy} (baseline)" if is_baseline else strategy
            ax.plot(
                xs,
                means,
                marker="o",
                ms=4,
                color=color,
                lw=2,
                ls="--" if is_baseline else "-",
                label=label,
            )
            ax.fill_between(xs, lows, highs, color=color, alpha=0.15, lw=0)
        if kpi_kind(kpi) == "rate":
            percent_axis(ax, "y")
        ax.set_title(kpi_label(kpi), fontsize=10.5)
        ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel(_short(parameter))
        if not numeric:
            ax.set_xticks(positions, [str(v) for v in values], rotation=30, ha="right")
            ax.set_xlim(-0.4, len(values) - 0.6)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    figure.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=min(len(labels), 5),
        frameon=False,
        fontsize=10,
    )
    figure.suptitle(
        f"How do the main KPIs move with {parameter}? "
        f"Means with 95% bands over {replications_text(summary)}",
        fontsize=13,
    )
    return save_png(figure, Path(out_dir) / "sweep.png")

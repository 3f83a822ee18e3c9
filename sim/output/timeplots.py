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

from sim.experiment.results import UnitResult
from sim.experiment.stats import CONFIDENCE, sweep_key, t_quantile
from sim.output.i18n import N_, Lang, get_lang
from sim.output.keys import display_groups, display_name, parameter_label, shown_keys
from sim.output.plotkit import (
    COLOR_BLIND_SAFE,
    KeyInfo,
    new_figure,
    percent_axis,
    plot_keys,
    save_png,
)

__all__ = ["plot_agents", "plot_payment_curve"]


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


_MIN, _H, _D, _W = N_("{n} min"), N_("{n} h"), N_("{n} d"), N_("{n} w")
_TIME_TICKS = (  # (hours, number, unit): drawn as lang.tr(unit, n=number)
    (1 / 60, 1, _MIN), (5 / 60, 5, _MIN), (15 / 60, 15, _MIN), (0.5, 30, _MIN), (1, 1, _H),
    (2, 2, _H), (4, 4, _H), (8, 8, _H), (12, 12, _H), (24, 1, _D), (48, 2, _D), (72, 3, _D),
    (168, 1, _W), (336, 2, _W), (720, 30, _D),
)  # fmt: skip
_PER_PANEL = 8


def _panels(summary: Mapping, infos: Sequence[KeyInfo]) -> list[list[KeyInfo]]:
    """At most ~8 lines per panel: sweeps one panel per swept strategy (with the unchanged
    ones), otherwise chunks of strategies, the baseline repeated in every panel."""
    if len(infos) <= _PER_PANEL:
        return [list(infos)]
    by_key = {i.key: i for i in infos}
    groups = [[by_key[k] for k in g.keys if k in by_key] for g in display_groups(summary)]
    fixed = [i for i in groups[0] if "sweep" in summary and len(groups) > 1] if groups else []
    base = [i for i in infos if i.is_baseline][:1]
    panels = []
    for group in groups[1:] if fixed else [[i for i in infos if not i.is_baseline]]:
        members = [i for i in group if i not in fixed and i not in base]
        room = _PER_PANEL - len(fixed or base)
        for start in range(0, len(members), room):
            panels.append([*(fixed or base), *members[start : start + room]])
    return panels or [list(infos)]


def plot_payment_curve(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path | None:
    """How fast do orders get paid? Mean cumulative paid share on a log-time axis, 95% bands:
    minute by minute over the first hours (where most buyers pay), hourly after."""
    lang = get_lang(meta.get("lang"))
    curves = _curves(units, "paid_by_hour")
    early = _curves(units, "paid_by_minute")
    if not curves:
        return None
    infos = [i for i in plot_keys(summary, units) if i.key in shown_keys(summary) + list(curves)]
    infos = [i for i in infos if i.key in curves and i.key in set(shown_keys(summary))]
    panels = _panels(summary, infos)
    cols = 1 if len(panels) == 1 else 2
    rows = -(-len(panels) // cols)
    figure = new_figure(11 if cols == 1 else 14, 5.6 if rows == 1 else 1.2 + 4.2 * rows)
    axes = np.atleast_1d(
        figure.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    ).ravel()
    span = max(c.shape[1] for c in curves.values()) - 1
    auto_close = meta.get("auto_close_hours")
    for ax, panel in zip(axes, panels, strict=False):
        for info in panel:
            hours, (mean, low, high) = _time_curve(curves[info.key], early.get(info.key))
            style = _line_style(info, panel)
            ax.plot(hours, mean, label=_label(info, lang, summary), **style)
            ax.fill_between(hours, low, high, color=info.color, alpha=0.15 * style["alpha"], lw=0)
        if auto_close is not None:
            ax.axvline(auto_close, color="#444444", ls=":", lw=1.5)
            ax.annotate(
                lang.tr("auto-close ({h:g} h)", h=auto_close),
                (auto_close, 0.96),
                xytext=(-5, 0),
                textcoords="offset points",
                ha="right",
                va="top",
                rotation=90,
                fontsize=9,
                xycoords=("data", "axes fraction"),
            )
        ax.set_xscale("log")
        ticks = [
            (h, lang.tr(unit, n=n))
            for h, n, unit in _TIME_TICKS
            if h <= max(span, auto_close or 0) * 1.1
        ]
        ax.set_xticks([h for h, _ in ticks], [text for _, text in ticks])
        ax.minorticks_off()
        ax.set_xlim(1 / 60 if early else 1, max(span, auto_close or 0) * 1.1)
        ax.set_ylim(0, None)
        percent_axis(ax, "y", decimals=0)
        ax.grid(alpha=0.3)
        ax.legend(
            loc="lower right", fontsize=8.5, title=lang.tr("mean, 95% band"), title_fontsize=8.5
        )
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    figure.supxlabel(lang.tr("time since the order was placed (log scale)"), fontsize=10)
    figure.supylabel(lang.tr("share of orders placed that are paid"), fontsize=10)
    figure.suptitle(lang.tr("How fast do orders get paid?"), fontsize=13)
    return save_png(figure, Path(out_dir) / "payment_curve.png", phone=True)


def _time_curve(hourly: np.ndarray, minutes: np.ndarray | None):
    """Hours and (mean, low, high) of the paid share: the minute curve (from 1 minute) while it
    lasts, then the hourly one."""
    if minutes is None or minutes.shape[1] < 2:
        mean, low, high = _mean_band(hourly)
        return np.arange(mean.size)[1:], (mean[1:], low[1:], high[1:])
    m_bands = _mean_band(minutes)
    h_bands = _mean_band(hourly)
    last = (minutes.shape[1] - 1) / 60.0  # the minute curve ends at this many hours
    later = np.arange(h_bands[0].size) > last
    hours = np.concatenate([np.arange(1, minutes.shape[1]) / 60.0, np.flatnonzero(later)])
    bands = tuple(np.concatenate([m[1:], h[later]]) for m, h in zip(m_bands, h_bands, strict=True))
    return hours, bands


def _label(info: KeyInfo, lang: Lang, summary: Mapping) -> str:
    name = display_name(summary, info.key, lang.code)
    return name + " " + lang.tr("(baseline)") if info.is_baseline else name


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
    lang = get_lang(meta.get("lang"))
    figure = new_figure(13, 5.2)
    ax_busy, ax_queue = figure.subplots(1, 2, sharex=True)
    markers = "osD^v<>p"
    for j, info in enumerate(infos):  # one distinguishable colour (and marker) per line
        style = {
            "color": COLOR_BLIND_SAFE[j % len(COLOR_BLIND_SAFE)],
            "ls": "--" if info.is_baseline else "-",
            "lw": 2,
            "marker": markers[j % len(markers)],
        }
        if info.key in busy:
            load = np.nanmean(busy[info.key], axis=0)
            if not share:
                load = load / (agents if agents else 1)
            label = _label(info, lang, summary)
            ax_busy.plot(np.arange(load.size), load, ms=3.5, label=label, **style)
        if info.key in queue:
            mean_queue = np.nanmean(queue[info.key], axis=0)
            ax_queue.plot(np.arange(mean_queue.size), mean_queue, ms=3.5, **style)
    on_duty = meta.get("on_duty")
    for ax in (ax_busy, ax_queue):
        if on_duty:
            start, end = on_duty
            ax.axvspan(-0.5, start - 0.5, color="#000000", alpha=0.06, lw=0)
            ax.axvspan(end - 0.5, 23.5, color="#000000", alpha=0.06, lw=0)
        ax.set_xlim(-0.5, 23.5)
        ax.xaxis.set_major_locator(MultipleLocator(3))
        ax.set_xlabel(
            lang.tr("hour of day (shaded: off duty)") if on_duty else lang.tr("hour of day")
        )
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    if share:
        percent_axis(ax_busy, "y", decimals=0)
        ax_busy.set_ylabel(lang.tr("agent utilisation (busy share of the agents)"))
    elif agents:
        percent_axis(ax_busy, "y", decimals=0)
        ax_busy.set_ylabel(f"agent utilisation (busy share of {agents:g} agents)")
    else:
        ax_busy.set_ylabel("mean number of busy agents")
    ax_busy.set_title(lang.tr("How busy are the agents?"), fontsize=11)
    ax_queue.set_ylabel(lang.tr("mean reminders waiting for an agent"))
    ax_queue.set_title(lang.tr("How long is the queue of phone/IM reminders?"), fontsize=11)
    parameter = meta.get("sweep_parameter") or (summary.get("sweep") or {}).get("parameter")
    swept = any("@" in i.key for i in infos) and parameter
    figure.legend(
        loc="outside lower center",
        ncol=min(len(infos), 4),
        frameon=False,
        fontsize=9,
        title=lang.tr("@n: {parameter} = n", parameter=parameter_label(parameter, lang.code))
        if swept
        else None,
        title_fontsize=9,
    )
    figure.suptitle(lang.tr("Agent workload by hour of day (mean over replications)"), fontsize=13)
    return save_png(figure, Path(out_dir) / "agents.png", phone=True)

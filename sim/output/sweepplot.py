"""sweep.png: how the KPIs move with the swept key, as paired differences against the baseline.

Numbers go on a numeric axis (log-scaled when they span more than a factor of 20) labelled with
a reader's name and unit; values that are not numbers (`next_day_same_hour`) get a small axis
of their own to the right, so they are not mistaken for a point on the scale. A strategy the
sweep does not change is a flat band, drawn once. A KPI the baseline does not have (the agents'
wait under an SMS baseline) is drawn as means instead.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiment.results import UnitResult
from sim.output.i18n import N_, Lang, get_lang
from sim.output.keys import (
    choose_kpis,
    comparison,
    display_groups,
    key_parts,
    parameter_label,
    uses_totals,
    value_shown,
)
from sim.output.plotkit import BASELINE_COLOR, new_figure, plot_keys, save_png
from sim.output.tables import display_scale

__all__ = ["plot_sweep"]

_EXTRA = ("reminder_wait_hours", "agent_utilization", "lost_sales_rate", "compensation_per_order")


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _panel_kpis(summary: Mapping) -> list[str]:
    totals = uses_totals(summary)
    kpis = ["net_profit", "paid_orders"] if totals else ["net_profit_per_order", "paid_rate"]
    kpis += ["low_ratings_per_order", "cost_per_order"]
    chosen = choose_kpis(summary)
    kpis += [k for k in _EXTRA if k in chosen][:2]
    return kpis


def _stat(summary: Mapping, key: str, kpi: str, as_diff: bool) -> tuple[float, float, float]:
    scale = display_scale(kpi)
    if as_diff:
        stat = comparison(summary, key, kpi) or {}
    else:
        stat = summary["strategies"].get(key, {}).get(kpi, {})
    mean = stat.get("mean")
    if mean is None:
        return math.nan, math.nan, math.nan
    low = stat.get("ci_low", mean) if stat.get("ci_low") is not None else mean
    high = stat.get("ci_high", mean) if stat.get("ci_high") is not None else mean
    return float(mean) * scale, float(low) * scale, float(high) * scale


def _uses_diff(summary: Mapping, kpi: str) -> bool:
    """Differences when the baseline has the KPI; else (agents' wait) means."""
    comps = summary.get("comparisons", {})
    return any((comparison(summary, k, kpi) or {}).get("mean") is not None for k in comps)


def _axis_title(kpi: str, as_diff: bool, lang: Lang) -> str:
    label = lang.kpi(kpi, diff=as_diff)
    return label if as_diff else lang.tr("{kpi}, mean", kpi=label)


def plot_sweep(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path | None:
    """Each panel one KPI against the swept value, per strategy, with 95% bands."""
    sweep = summary.get("sweep")
    if not sweep or not sweep.get("values"):
        return None
    lang = get_lang(meta.get("lang"))
    parameter = str(meta.get("sweep_parameter") or sweep.get("parameter") or "")
    values = list(
        dict.fromkeys(
            v for v in (key_parts(summary, k)[1] for k in summary["strategies"]) if v is not None
        )
    )
    numeric = [v for v in values if _is_number(v)]
    numeric.sort(key=float)
    other = [v for v in values if not _is_number(v)]
    colors = {i.strategy: i.color for i in plot_keys(summary, units)}
    groups = display_groups(summary, lang.tr("unchanged by the sweep"))
    swept = [g for g in groups if g.title != lang.tr("unchanged by the sweep")]
    flat = next((g for g in groups if g.title == lang.tr("unchanged by the sweep")), None)
    kpis = _panel_kpis(summary)
    cols = 3 if len(kpis) > 4 else 2
    rows = -(-len(kpis) // cols)
    figure = new_figure(5.2 * cols + (1.2 * cols if other else 0), 1.4 + 3.6 * rows)
    ratios = [5, 1] * cols if other and numeric else None
    grid = figure.add_gridspec(rows, cols * (2 if ratios else 1), width_ratios=ratios)
    xs = np.array([float(v) for v in numeric])
    log = bool(numeric) and xs.min() > 0 and xs.max() / xs.min() >= 20
    baseline = summary.get("baseline")
    handles: dict[str, Any] = {}
    for n, kpi in enumerate(kpis):
        r, c = divmod(n, cols)
        step = 2 if ratios else 1
        ax = figure.add_subplot(grid[r, c * step]) if numeric else None
        side = figure.add_subplot(grid[r, c * step + 1], sharey=ax) if ratios else None
        if not numeric:
            side = figure.add_subplot(grid[r, c])
        as_diff = _uses_diff(summary, kpi)
        for group in swept:
            strategy = group.title or ""
            if as_diff and strategy == baseline:
                continue
            color = colors.get(strategy, BASELINE_COLOR)
            by_value = {key_parts(summary, k)[1]: k for k in group.keys}
            label = strategy + " " + lang.tr("(baseline)") if strategy == baseline else strategy
            if ax is not None:
                stats = np.array([_stat(summary, by_value[v], kpi, as_diff) for v in numeric])
                line = ax.plot(xs, stats[:, 0], marker="o", ms=4, color=color, lw=2, label=label)
                ax.fill_between(xs, stats[:, 1], stats[:, 2], color=color, alpha=0.18, lw=0)
                if np.isfinite(stats[:, 0]).any():  # the legend lists only what is drawn
                    handles.setdefault(label, line[0])
            if side is not None and other:
                pos = np.arange(len(other))
                stats = np.array([_stat(summary, by_value[v], kpi, as_diff) for v in other])
                bars = side.errorbar(
                    pos,
                    stats[:, 0],
                    yerr=[stats[:, 0] - stats[:, 1], stats[:, 2] - stats[:, 0]],
                    fmt="o",
                    color=color,
                    capsize=4,
                    label=label,
                )
                if np.isfinite(stats[:, 0]).any():
                    handles.setdefault(label, bars)
        for key, name in zip(flat.keys if flat else [], flat.labels if flat else [], strict=True):
            if as_diff and name == baseline:
                continue
            mean, low, high = _stat(summary, key, kpi, as_diff)
            color = colors.get(name, BASELINE_COLOR)
            label = lang.tr("{name}: same at every value", name=name)
            for target in (ax, side):
                if target is None or math.isnan(mean):
                    continue
                line = target.axhline(mean, color=color, ls="--", lw=1.5, label=label)
                target.axhspan(low, high, color=color, alpha=0.12, lw=0)
                handles.setdefault(label, line)
        for target in (ax, side):
            if target is None:
                continue
            target.grid(alpha=0.3)
            if as_diff:
                target.axhline(0, color="#222222", lw=0.8)
        if ax is not None:
            ax.set_title(_axis_title(kpi, as_diff, lang), fontsize=10.5)
            if log:
                ax.set_xscale("log")
            ax.set_xticks(xs, [f"{x:g}" for x in xs])
            ax.minorticks_off()
            if r == rows - 1 or n + cols >= len(kpis):
                ax.set_xlabel(parameter_label(parameter, lang.code))
        if side is not None:
            ticks = [value_shown(summary, v, lang.code) for v in other]
            side.set_xticks(np.arange(len(other)), ticks, rotation=25, ha="right", fontsize=8)
            side.set_xlim(-0.6, len(other) - 0.4)
            if ax is not None:
                side.tick_params(labelleft=False)
                side.set_title(lang.tr("other values"), fontsize=9)
            else:
                side.set_title(_axis_title(kpi, as_diff, lang), fontsize=10.5)
    figure.legend(
        list(handles.values()),
        list(handles),
        loc="outside lower center",
        ncol=min(len(handles), 4),
        frameon=False,
        fontsize=9.5,
    )
    title = (
        N_("How do the KPIs move with {parameter}? Differences to {baseline} with 95% bands ({n})")
        if summary.get("comparisons")
        else N_("How do the KPIs move with {parameter}? Means with 95% bands ({n})")
    )
    figure.suptitle(
        lang.tr(
            title,
            parameter=parameter_label(parameter, lang.code),
            baseline=baseline,
            n=lang.replications(summary.get("replications", "?")),
        ),
        fontsize=13,
    )
    return save_png(figure, Path(out_dir) / "sweep.png", phone=True)

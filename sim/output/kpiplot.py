"""kpis.png: what each strategy changes against the baseline, with paired 95% intervals.

Differences rather than levels, because the levels of strategies sit close together and the
question is always "better than what I do now, and by how much?": a bar whose interval misses
the zero line is a real change. Net profit and paid orders are totals per replication when the
strategies place different numbers of orders; low ratings are per 1,000 orders.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.colors import to_rgba

from sim.experiment.results import KPI_DIRECTIONS, UnitResult, kpi_kind
from sim.output.i18n import N_, get_lang
from sim.output.keys import comparison, display_name, shown_keys, uses_totals
from sim.output.plotkit import (
    BASELINE_COLOR,
    BETTER_COLOR,
    NEUTRAL_COLOR,
    WORSE_COLOR,
    new_figure,
    plot_keys,
    save_png,
)
from sim.output.tables import column_decimals, display_scale, verdict

__all__ = ["plot_kpis"]


def _panels(summary: Mapping) -> list[str]:
    totals = uses_totals(summary)
    first = ["net_profit", "paid_orders"] if totals else ["net_profit_per_order", "paid_rate"]
    return [*first, "low_ratings_per_order", "cost_per_order"]


def _scaled(stats: Sequence[Mapping], field: str, scale: float) -> np.ndarray:
    values = [stat.get(field) for stat in stats]
    return np.array([math.nan if v is None else float(v) * scale for v in values])


def plot_kpis(
    summary: Mapping, units: Sequence[UnitResult], out_dir: str | os.PathLike[str], **meta: Any
) -> Path:
    """2x2 panels of strategy-minus-baseline differences with 95% intervals (or, with no
    strategy besides the baseline, its means)."""
    lang = get_lang(meta.get("lang"))
    infos_by_key = {i.key: i for i in plot_keys(summary, units)}
    comparisons = summary.get("comparisons", {})
    keys = [k for k in shown_keys(summary) if k in comparisons] or shown_keys(summary)
    as_diff = bool(comparisons)
    infos = [infos_by_key[k] for k in keys if k in infos_by_key]
    n = len(infos)
    y = np.arange(n)
    figure = new_figure(12, 1.6 + 2 * (0.9 + 0.42 * n))
    axes = figure.subplots(2, 2, sharey=True)
    for ax, kpi in zip(axes.flat, _panels(summary), strict=True):
        scale = display_scale(kpi)
        stats = []
        for info in infos:
            if as_diff:
                stat = comparison(summary, info.key, kpi) or {}
            else:
                stat = summary["strategies"][info.key].get(kpi, {})
            stats.append(stat)

        means = _scaled(stats, "mean", scale)
        lows = _scaled(stats, "ci_low", scale)
        highs = _scaled(stats, "ci_high", scale)
        lows, highs = np.where(np.isnan(lows), means, lows), np.where(np.isnan(highs), means, highs)
        significant = [bool(s.get("significant", True)) for s in stats]
        if as_diff:  # green better, red worse (interval excluding 0), as in the tables
            by_verdict = {1: BETTER_COLOR, -1: WORSE_COLOR, 0: NEUTRAL_COLOR}
            colors = [by_verdict[verdict(kpi, s)] for s in stats]
            significant = [True] * len(stats)
        else:
            colors = [i.color if i.color != BASELINE_COLOR else "#4c72b0" for i in infos]
        ax.barh(
            y,
            np.nan_to_num(means),
            height=0.62,
            color=[
                to_rgba(c, 0.85 if s else 0.3) for c, s in zip(colors, significant, strict=True)
            ],
        )
        ax.errorbar(
            np.nan_to_num(means),
            y,
            xerr=[np.nan_to_num(means - lows), np.nan_to_num(highs - means)],
            fmt="none",
            ecolor="#222222",
            elinewidth=1.2,
            capsize=4,
        )
        ax.axvline(0, color="#222222", lw=1)
        digits = column_decimals(kpi, [m / scale for m in means if math.isfinite(m)])
        if kpi in ("net_profit", "paid_orders"):
            digits = 0
        for yi, mean, high, low in zip(y, means, highs, lows, strict=True):
            if math.isnan(mean):
                continue
            right = mean >= 0
            ax.annotate(
                f"{mean:+,.{digits}f}" if as_diff else f"{mean:,.{digits}f}",
                ((high if right else low), yi),
                xytext=(5 if right else -5, 0),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=9,
            )
        ax.margins(x=0.22)
        spread = [abs(v) for v in (*means, *lows, *highs) if math.isfinite(v)]
        if not spread or max(spread) < 1e-9:  # no difference: an axis around 0, not 1e-17 noise
            ax.set_xlim(-1, 1)
        direction = KPI_DIRECTIONS.get(kpi, 0)
        hint = {1: lang.tr("higher is better"), -1: lang.tr("lower is better"), 0: ""}[direction]
        ax.set_title(lang.kpi(kpi, diff=as_diff) + (f" — {hint}" if hint else ""), fontsize=11)
        unit = {"rate": lang.tr("percentage points"), "money": lang.tr("yuan")}.get(
            kpi_kind(kpi), ""
        )
        if kpi in ("low_ratings_per_order",):
            unit = lang.tr("per 1,000 orders")
        axis = lang.tr("minus {baseline}", baseline=summary.get("baseline")) if as_diff else ""
        ax.set_xlabel(", ".join(part for part in (axis, unit) if part))
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
    for ax in axes[:, 0]:
        ax.set_yticks(y, [display_name(summary, i.key, lang.code) for i in infos])
        ax.invert_yaxis() if ax is axes[0, 0] else None
    title_key = (
        N_(
            "What does each strategy change against the baseline {baseline}? Paired "
            "differences with 95% intervals ({n})"
        )
        if as_diff
        else N_("Means with 95% intervals ({n})")
    )
    figure.suptitle(
        lang.tr(
            title_key,
            baseline=summary.get("baseline"),
            n=lang.replications(summary.get("replications", "?")),
        ),
        fontsize=13,
    )
    if as_diff:
        figure.supxlabel(
            lang.tr(
                "green: better, red: worse, by each KPI's direction (the interval excludes 0); "
                "grey: the interval includes 0 (no difference shown)"
            ),
            fontsize=9,
            color="#444444",
            x=0.01,
            ha="left",
        )
    return save_png(figure, Path(out_dir) / "kpis.png", phone=True)

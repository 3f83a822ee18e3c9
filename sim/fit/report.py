"""The fit report: an HTML page and PNGs that show each fit against the data it came from.

- pay_delay.png: observed vs fitted pay-delay CDF on a log-time axis, with each segment;
- profiles.png: the share of orders by hour of day and by weekday, observed vs fitted;
- ship_delivery.png: ship and delivery times, observed histogram vs the fitted lognormal.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np

from sim.output.atomic import atomic_write_text
from sim.output.plotkit import new_figure, percent_axis, save_png

from .fitting import Fit, Lognormal
from .mixture import mixture_cdf
from .observed import hour_weekday_counts, profile_shares, weighted_cdf

__all__ = ["write_report"]

_OBSERVED = "#6b6b6b"
_FITTED = "#d62728"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _hours_ticks(ax, low: float, high: float) -> None:
    ticks = [(1 / 60, "1 min"), (10 / 60, "10 min"), (1, "1 h"), (6, "6 h"), (24, "1 d"),
             (72, "3 d"), (168, "1 wk"), (720, "30 d"), (2160, "90 d")]  # fmt: skip
    shown = [(t, label) for t, label in ticks if low <= t <= high]
    ax.set_xticks([t for t, _ in shown], [label for _, label in shown])
    ax.minorticks_off()


def _pay_delay(fit: Fit, path: Path) -> Path:
    fig = new_figure(7.5, 4.2)
    ax = fig.add_subplot()
    d, w = fit.delays, fit.delay_weights
    low = max(float(np.min(d)), 1 / 3600) * 0.8
    high = max(float(np.max(d)), fit.auto_close) * 1.2
    x = np.geomspace(low, high, 400)
    mix = fit.mixture
    f_a = mixture_cdf(np.array(fit.auto_close), mix.weights, mix.mu, mix.sigma)
    ax.step(x, weighted_cdf(d, w)(x), where="post", color=_OBSERVED, lw=2.2, label="observed")
    fitted = np.minimum(mixture_cdf(x, mix.weights, mix.mu, mix.sigma) / f_a, 1.0)
    ax.plot(x, fitted, color=_FITTED, lw=1.5, ls="--", label=f"fitted mixture ({mix.k})")
    for seg, mu in zip(fit.segments, mix.mu, strict=True):
        ax.axvline(math.exp(mu), color=_FITTED, lw=0.6, alpha=0.5)
        ax.annotate(seg.name, (math.exp(mu), 0.02), rotation=90, fontsize=7, color=_FITTED,
                    ha="right", va="bottom")  # fmt: skip
    ax.axvline(fit.auto_close, color="black", lw=0.8, ls=":")
    ax.annotate("auto-close", (fit.auto_close, 0.5), rotation=90, fontsize=7, ha="right")
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    _hours_ticks(ax, low, high)
    ax.set_ylim(0, 1.02)
    percent_axis(ax, "y")
    ax.set_xlabel("time from order to payment (log scale)")
    ax.set_ylabel("share of payers paid by then")
    ax.set_title(
        f"Pay delay: n={mix.n:,.0f} payers, KS distance {fit.delay_ks:.3f}", loc="left", fontsize=10
    )
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", frameon=False)
    return save_png(fig, path)


def _profiles(fit: Fit, path: Path) -> Path:
    fig = new_figure(9.0, 3.6)
    hour_ax, day_ax = fig.subplots(1, 2, width_ratios=(3, 1.3))
    obs_h, obs_d = profile_shares(hour_weekday_counts(fit.orders))
    # the fitted model's expected shares over the export's own calendar
    slots = math.ceil(fit.arrival_days * 24 - 1e-9)
    s = np.arange(slots)
    hour, day = s % 24, (fit.start_weekday + s // 24) % 7
    rate = fit.hourly[hour] * fit.weekday[day]
    exp_h = np.bincount(hour, weights=rate, minlength=24) / rate.sum()
    exp_d = np.bincount(day, weights=rate, minlength=7) / rate.sum()
    hour_ax.bar(np.arange(24), obs_h, color=_OBSERVED, alpha=0.6, label="observed")
    hour_ax.plot(np.arange(24), exp_h, "o-", color=_FITTED, ms=3, lw=1.2, label="fitted")
    hour_ax.set_xticks(range(0, 24, 3))
    hour_ax.set_xlabel("hour of day the order was placed")
    percent_axis(hour_ax, "y")
    hour_ax.set_ylabel("share of orders")
    hour_ax.set_title(f"By hour: n={fit.orders.n:,}", loc="left", fontsize=10)
    hour_ax.legend(frameon=False, loc="upper left")
    day_ax.bar(np.arange(7), obs_d, color=_OBSERVED, alpha=0.6)
    day_ax.plot(np.arange(7), exp_d, "o-", color=_FITTED, ms=3, lw=1.2)
    day_ax.set_xticks(range(7), _WEEKDAYS, fontsize=8)
    percent_axis(day_ax, "y")
    day_ax.set_title("By weekday", loc="left", fontsize=10)
    for ax in (hour_ax, day_ax):
        ax.grid(axis="y", alpha=0.3)
    return save_png(fig, path)


def _duration_panel(ax, values: np.ndarray, fitted: Lognormal, title: str) -> None:
    v = np.maximum(values[~np.isnan(values)], 1 / 60)
    bins = np.geomspace(v.min() * 0.9, v.max() * 1.1, 50)
    # densities per unit of log(hours), so the picture's peak is where the log axis puts it
    counts, _ = np.histogram(v, bins=bins)
    per_log = counts / (v.size * np.diff(np.log(bins)))
    ax.stairs(per_log, bins, fill=True, color=_OBSERVED, alpha=0.6, label="observed")
    x = np.geomspace(bins[0], bins[-1], 300)
    z = (np.log(x) - math.log(fitted.median)) / fitted.sigma
    density = np.exp(-0.5 * z**2) / (fitted.sigma * math.sqrt(2 * math.pi))
    ax.plot(x, density, color=_FITTED, lw=1.5, label="fitted lognormal")
    ax.axvline(fitted.median, color=_FITTED, lw=0.8, ls=":")
    ax.set_xscale("log")
    _hours_ticks(ax, bins[0], bins[-1])
    ax.set_yticks([])
    ax.set_xlabel("hours (log scale)")
    ax.set_title(
        f"{title}: median {fitted.median:.3g} h, n={fitted.n:,}, KS {fitted.ks:.3f}",
        loc="left",
        fontsize=9,
    )
    ax.legend(frameon=False, fontsize=8)


def _ship_delivery(fit: Fit, path: Path) -> Path | None:
    panels = [
        (fit.orders.ship, fit.ship, "Paid to shipped"),
        (fit.orders.delivery, fit.delivery, "Shipped to delivered"),
    ]
    panels = [p for p in panels if p[1] is not None]
    if not panels:
        return None
    fig = new_figure(4.6 * len(panels), 3.4)
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    for ax, (values, fitted, title) in zip(axes, panels, strict=True):
        _duration_panel(ax, values, fitted, title)
    return save_png(fig, path)


def _rows(fit: Fit) -> list[tuple[str, str, str]]:
    o, mix = fit.orders, fit.mixture
    rows = [
        ("orders per day", f"{fit.orders_per_day:.4g}", f"n={o.n:,}"),
        ("hour x weekday table", "hour rate x weekday rate", f"TV {fit.arrivals_tv:.3f}"),
        ("paid share", f"{fit.paid.share:.2%}", f"n={fit.paid.n:,}, {fit.paid.censored} censored"),
        (
            "pay-delay mixture",
            f"{mix.k} component(s), BIC",
            f"n={mix.n:,.0f}, KS {fit.delay_ks:.3f}",
        ),
        ("auto-close", f"{fit.auto_close:g} h", f"longest delay {fit.longest_delay:.1f} h"),
    ]
    for seg in fit.segments:
        rows.append(
            (
                f"segment {seg.name}",
                f"share {seg.share:.3f}, median {seg.median:.3g} h, sigma {seg.sigma:.2f}",
                f"pays {seg.pays_unprompted:.3f}",
            )
        )
    for label, d in (
        ("ship hours", fit.ship),
        ("delivery hours", fit.delivery),
        ("price", fit.price),
    ):
        if d is not None:
            rows.append(
                (label, f"median {d.median:.4g}, sigma {d.sigma:.3f}", f"n={d.n:,}, KS {d.ks:.3f}")
            )
    if fit.late is not None:
        rows.append(("late vs promised", f"{fit.late[0]:.1%}", f"n={fit.late[1]:,}"))
    return rows


def _drift(drift) -> str:
    """The last weeks vs the whole export (`drift.compare_recent`) as an HTML table."""
    if drift is None:
        return ""
    from .table import _cell

    title, rows = drift
    body = "\n".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(c)}</td>"
            for c in (
                r.measure,
                _cell(r, r.observed, r.observed_half),
                _cell(r, r.simulated, r.simulated_half),
                r.tolerance,
                "same" if r.passed else "DIFFERS",
            )
        )
        + "</tr>"
        for r in rows
    )
    return (
        f"<h2>Recent vs all: {html.escape(title)}</h2>\n<p>The measures of "
        "<code>ordersim check</code>, the last days against the whole export: a shop that "
        "changed shows here (fit it with <code>--recent-days N</code>).</p>\n"
        "<table><tr><th>measure</th><th>all</th><th>recent</th><th>tolerance</th><th></th></tr>"
        f"\n{body}</table>"
    )


def write_report(
    fit: Fit, folder: Path, scenario_file: str, check: str | None = None, drift=None
) -> Path:
    """Write the PNGs and fit-report.html into ``folder``; returns the page's path."""
    folder.mkdir(parents=True, exist_ok=True)
    figures = [
        (_pay_delay(fit, folder / "pay_delay.png"), "Pay delay: observed vs fitted CDF"),
        (_profiles(fit, folder / "profiles.png"), "Orders by hour and weekday"),
        (_ship_delivery(fit, folder / "ship_delivery.png"), "Ship and delivery times"),
    ]
    table = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in _rows(fit)
    )
    images = "\n".join(
        f'<figure><img src="{p.name}" alt="{html.escape(alt)}"><figcaption>{html.escape(alt)}'
        "</figcaption></figure>"
        for p, alt in figures
        if p is not None
    )
    name = html.escape(Path(fit.orders.name).name)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fit report: {name}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}}
td{{padding:2px 10px;border-bottom:1px solid #ddd}}img{{max-width:100%}}
figcaption{{color:#666;font-size:90%}}</style></head><body>
<h1>Fit report: {name}</h1>
<p>{fit.orders.n:,} orders fitted into <code>{html.escape(scenario_file)}</code>.
KS = largest gap between the observed and fitted distribution functions (0 is perfect);
TV = total variation between shares. Backtest with
<code>{html.escape(check or f"ordersim check {scenario_file} {name}")}</code>.</p>
<table><tr><th>fitted</th><th>value</th><th>sample and fit</th></tr>
{table}</table>
{_drift(drift)}
{images}
</body></html>
"""
    out = folder / "fit-report.html"
    atomic_write_text(out, page)
    return out

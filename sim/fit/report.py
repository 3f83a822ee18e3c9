"""The fit report: an HTML page and PNGs that show each fit against the data it came from.

- pay_delay.png: observed vs fitted pay-delay CDF on a log-time axis, with each segment;
- profiles.png: the share of orders by hour of day and by weekday, observed vs fitted;
- ship_delivery.png: ship and delivery times, observed histogram vs the fitted lognormal.

Texts and plots are in the run's language (`--lang`); Chinese plots are drawn with the CJK
font of `sim.output.fonts`, and left out with a line saying why when no font draws them.
"""

from __future__ import annotations

import html
import math
import sys
from pathlib import Path

import numpy as np

from sim.output.atomic import atomic_write_text
from sim.output.i18n import N_, Lang, get_lang
from sim.output.plotkit import new_figure, percent_axis, save_png

from .fitting import Fit, Lognormal
from .mixture import mixture_cdf
from .observed import hour_weekday_counts, profile_shares, weighted_cdf

__all__ = ["write_report"]

_OBSERVED = "#6b6b6b"
_FITTED = "#d62728"
_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def _hours_ticks(ax, low: float, high: float, lang: Lang) -> None:
    ticks = [(1 / 60, N_("1 min")), (10 / 60, N_("10 min")), (1, N_("1 h")), (6, N_("6 h")),
             (24, N_("1 d")), (72, N_("3 d")), (168, N_("1 wk")), (720, N_("30 d")),
             (2160, N_("90 d"))]  # fmt: skip
    shown = [(t, lang.tr(label)) for t, label in ticks if low <= t <= high]
    ax.set_xticks([t for t, _ in shown], [label for _, label in shown])
    ax.minorticks_off()


def _pay_delay(fit: Fit, path: Path, lang: Lang) -> Path:
    fig = new_figure(7.5, 4.2)
    ax = fig.add_subplot()
    d, w = fit.delays, fit.delay_weights
    low = max(float(np.min(d)), 1 / 3600) * 0.8
    high = max(float(np.max(d)), fit.auto_close) * 1.2
    x = np.geomspace(low, high, 400)
    mix = fit.mixture
    f_a = mixture_cdf(np.array(fit.auto_close), mix.weights, mix.mu, mix.sigma)
    observed = lang.tr("observed")
    ax.step(x, weighted_cdf(d, w)(x), where="post", color=_OBSERVED, lw=2.2, label=observed)
    fitted = np.minimum(mixture_cdf(x, mix.weights, mix.mu, mix.sigma) / f_a, 1.0)
    label = lang.tr("fitted mixture ({k})", k=mix.k)
    ax.plot(x, fitted, color=_FITTED, lw=1.5, ls="--", label=label)
    for seg, mu in zip(fit.segments, mix.mu, strict=True):
        ax.axvline(math.exp(mu), color=_FITTED, lw=0.6, alpha=0.5)
        ax.annotate(seg.name, (math.exp(mu), 0.02), rotation=90, fontsize=7, color=_FITTED,
                    ha="right", va="bottom")  # fmt: skip
    ax.axvline(fit.auto_close, color="black", lw=0.8, ls=":")
    ax.annotate(lang.tr("auto-close"), (fit.auto_close, 0.5), rotation=90, fontsize=7, ha="right")
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    _hours_ticks(ax, low, high, lang)
    ax.set_ylim(0, 1.02)
    percent_axis(ax, "y")
    ax.set_xlabel(lang.tr("time from order to payment (log scale)"))
    ax.set_ylabel(lang.tr("share of payers paid by then"))
    title = lang.tr("Pay delay: n={n:,.0f} payers, KS distance {ks:.3f}", n=mix.n, ks=fit.delay_ks)
    ax.set_title(title, loc="left", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", frameon=False)
    return save_png(fig, path)


def _profiles(fit: Fit, path: Path, lang: Lang) -> Path:
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
    hour_ax.bar(np.arange(24), obs_h, color=_OBSERVED, alpha=0.6, label=lang.tr("observed"))
    hour_ax.plot(np.arange(24), exp_h, "o-", color=_FITTED, ms=3, lw=1.2, label=lang.tr("fitted"))
    hour_ax.set_xticks(range(0, 24, 3))
    hour_ax.set_xlabel(lang.tr("hour of day the order was placed"))
    percent_axis(hour_ax, "y")
    hour_ax.set_ylabel(lang.tr("share of orders"))
    hour_ax.set_title(lang.tr("By hour: n={n:,}", n=fit.orders.n), loc="left", fontsize=10)
    hour_ax.legend(frameon=False, loc="upper left")
    day_ax.bar(np.arange(7), obs_d, color=_OBSERVED, alpha=0.6)
    day_ax.plot(np.arange(7), exp_d, "o-", color=_FITTED, ms=3, lw=1.2)
    day_ax.set_xticks(range(7), [lang.tr(day) for day in _WEEKDAYS], fontsize=8)
    percent_axis(day_ax, "y")
    day_ax.set_title(lang.tr("By weekday"), loc="left", fontsize=10)
    for ax in (hour_ax, day_ax):
        ax.grid(axis="y", alpha=0.3)
    return save_png(fig, path)


def _duration_panel(ax, values: np.ndarray, fitted: Lognormal, title: str, lang: Lang) -> None:
    v = np.maximum(values[~np.isnan(values)], 1 / 60)
    bins = np.geomspace(v.min() * 0.9, v.max() * 1.1, 50)
    # densities per unit of log(hours), so the picture's peak is where the log axis puts it
    counts, _ = np.histogram(v, bins=bins)
    per_log = counts / (v.size * np.diff(np.log(bins)))
    ax.stairs(per_log, bins, fill=True, color=_OBSERVED, alpha=0.6, label=lang.tr("observed"))
    x = np.geomspace(bins[0], bins[-1], 300)
    z = (np.log(x) - math.log(fitted.median)) / fitted.sigma
    density = np.exp(-0.5 * z**2) / (fitted.sigma * math.sqrt(2 * math.pi))
    ax.plot(x, density, color=_FITTED, lw=1.5, label=lang.tr("fitted lognormal"))
    ax.axvline(fitted.median, color=_FITTED, lw=0.8, ls=":")
    ax.set_xscale("log")
    _hours_ticks(ax, bins[0], bins[-1], lang)
    ax.set_yticks([])
    ax.set_xlabel(lang.tr("hours (log scale)"))
    ax.set_title(
        lang.tr(
            "{title}: median {median:.3g} h, n={n:,}, KS {ks:.3f}",
            title=lang.tr(title),
            median=fitted.median,
            n=fitted.n,
            ks=fitted.ks,
        ),
        loc="left",
        fontsize=9,
    )
    ax.legend(frameon=False, fontsize=8)


def _ship_delivery(fit: Fit, path: Path, lang: Lang) -> Path | None:
    panels = [
        (fit.orders.ship, fit.ship, N_("Paid to shipped")),
        (fit.orders.delivery, fit.delivery, N_("Shipped to delivered")),
    ]
    panels = [p for p in panels if p[1] is not None]
    if not panels:
        return None
    fig = new_figure(4.6 * len(panels), 3.4)
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    for ax, (values, fitted, title) in zip(axes, panels, strict=True):
        _duration_panel(ax, values, fitted, title, lang)
    return save_png(fig, path)


def _rows(fit: Fit, lang: Lang) -> list[tuple[str, str, str]]:
    o, mix = fit.orders, fit.mixture
    tr = lang.tr
    rows = [
        (tr("orders per day"), f"{fit.orders_per_day:.4g}", f"n={o.n:,}"),
        (
            tr("hour x weekday table"),
            tr("hour rate x weekday rate"),
            tr("TV {tv:.3f}", tv=fit.arrivals_tv),
        ),
        (
            tr("paid share"),
            f"{fit.paid.share:.2%}",
            tr("n={n:,}, {censored} censored", n=fit.paid.n, censored=fit.paid.censored),
        ),
        (
            tr("pay-delay mixture"),
            lang.trn("{k} component, BIC", "{k} components, BIC", mix.k, k=mix.k),
            tr("n={n:,.0f}, KS {ks:.3f}", n=mix.n, ks=fit.delay_ks),
        ),
        (
            tr("auto-close"),
            tr("{value} h", value=format(fit.auto_close, "g")),
            tr("longest delay {hours:.1f} h", hours=fit.longest_delay),
        ),
    ]
    for seg in fit.segments:
        rows.append(
            (
                tr("segment {name}", name=seg.name),
                tr(
                    "share {share:.3f}, median {median:.3g} h, sigma {sigma:.2f}",
                    share=seg.share,
                    median=seg.median,
                    sigma=seg.sigma,
                ),
                tr("pays {share:.3f}", share=seg.pays_unprompted),
            )
        )
    for label, d in (
        (N_("ship hours"), fit.ship),
        (N_("delivery hours"), fit.delivery),
        (N_("price"), fit.price),
    ):
        if d is not None:
            rows.append(
                (
                    tr(label),
                    tr("median {median:.4g}, sigma {sigma:.3f}", median=d.median, sigma=d.sigma),
                    tr("n={n:,}, KS {ks:.3f}", n=d.n, ks=d.ks),
                )
            )
    if fit.late is not None:
        rows.append((tr("late vs promised"), f"{fit.late[0]:.1%}", f"n={fit.late[1]:,}"))
    return rows


def _drift(drift, lang: Lang) -> str:
    """The last weeks vs the whole export (`drift.compare_recent`) as an HTML table."""
    if drift is None:
        return ""
    from .table import _cell, measure_name, tolerance

    title, rows, sides = drift
    body = "\n".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(c)}</td>"
            for c in (
                measure_name(r.measure, lang),
                _cell(r, r.observed, r.observed_half, lang),
                _cell(r, r.simulated, r.simulated_half, lang),
                tolerance(r, lang),
                lang.tr("same") if r.passed else lang.tr("DIFFERS"),
            )
        )
        + "</tr>"
        for r in rows
    )
    heads = (lang.tr("measure"), *sides, lang.tr("tolerance"), "")
    return (
        "<h2>"
        + html.escape(lang.tr("Recent vs all: {title}", title=title))
        + "</h2>\n<p>"
        + lang.tr(
            "The measures of {check}, the last days against the whole export: a shop that "
            "changed shows here (fit it with {option}).",
            check="<code>ordersim check</code>",
            option="<code>--recent-days N</code>",
        )
        + "</p>\n<table><tr>"
        + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
        + f"</tr>\n{body}</table>"
    )


def _figures(fit: Fit, folder: Path, lang: Lang) -> tuple[list[tuple[Path, str]], str]:
    """The plots (each with its caption), or none and the reason when no font here draws the
    Chinese texts (the page then says why, rather than showing boxes)."""
    from sim.output.fonts import cannot_draw, cjk_font, plot_fonts

    captions = (
        lang.tr("Pay delay: observed vs fitted CDF"),
        lang.tr("Orders by hour and weekday"),
        lang.tr("Ship and delivery times"),
    )
    if lang.code == "zh":
        missing = cannot_draw(captions)
        if cjk_font() is None or missing:
            return [], lang.tr(
                "plots not written: no font here draws {chars}; install a Chinese font "
                "(e.g. `apt-get install fonts-noto-cjk`) and run again",
                chars="".join(missing[:10]) or lang.tr("Chinese"),
            )
    with plot_fonts():
        paths = (
            _pay_delay(fit, folder / "pay_delay.png", lang),
            _profiles(fit, folder / "profiles.png", lang),
            _ship_delivery(fit, folder / "ship_delivery.png", lang),
        )
    return [(p, c) for p, c in zip(paths, captions, strict=True) if p is not None], ""


def write_report(
    fit: Fit,
    folder: Path,
    scenario_file: str,
    check: str | None = None,
    drift=None,
    lang: Lang | None = None,
) -> Path:
    """Write the PNGs and fit-report.html into ``folder``; returns the page's path."""
    lang = lang or get_lang("en")
    folder.mkdir(parents=True, exist_ok=True)
    figures, refused = _figures(fit, folder, lang)
    if refused:
        print(refused, file=sys.stderr)
    table = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in _rows(fit, lang)
    )
    images = "\n".join(
        f'<figure><img src="{p.name}" alt="{html.escape(alt)}"><figcaption>{html.escape(alt)}'
        "</figcaption></figure>"
        for p, alt in figures
    ) or (f"<p>{html.escape(refused)}</p>" if refused else "")
    name = html.escape(Path(fit.orders.name).name)
    title = html.escape(lang.tr("Fit report: {name}", name=Path(fit.orders.name).name))
    command = html.escape(check or f"ordersim check {scenario_file} {name}")
    intro = lang.tr(
        "{n:,} orders fitted into {scenario}. KS = largest gap between the observed and "
        "fitted distribution functions (0 is perfect); TV = total variation between shares. "
        "Backtest with {command}.",
        n=fit.orders.n,
        scenario="<code>" + html.escape(scenario_file) + "</code>",
        command="<code>" + command + "</code>",
    )
    heads = (lang.tr("fitted"), lang.tr("value"), lang.tr("sample and fit"))
    page = f"""<!doctype html>
<html lang="{lang.code}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 8px;color:#222}}
td{{padding:2px 10px;border-bottom:1px solid #ddd}}img{{max-width:100%}}
figcaption{{color:#666;font-size:90%}}table{{display:block;overflow-x:auto}}</style></head><body>
<h1>{title}</h1>
<p>{intro}</p>
<table><tr>{"".join(f"<th>{html.escape(h)}</th>" for h in heads)}</tr>
{table}</table>
{_drift(drift, lang)}
{images}
</body></html>
"""
    out = folder / "fit-report.html"
    atomic_write_text(out, page)
    return out

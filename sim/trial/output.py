"""What `trial fit` writes beside the scenario (sim/trial/measured.py): trial.json and
trial.html with the arms' pay curves against the fitted model."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np

from sim.fit.observed import weighted_cdf
from sim.output.atomic import atomic_write_text

from .estimate import GroupFit, TrialFit
from .tool import tool_json

__all__ = ["trial_json", "write_html", "write_json"]


def _est(e) -> dict:
    return {"value": e.value, "low": e.low, "high": e.high, "n": e.n}


def _group_json(g: GroupFit) -> dict:
    m = g.measured
    return {
        "group": g.name,
        "orders": g.orders,
        "segments": g.segments,
        "estimates": None
        if m is None
        else [{"key": f"response.{c}", **_est(e)} for c, e in m.rho.items()]
        + [{"key": "response_hours.mean", **_est(m.mean_hours)}],
        "tool_view": [] if m is None else [tool_json(t, False) for t in m.tools],
    }


def trial_json(fit: TrialFit, scenario_path: str, export: str) -> dict:
    """The numbers of trial.json (per arm, and the estimates)."""

    def est(e) -> dict:
        return {"value": e.value, "low": e.low, "high": e.high, "n": e.n}

    return {
        "scenario": scenario_path,
        "export": export,
        "window": [fit.window[0].isoformat(), fit.window[1].isoformat()],
        "auto_close_hours": fit.auto_close,
        "arms": [
            {
                "name": a.name,
                "control": a.control,
                "orders": a.orders,
                "paid_share": est(a.paid),
                "pay_delay_hours": {k: est(v) for k, v in a.quartiles.items()},
            }
            for a in fit.arms
        ],
        "estimates": fit.estimates,
        "tool_view": [tool_json(t, fit.logged) for t in fit.whole.tools],
        "groups": {
            "by": fit.by,
            "note": "each group fitted on its own orders (its own control arm)",
            "groups": [_group_json(g) for g in fit.groups],
        }
        if fit.by
        else None,
        "response_hours_distribution": "exponential (value = mean hours)",
        "too_small": fit.warnings,
    }


def _curves(fit: TrialFit, data, rho, path: Path, lang) -> Path:
    """Each arm's observed pay curve (share paid by t) against the fitted model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.output.fonts import plot_fonts

    from .model import paid_by

    t = np.geomspace(1 / 60, fit.auto_close, 80)
    with plot_fonts():
        fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
        colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        for k, arm in enumerate(fit.arms):
            delays, weights = arm.curve
            observed = weighted_cdf(delays, weights)(t) * arm.paid.value if delays.size else 0 * t
            colour = colours[k % len(colours)]
            role = lang.tr(" (control)") if arm.control else ""
            label = lang.tr("{arm}: observed, n={n}", arm=arm.name + role, n=f"{arm.orders:,}")
            ax.step(t, observed, where="post", color=colour, lw=1.6, label=label)
            model = data.get(arm.name)
            if model is not None:
                fitted = paid_by(model, fit.whole.unprompted, rho, fit.mean_hours.value, t)
                label = lang.tr("{arm}: fitted model", arm=arm.name)
                ax.plot(t, fitted, color=colour, ls="--", lw=1.4, label=label)
        ax.set_xscale("log")
        ax.set_xlabel(lang.tr("hours after the order was placed (log scale)"))
        ax.set_ylabel(lang.tr("share of the arm's orders paid"))
        title = lang.tr("Pay curves of the trial's arms: observed (steps) vs fitted (dashed)")
        ax.set_title(title, loc="left")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
    return path


def write_html(fit: TrialFit, data, rho, folder: Path, export: str, lang=None) -> Path:
    """trial.html: the arms, the estimates, the tool's figures against the real ones and the
    pay curves, in the reader's language."""
    from sim.output.i18n import N_, get_lang

    from .tool import tool_text

    lang = lang or get_lang("en")
    png = _curves(fit, data, rho, folder / "pay_curves.png", lang)
    control = lang.tr(" (control)")
    arms = "\n".join(
        f"<tr><td>{html.escape(a.name)}{control if a.control else ''}</td>"
        f"<td>{a.orders:,}</td><td>{a.paid.value:.1%} [{a.paid.low:.1%}, {a.paid.high:.1%}]</td>"
        + "".join(
            f"<td>{a.quartiles[q].value:.2f} h</td>" if q in a.quartiles else "<td>-</td>"
            for q in ("q1", "median", "q3")
        )
        + "</tr>"
        for a in fit.arms
    )
    estimates = "\n".join(
        f"<tr><td><code>{html.escape(e['key'])}</code></td><td>{e['value']:.3g}</td>"
        f"<td>[{e['low']:.3g}, {e['high']:.3g}]</td><td>{e['n']:,}</td></tr>"
        for e in fit.estimates
    )
    warnings = "".join(f"<p><b>{html.escape(n.say(lang))}</b></p>" for n in fit.notes)
    tools = "".join(
        f"<p>{html.escape(line)}</p>" for t in fit.whole.tools for line in tool_text(t, lang)
    )
    name = html.escape(Path(export).name)
    h = {
        "title": lang.tr("Reminder trial: {export}", export=name),
        "intro": lang.tr(
            "Orders placed {first} to {last}. Paid share with its 95% interval (orders still "
            "open at the export's end count by their chance to pay); pay-delay quartiles of "
            "the paid orders.",
            first=f"{fit.window[0]:%Y-%m-%d}",
            last=f"{fit.window[1]:%Y-%m-%d}",
        ),
        "columns": [
            lang.tr(x) for x in (N_("arm"), N_("orders"), N_("paid"), "Q1", N_("median"), "Q3")
        ],
        "measured": lang.tr("Measured response (maximum likelihood, 95% intervals)"),
        "keys": [lang.tr(x) for x in (N_("key"), N_("value"), N_("interval"), "n")],
        "tool": lang.tr("What your reminder tool would report, and what really happened"),
        "after": lang.tr(
            "response_hours is exponential; its value is the mean hours from a winning "
            "reminder to payment. These numbers are written into scenario.toml, each with its "
            "[sources] entry (kind = measured)."
        ),
        "caption": lang.tr(
            "Share of each arm's orders paid by each hour: observed (steps) and the fitted "
            "model (dashed)."
        ),
    }
    cols = "".join(f"<th>{c}</th>" for c in h["columns"])
    keys = "".join(f"<th>{c}</th>" for c in h["keys"])
    page = f"""<!doctype html>
<html lang="{lang.code}"><head><meta charset="utf-8"><title>{h["title"]}</title>
<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}}
td,th{{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}}img{{max-width:100%}}</style>
</head><body>
<h1>{h["title"]}</h1>
<p>{html.escape(h["intro"])}</p>
<table><tr>{cols}</tr>
{arms}</table>
<h2>{html.escape(h["measured"])}</h2>
{warnings}
<table><tr>{keys}</tr>
{estimates}</table>
<p>{html.escape(h["after"])}</p>
<h2>{html.escape(h["tool"])}</h2>
{tools}
<figure><img src="{png.name}" alt="pay curves"><figcaption>{html.escape(h["caption"])}</figcaption>
</figure>
</body></html>
"""
    out = folder / "trial.html"
    atomic_write_text(out, page)
    return out


def write_json(payload: dict, folder: Path) -> Path:
    out = folder / "trial.json"
    atomic_write_text(out, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return out

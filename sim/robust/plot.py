"""robust.png: the recommended option's lead along each influential key, and a tornado of
influence, in the run's language (Chinese drawn with the shipped CJK font)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

__all__ = ["write_plot"]

SHOWN = 4  # lead panels: the most influential keys


def write_plot(result: Any, path: Path, lang: Any = None) -> Path:
    """Left: a tornado of each key's influence; right: lead against the top keys, stated value
    marked, break-evens where the lead crosses 0. With nothing varied, one panel says so."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.output.atomic import atomic_write_bytes
    from sim.output.fonts import plot_fonts
    from sim.output.i18n import get_lang

    lang = lang or get_lang("en")
    items = result.assumptions
    top = items[:SHOWN]
    with plot_fonts():
        if not items:
            fig, ax = plt.subplots(figsize=(6.4, 2.4))
            ax.axis("off")
            text = lang.tr("nothing to vary: no stated response or annoyance of a channel in use")
            ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=10)
        else:
            fig, axes = plt.subplots(
                1, 1 + len(top), figsize=(4 + 3.2 * len(top), 4.2), squeeze=False
            )
            _tornado(axes[0][0], items, lang)
            for panel, item in zip(axes[0][1:], top, strict=False):
                _lead_panel(panel, result, item, lang)
        recommended = lang.tr("Recommended: {option}", option=result.recommended)
        fig.suptitle(recommended, fontsize=11)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100)
        plt.close(fig)
    return atomic_write_bytes(path, buffer.getvalue())


def _tornado(ax: Any, items: list[dict], lang: Any) -> None:
    names = [a["key"].split(".", 1)[-1] for a in items][::-1]
    ax.barh(names, [a["influence"] for a in items][::-1], color="#4477aa")
    ax.set_xlim(0, 1)
    ax.set_xlabel(lang.tr("influence on the recommended option's lead (0-1)"))
    ax.set_title(lang.tr("Which numbers decide"), fontsize=10)
    ax.tick_params(axis="y", labelsize=7)


def _lead_panel(panel: Any, result: Any, item: dict, lang: Any) -> None:
    along = result.lead_at.get(item["key"], [])
    if along:
        xs, ys = zip(*along, strict=True)
        panel.plot(xs, ys, "o-", color="#228833")
    panel.axhline(0, color="grey", lw=0.8)
    panel.axvline(item["stated"], color="#cc3311", ls="--", lw=1, label=lang.tr("stated"))
    for n, flip in enumerate(item["break_even"]):
        label = lang.tr("break-even") if n == 0 else None
        panel.axvline(flip["value"], color="black", lw=1, label=label)
    panel.set_xlabel(item["key"].split(".", 1)[-1], fontsize=8)
    panel.set_ylabel(lang.tr("best option's lead ({kpi})", kpi=lang.kpi(result.kpi)), fontsize=8)
    panel.legend(fontsize=7)

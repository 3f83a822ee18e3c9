"""robust.png: the recommended option's lead along each influential key, and a tornado of
influence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["write_plot"]

SHOWN = 4  # lead panels: the most influential keys


def write_plot(result: Any, path: Path) -> Path:
    """Left: a tornado of each key's influence; right: lead against the top keys, stated value
    marked, break-evens where the lead crosses 0."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.output.atomic import atomic_write_bytes

    items = result.assumptions
    top = items[:SHOWN]
    fig, axes = plt.subplots(
        1, 1 + max(1, len(top)), figsize=(4 + 3.2 * max(1, len(top)), 4.2), squeeze=False
    )
    tornado = axes[0][0]
    names = [a["key"].split(".", 1)[-1] for a in items][::-1]
    tornado.barh(names, [a["influence"] for a in items][::-1], color="#4477aa")
    tornado.set_xlim(0, 1)
    tornado.set_xlabel("influence on the recommended option's lead (0-1)")
    tornado.set_title("Which numbers decide", fontsize=10)
    tornado.tick_params(axis="y", labelsize=7)
    for panel, item in zip(axes[0][1:], top, strict=False):
        along = result.lead_at.get(item["key"], [])
        if along:
            xs, ys = zip(*along, strict=True)
            panel.plot(xs, ys, "o-", color="#228833")
        panel.axhline(0, color="grey", lw=0.8)
        panel.axvline(item["stated"], color="#cc3311", ls="--", lw=1, label="stated")
        for flip in item["break_even"]:
            panel.axvline(flip["value"], color="black", lw=1, label="break-even")
        panel.set_xlabel(item["key"].split(".", 1)[-1], fontsize=8)
        panel.set_ylabel(f"best option's lead ({result.kpi})", fontsize=8)
        panel.legend(fontsize=7)
    fig.suptitle(f"Recommended: {result.recommended}", fontsize=11)
    fig.tight_layout()
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return atomic_write_bytes(path, buffer.getvalue())

"""Draw the order state machine as a PNG, laid out left to right by lifecycle stage.

The edges come from the FSM definition (the one table), so the picture in the report is always
the machine that ran. The happy path runs along the top row; side exits (reminded, cancelled,
refunded, refused, disputed) along the bottom row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from fsm.definition import TERMINAL
from sim.output.atomic import atomic_write_bytes
from sim.output.plotkit import new_figure, png_bytes

__all__ = ["STATE_LAYOUT", "draw_state_diagram", "state_diagram_png"]

# (column, row): row 0 is the happy path, row 1 the side exits.
STATE_LAYOUT: dict[str, tuple[int, int]] = {
    "placed": (0, 0),
    "unpaid": (1, 0),
    "reminded": (1, 1),
    "paid": (2, 0),
    "cancelled": (2, 1),
    "shipped": (3, 0),
    "refunded": (3, 1),
    "delivered": (4, 0),
    "refused": (4, 1),
    "completed": (5, 0),
    "disputed": (5, 1),
}
_DX, _DY = 2.3, 1.9
_TITLE = "Order lifecycle: states and the triggers that move an order"


def _positions(states: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Known states at their stage; unknown ones stacked in an extra column on the right."""
    out: dict[str, tuple[float, float]] = {}
    extra = 0
    last = max(c for c, _ in STATE_LAYOUT.values()) + 1
    for state in states:
        col, row = STATE_LAYOUT.get(state, (last + extra // 2, extra % 2))
        if state not in STATE_LAYOUT:
            extra += 1
        out[state] = (col * _DX, -row * _DY)
    return out


def draw_state_diagram(
    edges: Sequence[tuple[str, str, str]],
    path: str | os.PathLike[str],
    *,
    terminal: Iterable[str] = TERMINAL,
    title: str = _TITLE,
) -> Path:
    """Write a PNG of the states and (source, trigger, target) edges; returns its path."""
    return atomic_write_bytes(path, state_diagram_png(edges, terminal=terminal, title=title))


def state_diagram_png(
    edges: Sequence[tuple[str, str, str]],
    *,
    terminal: Iterable[str] = TERMINAL,
    title: str = _TITLE,
) -> bytes:
    """The diagram as PNG bytes (for embedding in the report)."""
    states = list(dict.fromkeys(s for src, _, dst in edges for s in (src, dst)))
    pos = _positions(states)
    terminal = set(terminal)
    grouped: dict[tuple[str, str], list[str]] = {}
    for src, trigger, dst in edges:
        grouped.setdefault((src, dst), [])
        if trigger not in grouped[(src, dst)]:
            grouped[(src, dst)].append(trigger)

    columns = max(x for x, _ in pos.values()) / _DX + 1
    figure = new_figure(max(8.0, 2.25 * columns), 4.4)
    ax = figure.subplots()
    ax.set_axis_off()
    boxes = {}
    for state, (x, y) in pos.items():
        final = state in terminal
        boxes[state] = ax.text(
            x,
            y,
            state,
            ha="center",
            va="center",
            fontsize=11,
            zorder=3,
            fontweight="bold" if final else "normal",
            bbox={
                "boxstyle": "round,pad=0.55",
                "lw": 2.4 if final else 1.3,
                "fc": "#eeeeee" if final else "#f4f8fd",
                "ec": "#333333" if final else "#4c72b0",
            },
        )
    for (src, dst), triggers in grouped.items():
        (x0, y0), (x1, y1) = pos[src], pos[dst]
        label = "\n".join(triggers)
        style = {"arrowstyle": "-|>", "color": "#555555", "lw": 1.2, "mutation_scale": 14}
        if src == dst:  # a loop on the left of the box
            ax.annotate(
                "",
                xy=(x0 - 0.5, y0 - 0.16),
                xytext=(x0 - 0.5, y0 + 0.16),
                arrowprops={**style, "connectionstyle": "arc3,rad=1.5"},
            )
            ax.text(x0 - 0.9, y0, label, ha="right", va="center", fontsize=8.5, color="#333333")
            continue
        skips = abs(x1 - x0) > _DX * 1.01 and y0 == y1
        rad = -0.3 if skips else (0.15 if (dst, src) in grouped else 0.0)
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            zorder=2,
            arrowprops={
                **style,
                "patchA": boxes[src].get_bbox_patch(),
                "patchB": boxes[dst].get_bbox_patch(),
                "connectionstyle": f"arc3,rad={rad}",
            },
        )
        t = 0.5 if (y0 == y1 or x0 == x1) else 0.3  # crossing diagonals: labels off the centre
        lx, ly = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        va = "center"
        if skips:  # the arc bulges below the row by rad * distance / 2
            ly, va = ly - abs(rad * (x1 - x0)) / 2 - 0.06, "top"
        elif y0 == y1:
            ly, va = ly + 0.08, "bottom"
        ax.text(
            lx,
            ly,
            label,
            ha="center",
            va=va,
            fontsize=8.5,
            color="#333333",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    xs = [x for x, _ in pos.values()]
    ax.set_xlim(min(xs) - 0.9, max(xs) + 0.9)
    ax.set_ylim(-_DY - 1.2, 0.55)
    ax.set_title(f"{title}  (bold boxes: terminal states)", fontsize=12)
    return png_bytes(figure)

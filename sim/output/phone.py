"""The plots of report.html on a phone: the same figure, its panels stacked in one column.

A run's PNGs are wide (12-14 inches, two panels side by side), which a 400 px phone shows at a
third of their size, too small to read. Each figure is therefore also drawn narrow: its panels
moved into one column of a grid `PHONE_WIDTH` inches wide, every panel keeping its own height
and its tick labels (shared axes hide the inner ones side by side), long strategy names broken
over two lines, every other label of a crowded time axis, legends in at most two columns (a
panel's long legend below it) and titles wrapped to the width they have. report.html shows
that drawing below 700 px (`<picture>`); the file is written beside the PNG with a leading dot
(`phone_path`) and removed once the report has taken it in, so the run's folder holds the same
files as before.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.ticker import FixedLocator, FuncFormatter

__all__ = ["PHONE_WIDTH", "phone_path", "restack"]

PHONE_WIDTH = 5.6  # inches: 616 px at 110 dpi, shown at ~380 CSS px on a 400 px phone
_LABEL_CHARS = 22  # a strategy name on the y axis is broken into lines of about this many
_LONG_LEGEND = 6  # a panel's legend with more entries goes below the panel
_MAX_X_LABELS = 8  # a fixed x axis with more ticks shows every other label
_CHAR_WIDTH = 0.56  # a character's mean width, in units of the font size


def phone_path(path: str | os.PathLike[str]) -> Path:
    """Where the phone drawing of the PNG at `path` is written (a hidden sibling)."""
    path = Path(path)
    return path.with_name(f".{path.stem}.phone.png")


def _panels(figure: Figure) -> list:
    """The visible grid axes of `figure` in reading order (colour bars and hidden axes left)."""
    found = []
    for ax in figure.axes:
        spec = ax.get_subplotspec()
        if spec is None or not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        found.append((spec.rowspan.start, spec.colspan.start, ax))
    return [ax for *_, ax in sorted(found, key=lambda item: item[:2])]


def _wrap_text(text, inches: float) -> None:
    """Break a title or label into lines that fit `inches` (CJK characters count double)."""
    content = text.get_text() if text is not None else ""
    if not content:
        return
    points = text.get_fontsize() * _CHAR_WIDTH
    chars = max(int(inches * 72 / points), 12)
    if any(ord(c) > 0x2E80 for c in content):
        chars = max(chars // 2, 6)
    if len(content) > chars:
        text.set_text("\n".join(textwrap.wrap(content.replace("\n", " "), chars)))


def _wrap_names(ax) -> None:
    """Break the strategy names of a y axis over lines (their width squeezes the panel)."""
    if not isinstance(ax.yaxis.get_major_locator(), FixedLocator):
        return
    names = ax.yaxis.get_major_formatter().format_ticks(ax.yaxis.get_majorticklocs())
    if not any(len(name) > _LABEL_CHARS for name in names):
        return
    wrapped = [
        "\n".join(textwrap.wrap(name, _LABEL_CHARS, break_on_hyphens=False)) or name
        for name in names
    ]
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda _, pos: wrapped[pos] if pos is not None and pos < len(wrapped) else "")
    )


def _thin_times(ax) -> None:
    """Every other label of a crowded fixed x axis (time ticks 1 min ... 3 d run together)."""
    if not isinstance(ax.xaxis.get_major_locator(), FixedLocator):
        return
    ticks = ax.xaxis.get_majorticklocs()
    if len(ticks) <= _MAX_X_LABELS:
        return
    names = ax.xaxis.get_major_formatter().format_ticks(ticks)
    kept = [name if i % 2 == 0 else "" for i, name in enumerate(names)]
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda _, pos: kept[pos] if pos is not None and pos < len(kept) else "")
    )


def _legend_args(legend: Legend) -> tuple[list, list[str], dict]:
    title = legend.get_title().get_text()
    texts = legend.get_texts()
    size = texts[0].get_fontsize() if texts else 9
    kwargs = {"frameon": False, "fontsize": size}
    if title:
        kwargs |= {"title": title, "title_fontsize": legend.get_title().get_fontsize()}
    return list(legend.legend_handles), [t.get_text() for t in texts], kwargs


def _relegend(figure: Figure, panels: list) -> float:
    """Legends in at most two columns, a long panel legend below its panel; the inches added."""
    added = 0.0
    for legend in list(figure.legends):
        handles, labels, kwargs = _legend_args(legend)
        columns = min(2, max(len(labels), 1))
        legend.remove()
        figure.legend(handles, labels, loc="outside lower center", ncols=columns, **kwargs)
        added += 0.3 * -(-len(labels) // columns) + (0.3 if "title" in kwargs else 0.0)
    for ax in panels:
        legend = ax.get_legend()
        if legend is None or len(legend.get_texts()) <= _LONG_LEGEND:
            continue
        handles, labels, kwargs = _legend_args(legend)
        legend.remove()
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.16), **kwargs)
        added += 0.26 * len(labels) + 0.6
    return added


def restack(figure: Figure) -> bool:
    """Re-lay `figure` for a phone: its panels in one column, PHONE_WIDTH wide; False if it
    has no panels."""
    panels = _panels(figure)
    if not panels:
        return False
    rows, _ = panels[0].get_subplotspec().get_gridspec().get_geometry()
    height = figure.get_size_inches()[1]
    per_panel = max((height - 1.4) / rows, 2.4)
    grid = figure.add_gridspec(len(panels), 1)
    for i, ax in enumerate(panels):
        ax.set_subplotspec(grid[i, 0])
        ax.tick_params(labelleft=True, labelbottom=True)
        ax.xaxis.label.set_visible(True)
        _wrap_names(ax)
        _thin_times(ax)
    extra = 1.2 + _relegend(figure, panels)
    figure.set_size_inches(PHONE_WIDTH, per_panel * len(panels) + extra)
    for name in ("_suptitle", "_supxlabel"):
        _wrap_text(getattr(figure, name, None), PHONE_WIDTH - 0.3)
    figure.draw_without_rendering()  # where the panels ended up, to wrap their titles to them
    for ax in panels:
        _wrap_text(ax.title, ax.get_position().width * PHONE_WIDTH)
        _wrap_text(ax.xaxis.label, ax.get_position().width * PHONE_WIDTH)
    return True

"""report.html on a phone: every multi-panel plot is also drawn with its panels in one column,
shown below 700 px, and the run's folder keeps only its usual files."""

from __future__ import annotations

import base64
import itertools
import re
from pathlib import Path

import numpy as np
from synthetic_runs import AGENTS, AUTO_CLOSE

from sim.output.phone import PHONE_WIDTH, phone_path, restack
from sim.output.plotkit import new_figure
from sim.output.plots import plot_all
from sim.output.report import write_report

META = {"auto_close_hours": AUTO_CLOSE, "agents": AGENTS, "on_duty": [9, 24]}


def test_restack_puts_the_panels_in_one_column_each_with_its_labels() -> None:
    figure = new_figure(12, 6)
    axes = figure.subplots(2, 2, sharey=True)
    names = ["a very long strategy name @ 15 min,72", "short"]
    for ax in axes.flat:
        ax.barh([0, 1], [1, 2])
    axes[0, 0].set_yticks([0, 1], names)
    figure.suptitle("What does each strategy change against the baseline? " * 2)
    assert restack(figure)
    figure.draw_without_rendering()
    boxes = [ax.get_position() for ax in axes.flat]
    assert figure.get_size_inches()[0] == PHONE_WIDTH
    assert len({round(b.x0, 6) for b in boxes}) == 1  # one column, full width
    tops = [b.y1 for b in boxes]
    assert tops == sorted(tops, reverse=True) and all(
        upper.y0 > lower.y1 for upper, lower in itertools.pairwise(boxes)
    )
    for ax in axes.flat:  # side by side, the right panels hid their names; stacked, none does
        labels = [t for t in ax.get_yticklabels() if t.get_visible()]
        assert [t.get_text() for t in labels] == [
            "a very long strategy\nname @ 15 min,72",
            "short",
        ]
    assert "\n" in figure.get_suptitle()


def test_a_figure_without_panels_is_left_alone() -> None:
    figure = new_figure(6, 3)
    assert not restack(figure)
    assert np.allclose(figure.get_size_inches(), (6, 3))


def test_report_shows_the_stacked_drawings_below_700_px(tmp_path: Path, summary, units) -> None:
    plots = plot_all(summary, units, tmp_path, **META)
    phones = {p.stem: phone_path(p) for p in plots if phone_path(p).is_file()}
    assert {"kpis", "costs", "outcomes"} <= set(phones) and "lifecycle" not in phones
    page = write_report(
        tmp_path / "report.html", summary, units, plots, title="t", description="",
        diagram_mermaid="",
    ).read_text(encoding="utf-8")  # fmt: skip
    for stem, phone in phones.items():
        wide = base64.b64encode((tmp_path / f"{stem}.png").read_bytes()).decode()
        narrow = base64.b64encode(phone.read_bytes()).decode()
        pattern = (
            r'<picture><source media="\(max-width:700px\)" srcset="data:image/png;base64,'
            + re.escape(narrow)
            + r'">\s*<img src="data:image/png;base64,'
            + re.escape(wide)
        )
        assert re.search(pattern, page), stem
    assert "figure.stacks img{max-width:100%;width:100%}" in page


def test_a_run_leaves_no_phone_drawing_in_its_folder(tmp_path: Path) -> None:
    from sim.api import run

    out = tmp_path / "out"
    run("first-reminder-timing", replications=1, arrivals__orders_per_day=60, out=out)
    assert (out / "kpis.png").is_file()
    assert not list(out.glob(".*.png"))
    assert "<picture>" in (out / "report.html").read_text(encoding="utf-8")

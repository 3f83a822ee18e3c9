"""A `--lang zh` run's plots hold no English word a seller reads (every text drawn is read off
the figures before they are saved)."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.text import Text

import sim.output.heatmap
import sim.output.kpiplot
import sim.output.plots
import sim.output.sweepplot
import sim.output.timeplots
from tests.chinese_words import english_words


def test_every_plot_of_a_chinese_run_is_drawn_in_chinese(tmp_path: Path, monkeypatch) -> None:
    from sim.api import run
    from sim.output.writers import _plot_meta

    results = run("first-reminder-timing", replications=2, arrivals__orders_per_day=60)
    drawn: dict[str, list[str]] = {}

    def keep_texts(figure, path, phone=False):
        drawn[Path(path).stem] = [t.get_text() for t in figure.findobj(Text) if t.get_visible()]
        return Path(path)

    for module in (sim.output.heatmap, sim.output.kpiplot, sim.output.plots,
                   sim.output.sweepplot, sim.output.timeplots):  # fmt: skip
        monkeypatch.setattr(module, "save_png", keep_texts)
    meta = {"lang": "zh", **_plot_meta(results.scenario)}
    for plot in sim.output.plots.PLOTTERS:
        if plot is not sim.output.plots.plot_lifecycle:  # the state machine's own names
            plot(results.summary, results.units, tmp_path, **meta)
    assert {"kpis", "sweep", "heatmap", "payment_curve", "outcomes", "costs"} <= set(drawn)
    summary = results.summary
    names = {*summary["strategies"], summary["scenario"], "first-reminder-timing"}
    names |= {key.split("@")[0] for key in summary["strategies"]}
    names |= {str(g["parameter"]) for g in summary["sweep"]["grid"]}
    names |= {str(v) for g in summary["sweep"]["grid"] for v in g["values"]}
    left = {stem: english_words(" ".join(texts), names) for stem, texts in drawn.items()}
    assert {stem: words for stem, words in left.items() if words} == {}


@pytest.fixture(autouse=True)
def _no_pool(monkeypatch):
    """Draw here, one plot after another (the texts are read in this process)."""
    monkeypatch.setattr(sim.output.plots, "_forked_pool", lambda tasks: None)

"""The writers: atomic files, summary.json, replications.csv, tables, plots and report.html."""

from __future__ import annotations

import base64
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from synthetic_runs import AGENTS, AUTO_CLOSE, make_summary, make_units

from sim.experiment.results import KPI_NAMES, MAIN_KPIS, UnitResult
from sim.output.atomic import atomic_open, atomic_write_bytes, atomic_write_text
from sim.output.diagram import draw_state_diagram
from sim.output.phone import phone_path
from sim.output.plots import (
    plot_agents,
    plot_all,
    plot_costs,
    plot_kpis,
    plot_outcomes,
    plot_payment_curve,
    plot_sweep,
)
from sim.output.report import write_report
from sim.output.summary import write_replications_csv, write_summary
from sim.output.tables import comparison_table, format_diff, format_stat, kpi_table, verdict

PNG = b"\x89PNG\r\n\x1a\n"
META = {"auto_close_hours": AUTO_CLOSE, "agents": AGENTS, "on_duty": [9, 24]}
EDGES = [
    ("placed", "await_payment", "unpaid"),
    ("unpaid", "remind", "reminded"),
    ("reminded", "remind", "reminded"),
    ("unpaid", "pay", "paid"),
    ("reminded", "pay", "paid"),
    ("unpaid", "auto_close", "cancelled"),
    ("reminded", "auto_close", "cancelled"),
    ("paid", "ship", "shipped"),
    ("paid", "refund", "refunded"),
    ("shipped", "deliver", "delivered"),
    ("shipped", "refuse", "refused"),
    ("refused", "refund", "refunded"),
    ("delivered", "confirm", "completed"),
    ("delivered", "open_dispute", "disputed"),
    ("disputed", "settle_for_seller", "completed"),
    ("disputed", "settle_for_buyer", "refunded"),
]


def _is_png(path: Path | None) -> bool:
    return path is not None and path.stat().st_size > 1000 and path.read_bytes()[:8] == PNG


# --- atomic writes -------------------------------------------------------------------------


def test_atomic_writes_replace_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.txt"
    atomic_write_text(target, "first")
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_interrupted_write_keeps_the_old_file_and_no_temp(tmp_path: Path, error) -> None:
    target = tmp_path / "summary.json"
    target.write_text("old")
    with pytest.raises(error), atomic_open(target) as handle:
        handle.write("half of the new")
        raise error()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


# --- summary.json and replications.csv ------------------------------------------------------


def test_summary_json_round_trips(tmp_path: Path, summary: dict) -> None:
    path = write_summary(tmp_path / "summary.json", summary)
    assert json.loads(path.read_text()) == summary
    assert path.read_text().startswith('{\n  "scenario": "synthetic"')
    with pytest.raises(ValueError):
        write_summary(tmp_path / "bad.json", {"x": math.nan})
    assert not (tmp_path / "bad.json").exists()


def test_replications_csv_has_a_row_per_unit_and_every_kpi(tmp_path: Path, units) -> None:
    path = write_replications_csv(tmp_path / "replications.csv", units)
    frame = pd.read_csv(path)
    assert len(frame) == len(units) == 30
    assert list(frame.columns[: 2 + len(KPI_NAMES)]) == ["strategy", "replication", *KPI_NAMES]
    assert "cost_per_order" in frame.columns
    row = frame[(frame.strategy == "sms-30min") & (frame.replication == 3)].iloc[0]
    unit = next(u for u in units if u.strategy == "sms-30min" and u.replication == 3)
    assert row["paid_rate"] == pytest.approx(unit.kpis["paid_rate"])
    assert frame.loc[frame.strategy == "no-reminder", "reminder_wait_hours"].isna().all()


def test_replications_csv_with_a_sweep(tmp_path: Path, sweep_units) -> None:
    frame = pd.read_csv(write_replications_csv(tmp_path / "r.csv", sweep_units))
    assert list(frame.columns[:3]) == ["strategy", "replication", "sweep_value"]
    assert len(frame) == 3 * 5 * 4
    assert sorted(frame.sweep_value.unique()) == [1, 6, 12, 24]


# --- tables ---------------------------------------------------------------------------------


def test_formatting_of_rates_money_and_differences() -> None:
    assert format_stat("paid_rate", {"mean": 0.712, "ci_low": 0.70, "ci_high": 0.724}) == (
        "71.2 ± 1.2"
    )
    stat = {"mean": 31.456, "ci_low": 30.0, "ci_high": 32.912}
    assert format_stat("net_profit_per_order", stat) == "31.46 ± 1.46"
    assert format_diff("paid_rate", {"diff": 0.05, "ci_low": 0.04, "ci_high": 0.06}) == (
        "+5.0 ± 1.0"
    )
    assert format_stat("paid_rate", {"mean": None, "ci_low": None, "ci_high": None}) == "n/a"


def test_verdict_knows_which_direction_is_better() -> None:
    up = {"diff": 1.0, "ci_low": 0.5, "ci_high": 1.5}
    across = {"diff": 1.0, "ci_low": -0.5, "ci_high": 2.5}
    assert verdict("net_profit_per_order", up) == 1
    assert verdict("cost_per_order", up) == -1
    assert verdict("low_ratings_per_order", up) == -1
    assert verdict("paid_rate", across) == 0
    assert verdict("orders", up) == 0


def test_many_keys_put_strategies_in_rows(summary: dict) -> None:
    many = {
        **summary,
        "strategies": {f"s{i}": next(iter(summary["strategies"].values())) for i in range(8)},
    }
    table = kpi_table(many)
    assert table.row_count == 8 and len(table.columns) == 1 + len(MAIN_KPIS)


def test_tables_render(summary: dict) -> None:
    console = Console(record=True, width=200, color_system="truecolor")
    table = kpi_table(summary)
    comparison = comparison_table(summary)
    # three strategies: one column each, KPIs down the side
    assert table.row_count == len(MAIN_KPIS) and len(table.columns) == 1 + 3
    assert comparison.row_count == len(MAIN_KPIS) and len(comparison.columns) == 1 + 2
    assert table.columns[1].header == "no-reminder (baseline)"
    console.print(table)
    console.print(comparison)
    text = console.export_text(clear=False)
    assert "no-reminder (baseline)" in text and "±" in text
    assert "Paid rate (%)" in text and "Paid rate (pp)" in text
    assert "#008000" in console.export_html()  # better than the baseline: green


# --- plots ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plot", [plot_kpis, plot_payment_curve, plot_outcomes, plot_costs, plot_agents]
)
def test_every_plot_writes_a_png(tmp_path: Path, summary, units, plot) -> None:
    assert _is_png(plot(summary, units, tmp_path, **META))


def test_plot_sweep_numeric_and_categorical(tmp_path: Path, sweep_summary, sweep_units) -> None:
    assert _is_png(plot_sweep(sweep_summary, sweep_units, tmp_path / "n", **META))
    cat_units = make_units(replications=3, sweep=["off", "peak", "next_day"])
    cat_summary = make_summary(cat_units, "strategies.sms-30min.channel")
    assert _is_png(plot_sweep(cat_summary, cat_units, tmp_path / "c"))


def test_plots_that_do_not_apply_return_none(tmp_path: Path, summary, units) -> None:
    assert plot_sweep(summary, units, tmp_path) is None
    quiet = [
        UnitResult(
            u.strategy,
            u.replication,
            None,
            u.kpis,
            {**u.curves, "agent_busy_by_hour": [0.0] * 24, "agent_queue_by_hour": [0.0] * 24},
        )
        for u in units
    ]
    assert plot_agents(summary, quiet, tmp_path) is None
    assert plot_payment_curve(summary, [], tmp_path) is None


def test_plot_all_writes_every_applicable_plot(tmp_path, sweep_summary, sweep_units) -> None:
    paths = plot_all(sweep_summary, sweep_units, tmp_path, **META)
    names = [p.name for p in paths]
    assert names == [
        "kpis.png",
        "sweep.png",
        "payment_curve.png",
        "outcomes.png",
        "costs.png",
        "agents.png",
        "lifecycle.png",
    ]
    assert all(_is_png(p) for p in paths)


def test_plots_drawn_in_forked_workers_equal_plots_drawn_here(
    tmp_path, sweep_summary, sweep_units, monkeypatch
) -> None:
    import sim.forking
    import sim.output.plots as plots_module

    # earlier tests may leave an idle thread behind (Dask's offload thread), which turns the
    # pool off; the children here only draw, so the pool is forced on for this comparison
    monkeypatch.setattr(sim.forking.threading, "active_count", lambda: 1)
    monkeypatch.setattr(plots_module.os, "cpu_count", lambda: 2)
    pool = plots_module._forked_pool(6)
    if pool is None:
        pytest.skip("no fork on this platform")
    pool.shutdown()
    pooled = plot_all(sweep_summary, sweep_units, tmp_path / "pool", **META)
    monkeypatch.setattr(plots_module.os, "cpu_count", lambda: 1)  # no pool on one core
    assert plots_module._forked_pool(6) is None
    here = plot_all(sweep_summary, sweep_units, tmp_path / "here", **META)
    assert [p.name for p in pooled] == [p.name for p in here]
    assert [p.read_bytes() for p in pooled] == [p.read_bytes() for p in here]


def test_plots_work_from_a_summary_alone(tmp_path: Path, summary: dict) -> None:
    loaded = json.loads(json.dumps(summary))
    assert _is_png(plot_kpis(loaded, [], tmp_path))
    assert _is_png(plot_costs(loaded, [], tmp_path))


def test_state_diagram_png(tmp_path: Path) -> None:
    assert _is_png(draw_state_diagram(EDGES, tmp_path / "states.png"))
    extra = [*EDGES, ("completed", "review", "reviewed")]  # a state the layout does not know
    assert _is_png(draw_state_diagram(extra, tmp_path / "more.png"))


# --- report.html ----------------------------------------------------------------------------


def test_report_is_self_contained(tmp_path: Path, summary, units) -> None:
    plots = plot_all(summary, units, tmp_path, **META)
    title = 'Does a next-day call pay? <script>alert("x")</script>'
    path = write_report(
        tmp_path / "report.html",
        summary,
        units,
        plots,
        title=title,
        description="Compare reminders & incentives.",
        diagram_mermaid="stateDiagram-v2\n  unpaid --> paid: pay",
        scenario_text='[scenario]\nname = "synthetic"\n',
        diagram_edges=EDGES,
    )
    page = path.read_text(encoding="utf-8")
    for plot in plots:
        assert "data:image/png;base64," + base64.b64encode(plot.read_bytes()).decode() in page
    # lifecycle.png, one of the plots, is the state diagram: embedded once; each other plot
    # also as its phone drawing (sim.output.phone)
    phones = [p for p in plots if phone_path(p).is_file()]
    assert page.count("data:image/png;base64,") == len(plots) + len(phones)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "url(" not in page and "<script" not in page and "<link" not in page
    assert "Does a next-day call pay? &lt;script&gt;" in page
    assert "Compare reminders &amp; incentives." in page
    assert "unpaid --&gt; paid: pay" in page
    assert "name = &#34;synthetic&#34;" in page  # escaped by the template
    assert page.count("<details>") >= 3
    assert 'class="better"' in page


def test_report_without_optional_parts(tmp_path: Path, sweep_summary, sweep_units) -> None:
    path = write_report(
        tmp_path / "r.html",
        sweep_summary,
        sweep_units,
        [],
        title="Sweep",
        description="",
        diagram_mermaid="",
        scenario_text=None,
    )
    page = path.read_text(encoding="utf-8")
    assert "<h1>Sweep</h1>" in page and "phone-next-day @ 24 h" in page
    assert "data:image" not in page

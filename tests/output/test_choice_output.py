"""What a reader sees of the choice: honest number formatting, colouring only what is
significant, best vs runner-up, the selection table and the grid's heat map."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from synthetic_runs import make_summary, make_units

from sim.experiment.best import best_vs_runner_up, main_kpi
from sim.output.choice import (
    adjustment_note,
    best_vs_runner_up_text,
    one_replication_note,
    print_choice,
    selection_rows,
)
from sim.output.heatmap import plot_heatmap
from sim.output.tables import comparison_table, format_diff, format_stat, verdict


def test_no_signed_zero_is_ever_printed() -> None:
    assert format_diff("paid_rate", {"diff": -0.0, "ci_low": -0.0, "ci_high": 0.0}) == ("0.0 ± 0.0")
    assert format_diff("net_profit_per_order", {"diff": -0.001, "ci_low": None}, 2) == (
        "0.00 ± n/a"
    )
    assert format_stat("net_profit_per_order", {"mean": -0.0001}, 2) == "0.00 ± n/a"


@pytest.mark.parametrize(
    ("comp", "shown"),
    [
        # excludes 0, but at 1 decimal of a percent it would read "+0.0 ± 0.0"
        ({"diff": 0.0004, "ci_low": 0.0001, "ci_high": 0.0007}, "+0.04 ± 0.03"),
        # excludes 0, but "+0.1 ± 0.1" would read as touching it: more digits show it
        ({"diff": 0.0014, "ci_low": 0.0001, "ci_high": 0.0027}, "+0.14 ± 0.13"),
        # holds 0 and reads so
        ({"diff": 0.0012, "ci_low": -0.0001, "ci_high": 0.0025}, "+0.1 ± 0.1"),
        # plain cases keep the column's decimals
        ({"diff": 0.05, "ci_low": 0.04, "ci_high": 0.06}, "+5.0 ± 1.0"),
    ],
)
def test_rounding_never_hides_whether_an_interval_excludes_0(comp, shown) -> None:
    assert format_diff("paid_rate", comp, 1) == shown


def test_only_significant_differences_are_coloured() -> None:
    comp = {"diff": 0.05, "ci_low": 0.01, "ci_high": 0.09}
    assert verdict("paid_rate", comp) == 1
    assert verdict("paid_rate", {**comp, "significant": False}) == 0  # adjusted holds 0
    assert verdict("paid_rate", {"diff": 0.05, "ci_low": None, "ci_high": None}) == 0


def test_many_strategies_are_adjusted_and_say_so() -> None:
    summary = make_summary(make_units())
    assert summary["adjustment"] == "bonferroni"
    for comps in summary["comparisons"].values():
        c = comps["paid_rate"]
        assert c["ci_low"] <= c["ci_low_unadjusted"] <= c["ci_high_unadjusted"] <= c["ci_high"]
    assert "Bonferroni-adjusted" in adjustment_note(summary)
    assert "Bonferroni-adjusted for 2 comparisons" in comparison_table(summary).title


def test_one_replication_prints_n_a_and_colours_nothing() -> None:
    summary = make_summary(make_units(replications=1))
    table = comparison_table(summary)
    cells = [cell for column in table.columns[1:] for cell in column._cells]
    assert all(cell.style == "" for cell in cells)
    assert all(str(cell).endswith("± n/a") for cell in cells)
    assert "one replication gives no interval" in one_replication_note(summary)
    assert one_replication_note(make_summary(make_units(replications=2))) is None


def test_best_vs_runner_up_uses_total_profit_when_order_counts_differ() -> None:
    same = {"a": {0: {"orders": 10.0}}, "b": {0: {"orders": 10.0}}}
    assert main_kpi(same) == "net_profit_per_order"
    differ = {
        "a": {0: {"orders": 10.0, "net_profit": 1.0}},
        "b": {0: {"orders": 9.0, "net_profit": 1.0}},
    }
    assert main_kpi(differ) == "net_profit"
    keyed = {
        "a": {r: {"orders": 10.0, "net_profit_per_order": 5.0 + r} for r in range(4)},
        "b": {r: {"orders": 10.0, "net_profit_per_order": 4.0 + r + 0.1 * r * r} for r in range(4)},
        "c": {r: {"orders": 10.0, "net_profit_per_order": 1.0} for r in range(4)},
    }
    duel = best_vs_runner_up(keyed)
    assert (duel["best"], duel["runner_up"]) == ("a", "b")  # means 6.5 and 5.85
    assert duel["mean"] == pytest.approx(0.65)  # a - b = 1 - 0.1 r^2, paired
    assert duel["kpi"] == "net_profit_per_order" and duel["distinguishable"] is True
    assert best_vs_runner_up({"a": keyed["a"]}) is None


def test_best_vs_runner_up_and_selection_are_printed(tmp_path: Path) -> None:
    summary = make_summary(make_units())
    summary["selection"] = {
        "best": "phone-next-day",
        "kpi": "paid_rate",
        "delta": 0.01,
        "confidence": 0.95,
        "procedure": "KN",
        "better": "higher",
        "replications": {"phone-next-day": 15, "sms-30min": 15, "no-reminder": 10},
        "eliminated": [
            {"candidate": "no-reminder", "after_replications": 10},
            {"candidate": "sms-30min", "after_replications": 15},
        ],
        "mcb": {
            "phone-next-day": {"mean": 0.06, "ci_low": 0.0, "ci_high": 0.07},
            "sms-30min": {"mean": -0.06, "ci_low": -0.07, "ci_high": 0.0},
            "no-reminder": {"mean": -0.12, "ci_low": -0.13, "ci_high": 0.0},
        },
    }
    rows = selection_rows(summary)
    assert [r[0] for r in rows] == ["phone-next-day", "sms-30min", "no-reminder"]
    assert rows[0][-2:] == ["yes", "selected"] and rows[2][-2:] == ["no", "out after 10"]
    assert rows[0][3] == "[0.0, +7.0]"  # rates in percentage points, no signed zero
    buffer = io.StringIO()
    print_choice(Console(file=buffer, width=80), summary)
    text = buffer.getvalue()
    assert "Best vs runner-up on net profit per order" in text
    assert "KN selection, 95% confidence, delta 1 pp" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert best_vs_runner_up_text({"best_vs_runner_up": None}) is None


def test_heat_map_of_a_two_parameter_grid(tmp_path: Path) -> None:
    points = [(1, 200), (1, 400), (6, 200), (6, 400)]
    units = [
        replace(u, sweep_value=point)
        for point in points
        for u in make_units(replications=3, sweep=[point[0]])
    ]
    summary = make_summary(units)
    summary["sweep"] = {
        "parameter": "a × b",
        "values": ["1,200", "1,400", "6,200", "6,400"],
        "grid": [{"parameter": "a", "values": [1, 6]}, {"parameter": "b", "values": [200, 400]}],
    }
    path = plot_heatmap(summary, units, tmp_path)
    assert path is not None and path.read_bytes()[:4] == b"\x89PNG"
    summary["sweep"] = {"parameter": "a", "values": [1, 6]}  # one parameter: no heat map
    assert plot_heatmap(summary, units, tmp_path / "none") is None


def test_precision_is_reported_in_words() -> None:
    from sim.output.choice import precision_text

    summary = {"precision": {"targets": {"paid_rate": 0.005}, "replications": 87, "reached": True}}
    assert precision_text(summary) == (
        "target half-width (paid_rate ≤ 0.5 pp) reached with 87 replications per strategy"
    )
    summary["precision"]["reached"] = False
    assert "NOT reached: stopped at --max-replications 87" in precision_text(summary)
    assert precision_text({}) is None


def test_grid_points_read_as_their_labels_in_replications_csv() -> None:
    from sim.output.summary import replications_frame

    units = [replace(u, sweep_value=(6, 400)) for u in make_units(replications=1, sweep=[6])]
    assert set(replications_frame(units)["sweep_value"]) == {"6,400"}


def test_sweep_plot_draws_a_strategy_run_once_across_every_value(tmp_path: Path) -> None:
    from sim.output.sweepplot import plot_sweep

    units = [
        u
        for u in make_units(replications=3, sweep=[1, 6, 12])
        if u.strategy != "no-reminder" or u.sweep_value == 1
    ]
    units = [replace(u, sweep_value=None) if u.strategy == "no-reminder" else u for u in units]
    summary = make_summary(units, "strategies.phone-next-day.reminders.0.at")
    assert "no-reminder" in summary["strategies"] and "sms-30min@6" in summary["strategies"]
    assert set(summary["comparisons"]) == {f"{s}@{v}" for s in ("sms-30min", "phone-next-day")
                                           for v in (1, 6, 12)}  # fmt: skip
    assert plot_sweep(summary, units, tmp_path).read_bytes()[:4] == b"\x89PNG"

"""What a notebook sees: a short repr, the public names, bundled names, a tidy summary frame."""

from __future__ import annotations

import math

import pytest

import sim


@pytest.fixture(scope="module")
def results():
    return sim.run("incentive-choice", replications=3, arrivals__orders_per_day=150)


def test_dir_lists_the_public_api_and_run_finds_bundled_names(results) -> None:
    assert dir(sim) == ["Results", "load_scenario", "run", "scenarios"]
    assert "how-many-agents" in sim.scenarios() and "incentive-choice" in sim.scenarios()
    assert results.summary["scenario"] == "incentive-choice"
    with pytest.raises(Exception, match="did you mean"):
        sim.run("incentive-choise")


def test_repr_is_a_few_lines_with_the_answer(results) -> None:
    text = repr(results)
    assert len(text.splitlines()) <= 8
    assert "'incentive-choice'" in text and "5 strategies" in text and "3 replications" in text
    assert "Best on net profit per order" in text and "ci_low" not in text


def test_summary_frame_has_one_row_per_strategy_and_kpi_with_the_paired_difference(
    results,
) -> None:
    frame = results.summary_frame()
    strategies = results.summary["strategies"]
    assert len(frame) == sum(len(kpis) for kpis in strategies.values())
    assert results.to_pandas(kind="summary").equals(frame)
    reps = results.to_pandas()
    base = results.summary["baseline"]
    for key in ("sms-deadline", "sms-small-gift"):
        row = frame[(frame.strategy == key) & (frame.kpi == "net_profit_per_order")].iloc[0]
        mine = reps[reps.strategy == key].set_index("replication")["net_profit_per_order"]
        theirs = reps[reps.strategy == base].set_index("replication")["net_profit_per_order"]
        assert math.isclose(row["mean"], mine.mean(), rel_tol=1e-12)
        assert math.isclose(row["diff"], (mine - theirs).mean(), rel_tol=1e-9, abs_tol=1e-12)
        assert row["diff_ci_low"] < row["diff"] < row["diff_ci_high"]
    baseline_rows = frame[frame.strategy == base]
    assert baseline_rows["diff"].isna().all()

"""The credited-vs-incremental figures in the summary, the answer (en and zh), the terminal table
and the report, from one small run."""

from __future__ import annotations

import math

import pytest
from engine_scenarios import deterministic, fixed

from sim.api import run
from sim.experiment.results import TOOL_KPIS
from sim.output.answer import answer_lines, find_answer
from sim.output.credited_view import tool_tables
from sim.output.i18n import get_lang
from sim.scenario import scenario_from_dict


@pytest.fixture(scope="module")
def results():
    segment = {**deterministic()["segments"][0], "pays_unprompted": 0.4, "cancels": 0.0,
               "pay_hours": {"dist": "exponential", "mean": 5}, "response_hours": fixed(0.5),
               "response": {"sms": 0.3, "phone": 0, "im": 0, "auto": 0},
               "annoyance": {"phone": 0.03, "im": 0.01, "sms": 0.01, "auto": 0.0}}  # fmt: skip
    steps = [{"at": 2, "channel": "sms"}, {"at": 4, "channel": "sms"}]
    data = deterministic(
        scenario={"arrival_days": 2, "replications": 3},
        segments=[segment],
        strategies=[{"name": "none"}, {"name": "two-sms", "reminders": steps}],
    )
    return run(scenario_from_dict(data))


def test_the_summary_has_the_tools_and_the_real_figures(results):
    s = results.summary
    two = s["strategies"]["two-sms"]
    assert set(TOOL_KPIS) <= set(two)
    # the real gain is the paired comparison of paid rates, replication by replication
    assert two["incremental_paid_rate"]["mean"] == pytest.approx(
        s["comparisons"]["two-sms"]["paid_rate"]["diff"]
    )
    credited = two["credited_paid_rate"]["mean"] * two["reminded_rate"]["mean"]
    ratio = two["credited_over_incremental"]["mean"]
    assert ratio > 1  # buyers paying anyway are credited too
    assert s["strategies"]["none"]["incremental_paid_rate"]["mean"] is None  # the baseline
    steps = s["steps"]["two-sms"]
    assert [e["label"] for e in steps[:2]] == ["0: sms at 2 h", "1: sms at 4 h"]
    assert steps[2]["step"] == "shared"
    # last touch: the steps' credited figures add up to the strategy's (means of sums)
    by_step = sum(e["credited_rate"]["mean"] for e in steps[:2])
    per_rep = [u.kpis for u in results.units if u.strategy == "two-sms"]
    mean_credited = sum(k["credited_paid_rate"] * k["reminded_rate"] for k in per_rep) / 3
    assert by_step == pytest.approx(mean_credited, rel=1e-9)
    assert not math.isclose(credited, 0.0)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Your reminder tool would report", "success", "recovered per 1,000 orders",
                "would have paid anyway: the real gain is", "points of paid orders",
                "the tool's ROI is", "the real ROI"]),
        ("zh", ["你的催付工具会报告催付成功率", "每千单挽回", "本来就会付款", "真实增量为付款订单",
                "真实投入产出比"]),
    ],
)  # fmt: skip
def test_the_answer_says_what_the_tool_would_report(results, lang, words):
    text = " ".join(answer_lines(find_answer(results.summary, results.units), get_lang(lang)))
    for word in words:
        assert word in text, (word, text)


def test_the_terminal_table_fits_80_columns(results):
    from rich.console import Console

    console = Console(width=80, record=True, color_system=None)
    for table in tool_tables(results.summary, get_lang("en"), width=80):
        console.print(table)
    text = console.export_text()
    assert "Tool: success (%)" in text and "Real gain: paid (pp)" in text
    assert max(len(line) for line in text.splitlines()) <= 80

"""The answer of `run` opens with the plain recommendation built from the scenario (en, zh),
says so when the best cannot be told from the runner-up, and describes a swept option at its
own value."""

from __future__ import annotations

import sim
from sim.output.answer import answer_lines, find_answer
from sim.output.i18n import get_lang
from sim.output.recommend import describe
from sim.scenario.load import scenario_from_dict


def case(response: float, sweep: dict | None = None, sms_cost: float = 0.1):
    """SMS 2 h after the order; with a high response it clearly beats sending nothing."""
    data = {
        "scenario": {"name": "rec", "seed": 1, "replications": 4, "arrival_days": 1},
        "arrivals": {"orders_per_day": 300},
        "shop": {"sms_cost": sms_cost},
        "segments": [{"name": "all", "share": 1.0, "pays_unprompted": 0.3, "cancels": 0.0,
                      "response": {"sms": response}, "annoyance": {"sms": 0.0}}],
        "strategies": [{"name": "none"},
                       {"name": "sms", "reminders": [{"at": 2, "channel": "sms"}]}],
    }  # fmt: skip
    if sweep:
        data["sweep"] = sweep
    return scenario_from_dict(data)


def test_run_answer_opens_with_what_to_do_in_both_languages() -> None:
    sc = case(0.6)
    res = sim.run(sc)
    found = find_answer(res.summary, res.units, "en", sc)
    assert found.best == "sms" and found.distinguishable
    lines = answer_lines(found, get_lang("en"))
    assert lines[0] == "Recommendation: Text every unpaid order 2 hours after it is placed (sms)."
    assert lines[1].startswith("Best on net profit per order: sms")
    zh = answer_lines(find_answer(res.summary, res.units, "zh", sc), get_lang("zh"))
    assert zh[0] == "建议: 在下单后 2 小时给每个未付款订单发短信 (sms)。"
    # without the scenario (a summary read back from disk) the answer starts as before
    assert answer_lines(find_answer(res.summary, res.units), get_lang("en"))[0] == lines[1]


def test_no_recommendation_when_the_best_cannot_be_told_apart() -> None:
    sc = case(0.0, sms_cost=0.0)  # a free text that wins nobody: the same net profit
    res = sim.run(sc)
    line = answer_lines(find_answer(res.summary, res.units, "en", sc), get_lang("en"))[0]
    assert line.startswith("No recommendation: ")


def test_a_swept_option_is_described_at_its_own_value() -> None:
    sc = case(0.6, {"parameter": "strategies.sms.reminders.0.at", "values": [0.5, 6.0]})
    en, zh = get_lang("en"), get_lang("zh")
    assert describe(sc, "sms@6", en) == "Text every unpaid order 6 hours after it is placed"
    assert describe(sc, "sms@0.5", en) == "Text every unpaid order 30 minutes after it is placed"
    assert describe(sc, "sms@6", zh) == "在下单后 6 小时给每个未付款订单发短信"


def test_a_swept_platform_rule_is_the_condition_not_advice() -> None:
    """The platform's rules are not the seller's to set: the advice holds where they hold."""
    sc = case(0.6, {"parameter": "platform.rules_as", "values": ["articles", "today"]})
    text = describe(sc, "sms@today", get_lang("en"))
    assert text.startswith("Text every unpaid order 2 hours after it is placed (if the platform's")
    assert text.endswith("today)")
    assert describe(sc, "sms@today", get_lang("zh")).endswith("今日规则）")  # the reading named

"""No silent behaviour numbers: a used channel's response and annoyance must be stated, the
[sources] table says where numbers came from, and summaries list assumptions and defaults."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from sim.errors import ScenarioError
from sim.output.answer import answer_lines, defaults_line, find_answer
from sim.output.i18n import get_lang
from sim.scenario import scenario_from_dict
from sim.scenario.stated import footing

FULL = {"phone": 0.5, "im": 0.4, "sms": 0.3, "auto": 0.1}


def two_segments(**strategy: Any) -> dict[str, Any]:
    return {
        "scenario": {"name": "stated"},
        "staff": {"agents": 2},
        "segments": [
            {"name": "a", "share": 0.6, "response": {"sms": 0.3}, "annoyance": {"sms": 0.01}},
            {"name": "b", "share": 0.4, "pays_unprompted": 0.5},
            {"name": "gone", "share": 0.0},
        ],
        "strategies": [{"name": "none"}, {"name": "s", **strategy}],
    }


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data, "f.toml")
    return [str(p) for p in err.value.problems]


def test_every_unstated_chance_of_a_used_channel_is_named_at_once() -> None:
    data = two_segments(reminders=[{"at": 1, "channel": "sms"}, {"at": 5, "channel": "phone"}])
    paths = [line.split(": ")[1] for line in problems(data)]
    assert paths == [
        "segments.a.response.phone",
        "segments.a.annoyance.phone",
        "segments.b.response.sms",
        "segments.b.response.phone",
        "segments.b.annoyance.sms",
        "segments.b.annoyance.phone",
    ]  # the segment with share 0 is reached by nobody, so it needs nothing
    assert "strategies.s.reminders.0 sends sms" in problems(data)[2]


def test_only_the_segments_a_step_reaches_need_its_channel() -> None:
    data = two_segments(reminders=[{"at": 1, "channel": "by_segment", "by_segment": {"a": "sms"}}])
    assert scenario_from_dict(data)  # b gets no reminder: nothing of it is needed
    data["segments"][1]["returning_share"] = 0.0
    step = {"at": 1, "channel": "sms", "only_if": {"buyer": "returning"}}
    data["segments"][0]["returning_share"] = 0.5
    data["strategies"][1]["reminders"] = [step]  # b has no returning buyers: never reached
    assert scenario_from_dict(data)


def test_validate_exits_2_naming_the_missing_number(tmp_path) -> None:
    path = tmp_path / "f.toml"
    path.write_text(
        '[scenario]\nname = "x"\n[[segments]]\nname = "all"\nshare = 1.0\n'
        'response = { sms = 0.3 }\n[[strategies]]\nname = "s"\n'
        '[[strategies.reminders]]\nat = 2\nchannel = "sms"\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert f"{path}: segments.all.annoyance.sms: not stated" in done.stderr


def sourced(**sources: Any) -> dict[str, Any]:
    data = two_segments(reminders=[{"at": 1, "channel": "by_segment", "by_segment": {"a": "sms"}}])
    data["sources"] = sources
    return data


def test_sources_mark_numbers_fitted_or_measured_and_the_rest_are_assumptions() -> None:
    import datetime as dt

    window = [dt.date(2026, 6, 1), dt.date(2026, 6, 14)]
    sc = scenario_from_dict(
        sourced(
            **{
                "segments.b.pays_unprompted": {"kind": "fitted", "n": 900, "export": "o.csv"},
                "segments.a.response.sms": {
                    "kind": "measured",
                    "value": 0.3,
                    "low": 0.25,
                    "high": 0.36,
                    "n": 500,
                    "window": window,
                },
            }
        )
    )
    got = footing(sc)
    assert [a["key"] for a in got["assumptions"]] == ["segments.a.annoyance.sms"]
    assert got["assumptions"][0] == {"key": "segments.a.annoyance.sms", "value": 0.01,
                                     "used_by": ["s"]}  # fmt: skip
    kinds = {s["key"]: (s["kind"], s["value"], s["n"]) for s in got["sourced"]}
    assert kinds == {"segments.a.response.sms": ("measured", 0.3, 500),
                     "segments.b.pays_unprompted": ("fitted", 0.5, 900)}  # fmt: skip
    # what a left out key falls back to is listed, once per key
    assert {"key": "segments.a.pays_unprompted", "value": 0.85} in got["defaults_used"]
    assert "segments.b.pays_unprompted" not in {d["key"] for d in got["defaults_used"]}
    line = defaults_line(got["defaults_used"], get_lang("en"))
    assert "in every segment: pay_hours lognormal median 18 sigma 0.5" in line


def test_bad_sources_are_all_reported() -> None:
    import datetime as dt

    window = [dt.date(2026, 6, 14), dt.date(2026, 6, 1)]
    lines = problems(
        sourced(
            **{
                "segments.a.cancels": {"kind": "stated"},  # left to its default: not stated
                "segments.1.pays_unprompted": {"kind": "fitted", "n": 9},
                "segments.a.response": {"kind": "stated"},
                "segments.a.response.sms": {
                    "kind": "measured",
                    "value": 0.31,
                    "low": 0.32,
                    "high": 0.4,
                    "n": 5,
                    "window": window,
                },
            }
        )
    )
    text = "\n".join(lines)
    assert 'sources."segments.a.cancels": names no number the file states' in text
    assert (
        'sources."segments.1.pays_unprompted": write the key as "segments.b.pays_unprompted"'
        in text
    )
    assert 'sources."segments.a.response": must name one number' in text
    assert "lies outside the interval [0.32, 0.4] (got 0.3)" in text
    assert "the file states 0.3, not the measured value (edited since?) (got 0.31)" in text
    assert "window: the first day is after the last" in text
    assert len(lines) == 6


def test_the_answer_ends_with_its_footing_in_both_languages() -> None:
    summary = {
        "baseline": "none",
        "replications": 3,
        "strategies": {
            "none": {"net_profit_per_order": {"mean": 1.0, "ci_low": 0.5, "ci_high": 1.5}},
            "s": {"net_profit_per_order": {"mean": 2.0, "ci_low": 1.5, "ci_high": 2.5}},
        },
        "comparisons": {
            "s": {"net_profit_per_order": {"diff": 1.0, "ci_low": 0.5, "ci_high": 1.5}}
        },
        "assumptions": [
            {"key": "segments.a.response.sms", "value": 0.3, "used_by": ["s"]},
            {"key": "segments.a.annoyance.sms", "value": 0.01, "used_by": ["s"]},
        ],
        "sourced": [{"key": "segments.a.pays_unprompted", "kind": "fitted"}],
    }
    en = answer_lines(find_answer(summary), get_lang("en"))[-1]
    assert en.strip() == (
        "2 of the 3 behaviour numbers behind this answer are assumptions (stated in the file, "
        "not fitted or measured); first to check, the response chances s relies on: "
        "segments.a.response.sms (`ordersim robust` ranks them)"
    )
    summary["influence_order"] = ["segments.a.annoyance.sms"]
    zh = answer_lines(find_answer(summary), get_lang("zh"))[-1]
    assert "3 个行为数字中有 2 个是假设" in zh and "最关键的: segments.a.annoyance.sms" in zh

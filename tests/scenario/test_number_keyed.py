"""Tables keyed by numbers (a segment's response_by_hours, the platform's penalty_ladder): one
mechanism reads their TOML keys, writes each one way and sorts the entries by number."""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.scenario.load import scenario_from_dict


def _scenario(curve=None, ladder=None) -> dict:
    segment = {"name": "a", "share": 1.0, "response": {"sms": 0.1}, "annoyance": {"sms": 0.0}}
    if curve is not None:
        segment["response_by_hours"] = curve
    data = {
        "scenario": {"name": "t", "seed": 1, "replications": 1, "arrival_days": 1},
        "segments": [segment],
        "strategies": [{"name": "s", "reminders": [{"at": 1, "channel": "sms"}]}],
    }
    if ladder is not None:
        data["platform"] = {"penalty_ladder": ladder}
    return data


def test_hour_keys_are_written_one_way_and_sorted_by_their_number():
    loaded = scenario_from_dict(_scenario(curve={"20": 1.0, " 6.0": 0.25, "0.5": 0.1}))
    assert list(loaded.segments[0].response_by_hours.items()) == [
        ("0.5", 0.1),
        ("6", 0.25),
        ("20", 1.0),
    ]


@pytest.mark.parametrize("key", ["-1", "x", "nan", "inf", ""])
def test_an_hour_key_that_is_no_number_of_at_least_0_is_refused(key):
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(_scenario(curve={key: 1.0}))
    assert "hours since placement must be a number of at least 0" in str(caught.value)


def test_ladder_keys_are_whole_numbers_sorted_by_their_number():
    loaded = scenario_from_dict(_scenario(ladder={"48": "closed", "012": 7, "24": 14}))
    assert list(loaded.platform.penalty_ladder) == ["12", "24", "48"]


@pytest.mark.parametrize("key", ["1.5", "0", "-3", "x"])
def test_a_ladder_key_that_is_no_whole_number_of_at_least_1_is_refused(key):
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(_scenario(ladder={key: 7}))
    assert "points must be a whole number of at least 1" in str(caught.value)

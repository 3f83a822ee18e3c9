"""Daily caps at load: a cap below 1 is refused, naming its key."""

from __future__ import annotations

from sim.scenario import scenario_from_dict

from .test_rules_format import minimal, problems, with_steps


def test_caps_load() -> None:
    data = with_steps({"at": 1, "channel": "sms"}, channels={"sms": {"max_per_day": 500}})
    data["strategies"][0]["max_per_buyer_per_day"] = 1
    sc = scenario_from_dict(data)
    assert sc.channels.max_per_day("sms") == 500 and sc.channels.max_per_day("phone") == 0
    assert sc.strategies[0].max_per_buyer_per_day == 1


def test_a_cap_below_1_is_an_error_naming_the_key() -> None:
    data = minimal(channels={"sms": {"max_per_day": 0}})
    data["strategies"][0]["max_per_buyer_per_day"] = 0
    lines = problems(data)
    assert any(line.startswith("f.toml: channels.sms.max_per_day: ") for line in lines), lines
    assert any(
        line.startswith("f.toml: strategies.") and ".max_per_buyer_per_day: " in line
        for line in lines
    ), lines
    assert all("(got 0)" in line for line in lines), lines

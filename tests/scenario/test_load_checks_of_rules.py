"""Checks at load for this round's rules: steps that are never sent (warnings), phone or IM
with no agents and a shift inside the quiet hours (errors), from validate and run alike (split
from test_rules_format.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from sim.cli import main
from sim.scenario import scenario_from_dict

from .test_rules_format import problems, warnings_of, with_steps

# ------------------------------------------------------- checks at load ----


def test_no_agents_for_phone_or_im_is_an_error() -> None:
    phone = {"at": 1, "channel": "phone"}
    assert problems(with_steps({"at": 0.5, "channel": "sms"}, phone, staff={"agents": 0})) == [
        "f.toml: staff.agents: phone and IM reminders need at least one agent "
        "(strategies.s.reminders.1 uses phone) (got 0)"
    ]
    im_by_segment = {"at": 1, "channel": "by_segment", "by_segment": {"everyone": "im"}}
    [line] = problems(with_steps(im_by_segment, staff={"agents": 0}))
    assert line.startswith("f.toml: staff.agents:") and "uses im" in line
    assert scenario_from_dict(with_steps({"at": 1, "channel": "sms"}, staff={"agents": 0}))
    assert scenario_from_dict(with_steps(phone, staff={"agents": 1}))


def test_a_sweep_to_no_agents_is_an_error() -> None:
    data = with_steps({"at": 1, "channel": "phone"}, sweep={"parameter": "staff.agents",
                                                            "values": [2, 0]})  # fmt: skip
    [line] = problems(data)
    assert line.startswith("f.toml: sweep.values.1: with staff.agents = this value the scenario "
                           "is invalid: staff.agents: phone and IM reminders need")  # fmt: skip


@pytest.mark.parametrize(
    ("step", "platform", "reason"),
    [
        ({"at": 30, "channel": "sms"}, {},
         "it is due 30 h or more after placement, at or after the platform's auto-close (24 h)"),
        ({"at": "next_day_same_hour", "channel": "auto"}, {},
         "it is due 24 h or more after placement, at or after the platform's auto-close (24 h)"),
        ({"at": 0, "channel": "sms", "only_if": {"placed_hours": [23, 2]}},
         {"unpaid_auto_close_hours": 5},
         "the quiet hours (22-8) push it to or past the platform's auto-close (5 h) for every "
         "order"),
    ],
)  # fmt: skip
def test_a_step_that_is_never_sent_is_a_warning(step: dict, platform: dict, reason: str) -> None:
    assert warnings_of(with_steps(step, platform=platform)) == [
        f"f.toml: strategies.s.reminders.0.at: warning: this step is never sent: {reason} "
        f"(got {step['at']!r})".replace("(got 30)", "(got 30.0)").replace("(got 0)", "(got 0.0)")
    ]


@pytest.mark.parametrize(
    ("step", "platform", "shop"),
    [
        ({"at": 23.9, "channel": "sms"}, {}, {}),  # some orders get it before 24 h
        ({"at": 0, "channel": "auto", "only_if": {"placed_hours": [23, 2]}},
         {"unpaid_auto_close_hours": 5}, {}),  # the platform's reminder ignores quiet hours
        ({"at": 0, "channel": "sms", "only_if": {"placed_hours": [23, 2]}},
         {"unpaid_auto_close_hours": 5}, {"quiet_hours": []}),
        ({"at": 0, "channel": "sms", "only_if": {"placed_hours": [23, 2]}},
         {"unpaid_auto_close_hours": 9.5}, {}),  # placed at 23:xx, sent at 08:00: in time
    ],
)  # fmt: skip
def test_a_step_that_can_be_sent_gives_no_warning(step: dict, platform: dict, shop: dict) -> None:
    assert warnings_of(with_steps(step, platform=platform, shop=shop)) == []


def test_night_arrivals_only_make_the_quiet_hours_decide() -> None:
    hourly = [0.0] * 24
    hourly[2] = 1.0  # every order placed between 02:00 and 03:00: a reminder waits until 08:00
    arrivals = {"hourly_weights": hourly}
    step = {"at": 0.5, "channel": "sms"}
    data = with_steps(step, arrivals=arrivals, platform={"unpaid_auto_close_hours": 5})
    [line] = warnings_of(data)
    assert line.startswith("f.toml: strategies.s.reminders.0.at: warning: this step is never sent")
    data["platform"]["unpaid_auto_close_hours"] = 6.5  # placed 02:00-02:30 -> 6 h < 6.5
    assert warnings_of(data) == []


def test_an_only_if_that_matches_nobody_is_a_warning() -> None:
    shop = {"price": {"dist": "uniform", "low": 50, "high": 150}}
    step = {"at": 1, "channel": "sms", "only_if": {"price_min": 200}}
    assert warnings_of(with_steps(step, shop=shop)) == [
        "f.toml: strategies.s.reminders.0.only_if.price_min: warning: this step is never sent: "
        "it is above every price (at most 150) (got 200.0)"
    ]
    step["only_if"] = {"buyer": "returning"}
    [line] = warnings_of(with_steps(step, shop=shop))
    assert "only_if.buyer" in line and "returning_share" in line


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_validate_and_run_both_print_the_warning(tmp_path: Path, capsys) -> None:
    data = with_steps({"at": 30, "channel": "sms"})
    data["scenario"].update(replications=2, arrival_days=0.2)
    data["arrivals"] = {"orders_per_day": 20}
    path = write(tmp_path, data)
    assert main(["validate", str(path)]) == 0
    assert (
        "strategies.s.reminders.0.at: warning: this step is never sent" in capsys.readouterr().err
    )
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--no-plots", "--quiet"]) == 0
    assert (
        "strategies.s.reminders.0.at: warning: this step is never sent" in capsys.readouterr().err
    )


def test_validate_exits_2_on_no_agents(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, with_steps({"at": 1, "channel": "im"}, staff={"agents": 0}))
    assert main(["validate", str(path)]) == 2
    assert f"{path}: staff.agents: phone and IM reminders need" in capsys.readouterr().err


def test_schema_describes_the_new_keys(capsys) -> None:
    assert main(["schema"]) == 0
    defs = json.loads(capsys.readouterr().out)["$defs"]
    assert {"quiet_hours", "freight_insurance_payout"} <= set(defs["Shop"]["properties"])
    assert defs["Shop"]["properties"]["quiet_hours"]["default"] == [22, 8]
    platform = defs["Platform"]["properties"]
    assert {"penalty_ladder", "points_at_start", "lost_dispute", "dispute_fee"} <= set(platform)
    assert set(defs["OnlyIf"]["properties"]) == {
        "price_min", "price_max", "buyer", "placed_hours", "not_reached_by", "kind",
    }  # fmt: skip
    assert {"reorders", "reorder_hours", "returning_share"} <= set(defs["Segment"]["properties"])
    assert defs["Deadline"]["required"] == ["kind"]
    assert "pay_on_claim" in json.dumps(defs["Policy"])


def test_a_shift_inside_the_quiet_hours_is_an_error() -> None:
    data = with_steps({"at": 1, "channel": "phone"}, staff={"agents": 2, "on_duty": [23, 24]})
    assert problems(data) == [
        "f.toml: staff.on_duty: the whole shift falls inside shop.quiet_hours: no call or chat "
        "(strategies.s.reminders.0 uses phone) (got [23.0, 24.0])"
    ]
    data["shop"] = {"quiet_hours": []}
    assert scenario_from_dict(data)

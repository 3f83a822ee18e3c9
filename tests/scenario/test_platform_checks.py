"""Load warnings of the platform readings: more than three reminders within 24 hours, and
waiting for a complaint where the platform pays at once."""

from __future__ import annotations

import pytest

from .test_rules_format import problems, warnings_of, with_steps


def sms(at: float) -> dict:
    return {"at": at, "channel": "sms"}


def test_a_fourth_reminder_within_a_day_is_a_warning() -> None:
    data = with_steps(sms(0.25), sms(2), {"at": 4, "channel": "auto"}, sms(22))
    assert warnings_of(data) == [
        "f.toml: strategies.s.reminders: warning: strategy 's' sends up to 4 reminders within "
        "24 hours of an order; sellers keep to at most 3 (rules §7), and each one more risks "
        "opt-outs and complaints (got 4)"
    ]


@pytest.mark.parametrize(
    ("steps", "platform"),
    [
        ((sms(0.25), sms(2), sms(4)), {}),  # three: the sellers' limit
        ((sms(0.25), sms(2), sms(4), sms(26)), {"unpaid_auto_close_hours": 48}),  # next day
        ((sms(0.25), sms(2), sms(4), sms(7)), {"unpaid_auto_close_hours": 6}),  # closed first
    ],
)
def test_three_a_day_gives_no_warning(steps: tuple, platform: dict) -> None:
    lines = warnings_of(with_steps(*steps, platform=platform))
    assert not [line for line in lines if "within 24 hours" in line]


def test_waiting_for_a_complaint_where_the_platform_pays_at_once_is_a_warning() -> None:
    data = with_steps(sms(1), platform={"rules_as": "today"})
    data["strategies"][0]["policy"] = {"late_shipment": "on_complaint"}
    assert warnings_of(data) == [
        "f.toml: strategies.s.policy.late_shipment: warning: with platform.auto_compensation the "
        'platform pays the buyer who claims at once: "on_complaint" acts as "pay_on_claim" (no '
        "points) (got 'on_complaint')"
    ]
    data["platform"]["rules_as"] = "articles"
    assert warnings_of(data) == []


def test_a_stock_setting_without_counted_stock_is_an_error() -> None:
    data = with_steps(sms(1))
    data["strategies"][0]["policy"] = {"reserve_stock_on": "payment"}
    assert problems(data) == [
        "f.toml: strategies.s.policy.reserve_stock_on: needs an [inventory] table (stock is not "
        "counted without one) (got 'payment')"
    ]

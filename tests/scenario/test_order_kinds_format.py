"""Order kinds and before_close at load: what is accepted, and every mistake named by its key."""

from __future__ import annotations

import datetime as dt

from sim.scenario import scenario_from_dict

from .test_rules_format import minimal, problems, warnings_of, with_steps

FLASH = {"name": "flash", "share": 0.2, "unpaid_auto_close_hours": 0.25}
ORDINARY = {"name": "ordinary", "share": 0.8}


def test_kinds_and_before_close_load() -> None:
    step = {"before_close": 0.1, "channel": "auto", "only_if": {"kind": "flash"}}
    sc = scenario_from_dict(with_steps(step, order_kinds=[ORDINARY, FLASH]))
    assert [k.name for k in sc.order_kinds] == ["ordinary", "flash"]
    assert sc.strategies[0].reminders[0].before_close == 0.1
    assert sc.strategies[0].reminders[0].only_if.kinds == ("flash",)
    presale = {"name": "presale", "share": 1.0, "closes_at": dt.datetime(2026, 6, 9, 23, 59)}
    assert scenario_from_dict(minimal(order_kinds=[presale])).order_kinds[0].closes_at


def test_kind_shares_must_sum_to_1() -> None:
    data = minimal(order_kinds=[ORDINARY, {**FLASH, "share": 0.1}])
    assert problems(data) == [
        "f.toml: order_kinds: the shares of the order kinds must sum to 1 (got 0.9)"
    ]


def test_before_close_longer_than_the_kinds_close_is_an_error() -> None:
    late = {"before_close": 2, "channel": "sms"}
    assert problems(with_steps(late, order_kinds=[ORDINARY, FLASH])) == [
        "f.toml: strategies.s.reminders.0.before_close: must not be longer than the unpaid "
        "close of order kind 'flash' (0.25 h): the step would be due before the order is "
        "placed (got 2.0)"
    ]
    # aimed at ordinary orders only, 2 h before their 24 h close is fine
    aimed = {**late, "only_if": {"kind": "ordinary"}}
    assert scenario_from_dict(with_steps(aimed, order_kinds=[ORDINARY, FLASH]))
    # without kinds, the platform's close bounds it
    assert problems(with_steps({"before_close": 30, "channel": "sms"})) == [
        "f.toml: strategies.s.reminders.0.before_close: must not be longer than the unpaid "
        "close of platform.unpaid_auto_close_hours (24 h): the step would be due before the "
        "order is placed (got 30.0)"
    ]


def test_each_step_has_exactly_one_time() -> None:
    both = {"at": 1, "before_close": 2, "channel": "sms"}
    neither = {"channel": "sms"}
    assert problems(with_steps(both, neither)) == [
        "f.toml: strategies.s.reminders.0.at: give exactly one of at and before_close (got 1.0)",
        "f.toml: strategies.s.reminders.1.at: give exactly one of at and before_close (got None)",
    ]


def test_unknown_kinds_and_bad_closes_are_named() -> None:
    step = {"at": 0, "channel": "sms", "only_if": {"kind": "flahs"}}
    assert problems(with_steps(step, order_kinds=[ORDINARY, FLASH])) == [
        "f.toml: strategies.s.reminders.0.only_if.kind: unknown order kind; did you mean "
        "'flash'? (got 'flahs')"
    ]
    [line] = problems(with_steps(step))
    assert line.endswith("unknown order kind (the scenario has no [[order_kinds]]) (got 'flahs')")
    early = {"name": "presale", "share": 0.2, "closes_at": dt.datetime(2026, 6, 2, 12)}
    both = {**early, "name": "b", "unpaid_auto_close_hours": 5}
    assert problems(minimal(order_kinds=[{**ORDINARY, "share": 0.6}, early, both])) == [
        "f.toml: order_kinds.presale.closes_at: must not come before the last order arrives "
        "(2026-06-08T00:00:00, the end of scenario.arrival_days) (got 2026-06-02T12:00:00)",
        "f.toml: order_kinds.b.closes_at: give either unpaid_auto_close_hours or closes_at, not "
        "both (got 2026-06-02T12:00:00)",
    ]


def test_a_before_close_step_pushed_past_the_close_by_quiet_hours_warns() -> None:
    # 5 minutes before a flash order's close, by SMS, for orders placed 23:00-02:00: the quiet
    # hours (22-8) hold it until 08:00, long after the close
    step = {"before_close": 5 / 60, "channel": "sms",
            "only_if": {"kind": "flash", "placed_hours": [23, 2]}}  # fmt: skip
    [line] = warnings_of(with_steps(step, order_kinds=[ORDINARY, FLASH]))
    assert "the quiet hours (22-8) push it to or past the order kind's auto-close (0.25 h)" in line

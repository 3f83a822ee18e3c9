"""The format of this round's rules: quiet hours, claims and bans, re-orders, aimed steps,
disputes and freight, the aliexpress preset's unset numbers, and the checks made at load."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from engine_scenarios import ALIEXPRESS_NUMBERS
from hypothesis import given
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.scenario import Deadline, scenario_from_dict
from sim.scenario.checks import scenario_warnings
from sim.scenario.hours import in_window, release_after

# every channel's response and annoyance stated (the format has no default for a used channel)
STATED = {
    "response": {"phone": 0.5, "im": 0.4, "sms": 0.3, "auto": 0.1},
    "annoyance": {"phone": 0.03, "im": 0.01, "sms": 0.01, "auto": 0.0},
}


def minimal(**sections: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "scenario": {"name": "minimal"},
        "segments": [{"name": "everyone", "share": 1.0, **STATED}],
        "strategies": [{"name": "nothing"}],
    }
    data.update(sections)
    return data


def with_steps(*steps: dict[str, Any], **sections: Any) -> dict[str, Any]:
    return minimal(strategies=[{"name": "s", "reminders": list(steps)}], **sections)


def problems(data: dict[str, Any]) -> list[str]:
    """Every problem line of an invalid scenario (the test fails if it is valid)."""
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data, "f.toml")
    return [str(p) for p in info.value.problems]


def warnings_of(data: dict[str, Any]) -> list[str]:
    return [str(w) for w in scenario_warnings(scenario_from_dict(data, "f.toml"), "f.toml")]


# ---------------------------------------------------------------- quiet hours ----


@pytest.mark.parametrize(
    ("given_", "loaded"),
    [(None, (22.0, 8.0)), ([], ()), ([0, 6.5], (0.0, 6.5)), ([13, 14], (13.0, 14.0))],
)
def test_quiet_hours_load(given_: Any, loaded: tuple) -> None:
    data = minimal() if given_ is None else minimal(shop={"quiet_hours": given_})
    assert tuple(scenario_from_dict(data).shop.quiet_hours) == loaded


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([22], "must be [start, end] hours of the day (0 to 24; [22, 8] runs over midnight) or []"),
        ([22, 8, 1], "must be [start, end] hours of the day"),
        ([25, 8], "must be [start, end] hours of the day"),
        (["22", 8], "must be [start, end] hours of the day"),
        ("night", "must be [start, end] hours of the day"),
        ([8, 8], "the start and the end must differ"),
        ([0, 24], "a quiet window of the whole day would silence every reminder"),
    ],
)
def test_bad_quiet_hours(value: Any, message: str) -> None:
    [line] = problems(minimal(shop={"quiet_hours": value}))
    assert line.startswith(f"f.toml: shop.quiet_hours: {message}")
    assert line.endswith(f"(got {value!r})")


def test_in_window_and_release_by_hand() -> None:
    night = (22.0, 8.0)
    t = np.array([21.99, 22.0, 23.5, 24.0, 31.99, 32.0, 40.0])
    assert in_window(t, night).tolist() == [False, True, True, True, True, False, False]
    # 23:30 and midnight wait until 08:00 the next morning; 07:59 on day 1 waits until 08:00
    assert release_after(t, night).tolist() == [21.99, 32.0, 32.0, 32.0, 32.0, 32.0, 40.0]
    assert release_after(t, ()).tolist() == t.tolist()
    assert release_after([12.5], (12.0, 13.0)).tolist() == [13.0]


@given(
    start=st.floats(0, 24),
    length=st.floats(0.1, 23.9),
    t=st.lists(st.floats(0, 2000), min_size=1, max_size=20),
)
def test_release_leaves_the_window_within_a_day(start: float, length: float, t: list) -> None:
    window = (start, (start + length) % 24.0 or 24.0)
    if window[0] % 24 == window[1] % 24:
        return
    times = np.array(t)
    released = release_after(times, window)
    assert not in_window(released, window).any()
    assert np.all(released >= times) and np.all(released - times <= 24.0)
    outside = ~in_window(times, window)
    assert np.array_equal(released[outside], times[outside])


# ------------------------------------------------------- policies, points, bans ----


@pytest.mark.parametrize("key", ["stockout", "late_shipment"])
def test_pay_on_claim_is_a_policy(key: str) -> None:
    data = minimal(strategies=[{"name": "s", "policy": {key: "pay_on_claim"}}])
    assert getattr(scenario_from_dict(data).strategies[0].policy, key) == "pay_on_claim"
    data["strategies"][0]["policy"][key] = "pay_on_clam"
    [line] = problems(data)
    assert f"strategies.s.policy.{key}: must be one of" in line
    assert "did you mean 'pay_on_claim'?" in line


@pytest.mark.parametrize("preset", ["taobao", "tmall"])
def test_taobao_and_tmall_carry_the_general_violation_ladder(preset: str) -> None:
    platform = scenario_from_dict(minimal(platform={"preset": preset})).platform
    assert platform.penalty_ladder == {"12": 7.0, "24": 14.0, "36": 21.0, "48": "closed"}
    assert platform.ban_rungs() == ((12, 7.0), (24, 14.0), (36, 21.0), (48, math.inf))
    assert platform.points_at_start == 0
    assert platform.lost_dispute == "return" and platform.dispute_fee == 0


def test_a_ladder_of_ones_own_is_sorted_and_may_be_empty() -> None:
    ladder = {"24": 3, "6": 1.5, "30": "closed"}
    data = minimal(platform={"penalty_ladder": ladder, "points_at_start": 5})
    platform = scenario_from_dict(data).platform
    assert list(platform.penalty_ladder) == ["6", "24", "30"]
    assert platform.ban_rungs() == ((6, 1.5), (24, 3.0), (30, math.inf))
    assert platform.points_at_start == 5
    none = scenario_from_dict(minimal(platform={"penalty_ladder": {}})).platform
    assert none.ban_rungs() == ()


def test_bad_ladders_name_the_rung() -> None:
    data = minimal(platform={"penalty_ladder": {"x": 7, "12": -1, "24": "shut", "0": 3}})
    data["platform"]["points_at_start"] = -2
    lines = problems(data)
    assert (
        "f.toml: platform.penalty_ladder.x: points must be a whole number of at least 1 "
        "(got 'x')" in lines
    )
    assert "f.toml: platform.penalty_ladder.0: points must be a whole number of at least 1 " \
        "(got '0')" in lines  # fmt: skip
    days = 'must be days the shop cannot sell (a number > 0) or "closed"'
    assert f"f.toml: platform.penalty_ladder.12: {days} (got -1)" in lines
    assert f"f.toml: platform.penalty_ladder.24: {days} (got 'shut')" in lines
    assert "f.toml: platform.points_at_start: must be at least 0 (got -2)" in lines


def test_lost_dispute_dispute_fee_and_insurance_payout() -> None:
    data = minimal(
        platform={"lost_dispute": "keep", "dispute_fee": 15},
        shop={"freight_insurance": True, "freight_insurance_payout": 6},
    )
    s = scenario_from_dict(data)
    # "keep" is refund_only's older name: one meaning, one name after loading
    assert (s.platform.lost_dispute, s.platform.dispute_fee) == ("refund_only", 15)
    assert s.shop.freight_insurance_payout == 6
    assert scenario_from_dict(minimal()).shop.freight_insurance_payout is None
    data["platform"] = {"lost_dispute": "kept", "dispute_fee": -1}
    data["shop"]["freight_insurance_payout"] = "all"
    lines = problems(data)
    assert any(line.startswith("f.toml: platform.lost_dispute: must be one of 'return', "
                              "'refund_only' or 'keep'")
               for line in lines)  # fmt: skip
    assert "f.toml: platform.dispute_fee: must be at least 0 (got -1)" in lines
    assert "f.toml: shop.freight_insurance_payout: must be a number (got 'all')" in lines


# ---------------------------------------------------------------- aliexpress ----


def test_aliexpress_does_not_borrow_taobao_numbers() -> None:
    calm = {"stockout": "pay_on_claim", "late_shipment": "pay_on_claim"}
    data = minimal(
        platform={"preset": "aliexpress", **ALIEXPRESS_NUMBERS},
        strategies=[{"name": "calm", "policy": calm}],
    )
    data["segments"][0]["disputes"] = 0.0
    platform = scenario_from_dict(data).platform
    assert platform.unpaid_auto_close_hours == 480 and platform.lost_dispute == "refund_only"
    assert platform.dispute_settle_hours == 168  # the documented extension, not a Taobao rule
    # not needed here: no strategy earns points (policies below), nobody disputes
    assert platform.penalty_ladder is None and platform.dispute_fee is None
    assert platform.stockout_compensation_cap == 50


def test_aliexpress_names_every_number_a_scenario_needs() -> None:
    lines = problems(minimal(platform={"preset": "aliexpress"}))
    unset = [line.split(": ")[1] for line in lines]
    # the default shop: 2% stock-outs, lognormal shipping that can be late, 1% disputes;
    # the default policies pay on claim, so no points (no ladder, no points per intervention)
    keys = [
        "stockout_compensation_rate",
        "stockout_compensation_cap",
        "late_shipment_rate",
        "late_shipment_min",
        "late_shipment_max",
        "auto_confirm_days",
        "dispute_fee",
    ]
    assert unset == [f"platform.{key}" for key in keys]
    assert all("the aliexpress preset has no number for this; set it in [platform]" in line
               for line in lines)  # fmt: skip


def test_aliexpress_numbers_no_run_can_use_need_not_be_given() -> None:
    shop = {"stockout_probability": 0.0, "ship_hours": {"dist": "uniform", "low": 1, "high": 40},
            "promised_ship_hours": 48}  # fmt: skip
    data = minimal(platform={"preset": "aliexpress", "auto_confirm_days": 15}, shop=shop)
    data["segments"][0]["disputes"] = 0.0
    platform = scenario_from_dict(data).platform
    assert platform.stockout_compensation_cap is None and platform.late_shipment_rate is None
    data["shop"]["promised_ship_hours"] = 30  # now a shipment can be late
    assert [line.split(": ")[1] for line in problems(data)] == [
        "platform.late_shipment_rate", "platform.late_shipment_min", "platform.late_shipment_max"
    ]  # fmt: skip


def test_aliexpress_ladder_needed_only_where_points_can_be_earned() -> None:
    calm = {"stockout": "pay_on_claim", "late_shipment": "pay_on_claim"}
    data = minimal(
        platform={"preset": "aliexpress", **ALIEXPRESS_NUMBERS, "dispute_fee": 0},
        strategies=[{"name": "calm", "policy": calm}],
    )
    assert scenario_from_dict(data).platform.penalty_ladder is None
    data["strategies"].append({"name": "closer", "policy": {**calm, "malicious": "close"}})
    assert scenario_from_dict(data)  # closing earns nothing without malicious buyers
    data["segments"] = [
        {"name": "everyone", "share": 0.9, **STATED},
        {"name": "rivals", "share": 0.1, "malicious": True, **STATED},
    ]
    [line] = problems(data)
    assert line.startswith("f.toml: platform.penalty_ladder: the aliexpress preset has no number")
    data["platform"]["penalty_ladder"] = {}
    assert scenario_from_dict(data).platform.ban_rungs() == ()


# ----------------------------------------------------------- segments, re-orders ----


def test_reorder_and_returning_keys() -> None:
    seg = scenario_from_dict(minimal()).segments[0]
    assert (seg.reorders, seg.returning_share) == (0.0, 0.0)
    assert seg.reorder_hours.mean == 6.0
    data = minimal()
    data["segments"][0].update(
        reorders=0.4, reorder_hours={"dist": "uniform", "low": 2, "high": 6}, returning_share=0.3
    )
    seg = scenario_from_dict(data).segments[0]
    assert (seg.reorders, seg.reorder_hours.mean, seg.returning_share) == (0.4, 4.0, 0.3)
    data["segments"][0].update(reorders=1.5, reorder_hours=3, returning_share=-0.1)
    lines = problems(data)
    assert "f.toml: segments.everyone.reorders: must be at most 1 (got 1.5)" in lines
    assert any(line.startswith("f.toml: segments.everyone.reorder_hours: must be an inline table")
               for line in lines)  # fmt: skip
    assert "f.toml: segments.everyone.returning_share: must be at least 0 (got -0.1)" in lines


# ------------------------------------------------------------ aimed steps ----


def test_only_if_loads_every_condition() -> None:
    first = {"at": 0.5, "channel": "im"}
    second = {
        "at": 1,
        "channel": "phone",
        "only_if": {
            "price_min": 200,
            "price_max": 1000,
            "buyer": "new",
            "placed_hours": [22, 8],
            "not_reached_by": 0,
        },
    }
    step = scenario_from_dict(with_steps(first, second)).strategies[0].reminders[1]
    cond = step.only_if
    assert (cond.price_min, cond.price_max, cond.buyer) == (200, 1000, "new")
    assert tuple(cond.placed_hours) == (22.0, 8.0) and cond.not_reached_by == 0
    assert scenario_from_dict(with_steps(first)).strategies[0].reminders[0].only_if is None


@pytest.mark.parametrize(
    ("only_if", "step", "expected"),
    [
        ({"price_min": 300, "price_max": 100}, 1,
         "f.toml: strategies.s.reminders.1.only_if.price_min: must not exceed price_max (100) "
         "(got 300.0)"),
        ({"not_reached_by": 1}, 1,
         "f.toml: strategies.s.reminders.1.only_if.not_reached_by: must be the index of an "
         "earlier step of this strategy (0 to 0) (got 1)"),
        ({"not_reached_by": 0}, 0,
         "f.toml: strategies.s.reminders.0.only_if.not_reached_by: step 0 has no earlier step "
         "to wait for (got 0)"),
        ({"placed_hours": [9, 30]}, 1,
         "f.toml: strategies.s.reminders.1.only_if.placed_hours: must be [start, end] hours of "
         "the day (0 to 24; [22, 8] runs over midnight) (got [9, 30])"),
        ({"buyer": "old"}, 1,
         "f.toml: strategies.s.reminders.1.only_if.buyer: must be one of 'new' or 'returning' "
         "(got 'old')"),
        ({"price_min": -5}, 1,
         "f.toml: strategies.s.reminders.1.only_if.price_min: must be at least 0 (got -5)"),
        ({"prize_min": 5}, 1,
         "f.toml: strategies.s.reminders.1.only_if.prize_min: unknown key; did you mean "
         "'price_min'?"),
    ],
)  # fmt: skip
def test_bad_only_if(only_if: dict, step: int, expected: str) -> None:
    steps = [{"at": 0.5, "channel": "sms"}, {"at": 2, "channel": "sms"}]
    steps[step]["only_if"] = only_if
    assert problems(with_steps(*steps)) == [expected]


def test_deadline_incentive_is_an_uplift_with_no_cost() -> None:
    step = {"at": 1, "channel": "sms", "incentive": {"kind": "deadline", "uplift": 0.4}}
    loaded = scenario_from_dict(with_steps(step)).strategies[0].reminders[0]
    assert loaded.incentive == Deadline(uplift=0.4)
    step["incentive"] = {"kind": "deadline", "uplift": 0.4, "cost": 2}
    assert problems(with_steps(step)) == [
        "f.toml: strategies.s.reminders.0.incentive.cost: unknown key; "
        "allowed keys here: kind, uplift"
    ]
    step["incentive"] = {"kind": "deadlin"}
    [line] = problems(with_steps(step))
    assert "did you mean 'deadline'?" in line and "'deadline'" in line

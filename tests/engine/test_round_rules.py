"""This round's rules, each on a shop where everything is certain, against a hand computation;
and the property that no seller reminder is made inside the shop's quiet hours."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import build, deterministic, fixed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_properties import scenarios

from fsm.table import compiled_table
from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate, simulate_plan
from sim.scenario.hours import in_window


def kpis(data: dict, strategy: str = "s", engine: str = "auto") -> dict[str, float]:
    return simulate(build(data), strategy, 0, engine=engine).kpis()


def seg(**changes) -> list[dict]:
    return [{**deterministic()["segments"][0], **changes}]


def remind_and_pay_times(data: dict, engine: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    rows: list[dict] = []
    simulate(build(data), "s", 0, engine=engine, on_events=rows.append)
    table = compiled_table()
    time = np.concatenate([r["time"] for r in rows])
    trigger = np.concatenate([r["trigger"] for r in rows])
    return time[trigger == table.trigger_id["remind"]], time[trigger == table.trigger_id["pay"]]


# ------------------------------------------------------------- pay_on_claim ----


@pytest.mark.parametrize(
    ("policy", "complains", "comp", "points"),
    [
        ("pay_on_claim", 1.0, 30.0, 0.0),  # claimed and paid before the platform steps in
        ("pay_on_claim", 0.0, 0.0, 0.0),  # nobody claims: nothing paid
        ("on_complaint", 1.0, 30.0, 3.0),  # the platform steps in: paid, and 3 points
        ("proactive", 0.0, 30.0, 0.0),  # paid to everyone, unasked
    ],
)
def test_out_of_stock_policies(policy, complains, comp, points):
    data = deterministic(
        shop={"stockout_probability": 1.0},
        segments=seg(complains=complains),
        strategies=[{"name": "s", "policy": {"stockout": policy}}],
    )
    k = kpis(data)
    assert k["compensation_per_order"] == pytest.approx(comp)  # 30% of 100, cap 30
    assert k["penalty_points_per_order"] == pytest.approx(points)


@pytest.mark.parametrize(("complains", "comp"), [(1.0, 5.0), (0.0, 0.0)])
def test_late_shipment_paid_on_claim_takes_no_points(complains, comp):
    data = deterministic(shop={"ship_hours": fixed(60)}, segments=seg(complains=complains))
    k = kpis(data)  # pay_on_claim is the default: 5% of 100 to a buyer who claims
    assert k["compensation_per_order"] == pytest.approx(comp)
    assert k["penalty_points_per_order"] == 0.0


# -------------------------------------------------------------- incentives ----


def test_deadline_is_an_uplift_that_costs_nothing():
    step = {"at": 1, "channel": "sms", "incentive": {"kind": "deadline", "uplift": 1.0}}
    data = deterministic(
        segments=seg(pays_unprompted=0.0, response={"sms": 0.5}),
        strategies=[{"name": "s", "reminders": [step]}],
    )
    k = kpis(data)
    assert k["paid_rate"] == 1.0  # 0.5 x (1 + 1) = 1: every reached buyer is won
    assert k["time_to_pay_hours"] == pytest.approx(2.0)  # reminder at 1 h + response 1 h
    assert k["gmv_per_order"] == 100.0
    assert k["incentive_cost_per_order"] == k["discount_per_order"] == 0.0


@pytest.mark.parametrize(
    ("incentive", "stockout", "cost"),
    [
        ({"kind": "gift", "cost": 5}, 0.0, 5.0),
        ({"kind": "gift", "cost": 5}, 1.0, 0.0),  # refunded before shipping: no gift sent
        ({"kind": "free_shipping"}, 1.0, 0.0),
    ],
)
def test_goods_bound_incentives_cost_nothing_on_orders_that_never_ship(incentive, stockout, cost):
    step = {"at": 1, "channel": "sms", "incentive": incentive}
    data = deterministic(
        shop={"stockout_probability": stockout, "free_shipping": False},
        segments=seg(pays_unprompted=0.0),
        strategies=[{"name": "s", "reminders": [step]}],
    )
    k = kpis(data)
    assert k["paid_rate"] == 1.0
    assert k["incentive_cost_per_order"] == pytest.approx(cost)


# ------------------------------------------------------------- quiet hours ----


def late_evening(**sections) -> dict:
    """Every order placed between 23:00 and 24:00 of day one; nobody pays unless reminded."""
    hourly = [0.0] * 24
    hourly[23] = 1.0
    data = deterministic(
        arrivals={"orders_per_day": 50, "hourly_weights": hourly},
        segments=seg(pays_unprompted=0.0),
        **sections,
    )
    data["shop"]["quiet_hours"] = [22, 8]
    return data


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_a_reminder_due_in_the_quiet_hours_waits_for_0800(engine):
    step = {"at": 0.5, "channel": "sms"}
    data = late_evening(strategies=[{"name": "s", "reminders": [step]}])
    reminded, paid = remind_and_pay_times(data, engine)
    assert reminded.size > 20
    assert set(reminded.tolist()) == {32.0}  # 08:00 on day two
    assert set(paid.tolist()) == {33.0}  # won at once, pays 1 h later


def test_a_reminder_pushed_past_the_auto_close_is_not_sent():
    step = {"at": 0.5, "channel": "sms"}
    data = late_evening(strategies=[{"name": "s", "reminders": [step]}])
    data["platform"]["unpaid_auto_close_hours"] = 8  # closes 07:00-08:00, before 08:00
    k = kpis(data)
    assert k["reminders_per_order"] == 0.0 and k["auto_closed_rate"] == 1.0


def test_the_platform_reminder_ignores_the_quiet_hours():
    step = {"at": 0.5, "channel": "auto"}
    data = late_evening(strategies=[{"name": "s", "reminders": [step]}])
    reminded, _ = remind_and_pay_times(data)
    assert reminded.size > 20 and np.all((reminded >= 23.5) & (reminded < 24.5))


def test_agents_begin_no_call_in_the_quiet_hours():
    # one agent on duty all day; calls asked at 23:30 wait until 08:00 and go one by one
    step = {"at": 0.5, "channel": "phone"}
    data = late_evening(
        strategies=[{"name": "s", "reminders": [step]}],
        staff={"agents": 1, "on_duty": [0, 24], "phone_minutes": fixed(6)},
    )
    reminded, _ = remind_and_pay_times(data)
    n = reminded.size
    assert n > 20
    # the i-th call begins at 08:00 + 0.1 h x i and is made (ends) 0.1 h later
    np.testing.assert_allclose(np.sort(reminded), 32.0 + 0.1 * (np.arange(n) + 1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=scenarios(agents=True),
    start=st.integers(0, 23),
    length=st.integers(1, 12),
    minutes=st.floats(0.5, 30),
)
def test_no_seller_reminder_is_made_inside_the_quiet_hours(data, start, length, minutes):
    window = [start, (start + length) % 24 or 24]
    data["shop"]["quiet_hours"] = window
    data["staff"]["agents"] = max(1, data["staff"]["agents"])
    data["staff"]["on_duty"] = [0, 24]
    data["staff"]["phone_minutes"] = data["staff"]["im_minutes"] = fixed(minutes)
    for step in data["strategies"][0]["reminders"]:
        if step["channel"] == "auto":
            step["channel"] = "sms"
    plan = compile_plan(build(data), "s")
    rows: list[dict] = []
    simulate_plan(plan, 0, on_events=rows.append)
    if not rows:
        return
    table = compiled_table()
    time = np.concatenate([r["time"] for r in rows])
    trigger = np.concatenate([r["trigger"] for r in rows])
    reminded = time[trigger == table.trigger_id["remind"]]
    # an SMS is sent at its moment; a call or chat is made when it ends, so it began
    # `minutes` earlier: either way the moment it began is outside the quiet hours
    sms_ok = ~in_window(reminded, window)
    began = reminded - minutes / 60.0 + 1e-7
    call_ok = ~in_window(began, window)
    assert np.all(sms_ok | call_ok)


# ---------------------------------------------------------------- ratings ----


@pytest.mark.parametrize(
    ("changes", "shop", "ratings"),
    [
        ({"pays_unprompted": 1.0, "pay_hours": fixed(5)}, {}, 1.0),  # received: rates
        ({"pays_unprompted": 0.0, "response": {}}, {}, 0.0),  # never paid: no rating
        ({"pays_unprompted": 1.0, "pay_hours": fixed(5)}, {"stockout_probability": 1.0}, 0.0),
        ({"pays_unprompted": 1.0, "pay_hours": fixed(5), "refuses_delivery": 1.0}, {}, 0.0),
    ],
)
def test_only_a_buyer_who_received_the_goods_rates(changes, shop, ratings):
    step = {"at": 1, "channel": "sms"}
    data = deterministic(
        shop=shop,
        segments=seg(annoyance={"sms": 1.0}, **{"response": {}, **changes}),
        strategies=[{"name": "s", "reminders": [step]}],
    )
    k = kpis(data)
    assert k["reminders_per_order"] == 1.0
    assert k["low_ratings_per_order"] == pytest.approx(ratings)


# ------------------------------------------------------ disputes and freight ----


def lost_disputes(**platform) -> dict:
    """Every delivered order is disputed and the buyer wins (refund of 100)."""
    data = deterministic(segments=seg(disputes=1.0), quality={"seller_wins_dispute": 0.0})
    data["platform"].update(platform)
    return data


def test_goods_sent_back_after_a_lost_dispute():
    k = kpis(lost_disputes(lost_dispute="return"))
    assert k["refunded_rate"] == 1.0 and k["goods_cost_per_order"] == 0.0
    # paid 100, refunded 100; freight out (free-shipping listing) 8 and back 8, seller's
    assert k["freight_loss_per_order"] == pytest.approx(8.0)
    assert k["net_profit_per_order"] == pytest.approx(-16.0)


def test_goods_kept_after_a_lost_dispute_and_a_fee():
    k = kpis(lost_disputes(lost_dispute="refund_only", dispute_fee=15))
    assert k["refunded_rate"] == 1.0
    assert k["goods_cost_per_order"] == pytest.approx(60.0)  # the goods are gone
    assert k["freight_loss_per_order"] == 0.0  # nothing comes back
    assert k["dispute_fee_per_order"] == pytest.approx(15.0)
    assert k["net_profit_per_order"] == pytest.approx(-8.0 - 60.0 - 15.0)


@pytest.mark.parametrize(("payout", "loss"), [(None, 0.0), (5, 3.0), (20, 0.0)])
def test_freight_insurance_pays_toward_a_return_up_to_its_payout(payout, loss):
    data = lost_disputes(lost_dispute="return")
    data["shop"]["freight_insurance"] = True
    if payout is not None:
        data["shop"]["freight_insurance_payout"] = payout
    k = kpis(data)
    assert k["freight_loss_per_order"] == pytest.approx(loss)  # 8 back, less the payout
    assert k["insurance_cost_per_order"] == pytest.approx(0.8)
    assert k["net_profit_per_order"] == pytest.approx(-8.0 - loss - 0.8)


# ------------------------------------------------------------ aimed steps ----


def aimed(only_if: dict, **sections) -> dict:
    """Nobody pays unless reminded; one SMS step at 1 h carrying ``only_if``."""
    step = {"at": 1, "channel": "sms", "only_if": only_if}
    return deterministic(
        segments=seg(pays_unprompted=0.0),
        strategies=[{"name": "s", "reminders": [step]}],
        **sections,
    )


@pytest.mark.parametrize(
    ("only_if", "sent"),
    [
        ({"price_min": 100}, 1.0),  # every price is 100: inside [100, inf)
        ({"price_max": 99.99}, 0.0),
        ({"price_min": 50, "price_max": 150}, 1.0),
        ({"price_min": 101}, 0.0),
    ],
)
def test_a_price_band(only_if, sent):
    k = kpis(aimed(only_if))
    assert k["reminders_per_order"] == sent and k["paid_rate"] == sent


@pytest.mark.parametrize(
    ("buyer", "share", "sent"),
    [("returning", 1.0, 1.0), ("returning", 0.0, 0.0), ("new", 1.0, 0.0), ("new", 0.0, 1.0)],
)
def test_new_or_returning_buyers(buyer, share, sent):
    data = aimed({"buyer": buyer})
    data["segments"][0]["returning_share"] = share
    assert kpis(data)["reminders_per_order"] == sent


def test_returning_share_is_the_share_of_buyers_reached():
    data = aimed({"buyer": "returning"}, arrivals={"orders_per_day": 20000})
    data["segments"][0].update(returning_share=0.3, orders_per_buyer=4)
    k = kpis(data)
    # 20,000 orders from 5,000 buyers: sd of the share of returning buyers ~ 0.0065
    assert k["reminders_per_order"] == pytest.approx(0.3, abs=0.03)


@pytest.mark.parametrize(("window", "sent"), [([22, 8], 1.0), ([8, 22], 0.0), ([23, 24], 1.0)])
def test_hours_of_placement(window, sent):
    data = late_evening()  # placed 23:00-24:00
    data["shop"]["quiet_hours"] = []
    step = {"at": 1, "channel": "sms", "only_if": {"placed_hours": window}}
    data["strategies"] = [{"name": "s", "reminders": [step]}]
    assert kpis(data)["reminders_per_order"] == sent


@pytest.mark.parametrize(("first_reach", "attempts", "paid_at"), [(0.0, 2.0, 3.0), (1.0, 1.0, 2.0)])
def test_second_step_only_if_the_first_did_not_reach(first_reach, attempts, paid_at):
    steps = [
        {"at": 1, "channel": "sms"},
        {"at": 2, "channel": "auto", "only_if": {"not_reached_by": 0}},
    ]
    data = deterministic(
        segments=seg(pays_unprompted=0.0),
        channels={"sms_reach": [first_reach] * 24},
        strategies=[{"name": "s", "reminders": steps}],
    )
    k = kpis(data)
    # an unread SMS still counts as an attempt; whoever is reached is won and pays 1 h later
    assert k["reminders_per_order"] == attempts
    assert k["paid_rate"] == 1.0 and k["time_to_pay_hours"] == pytest.approx(paid_at)


@pytest.mark.parametrize(("im_reach", "attempts"), [(0.0, 2.0), (1.0, 1.0)])
def test_im_first_phone_only_if_unread(im_reach, attempts):
    steps = [
        {"at": 1, "channel": "im"},
        {"at": 2, "channel": "phone", "only_if": {"not_reached_by": 0}},
    ]
    data = deterministic(
        segments=seg(pays_unprompted=0.0),
        channels={"im_reach": [im_reach] * 24},
        staff={
            "agents": 50,
            "on_duty": [0, 24],
            "im_minutes": fixed(0.6),
            "phone_minutes": fixed(0.6),
        },
        strategies=[{"name": "s", "reminders": steps}],
    )
    k = kpis(data)
    assert k["reminders_per_order"] == attempts and k["paid_rate"] == 1.0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios(agents=False), conditions=st.data())
def test_aimed_steps_give_the_same_numbers_on_both_engines(data, conditions):
    steps = data["strategies"][0]["reminders"]
    for j, step in enumerate(steps):
        only_if = {}
        if conditions.draw(st.booleans()):
            only_if["price_min"] = conditions.draw(st.floats(0, 200))
        if conditions.draw(st.booleans()):
            only_if["buyer"] = conditions.draw(st.sampled_from(["new", "returning"]))
        if conditions.draw(st.booleans()):
            start = conditions.draw(st.integers(0, 23))
            only_if["placed_hours"] = [start, (start + conditions.draw(st.integers(1, 23))) % 24]
        if j and conditions.draw(st.booleans()):
            only_if["not_reached_by"] = conditions.draw(st.integers(0, j - 1))
        step["only_if"] = only_if
    for s in data["segments"]:
        s["returning_share"] = conditions.draw(st.floats(0, 1))
    data["shop"]["quiet_hours"] = conditions.draw(st.sampled_from([[], [22, 8], [0, 6]]))
    plan = compile_plan(build(data), "s")
    fast_rows: list[dict] = []
    world_rows: list[dict] = []
    fast = simulate_plan(plan, 1, engine="fast", on_events=fast_rows.append)
    world = simulate_plan(plan, 1, engine="simpy", on_events=world_rows.append)
    a, b = fast.kpis(), world.kpis()
    for name in a:
        assert a[name] == b[name] or (np.isnan(a[name]) and np.isnan(b[name])), name
    for x, y in zip(fast_rows, world_rows, strict=True):
        for col in x:
            np.testing.assert_array_equal(x[col], y[col])

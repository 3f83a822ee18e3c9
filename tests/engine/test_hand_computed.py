"""Each money and platform rule on a shop where everything is certain, against hand sums."""

from __future__ import annotations

import pytest
from engine_scenarios import build, deterministic, fixed

from sim.engine.simulate import simulate


@pytest.fixture(params=["fast", "simpy"])
def engine(request) -> str:
    """Every agent-free case runs on both engines: each is checked against the hand sums."""
    return request.param


def kpis(data: dict, engine: str, strategy: str = "s") -> dict[str, float]:
    """The one call into the engine in this module."""
    return simulate(build(data), strategy, 0, engine=engine).kpis()


def seg(**changes) -> list[dict]:
    base = deterministic()["segments"][0]
    return [{**base, **changes}]


def test_everyone_pays_and_completes(engine):
    k = kpis(deterministic(), engine)
    assert k["orders"] > 100
    assert k["paid_rate"] == k["completed_rate"] == 1.0
    assert k["time_to_pay_hours"] == pytest.approx(2.0)
    assert k["gmv_per_order"] == pytest.approx(100.0)
    # net = price - cost of goods (60) - outbound freight of a free-shipping listing (8)
    assert k["net_profit_per_order"] == pytest.approx(32.0)
    assert k["outbound_freight_per_order"] == pytest.approx(8.0)


@pytest.mark.parametrize(
    ("price", "preset", "expected"),
    [
        (100, "taobao", 30.0),  # 30% of 100 = 30, cap 30
        (200, "taobao", 30.0),  # 60 capped at 30
        (200, "tmall", 60.0),  # tmall cap 500
        (50, "taobao", 15.0),
    ],
)
def test_stockout_compensation_is_capped(price, preset, expected, engine):
    data = deterministic(
        shop={"price": fixed(price), "stockout_probability": 1.0}, platform={"preset": preset}
    )
    k = kpis(data, engine)
    assert k["refunded_rate"] == 1.0
    assert k["compensation_per_order"] == pytest.approx(expected)
    assert k["penalty_points_per_order"] == 0.0  # proactive: no intervention
    assert k["net_profit_per_order"] == pytest.approx(-expected)  # paid, refunded, compensated


@pytest.mark.parametrize(("complains", "comp", "points"), [(1.0, 30.0, 3.0), (0.0, 0.0, 0.0)])
def test_stockout_on_complaint(complains, comp, points, engine):
    data = deterministic(
        shop={"stockout_probability": 1.0},
        segments=seg(complains=complains),
        strategies=[{"name": "s", "policy": {"stockout": "on_complaint"}}],
    )
    k = kpis(data, engine)
    assert k["compensation_per_order"] == pytest.approx(comp)
    assert k["penalty_points_per_order"] == pytest.approx(points)


def test_stockout_alternative_keeps_the_sale(engine):
    data = deterministic(
        shop={"stockout_probability": 1.0},
        segments=seg(accepts_alternative=1.0),
        strategies=[{"name": "s", "policy": {"stockout": "alternative"}}],
    )
    k = kpis(data, engine)
    assert k["completed_rate"] == 1.0 and k["compensation_per_order"] == 0.0


@pytest.mark.parametrize(
    ("price", "minimum", "expected"),
    [
        (100, 1, 5.0),  # 5% of 100
        (10, 1, 1.0),  # 0.5 raised to the minimum 1
        (10, 5, 5.0),  # today's Taobao minimum 5
        (1000, 1, 30.0),  # 50 capped at 30
    ],
)
@pytest.mark.parametrize("policy", ["proactive", "on_complaint"])
def test_late_shipment_compensation_is_clamped(price, minimum, expected, policy, engine):
    data = deterministic(
        shop={"price": fixed(price), "ship_hours": fixed(50)},
        platform={"late_shipment_min": minimum},
        strategies=[{"name": "s", "policy": {"late_shipment": policy}}],
    )
    k = kpis(data, engine)
    assert k["compensation_per_order"] == pytest.approx(expected)
    assert k["penalty_points_per_order"] == pytest.approx(3.0 if policy == "on_complaint" else 0)


def test_on_time_shipment_costs_nothing(engine):
    k = kpis(
        deterministic(shop={"ship_hours": fixed(48)}), engine
    )  # exactly the promise is on time
    assert k["compensation_per_order"] == 0.0


@pytest.mark.parametrize(
    ("insured", "free", "loss", "outbound"),
    [
        (False, True, 16.0, 0.0),  # seller's fault: both legs
        (True, True, 16.0, 0.0),  # insurance pays nothing for a parcel refused at the door
        (False, False, 16.0, 0.0),  # buyer paid outbound; refunded, so the seller bears it
    ],
)
def test_refused_for_the_sellers_fault(insured, free, loss, outbound, engine):
    data = deterministic(
        quality={"damage_or_wrong_item": 1.0},
        shop={"freight_insurance": insured, "free_shipping": free},
    )
    k = kpis(data, engine)
    assert k["refused_rate"] == k["refunded_rate"] == 1.0
    assert k["freight_loss_per_order"] == pytest.approx(loss)
    assert k["outbound_freight_per_order"] == pytest.approx(outbound)
    assert k["insurance_cost_per_order"] == pytest.approx(0.8 if insured else 0.0)
    assert k["net_profit_per_order"] == pytest.approx(-loss - (0.8 if insured else 0.0))


@pytest.mark.parametrize(("free", "loss"), [(True, 8.0), (False, 0.0)])
def test_refused_for_the_buyers_fault(free, loss, engine):
    data = deterministic(segments=seg(refuses_delivery=1.0), shop={"free_shipping": free})
    k = kpis(data, engine)
    assert k["refused_rate"] == 1.0
    assert k["freight_loss_per_order"] == pytest.approx(loss)


@pytest.mark.parametrize(("wins", "completed"), [(1.0, 1.0), (0.0, 0.0)])
def test_disputes_settle_for_the_winner(wins, completed, engine):
    data = deterministic(segments=seg(disputes=1.0), quality={"seller_wins_dispute": wins})
    k = kpis(data, engine)
    assert k["disputed_rate"] == 1.0
    assert k["completed_rate"] == completed and k["refunded_rate"] == 1.0 - completed


def test_dispute_lever_multiplier(engine):
    # chance = disputes x sum(share x multiplier) = 1 x (0.4 x 0 + 0.6) = 0.6
    data = deterministic(
        segments=seg(disputes=1.0),
        strategies=[
            {
                "name": "s",
                "levers": {"dispute_multipliers": {"not_as_described": 0.0}, "cost_per_order": 0.5},
            }
        ],
    )
    data["arrivals"]["orders_per_day"] = 20000
    k = kpis(data, engine)
    assert k["disputed_rate"] == pytest.approx(0.6, abs=0.02)
    assert k["lever_cost_per_order"] == pytest.approx(0.5)


def never_pays(**changes) -> list[dict]:
    return seg(pays_unprompted=0.0, **changes)


@pytest.mark.parametrize(
    ("incentive", "gmv", "discount", "cost"),
    [
        ({"kind": "discount", "rate": 0.1, "uplift": 0.0}, 90.0, 10.0, 0.0),
        ({"kind": "gift", "cost": 5, "uplift": 0.0}, 100.0, 0.0, 5.0),
        ({"kind": "free_shipping", "uplift": 0.0}, 100.0, 0.0, 0.0),  # listing already ships free
    ],
)
def test_incentives(incentive, gmv, discount, cost, engine):
    step = {"at": 1, "channel": "sms", "incentive": incentive}
    data = deterministic(segments=never_pays(), strategies=[{"name": "s", "reminders": [step]}])
    k = kpis(data, engine)
    assert k["paid_rate"] == 1.0
    assert k["time_to_pay_hours"] == pytest.approx(2.0)  # reminder at 1 h + response 1 h
    assert k["gmv_per_order"] == pytest.approx(gmv)
    assert k["discount_per_order"] == pytest.approx(discount)
    assert k["incentive_cost_per_order"] == pytest.approx(cost)
    assert k["reminder_cost_per_order"] == pytest.approx(0.05)  # one SMS


def test_free_shipping_incentive_on_a_paid_shipping_listing_costs_the_freight(engine):
    step = {"at": 1, "channel": "sms", "incentive": {"kind": "free_shipping", "uplift": 0.0}}
    data = deterministic(
        segments=never_pays(),
        shop={"free_shipping": False},
        strategies=[{"name": "s", "reminders": [step]}],
    )
    assert kpis(data, engine)["incentive_cost_per_order"] == pytest.approx(8.0)


def test_uplift_multiplies_the_response(engine):
    step = {"at": 1, "channel": "sms", "incentive": {"kind": "gift", "cost": 1, "uplift": 1.0}}
    data = deterministic(
        segments=never_pays(response={"sms": 0.3}), strategies=[{"name": "s", "reminders": [step]}]
    )
    data["arrivals"]["orders_per_day"] = 20000
    assert kpis(data, engine)["paid_rate"] == pytest.approx(0.6, abs=0.02)


def test_reminder_at_auto_close_is_never_sent(engine):
    steps = [{"at": 24, "channel": "sms"}]  # taobao closes at exactly 24 h
    data = deterministic(segments=never_pays(), strategies=[{"name": "s", "reminders": steps}])
    k = kpis(data, engine)
    assert k["reminders_per_order"] == 0.0 and k["auto_closed_rate"] == 1.0


def test_payment_wins_a_tie_with_auto_close(engine):
    data = deterministic(segments=seg(pay_hours=fixed(24)))
    assert kpis(data, engine)["paid_rate"] == 1.0


def test_annoyance_grows_with_each_reminder(engine):
    steps = [{"at": h, "channel": "sms"} for h in (1, 2, 3)]
    # never won, pays by themselves at 5 h and receives the goods (only they can rate):
    # annoyance 0.1, growth 2 -> 0.1 + 0.2 + 0.4 low ratings per order
    data = deterministic(
        segments=seg(pay_hours=fixed(5), response={}, annoyance={"sms": 0.1}),
        strategies=[{"name": "s", "reminders": steps}],
    )
    data["arrivals"]["orders_per_day"] = 20000
    k = kpis(data, engine)
    assert k["reminders_per_order"] == 3.0
    assert k["low_ratings_per_order"] == pytest.approx(0.7, abs=0.02)
    assert k["reminder_cost_per_order"] == pytest.approx(0.15)


def test_malicious_close_draws_complaints_and_points(engine):
    segment = never_pays(malicious=True, complains=1.0)
    data = deterministic(
        segments=segment,
        strategies=[
            {"name": "close", "policy": {"malicious": "close"}},
            {"name": "report", "policy": {"malicious": "report"}},
        ],
    )
    closed, reported = kpis(data, engine, "close"), kpis(data, engine, "report")
    assert closed["seller_closed_rate"] == 1.0 and closed["penalty_points_per_order"] == 3.0
    assert reported["auto_closed_rate"] == 1.0 and reported["penalty_points_per_order"] == 0.0


def test_buyer_cancels(engine):
    data = deterministic(segments=seg(pays_unprompted=0.0, cancels=1.0, cancel_hours=fixed(3)))
    k = kpis(data, engine)
    assert k["buyer_cancelled_rate"] == 1.0 and k["cancelled_rate"] == 1.0


def test_next_peak_and_next_day_reminder_times():
    from sim.engine.plan import compile_plan

    steps = [{"at": "next_peak", "channel": "sms"}, {"at": "next_day_same_hour", "channel": "sms"}]
    plan = compile_plan(build(deterministic(strategies=[{"name": "s", "reminders": steps}])), "s")
    import numpy as np

    placed = np.array([0.5, 9.99, 10.0, 15.0, 21.0, 23.5, 34.0])
    assert plan.steps[0].times(placed).tolist() == [10.0, 10.0, 21.0, 21.0, 34.0, 34.0, 45.0]
    assert plan.steps[1].times(placed).tolist() == (placed + 24).tolist()


def test_counted_stock_replaces_the_random_stockout_chance():
    data = deterministic(
        shop={"stockout_probability": 1.0}, inventory={"units": 100000, "reserve_on": "order"}
    )
    k = kpis(data, "simpy")  # shared stock makes orders interact: the SimPy world only
    assert k["refunded_rate"] == 0.0 and k["completed_rate"] == 1.0


def test_totals_are_per_replication(engine):
    k = kpis(deterministic(), engine)
    assert k["paid_orders"] == k["orders"]
    assert k["net_profit"] == pytest.approx(32.0 * k["orders"])

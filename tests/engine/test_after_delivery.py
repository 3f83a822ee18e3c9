"""After delivery and before payment as buyers behave, each rule on a shop where everything is
certain (price 100, cost of goods 60, freight 8 on a free-shipping listing), against a hand
computation on both engines: seven-day returns and insurance, pressure and returns, sign then
return, refund only, response by hours since placement, credit payers and the shipping promise.
"""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import build, deterministic, fixed

from fsm.table import compiled_table
from sim.engine.plan import compile_plan
from sim.engine.rules import response_multiplier
from sim.engine.simulate import simulate
from sim.scenario.checks import scenario_warnings
from sim.scenario.load import scenario_from_dict

ENGINES = ("auto", "simpy")


def kpis(data: dict, engine: str) -> dict[str, float]:
    return simulate(build(data), "s", 0, engine=engine).kpis()


def seg(**changes) -> list[dict]:
    return [{**deterministic()["segments"][0], **changes}]


def within(rate: float, p: float, n: float) -> bool:
    """A binomial share within four standard errors of its chance."""
    return abs(rate - p) <= 4.0 * np.sqrt(p * (1.0 - p) / n) + 1e-12


# ------------------------------------------------------------ seven-day returns ----


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("resaleable", "lost"), [(1.0, 0.0), (0.5, 30.0)])
def test_every_buyer_sends_the_goods_back(engine, resaleable, lost):
    data = deterministic(shop={"resaleable_share": resaleable}, segments=seg(returns_goods=1.0))
    k = kpis(data, engine)
    assert k["returned_rate"] == 1.0 and k["refunded_rate"] == 1.0
    assert k["completed_rate"] == 0.0 and k["refused_rate"] == 0.0
    # paid 100, refunded 100; the outbound 8 is gone, the buyer pays the way back; half the
    # goods (cost 60) cannot be sold again
    assert k["freight_loss_per_order"] == 0.0
    assert k["goods_cost_per_order"] == pytest.approx(lost)
    assert k["return_cost_per_order"] == pytest.approx(8.0 + lost)
    assert k["net_profit_per_order"] == pytest.approx(-8.0 - lost)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("insured", "net"), [(False, 100 - 60 - 8.0), (True, -8.0 - 0.8)])
def test_insurance_that_makes_returns_free_raises_them(engine, insured, net):
    data = deterministic(
        shop={"freight_insurance": insured},
        segments=seg(returns_goods=0.0, returns_if_insured=1.0),
    )
    k = kpis(data, engine)
    assert k["returned_rate"] == (1.0 if insured else 0.0)
    assert k["freight_loss_per_order"] == 0.0  # the insurance pays the way back, not the seller
    assert k["net_profit_per_order"] == pytest.approx(net)


@pytest.mark.parametrize("engine", ENGINES)
def test_returns_come_back_within_the_window(engine):
    rows: list[dict] = []
    data = deterministic(segments=seg(returns_goods=1.0))
    simulate(build(data), "s", 0, engine=engine, on_events=rows.append)
    table = compiled_table()
    order = np.concatenate([r["order"] for r in rows])
    time = np.concatenate([r["time"] for r in rows])
    trigger = np.concatenate([r["trigger"] for r in rows])

    def by_order(name: str) -> np.ndarray:
        hit = trigger == table.trigger_id[name]
        return time[hit][np.argsort(order[hit], kind="stable")]

    delivered, back = by_order("deliver"), by_order("return_goods")
    placed = by_order("await_payment")
    assert back.size == placed.size
    assert np.allclose(delivered - placed, 2 + 10 + 20)
    # sent within the 7 days after delivery, then 20 h on the way back
    lag = back - delivered
    assert lag.min() >= 20 and lag.max() <= 7 * 24 + 20
    assert lag.max() - lag.min() > 24  # spread over the window, not all at once


# ------------------------------------------------------------ pressure and returns ----


@pytest.mark.parametrize("engine", ENGINES)
def test_a_buyer_won_by_a_reminder_returns_more(engine):
    step = {"at": 1, "channel": "sms", "incentive": {"kind": "discount", "rate": 0.1}}
    data = deterministic(
        segments=seg(pays_unprompted=0.0, returns_goods=0.25, return_multiplier_if_won=4.0),
        strategies=[{"name": "s", "reminders": [step]}],
    )
    k = kpis(data, engine)
    assert k["paid_rate"] == 1.0 and k["returned_rate"] == 1.0  # 0.25 x 4 = 1
    # paid 90 (the discount), all of it refunded with the goods; outbound 8, one SMS 0.05
    assert k["gmv_per_order"] == pytest.approx(90.0)
    assert k["refunds_per_order"] == pytest.approx(90.0)
    assert k["net_profit_per_order"] == pytest.approx(-8.0 - 0.05)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_buyer_who_paid_alone_returns_at_the_plain_rate(engine):
    step = {"at": 1, "channel": "sms"}  # the buyer pays at 2 h anyway; the reminder wins none
    data = deterministic(
        arrivals={"orders_per_day": 2000},
        segments=seg(pay_hours=fixed(0.5), returns_goods=0.25, return_multiplier_if_won=4.0),
        strategies=[{"name": "s", "reminders": [step]}],
    )
    k = kpis(data, engine)
    assert k["reminders_per_order"] == 0.0
    assert within(k["returned_rate"], 0.25, k["orders"])


# ------------------------------------------------------------- sign, then return ----


def signed(refusal: str, payout: float | None = None, accepts: float = 1.0) -> dict:
    """Every parcel is damaged or wrong; the shop is insured."""
    shop: dict = {"freight_insurance": True}
    if payout is not None:
        shop["freight_insurance_payout"] = payout
    return deterministic(
        shop=shop,
        quality={"damage_or_wrong_item": 1.0},
        segments=seg(accepts_sign_and_return=accepts),
        strategies=[{"name": "s", "policy": {"refusal": refusal}}],
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("refusal", "payout", "accepts", "freight_loss", "returned"),
    [
        ("at_the_door", None, 1.0, 16.0, 0.0),  # freight both ways, insurance pays nothing
        ("ask_to_sign", None, 1.0, 0.0, 1.0),  # out 8 (outbound freight), back 8 insured
        ("ask_to_sign", 5.0, 1.0, 3.0, 1.0),  # the insurance pays 5 of the 8 back
        ("ask_to_sign", None, 0.0, 16.0, 0.0),  # nobody agrees to sign: refused as before
    ],
)
def test_sign_then_return(engine, refusal, payout, accepts, freight_loss, returned):
    k = kpis(signed(refusal, payout, accepts), engine)
    assert k["returned_rate"] == returned and k["refused_rate"] == 1.0 - returned
    assert k["refunded_rate"] == 1.0
    assert k["freight_loss_per_order"] == pytest.approx(freight_loss)
    outbound = 8.0 * returned  # a signed parcel was delivered: its outbound leg is outbound
    assert k["outbound_freight_per_order"] == pytest.approx(outbound)
    assert k["net_profit_per_order"] == pytest.approx(-freight_loss - outbound - 0.8)
    assert k["return_cost_per_order"] == pytest.approx((freight_loss + outbound) * returned)


@pytest.mark.parametrize("engine", ENGINES)
def test_sign_then_return_needs_insurance(engine):
    data = signed("ask_to_sign")
    data["shop"]["freight_insurance"] = False
    lines = [str(w) for w in scenario_warnings(scenario_from_dict(data, "f.toml"), "f.toml")]
    assert any(
        line.startswith(
            "f.toml: strategies.s.policy.refusal: warning: ask_to_sign needs "
            "shop.freight_insurance = true"
        )
        for line in lines
    )
    at_the_door = signed("at_the_door")
    at_the_door["shop"]["freight_insurance"] = False
    assert kpis(data, engine) == kpis(at_the_door, engine)  # uninsured: refused as before


# ------------------------------------------------------------------ refund only ----


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("lost", "goods", "freight"), [("return", 0.0, 8.0), ("refund_only", 60.0, 0.0)]
)
def test_a_lost_dispute_refunds_with_or_without_the_goods(engine, lost, goods, freight):
    data = deterministic(segments=seg(disputes=1.0), quality={"seller_wins_dispute": 0.0})
    data["platform"]["lost_dispute"] = lost
    k = kpis(data, engine)
    assert k["refunded_rate"] == 1.0 and k["returned_rate"] == 0.0
    assert k["goods_cost_per_order"] == pytest.approx(goods)  # refund only: the goods are gone
    assert k["freight_loss_per_order"] == pytest.approx(freight)  # the way back, seller's
    assert k["net_profit_per_order"] == pytest.approx(-8.0 - goods - freight)


# ------------------------------------------------------------ timing by buyer ----


def test_response_curve_is_a_step_function():
    data = deterministic(segments=seg(response_by_hours={"20": 1.0, "6": 0.25}))
    plan = compile_plan(build(data), "s")
    since = np.array([0.0, 5.9, 6.0, 19.99, 20.0, 100.0])
    expected = [0.25, 0.25, 0.25, 0.25, 1.0, 1.0]  # before the first point: its value
    assert response_multiplier(plan, np.zeros(6, np.int64), since).tolist() == expected
    assert [response_multiplier(plan, 0, float(h)) for h in since] == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("at", "paid"), [(1, 0.0), (21, 1.0)])
def test_a_buyer_short_of_balance_answers_once_topped_up(engine, at, paid):
    data = deterministic(
        segments=seg(
            pays_unprompted=0.0, response={"sms": 1.0}, response_by_hours={"0": 0.0, "20": 1.0}
        ),
        strategies=[{"name": "s", "reminders": [{"at": at, "channel": "sms"}]}],
    )
    k = kpis(data, engine)
    assert k["paid_rate"] == paid
    if paid:
        assert k["time_to_pay_hours"] == pytest.approx(22.0)  # reminder at 21 h + 1 h


@pytest.mark.parametrize("engine", ENGINES)
def test_im_via_agents_uses_the_curve_too(engine):
    data = deterministic(
        segments=seg(
            pays_unprompted=0.0, response={"im": 1.0}, response_by_hours={"0": 0.0, "20": 1.0}
        ),
        staff={"agents": 1, "on_duty": [0, 24], "im_minutes": fixed(0.01)},
        strategies=[
            {"name": "s", "reminders": [{"at": 1, "channel": "im"}, {"at": 21, "channel": "im"}]}
        ],
    )
    k = kpis(data, engine)
    assert k["paid_rate"] == 1.0 and k["reminders_per_order"] == 2.0


# ---------------------------------------------------------- buyers who pay on credit ----


@pytest.mark.parametrize("engine", ENGINES)
def test_credit_payers_never_sit_unpaid(engine):
    data = deterministic(
        segments=seg(pays_unprompted=0.0, pays_on_credit=1.0),
        strategies=[{"name": "s", "reminders": [{"at": 0, "channel": "sms"}]}],
    )
    k = kpis(data, engine)
    assert k["paid_rate"] == 1.0 and k["time_to_pay_hours"] == 0.0
    assert k["reminders_per_order"] == 0.0  # paid at placement: a step at 0 h comes after


@pytest.mark.parametrize("engine", ENGINES)
def test_credit_shrinks_the_unpaid(engine):
    data = deterministic(
        arrivals={"orders_per_day": 2000},
        segments=seg(pays_unprompted=0.5, pays_on_credit=0.4),
    )
    k = kpis(data, engine)
    assert within(k["paid_rate"], 1.0 - 0.5 * 0.6, k["orders"])


# -------------------------------------------------- a shorter promise sells more ----


@pytest.mark.parametrize(("promise", "factor"), [(48, 1.0), (24, 1.1), (72, 1 / 1.1)])
def test_promise_conversion_scales_the_orders(promise, factor):
    data = deterministic(shop={"promised_ship_hours": promise, "promise_conversion": 0.1})
    plan = compile_plan(build(data), "s")
    assert plan.buyers_per_hour.sum() == pytest.approx(200.0 * factor)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_shorter_promise_places_more_orders(engine):
    base = deterministic(arrivals={"orders_per_day": 2000})
    more = deterministic(
        arrivals={"orders_per_day": 2000},
        shop={"promised_ship_hours": 24, "promise_conversion": 0.5},
    )
    n0, n1 = kpis(base, engine)["orders"], kpis(more, engine)["orders"]
    assert abs(n0 - 2000) < 4 * np.sqrt(2000) and abs(n1 - 3000) < 4 * np.sqrt(3000)


# ------------------------------------------------------- the way back costs more ----


@pytest.mark.parametrize("engine", ENGINES)
def test_return_freight_of_its_own(engine):
    # out 4, back 12: a seller-fault refusal costs both legs; the insurance pays up to 12 of a
    # signed return; after a lost dispute the seller pays the way back
    door = deterministic(
        shop={"freight": 4, "return_freight": 12}, quality={"damage_or_wrong_item": 1.0}
    )
    assert kpis(door, engine)["freight_loss_per_order"] == pytest.approx(16.0)
    sign = signed("ask_to_sign", payout=10.0)
    sign["shop"].update(freight=4, return_freight=12)
    k = kpis(sign, engine)
    assert k["freight_loss_per_order"] == pytest.approx(2.0)  # 12 back, 10 insured
    assert k["outbound_freight_per_order"] == pytest.approx(4.0)
    lost = deterministic(
        shop={"freight": 4, "return_freight": 12},
        segments=seg(disputes=1.0),
        quality={"seller_wins_dispute": 0.0},
    )
    assert kpis(lost, engine)["freight_loss_per_order"] == pytest.approx(12.0)


@pytest.mark.parametrize(("reading", "lost"), [("articles", "return"), ("today", "refund_only")])
def test_today_reading_refunds_without_return(reading, lost):
    for preset in ("taobao", "tmall"):
        data = deterministic()
        data["platform"] = {"preset": preset, "rules_as": reading}
        assert build(data).platform.lost_dispute == lost

"""Credited vs incremental against their closed form, on both engines.

A segment pays unprompted with chance p, after an exponential time of mean m; the others wait
(no cancels). One SMS at t hours wins a reached buyer with chance r. Then, per order placed:
reminded = 1 - p F(t) (F the payment-time CDF), credited (reminded and paid) =
p (1 - F(t)) + (1 - p) r, incremental = (1 - p) r, and the amounts are the price times these.
"""

from __future__ import annotations

import math

import pytest
from engine_scenarios import build, deterministic, fixed

from sim.engine.simulate import simulate
from sim.experiment.credited import against_control, credited_over_incremental

P, MEAN, T, R, PRICE = 0.4, 5.0, 2.0, 0.3, 100.0
F = 1.0 - math.exp(-T / MEAN)


def shop(*steps: dict) -> dict:
    segment = {**deterministic()["segments"][0], "pays_unprompted": P, "cancels": 0.0,
               "pay_hours": {"dist": "exponential", "mean": MEAN}, "response_hours": fixed(0.5),
               "response": {"sms": R, "phone": 0.0, "im": 0.0, "auto": 0.0}}  # fmt: skip
    return deterministic(
        scenario={"arrival_days": 7},
        arrivals={"orders_per_day": 3000},
        segments=[segment],
        strategies=[{"name": "none"}, {"name": "s", "reminders": list(steps)}],
    )


@pytest.fixture(params=["fast", "simpy"])
def engine(request) -> str:
    return request.param


def test_credited_and_incremental_follow_the_closed_form(engine):
    sc = build(shop({"at": T, "channel": "sms"}))
    arm, control = (simulate(sc, name, 0, engine=engine).kpis() for name in ("s", "none"))
    n = arm["orders"]
    tol = 4 * math.sqrt(0.25 / n)  # four standard errors of a share of n orders, at worst
    reminded, credited, won = 1 - P * F, P * (1 - F) + (1 - P) * R, (1 - P) * R
    assert arm["reminded_rate"] == pytest.approx(reminded, abs=tol)
    assert arm["credited_paid_rate"] == pytest.approx(credited / reminded, abs=tol)
    assert arm["credited_amount_per_order"] == pytest.approx(PRICE * credited, abs=PRICE * tol)
    inc = against_control(arm, control)
    assert inc["incremental_paid_rate"] == pytest.approx(won, abs=tol)
    assert inc["incremental_amount_per_order"] == pytest.approx(PRICE * won, abs=PRICE * tol)
    ratio = credited_over_incremental(
        arm["credited_paid_rate"] * arm["reminded_rate"], inc["incremental_paid_rate"]
    )
    assert ratio == pytest.approx(credited / won, rel=0.1)
    # the control reminds nobody: the tool has nothing to credit
    assert control["reminded_rate"] == 0.0 and math.isnan(control["credited_paid_rate"])
    # real ROI: the margin won (price less cost of goods and outbound freight, 32 yuan, per
    # order won) over what the messages cost (0.05 yuan per reminded order)
    spend = 0.05 * arm["reminded_rate"]
    assert arm["reminder_cost_per_order"] == pytest.approx(spend)
    assert inc["real_roi"] == pytest.approx(32.0 * inc["incremental_paid_rate"] / spend)


def test_a_reminder_after_every_payment_is_credited_only_with_what_it_wins(engine):
    # everyone who pays unprompted pays within 1 h; a reminder at 2 h finds only the others:
    # the tool credits exactly what the reminder wins (ratio 1)
    data = shop({"at": T, "channel": "sms"})
    data["segments"][0]["pay_hours"] = fixed(1.0)
    sc = build(data)
    arm, control = (simulate(sc, name, 0, engine=engine).kpis() for name in ("s", "none"))
    inc = against_control(arm, control)
    credited = arm["credited_paid_rate"] * arm["reminded_rate"]
    assert arm["reminded_rate"] == pytest.approx(1 - arm["paid_rate"] + credited)
    assert credited == pytest.approx(inc["incremental_paid_rate"])
    assert arm["anyway_coupon_cost_per_order"] == 0.0


def test_coupons_to_buyers_who_would_have_paid_anyway(engine):
    # a 10% discount with the reminder at 2 h: a reached buyer who pays uses it, so every
    # payer-anyway who has not paid yet does (reach is 1); each coupon is 10 yuan
    step = {"at": T, "channel": "sms", "incentive": {"kind": "discount", "rate": 0.1}}
    k = simulate(build(shop(step)), "s", 0, engine=engine).kpis()
    n = k["orders"]
    anyway = P * (1 - F)  # payers anyway, not yet paid at t
    assert k["anyway_coupon_cost_per_order"] == pytest.approx(
        10.0 * anyway, abs=10.0 * 4 * math.sqrt(anyway / n)
    )
    # all coupons = those to buyers paying anyway + those to buyers the reminder won
    assert k["discount_per_order"] == pytest.approx(10.0 * (anyway + (1 - P) * R), abs=0.15)


def test_each_steps_increment_follows_the_closed_form(engine):
    # two SMS (at 2 h and 4 h), each winning a reached buyer with chance r on its own draw.
    # Without step 1, step 0 alone wins (1 - p) r; without step 0, step 1 is the first SMS and
    # reads the first SMS's draw, so it also wins (1 - p) r. So each step adds (1 - p) r (1 - r)
    # and the two together win (1 - p) r^2 more than the sum ("shared").
    from sim.engine.plan import compile_plan
    from sim.experiment.steps import step_increments

    sc = build(shop({"at": T, "channel": "sms"}, {"at": 2 * T, "channel": "sms"}))
    plan = compile_plan(sc, "s")
    kpis = simulate(sc, "s", 0, engine=engine).kpis()
    inc = step_increments(plan, 0, engine, kpis)
    tol = 4 * math.sqrt(0.25 / kpis["orders"])
    each = (1 - P) * R * (1 - R)
    assert inc["step_incremental_paid"] == pytest.approx([each, each], abs=tol)
    total, amount = inc["steps_incremental_total"]
    assert total == pytest.approx((1 - P) * (1 - (1 - R) ** 2), abs=tol)
    assert amount == pytest.approx(PRICE * total)
    assert total - sum(inc["step_incremental_paid"]) == pytest.approx((1 - P) * R * R, abs=tol)


def test_the_steps_credited_figures_sum_to_the_strategys(engine):
    sc = build(shop({"at": T, "channel": "sms"}, {"at": 2 * T, "channel": "sms"}))
    acc = simulate(sc, "s", 0, engine=engine)
    kpis, curves = acc.kpis(), acc.curves()
    credited = kpis["credited_paid_rate"] * kpis["reminded_rate"]
    assert sum(curves["step_credited"]) == pytest.approx(credited, rel=1e-12)
    assert sum(curves["step_credited_amount"]) == pytest.approx(
        kpis["credited_amount_per_order"], rel=1e-12
    )
    assert curves["step_reminded"][0] == pytest.approx(kpis["reminded_rate"], rel=1e-12)

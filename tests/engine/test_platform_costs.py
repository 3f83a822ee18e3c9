"""What the platform makes a shop pay beyond fees, by hand on both engines: reported harassment
complaints and their points (segments.*.reports_harassment, platform.harassment_points)."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import deterministic, fixed
from test_bans_and_returns import placements
from test_platform_readings import ENGINES, both
from test_round_rules import seg

from sim.engine.arrivals import chunks
from sim.engine.draws import BuyerDraw, ChunkDraws
from sim.engine.plan import compile_plan
from sim.scenario.models import Scenario

# ------------------------------------------------------- harassment reports ----


def pressed(reports: float, ladder: dict | None = None, **platform) -> dict:
    """Every buyer pays 5 h after placing; an SMS at 1 h annoys every one of them (a harassment
    complaint under today's reading) and each complaining buyer reports it with ``reports``."""
    data = deterministic(
        segments=seg(
            pays_unprompted=1.0,
            pay_hours=fixed(5),
            annoyance={"sms": 1.0},
            response={"sms": 0.0},
            reports_harassment=reports,
        ),
        strategies=[{"name": "s", "reminders": [{"at": 1, "channel": "sms"}]}],
    )
    data["platform"].update({"rules_as": "today", **platform})
    if ladder is not None:
        data["platform"]["penalty_ladder"] = ladder
    return data


def test_every_reported_order_brings_its_points():
    k = both(pressed(1.0, ladder={}))
    assert k["harassment_complaints_per_order"] == 1.0
    assert k["harassment_reports_per_order"] == 1.0
    assert k["penalty_points_per_order"] == 3.0  # today's harassment_points
    # the articles' reading counts no harassment (annoyance is a low rating): no report
    articles = both({**pressed(1.0, ladder={}), "platform": {"preset": "taobao"}})
    assert articles["harassment_reports_per_order"] == 0.0
    assert articles["penalty_points_per_order"] == 0.0


def test_reports_follow_each_orders_own_draw():
    """Half the complaining buyers report: exactly the orders whose REPORTS draw is below 0.5."""
    data = pressed(0.5, ladder={}, harassment_points=2)
    plan = compile_plan(Scenario.model_validate(data), "s")
    expected = sum(
        int(np.count_nonzero(ChunkDraws(plan.seed, 0, c.index, c.n).buyer[BuyerDraw.REPORTS] < 0.5))
        for c in chunks(plan, 0)
    )
    k = both(data)
    assert k["harassment_reports_per_order"] * k["orders"] == pytest.approx(expected)
    assert k["penalty_points_per_order"] == pytest.approx(2 * expected / k["orders"])


@pytest.mark.parametrize("engine", ENGINES)
def test_reports_close_the_shop_at_the_fourth(engine):
    """3 points per report, dated when the order is paid (5 h after placing): the 4th report
    reaches 12 points and closes the shop; every order placed from then on is lost."""
    _, would_be = placements(pressed(1.0, ladder={}), engine)
    acc, placed = placements(pressed(1.0, ladder={"12": "closed"}), engine)
    closes = would_be[3] + 5.0
    assert acc.ban_intervals[0][0] == closes
    np.testing.assert_array_equal(placed, would_be[would_be <= closes])
    k = acc.kpis()
    assert k["banned_order_rate"] == pytest.approx(1 - placed.size / would_be.size)


def test_no_report_without_a_complaint_or_points():
    quiet = pressed(1.0, ladder={"12": "closed"})
    quiet["segments"][0]["annoyance"] = {"sms": 0.0}
    assert both(quiet)["harassment_reports_per_order"] == 0.0
    free = both(pressed(1.0, ladder={"12": "closed"}, harassment_points=0))
    assert free["harassment_reports_per_order"] == 0.0 and free["ban_days"] == 0.0


# ------------------------------------------------- traffic lost to the record ----


def by_hand(data: dict, lag: float, per: float) -> tuple[list[float], int]:
    """The rule re-done in plain Python from the arrivals and each order's TRAFFIC_LOSS draw:
    every placed order brings one event ``lag`` hours after placement; a would-be order at t is
    lost when its draw is below min(1, 1000 x per x events in [t - W, t) / E), E the orders
    the flat arrivals bring over the window (orders_per_day / 24 per hour)."""
    plan = compile_plan(Scenario.model_validate(data), "s")
    window = plan.rating_window_hours
    rate = data["arrivals"]["orders_per_day"] / 24.0
    events: list[float] = []
    placed: list[float] = []
    lost = 0
    for c in chunks(plan, 0):
        u = ChunkDraws(plan.seed, 0, c.index, c.n).buyer[BuyerDraw.TRAFFIC_LOSS]
        for t, draw in zip(c.time.tolist(), u.tolist(), strict=True):
            n = sum(1 for x in events if t - window <= x < t)
            share = min(1.0, 1000.0 * per * n / (rate * (t - max(0.0, t - window)))) if n else 0
            if draw < share:
                lost += 1
            else:
                placed.append(t)
                events.append(t + lag)
    return placed, lost


@pytest.mark.parametrize("engine", ENGINES)
def test_complaints_cost_traffic_by_hand(engine):
    """Today: every buyer complains of the SMS and pays at 5 h (the complaint is dated then);
    each complaint per 1,000 orders over the last 6 hours costs 0.05% of the traffic."""
    data = pressed(0.0, ladder={}, traffic_per_complaint=0.0005, rating_window_days=0.25)
    expected, lost = by_hand(data, 5.0, 0.0005)
    acc, placed = placements(data, engine)
    np.testing.assert_array_equal(placed, np.array(expected))
    k = acc.kpis()
    assert lost > 20 and k["traffic_lost_rate"] == pytest.approx(lost / (lost + len(expected)))
    # the articles' key (per low rating) does nothing where annoyance is a complaint
    off = pressed(0.0, ladder={}, traffic_per_low_rating=0.0005, rating_window_days=0.25)
    assert both(off)["traffic_lost_rate"] == 0.0


@pytest.mark.parametrize("engine", ENGINES)
def test_low_ratings_cost_traffic_by_hand(engine):
    """The articles: a low rating comes from a buyer who received the goods, at delivery
    (paid at 5 h, shipped 10 h later, delivered 20 h after that: 35 h after placing)."""
    data = pressed(0.0, ladder={}, traffic_per_low_rating=0.0005, rating_window_days=0.5)
    data["platform"] = {"preset": "taobao", "traffic_per_low_rating": 0.0005,
                        "rating_window_days": 0.5}  # fmt: skip
    data["scenario"]["arrival_days"] = 3
    expected, lost = by_hand(data, 35.0, 0.0005)
    acc, placed = placements(data, engine)
    np.testing.assert_array_equal(placed, np.array(expected))
    assert lost > 20 and acc.kpis()["traffic_lost_rate"] == pytest.approx(
        lost / (lost + len(expected))
    )


def test_disputes_cost_traffic_the_same_on_both_engines():
    data = deterministic(segments=seg(disputes=0.5), arrivals={"orders_per_day": 400})
    data["platform"].update(traffic_per_dispute=0.002, rating_window_days=1)
    data["scenario"]["arrival_days"] = 3
    k = both(data)
    assert 0.0 < k["traffic_lost_rate"] < 1.0
    data["platform"]["traffic_per_dispute"] = 0.0
    assert both(data)["traffic_lost_rate"] == 0.0


# ------------------------------------------------------ card chargebacks (拒付) ----


def carded(chargebacks: float, **changes) -> dict:
    """Every buyer pays at 2 h and receives the goods (price 100, goods 60, free shipping at
    8 yuan); each delivered order's card payment is reversed with ``chargebacks``."""
    data = deterministic(segments=seg(chargebacks=chargebacks))
    data["platform"]["chargeback_fee"] = 15
    for section, values in changes.items():
        data.setdefault(section, {}).update(values)
    return data


def test_a_chargeback_reverses_the_payment_with_a_fee_and_is_no_dispute():
    base, charged = both(carded(0.0)), both(carded(1.0))
    assert base["chargeback_rate"] == 0.0 and charged["chargeback_rate"] == 1.0
    assert charged["chargeback_fee_per_order"] == 15.0
    assert charged["refunds_per_order"] - base["refunds_per_order"] == pytest.approx(100.0)
    assert charged["goods_cost_per_order"] == base["goods_cost_per_order"] == 60.0  # kept
    # the price reversed and the fee: 115 yuan an order
    assert charged["net_profit_per_order"] - base["net_profit_per_order"] == pytest.approx(-115)
    assert charged["completed_rate"] == 0.0 and charged["disputed_rate"] == 0.0
    assert charged["refunded_rate"] == 1.0


def test_levers_lower_their_cause_by_the_orders_own_draws():
    """Fraud screening stops the fraud share (0.6): 0.4 of the chance is left, and exactly the
    orders whose CHARGEBACK draw is below 0.4 are charged back."""
    data = carded(1.0)
    data["strategies"] = [{"name": "s", "levers": {"chargeback_multipliers": {"fraud": 0.0}}}]
    plan = compile_plan(Scenario.model_validate(data), "s")
    assert plan.chargeback_chance[0] == pytest.approx(0.4)
    expected = sum(
        int(np.count_nonzero(ChunkDraws(plan.seed, 0, c.index, c.n).fulfilment[16] < 0.4))
        for c in chunks(plan, 0)
    )
    k = both(data)
    assert k["chargeback_rate"] * k["orders"] == pytest.approx(expected)


def test_a_fully_managed_seller_handles_no_chargeback():
    k = both(carded(1.0, platform={"fully_managed": True}))
    base = both(carded(0.0))
    assert k["chargeback_rate"] == 1.0 and k["chargeback_fee_per_order"] == 0.0
    assert k["net_profit_per_order"] == pytest.approx(base["net_profit_per_order"])


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"platform": {"preset": "aliexpress"}}, "platform.chargeback_fee", "no number"),
        (
            {"quality": {"chargeback_causes": {"fraud": 0.5}}},
            "quality.chargeback_causes",
            "sum to 1",
        ),
        (
            {"strategies": [{"name": "s", "levers": {"chargeback_multipliers": {"frod": 0.5}}}]},
            "levers.chargeback_multipliers.frod",
            "unknown chargeback cause",
        ),
    ],
)
def test_chargeback_inputs_are_checked_at_load(change, path, words):
    from engine_scenarios import ALIEXPRESS_NUMBERS

    from sim.errors import ScenarioError
    from sim.scenario.load import scenario_from_dict

    data = carded(0.5)
    for section, values in change.items():
        if isinstance(values, dict):
            data.setdefault(section, {}).update(values)
        else:
            data[section] = values
    if data["platform"].get("preset") == "aliexpress":
        del data["platform"]["chargeback_fee"]
        data["platform"].update(ALIEXPRESS_NUMBERS)
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data, "shop.toml")
    assert path in str(caught.value) and words in str(caught.value)

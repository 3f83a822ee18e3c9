"""The two readings of the platform (platform.rules_as), each rule that differs between them on
a shop where everything is certain, against a hand computation, on both engines."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import deterministic, fixed
from test_bans_and_returns import placements, rivals
from test_round_rules import kpis, seg

from sim.scenario.presets import Platform

ENGINES = ["fast", "simpy"]


def both(data: dict) -> dict[str, float]:
    """The KPIs of strategy "s", checked identical on the numpy path and the SimPy world."""
    fast, world = (kpis(data, engine=e) for e in ENGINES)
    assert fast.keys() == world.keys()
    for name, value in fast.items():
        assert value == world[name] or (np.isnan(value) and np.isnan(world[name])), name
    return fast


# ------------------------------------------------------------ the presets ----


def test_today_is_laid_over_the_preset_and_keys_written_win():
    today = Platform.model_validate({"preset": "tmall", "rules_as": "today"})
    assert (today.late_shipment_rate, today.late_shipment_min, today.late_shipment_max) == (
        0.30,
        5.0,
        500.0,
    )
    assert today.stockout_compensation_min == 5.0 and today.stockout_compensation_cap == 500.0
    assert not today.closing_unpaid_penalised and today.auto_compensation
    assert today.penalty_ladder == {"12": 7.0, "24": 14.0, "36": 21.0, "48": 21.0}
    taobao = Platform.model_validate({"rules_as": "today", "closing_unpaid_penalised": True})
    assert taobao.closing_unpaid_penalised and taobao.late_shipment_max == 30.0
    assert taobao.late_shipment_min == 5.0
    articles = Platform.model_validate({"preset": "tmall"})
    assert articles.closing_unpaid_penalised and not articles.auto_compensation
    assert (articles.late_shipment_rate, articles.late_shipment_min) == (0.05, 1.0)
    assert articles.penalty_ladder["48"] == "closed"


# ---------------------------------------------------- closing unpaid orders ----


def test_closing_a_malicious_order_draws_no_points_today():
    """rivals: every buyer is malicious, the seller closes at once and every buyer complains;
    under the articles the 4th order brings 12 points and closes the shop (test_bans...)."""
    for platform in ({"closing_unpaid_penalised": False}, {"rules_as": "today"}):
        data = rivals({"12": "closed"}, platform=platform)
        k = both(data)
        free = both(rivals({}))  # no ladder at all: nothing can stop the shop
        assert k["penalty_points_per_order"] == 0.0 and k["ban_days"] == 0.0
        assert k["orders"] == free["orders"] > 100
    # a key written in the file beats the reading
    data = rivals(
        {"12": "closed"}, platform={"rules_as": "today", "closing_unpaid_penalised": True}
    )
    assert both(data)["orders"] == 4


# ------------------------------------------------------------------ bans ----


@pytest.mark.parametrize("engine", ENGINES)
def test_a_listing_ban_that_loses_nothing_only_counts_days(engine):
    closed, placed = placements(rivals({"12": "closed"}), engine)
    data = rivals({"12": "closed"}, platform={"listing_ban_sales_loss": 0.0})
    acc, _ = placements(data, engine)
    k, free = acc.kpis(), kpis(rivals({}), engine=engine)
    assert k["orders"] == free["orders"] and k["banned_order_rate"] == 0.0
    # the ban itself starts at the 4th complaint, as with no_sales
    assert k["ban_days"] == pytest.approx((24.0 - placed[3]) / 24.0)
    assert closed.kpis()["ban_days"] == k["ban_days"]
    # "no_sales" ignores the listing share: every order is lost again
    data = rivals(
        {"12": "closed"}, platform={"listing_ban_sales_loss": 0.0, "ban_effect": "no_sales"}
    )
    assert kpis(data, engine=engine)["orders"] == 4


def test_a_listing_ban_loses_its_share_of_orders():
    data = rivals({"12": "closed"}, platform={"listing_ban_sales_loss": 0.5})
    (acc, placed), (world, placed_w) = (placements(data, e) for e in ENGINES)
    assert np.array_equal(placed, placed_w) and acc.kpis() == world.kpis()
    _, would_be = placements(rivals({}))
    start = acc.ban_intervals[0][0]
    assert start == placed[3]
    after = would_be[would_be > start].size  # would-be orders while closed
    kept = placed[placed > start].size
    # each is lost with chance 0.5 on its own draw: binomial, 5 standard deviations
    assert after > 150 and abs(kept - 0.5 * after) < 5 * np.sqrt(0.25 * after)
    k = acc.kpis()
    assert k["banned_order_rate"] * (k["orders"] + after - kept) == pytest.approx(after - kept)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_daily_cap_on_points(engine):
    """Cap 9 a day: three complaints a day count; on the second day the first complaint
    brings the shop to 12 and closes it."""
    day_one = kpis(rivals({}), engine=engine)["orders"]
    capped = rivals({"12": "closed"}, platform={"points_cap_per_day": 9})
    capped["scenario"]["arrival_days"] = 2
    acc, placed = placements(capped, engine)
    on_day_one = int(np.sum(placed < 24.0))
    assert on_day_one > 100 and acc.kpis()["orders"] == on_day_one + 1
    assert acc.ban_intervals[0][0] == placed[-1] >= 24.0
    # cap 12: the 4th complaint on the first day, as without a cap
    capped["platform"]["points_cap_per_day"] = 12
    assert kpis(capped, engine=engine)["orders"] == 4 < day_one


# ------------------------------------------------------- compensation ----


def out_of_stock(policy: str, price: float, complains: float, **platform) -> dict:
    data = deterministic(
        shop={"stockout_probability": 1.0, "price": fixed(price)},
        segments=seg(complains=complains),
        strategies=[{"name": "s", "policy": {"stockout": policy}}],
    )
    data["platform"].update(platform)
    return data


def test_the_platform_pays_at_once_today_so_waiting_earns_no_points():
    articles = both(out_of_stock("on_complaint", 100, 1.0))
    today = both(out_of_stock("on_complaint", 100, 1.0, auto_compensation=True))
    assert articles["compensation_per_order"] == today["compensation_per_order"] == 30.0
    assert articles["penalty_points_per_order"] == 3.0 and today["penalty_points_per_order"] == 0
    # half the buyers claim: the claimers are paid, the same ones under both readings
    # (no ladder, so that the articles' points close no shop and both place the same orders)
    half = both(out_of_stock("on_complaint", 100, 0.5, rules_as="today"))
    half_articles = both(out_of_stock("on_complaint", 100, 0.5, penalty_ladder={}))
    assert 5.0 < half["compensation_per_order"] < 25.0
    assert half["compensation_per_order"] == half_articles["compensation_per_order"]
    assert half_articles["penalty_points_per_order"] == pytest.approx(
        3.0 * half_articles["compensation_per_order"] / 30.0
    )


@pytest.mark.parametrize(
    ("preset", "rules_as", "price", "comp"),
    [
        ("tmall", "articles", 10.0, 3.0),  # 30% of 10, no minimum
        ("tmall", "today", 10.0, 5.0),  # today's minimum 5
        ("tmall", "today", 2000.0, 500.0),  # 30% = 600, capped at 500
        ("taobao", "today", 10.0, 3.0),  # Taobao's minimum not confirmed: none
    ],
)
def test_out_of_stock_minimum(preset, rules_as, price, comp):
    data = out_of_stock("proactive", price, 0.0, preset=preset, rules_as=rules_as)
    assert both(data)["compensation_per_order"] == pytest.approx(comp)


@pytest.mark.parametrize(
    ("preset", "rules_as", "price", "comp"),
    [
        ("tmall", "articles", 100.0, 5.0),  # 5% of 100 within [1, 30]
        ("tmall", "today", 100.0, 30.0),  # 30% of 100 within [5, 500]
        ("tmall", "today", 10.0, 5.0),  # 3, raised to the minimum 5
        ("tmall", "today", 2000.0, 500.0),  # 600, capped at 500
        ("taobao", "today", 40.0, 5.0),  # 5% = 2, raised to today's minimum 5
        ("taobao", "articles", 40.0, 2.0),  # 5% = 2 within [1, 30]
    ],
)
def test_late_shipment_terms(preset, rules_as, price, comp):
    data = deterministic(
        platform={"preset": preset, "rules_as": rules_as},
        shop={"price": fixed(price), "ship_hours": fixed(60)},  # promised 48: every one late
        strategies=[{"name": "s", "policy": {"late_shipment": "proactive"}}],
    )
    assert both(data)["compensation_per_order"] == pytest.approx(comp)


# --------------------------------------------------- ratings or complaints ----


@pytest.mark.parametrize(
    ("changes", "ratings"),
    [
        ({"pays_unprompted": 1.0, "pay_hours": fixed(5)}, 1.0),  # received the goods
        ({"pays_unprompted": 0.0}, 0.0),  # never paid: no rating, but a complaint today
    ],
)
def test_annoyance_is_a_rating_or_a_complaint(changes, ratings):
    def shop(**platform) -> dict:
        data = deterministic(
            segments=seg(annoyance={"sms": 1.0}, **{"response": {}, **changes}),
            strategies=[{"name": "s", "reminders": [{"at": 1, "channel": "sms"}]}],
        )
        data["platform"].update(platform)
        return data

    articles, today = both(shop()), both(shop(rules_as="today"))
    assert articles["low_ratings_per_order"] == pytest.approx(ratings)
    assert articles["harassment_complaints_per_order"] == 0.0
    assert today["low_ratings_per_order"] == 0.0
    assert today["harassment_complaints_per_order"] == 1.0  # every annoyed buyer complains


# ------------------------------------------ defences against malicious orders ----


def attackers(policy: dict, **segment) -> dict:
    """Malicious buyers who place 10 orders at once, never pay, and come back every 30 hours
    (returns with chance 1) within a 3-day window; the seller reports (24 h auto-close)."""
    buyers = {"pays_unprompted": 0.0, "malicious": True, "orders_per_buyer": 10, "returns": 1.0}
    buyers.update(return_days=fixed(1.25), response={}, **segment)
    data = deterministic(segments=seg(**buyers), strategies=[{"name": "s", "policy": policy}])
    data["scenario"]["arrival_days"] = 3
    data["arrivals"]["orders_per_day"] = 50
    return data


@pytest.mark.parametrize("engine", ["auto", "simpy"])
def test_a_purchase_limit_lets_a_buyer_hold_that_many_unpaid_orders(engine):
    free = kpis(attackers({}), engine=engine)
    limited = kpis(attackers({"purchase_limit": 2}), engine=engine)
    # each visit places 2 of its 10 (the earlier ones close after 24 h, before the return at 30)
    assert free["orders"] % 10 == 0 and free["orders"] > 50
    assert limited["orders"] == free["orders"] / 5
    assert limited["blocked_rate"] == 4.0  # 8 refused per 2 placed


@pytest.mark.parametrize("engine", ["auto", "simpy"])
def test_a_new_account_escapes_the_blacklist(engine):
    free = kpis(attackers({}), engine=engine)["orders"]
    first_visits = kpis(attackers({}, returns=0.0), engine=engine)["orders"]
    listed = kpis(attackers({"blacklist_after": 1}), engine=engine)["orders"]
    assert listed == first_visits < free  # every return of a listed buyer is refused
    switching = attackers({"blacklist_after": 1}, new_account_share=1.0)
    assert kpis(switching, engine=engine)["orders"] == free  # every visit a new account
    half = kpis(attackers({"blacklist_after": 1}, new_account_share=0.5), engine=engine)
    assert first_visits < half["orders"] < free


def test_a_strategy_takes_stock_at_payment_as_the_listing_setting_would():
    def stock(reserve_on: str, policy: dict) -> dict:
        data = deterministic(
            segments=seg(pays_unprompted=0.5, cancels=1.0, cancel_hours=fixed(6)),
            strategies=[{"name": "s", "policy": policy}],
        )
        data["inventory"] = {"units": 30, "restock_units": 20, "restock_hours": 12,
                             "reserve_on": reserve_on}  # fmt: skip
        return data

    by_listing = kpis(stock("payment", {}), engine="simpy")
    by_strategy = kpis(stock("order", {"reserve_stock_on": "payment"}), engine="simpy")
    on_order = kpis(stock("order", {}), engine="simpy")
    assert by_listing == by_strategy
    assert on_order["lost_sales_rate"] > 0 and by_strategy["lost_sales_rate"] == 0.0
    assert by_strategy["refunded_rate"] > 0  # paid orders that found the shelf empty


# ------------------------------------------------------------- phone access ----


def calls(callable_share: float, *steps: dict) -> dict:
    """Nobody pays unprompted or answers; a phone call at 1 h (agents all day, plenty)."""
    data = deterministic(
        segments=seg(pays_unprompted=0.0, response={}),
        staff={"agents": 50, "on_duty": [0, 24], "phone_minutes": fixed(3)},
        strategies=[{"name": "s", "reminders": [{"at": 1, "channel": "phone"}, *steps]}],
    )
    data["channels"] = {"phone_callable": callable_share}
    return data


@pytest.mark.parametrize("engine", ["auto", "simpy"])
def test_a_buyer_who_cannot_be_called_is_not_called(engine):
    nobody = kpis(calls(0.0), engine=engine)
    assert nobody["reminders_per_order"] == 0.0 and nobody["reminder_cost_per_order"] == 0.0
    everyone = kpis(calls(1.0), engine=engine)
    assert everyone["reminders_per_order"] == 1.0
    # 3 agent minutes at 25 yuan an hour per call
    assert everyone["reminder_cost_per_order"] == pytest.approx(3 / 60 * 25)
    # an SMS to every buyer the call did not reach: exactly the ones who cannot be called
    fallback = {"at": 2, "channel": "sms", "only_if": {"not_reached_by": 0}}
    some = kpis(calls(0.4, fallback), engine=engine)
    assert some["reminders_per_order"] == 1.0
    called = (some["reminder_cost_per_order"] - 0.05) / (3 / 60 * 25 - 0.05)
    assert abs(called - 0.4) < 0.05  # ~200 orders, each callable with chance 0.4
    assert kpis(calls(0.4, fallback), engine="simpy") == some


def test_a_segment_sets_its_own_phone_access():
    data = calls(1.0)
    data["segments"][0]["phone_callable"] = 0.0
    assert kpis(data)["reminders_per_order"] == 0.0


# ------------------------------------------------------------- opting out ----


def texts(opts_out: float, response: float = 0.0, reorders: float = 0.0) -> dict:
    """Nobody pays unprompted; an SMS at 1 h and one at 2 h; the order closes at 24 h."""
    steps = [{"at": 1, "channel": "sms"}, {"at": 2, "channel": "sms"}]
    return deterministic(
        segments=seg(
            pays_unprompted=0.0,
            response={"sms": response},
            opts_out={"sms": opts_out},
            reorders=reorders,
            reorder_hours=fixed(1),
        ),
        strategies=[{"name": "s", "reminders": steps}],
    )


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_a_buyer_who_opts_out_is_not_reached_again(engine):
    everyone = kpis(texts(1.0, response=1.0), engine=engine)
    # the first text reaches, wins and opts the buyer out; both texts are sent
    assert everyone["opted_out_rate"] == 1.0 and everyone["paid_rate"] == 1.0
    assert everyone["reminders_per_order"] == 1.0  # paid at 2 h: the second text finds it paid
    # nobody answers: the second text is sent but reaches nobody who opted out at the first
    half = kpis(texts(0.5), engine=engine)
    assert half["reminders_per_order"] == 2.0
    assert 0.4 < half["opted_out_rate"] < 0.85  # 1 - 0.5 * 0.5 = 0.75 expected
    assert kpis(texts(0.0), engine=engine)["opted_out_rate"] == 0.0


def test_a_buyer_who_opted_out_does_not_reorder():
    calm = kpis(texts(0.0, reorders=0.5))
    gone = kpis(texts(1.0, reorders=0.5))
    first = kpis(texts(1.0))["orders"]
    assert gone["orders"] == first < calm["orders"]


# --------------------------------------------------- AliExpress after-sales ----


def lost_disputes(causes: dict | None = None, **platform) -> dict:
    """Every delivered order is disputed and the buyer wins (paid 100, goods cost 60, outbound
    freight 8 on a free-shipping listing)."""
    quality = {"seller_wins_dispute": 0.0}
    if causes is not None:
        quality["dispute_causes"] = causes
    data = deterministic(segments=seg(disputes=1.0), quality=quality)
    data["platform"].update(platform)
    return data


@pytest.mark.parametrize(
    ("causes", "platform", "net"),
    [
        (None, {}, -16.0),  # refund 100, goods back at 8 freight: -8 out, -8 back
        (None, {"fully_managed": True}, 32.0),  # the platform bears it: 100 - 60 - 8
        ({"logistics": 1.0}, {"platform_logistics": True}, 32.0),  # its own carrier lost it
        ({"quality": 1.0}, {"platform_logistics": True}, -16.0),  # not a logistics dispute
        (None, {"partial_refund_share": 0.3}, 2.0),  # 100 - 30 refunded - 60 kept - 8 out
    ],
)
def test_who_bears_a_lost_dispute(causes, platform, net):
    k = both(lost_disputes(causes, **platform))
    assert k["refunded_rate"] == 1.0 and k["disputed_rate"] == 1.0
    assert k["net_profit_per_order"] == pytest.approx(net)


def test_platform_logistics_bears_its_share_of_the_disputes():
    causes = {"logistics": 0.5, "quality": 0.5}
    k = both(lost_disputes(causes, platform_logistics=True))
    # each order's cause is drawn: about half are the platform's (32), half the seller's (-16)
    borne = (k["net_profit_per_order"] + 16.0) / 48.0
    assert 0.35 < borne < 0.65

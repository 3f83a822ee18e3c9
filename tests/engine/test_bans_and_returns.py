"""This round's rules that link orders over time, by hand on both engines: penalty-point bans,
re-orders, and the annoyed buyer who does not come back (split from test_round_rules.py)."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import build, deterministic, fixed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_properties import scenarios
from test_round_rules import kpis, seg

from fsm.table import compiled_table
from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate, simulate_plan

# ------------------------------------------------------------------- bans ----


def rivals(ladder: dict, **sections) -> dict:
    """Malicious buyers only; the seller closes each order at once and every buyer complains
    (3 points each), so the 4th order placed brings the shop to 12 points."""
    data = deterministic(
        segments=seg(pays_unprompted=0.0, malicious=True, complains=1.0, response={}),
        strategies=[{"name": "s", "policy": {"malicious": "close", "malicious_close_hours": 0}}],
        **sections,
    )
    data["platform"]["penalty_ladder"] = ladder
    return data


def placements(data: dict, engine: str = "auto"):
    rows: list[dict] = []
    acc = simulate(build(data), "s", 0, engine=engine, on_events=rows.append)
    table = compiled_table()
    time = np.concatenate([r["time"] for r in rows])
    trigger = np.concatenate([r["trigger"] for r in rows])
    return acc, np.sort(time[trigger == table.trigger_id["await_payment"]])


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_a_closed_shop_sells_no_more(engine):
    acc, placed = placements(rivals({"12": "closed"}), engine)
    k = acc.kpis()
    # the 4th complaint (at the 4th placement) closes the shop for the rest of the window
    assert k["orders"] == 4 and placed.size == 4
    would_be = 4 / (1 - k["banned_order_rate"])
    assert would_be == pytest.approx(round(would_be)) and would_be > 100  # ~200 a day
    assert k["penalty_points_per_order"] == 3.0
    assert k["ban_days"] == pytest.approx((24.0 - placed[3]) / 24.0)


def test_a_ban_of_half_a_day_then_selling_again():
    acc, placed = placements(rivals({"12": 0.5}))
    k = acc.kpis()
    start = placed[3]  # the 4th order's complaint
    assert acc.ban_intervals == [[start, start + 12.0]]
    assert not np.any((placed > start) & (placed < start + 12.0))
    assert np.sum(placed > start + 12.0) > 0  # selling again after the ban
    assert k["ban_days"] == pytest.approx((min(24.0, start + 12.0) - start) / 24.0)


def test_points_at_start_bring_the_next_rung_closer():
    data = rivals({"12": "closed", "24": "closed"}, platform={"points_at_start": 20})
    acc, _ = placements(data)
    # 12 is behind the shop; 24 comes with the 2nd complaint (20 + 3 + 3 = 26)
    assert acc.kpis()["orders"] == 2


def test_no_ladder_no_bans():
    k = kpis(rivals({}))
    assert k["banned_order_rate"] == 0.0 and k["ban_days"] == 0.0 and k["orders"] > 100


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios(agents=True), rung=st.integers(1, 9), days=st.floats(0.05, 1.0))
def test_a_banned_shop_places_no_order(data, rung, days):
    data["platform"].update(penalty_ladder={str(rung): days, str(3 * rung): "closed"})
    for segment in data["segments"]:
        segment["complains"] = max(segment["complains"], 0.5)
    data["strategies"][0]["policy"].update(malicious="close", stockout="on_complaint",
                                           late_shipment="on_complaint")  # fmt: skip
    rows: list[dict] = []
    acc = simulate_plan(compile_plan(build(data), "s"), 0, on_events=rows.append)
    k = acc.kpis()
    if not rows:
        return
    table = compiled_table()
    time = np.concatenate([r["time"] for r in rows])
    trigger = np.concatenate([r["trigger"] for r in rows])
    placed = time[trigger == table.trigger_id["await_payment"]]
    for start, end in acc.ban_intervals:
        assert not np.any((placed >= start) & (placed < end))
    if k["banned_order_rate"] > 0:
        assert acc.ban_intervals and k["ban_days"] > 0


# --------------------------------------------------------------- re-orders ----


def reorderers(pays: float, reorders: float, orders_per_day: float = 5000) -> dict:
    """Buyers who pay with chance ``pays`` or else cancel 2 h after placing, and re-order
    with chance ``reorders`` 3 h after the cancel."""
    return deterministic(
        arrivals={"orders_per_day": orders_per_day},
        segments=seg(
            pays_unprompted=pays,
            cancels=1.0,
            cancel_hours=fixed(2),
            reorders=reorders,
            reorder_hours=fixed(3),
            response={},
        ),
    )


def event_table(data: dict):
    rows: list[dict] = []
    acc = simulate(build(data), "s", 0, on_events=rows.append)
    cols = {key: np.concatenate([r[key] for r in rows]) for key in rows[0]}
    return acc.kpis(), cols


def test_a_reorder_comes_3_hours_after_the_cancel_and_may_be_reordered_again():
    k, ev = event_table(reorderers(pays=0.0, reorders=0.5))
    table = compiled_table()
    placed = ev["trigger"] == table.trigger_id["await_payment"]
    buyers = np.unique(ev["buyer"][placed])
    orders_per_buyer = placed.sum() / buyers.size
    # a geometric number of orders: 1 / (1 - 0.5) = 2 per buyer (sd of the mean ~ 0.02)
    assert orders_per_buyer == pytest.approx(2.0, abs=0.08)
    assert k["orders"] == placed.sum() and k["buyer_cancelled_rate"] == 1.0
    assert k["paid_rate"] == 0.0 and k["buyer_paid_rate"] == 0.0
    # each re-order is placed 5 h after the order before it (cancel at 2 h, re-order 3 h later)
    times = ev["time"][placed]
    by_buyer = np.lexsort((times, ev["buyer"][placed]))
    b, t = ev["buyer"][placed][by_buyer], times[by_buyer]
    again = b[1:] == b[:-1]
    np.testing.assert_allclose(np.diff(t)[again], 5.0)
    assert t.max() > 24.0  # re-orders go on after the one-day arrival window


def test_buyer_paid_rate_counts_each_buyer_once():
    k, _ = event_table(reorderers(pays=0.5, reorders=0.5))
    assert k["paid_rate"] == pytest.approx(0.5, abs=0.02)  # each order pays with chance 0.5
    # a buyer pays eventually with 0.5 + 0.5 x 0.5 x 0.5 + ... = 0.5 / (1 - 0.25) = 2/3
    assert k["buyer_paid_rate"] == pytest.approx(2 / 3, abs=0.03)


def test_no_reorder_after_the_seller_closed_the_order():
    data = reorderers(pays=0.0, reorders=1.0, orders_per_day=200)
    data["segments"][0].update(malicious=True, cancels=0.0)
    data["strategies"] = [{"name": "s", "policy": {"malicious": "close"}}]
    data["platform"]["penalty_ladder"] = {}
    k = kpis(data)
    assert k["seller_closed_rate"] == 1.0 and k["buyer_paid_rate"] == 0.0
    assert k["orders"] == simulate(build(reorderers(0.0, 0.0, 200)), "s", 0).kpis()["orders"]


def test_reorders_run_in_the_world_and_agree_across_its_modes():
    data = reorderers(pays=0.3, reorders=0.4, orders_per_day=300)
    step = {"at": 1, "channel": "sms"}
    data["strategies"] = [{"name": "s", "reminders": [step]}]
    data["segments"][0]["response"] = {"sms": 0.2}
    assert not compile_plan(build(data), "s").independent_orders
    a, b = kpis(data, engine="auto"), kpis(data, engine="simpy")
    assert a == b


# ------------------------------------------- annoyance that earns no rating ----


def comebacks(annoyance: float, returns: float) -> dict:
    """Nobody pays; one SMS at 1 h annoys with chance ``annoyance``; the order closes at 6 h;
    a buyer comes back 12 h after each visit with chance ``returns`` (within the day)."""
    data = deterministic(
        arrivals={"orders_per_day": 2000},
        segments=seg(
            pays_unprompted=0.0,
            response={},
            annoyance={"sms": annoyance},
            returns=returns,
            return_days=fixed(0.5),
        ),
        strategies=[{"name": "s", "reminders": [{"at": 1, "channel": "sms"}]}],
    )
    data["platform"]["unpaid_auto_close_hours"] = 6
    return data


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_an_annoyed_buyer_who_got_nothing_does_not_come_back(engine):
    first_visits = kpis(comebacks(annoyance=1.0, returns=0.0), engine=engine)["orders"]
    annoyed = kpis(comebacks(annoyance=1.0, returns=1.0), engine=engine)
    calm = kpis(comebacks(annoyance=0.0, returns=1.0), engine=engine)
    # every buyer was annoyed by the SMS and the order closed at 6 h, before the return at
    # 12 h: no return visit is placed, and nobody rates (nobody received anything)
    assert annoyed["orders"] == first_visits
    assert annoyed["low_ratings_per_order"] == 0.0
    # without annoyance, buyers placed in the first 12 h come back: about half as many again
    assert calm["orders"] / first_visits == pytest.approx(1.5, abs=0.05)

"""Daily caps on reminders (per buyer, per channel for the whole shop), against hand counts.

Caps make orders wait for each other's reminders, so a capped strategy runs in the SimPy world
whichever engine is asked for ("auto" picks it; "fast" refuses): both are checked.
"""

from __future__ import annotations

import pytest
from engine_scenarios import build, deterministic

from sim.engine.simulate import simulate

# every order is placed between 10:00 and 11:00 (one busy hour a day) and nobody pays unprompted
AT_TEN = [0.0] * 10 + [1.0] + [0.0] * 13
TWO_SMS = [{"at": 1, "channel": "sms"}, {"at": 2, "channel": "sms"}]


@pytest.fixture(params=["auto", "simpy"])
def engine(request) -> str:
    return request.param


def shop(days: int = 1, orders_per_buyer: int = 1, **strategy) -> dict:
    segment = {**deterministic()["segments"][0], "pays_unprompted": 0.0, "cancels": 0.0,
               "response": {"sms": 0.0, "phone": 0.0, "im": 0.0, "auto": 0.0},
               "orders_per_buyer": orders_per_buyer}  # fmt: skip
    return deterministic(
        scenario={"arrival_days": days},
        arrivals={"orders_per_day": 200, "hourly_weights": AT_TEN},
        segments=[segment],
        strategies=[{"name": "s", "reminders": TWO_SMS, **strategy}],
    )


def kpis(data: dict, engine: str) -> dict[str, float]:
    return simulate(build(data), "s", 0, engine=engine).kpis()


def test_one_reminder_per_buyer_per_day(engine):
    # both SMS fall on the day of placement (11:00 and 12:00): the second is skipped
    k = kpis(shop(max_per_buyer_per_day=1), engine)
    assert k["reminders_per_order"] == 1.0
    assert k["capped_reminders_per_order"] == 1.0
    assert k["reminder_cost_per_order"] == pytest.approx(0.05)
    uncapped = kpis(shop(max_per_buyer_per_day=2), engine)
    assert uncapped["reminders_per_order"] == 2.0 and uncapped["capped_reminders_per_order"] == 0


def test_the_buyer_cap_counts_every_order_of_the_buyer(engine):
    # a buyer places two orders at once: of the four SMS of the day only the first is sent
    k = kpis(shop(orders_per_buyer=2, max_per_buyer_per_day=1), engine)
    assert k["reminders_per_order"] == pytest.approx(0.5)
    assert k["capped_reminders_per_order"] == pytest.approx(1.5)


@pytest.mark.parametrize("days", [1, 2])
def test_a_shop_wide_daily_budget_per_channel(engine, days):
    # 10 SMS a day for the whole shop: the first 10 due each day are sent, the rest skipped
    data = shop(days=days)
    data["strategies"][0]["reminders"] = TWO_SMS[:1]
    data["channels"] = {"sms": {"max_per_day": 10}}
    k = kpis(data, engine)
    assert k["reminders_per_order"] * k["orders"] == pytest.approx(10 * days)
    assert k["capped_reminders_per_order"] * k["orders"] == pytest.approx(k["orders"] - 10 * days)


def test_a_budget_on_another_channel_caps_nothing(engine):
    data = shop()
    data["channels"] = {"phone": {"max_per_day": 1}}
    k = kpis(data, engine)
    assert k["reminders_per_order"] == 2.0 and k["capped_reminders_per_order"] == 0.0


def test_caps_do_not_run_on_the_numpy_fast_path():
    with pytest.raises(ValueError, match="daily caps"):
        kpis(shop(max_per_buyer_per_day=1), "fast")

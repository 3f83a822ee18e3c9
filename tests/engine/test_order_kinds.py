"""Order kinds and steps timed from the close, on shops where everything is certain, against
hand computations, on both engines; and a scenario without kinds is unchanged by them."""

from __future__ import annotations

import numpy as np
import pytest
from engine_scenarios import build, deterministic, fixed

from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate


@pytest.fixture(params=["fast", "simpy"])
def engine(request) -> str:
    return request.param


def kpis(data: dict, engine: str, strategy: str = "s") -> dict[str, float]:
    return simulate(build(data), strategy, 0, engine=engine).kpis()


def seg(**changes) -> list[dict]:
    return [{**deterministic()["segments"][0], **changes}]


ORDINARY = {"name": "ordinary", "share": 0.5}  # the platform's 24 h close, shop.price (100)
FLASH = {"name": "flash", "share": 0.5, "unpaid_auto_close_hours": 0.25, "price": fixed(50)}
WAITS = seg(pays_unprompted=0.0)  # nobody pays unless a reminder wins them


def shop(*steps: dict, kinds=(ORDINARY, FLASH), segments=WAITS, **sections) -> dict:
    strategies = [{"name": "s", "reminders": list(steps)}]
    return deterministic(order_kinds=list(kinds), segments=segments, strategies=strategies,
                         scenario={"arrival_days": 2}, **sections)  # fmt: skip


def test_each_kind_closes_and_is_priced_on_its_own(engine):
    # everyone pays 2 h after placing: ordinary orders (24 h) pay at 100, flash orders close at
    # 15 minutes; so the paid orders are exactly the ordinary ones
    k = kpis(shop(segments=seg(pays_unprompted=1.0)), engine)
    assert k["gmv_per_order"] == pytest.approx(100.0 * k["paid_rate"])
    assert k["auto_closed_rate"] == pytest.approx(1.0 - k["paid_rate"])
    n = k["orders"]
    assert abs(k["paid_rate"] - 0.5) < 4 * np.sqrt(0.25 / n)  # the kind's share, binomially
    # a flash order paid in 6 minutes pays the flash price
    everyone = kpis(shop(segments=seg(pays_unprompted=1.0, pay_hours=fixed(0.1))), engine)
    flash = 1.0 - k["paid_rate"]  # same draws: the same orders are flash orders
    assert everyone["paid_rate"] == 1.0
    assert everyone["gmv_per_order"] == pytest.approx(100.0 * (1 - flash) + 50.0 * flash)


def test_before_close_counts_back_from_each_orders_own_close(engine):
    # 12 minutes before the close: ordinary orders at 23.8 h, flash orders at 0.05 h; the
    # reminder wins everyone, who pays 6 minutes later
    step = {"before_close": 0.2, "channel": "sms"}
    k = kpis(shop(step, segments=seg(pays_unprompted=0.0, response_hours=fixed(0.1))), engine)
    assert k["paid_rate"] == 1.0 and k["reminders_per_order"] == 1.0
    flash = (100.0 - k["gmv_per_order"]) / 50.0  # price 100 or 50 tells the kinds apart
    assert 0.4 < flash < 0.6
    assert k["time_to_pay_hours"] == pytest.approx(23.9 * (1 - flash) + 0.15 * flash)


def test_a_step_at_a_fixed_hour_is_too_late_for_flash_orders(engine):
    k = kpis(shop({"at": 1, "channel": "sms"}), engine)  # response 1 h: pays at 2 h
    assert k["time_to_pay_hours"] == pytest.approx(2.0)
    assert k["gmv_per_order"] == pytest.approx(100.0 * k["paid_rate"])  # no flash order paid
    assert k["reminders_per_order"] == pytest.approx(k["paid_rate"])  # flash closed before


def test_only_if_kind_aims_a_step_at_some_kinds(engine):
    step = {"at": 0.1, "channel": "sms", "only_if": {"kind": "flash"}}
    k = kpis(shop(step, segments=seg(pays_unprompted=0.0, response_hours=fixed(0.05))), engine)
    assert k["gmv_per_order"] == pytest.approx(50.0 * k["paid_rate"])  # only flash orders paid
    assert k["reminders_per_order"] == pytest.approx(k["paid_rate"])
    assert k["time_to_pay_hours"] == pytest.approx(0.15)
    both = {**step, "only_if": {"kind": ["flash", "ordinary"]}}
    everyone = kpis(shop(both, segments=seg(pays_unprompted=0.0, response_hours=fixed(0.05))),
                    engine)  # fmt: skip
    assert everyone["paid_rate"] == 1.0


PRESALE = {"name": "presale", "share": 1.0, "closes_at": "2026-06-03T20:00:00"}  # hour 68


@pytest.mark.parametrize(("response", "paid"), [(0.5, 1.0), (2.0, 0.0)])
def test_a_fixed_close_for_presale_balances(engine, response, paid):
    # the reminder 1 h before the fixed close (hour 67) wins everyone; a buyer who needs 2 h
    # would pay after the close at hour 68
    step = {"before_close": 1, "channel": "sms"}
    segments = seg(pays_unprompted=0.0, response_hours=fixed(response))
    k = kpis(shop(step, kinds=[PRESALE], segments=segments), engine)
    assert k["paid_rate"] == paid and k["auto_closed_rate"] == 1.0 - paid
    assert k["reminders_per_order"] == 1.0


def test_before_close_is_never_before_placement():
    # a fixed close at hour 68: 60 h before it is hour 8, so later orders are reminded at once
    step = {"before_close": 60, "channel": "sms"}
    plan = compile_plan(build(shop(step, kinds=[PRESALE])), "s")
    placed = np.array([0.0, 7.5, 8.0, 30.0])
    close = plan.kinds.close(placed, np.zeros(4, dtype=np.int64))
    assert close.tolist() == [68.0] * 4
    assert plan.steps[0].times(placed, close).tolist() == [8.0, 8.0, 8.0, 30.0]


def test_without_kinds_or_with_one_plain_kind_the_numbers_are_the_same(engine):
    data = deterministic(
        segments=seg(pays_unprompted=0.5, pay_hours={"dist": "exponential", "mean": 10}),
        strategies=[{"name": "s", "reminders": [{"at": 20, "channel": "sms"}]}],
    )
    data["shop"]["price"] = {"dist": "lognormal", "median": 100, "sigma": 0.5}
    plain = {**data, "order_kinds": [{"name": "ordinary", "share": 1.0}]}
    assert kpis(plain, engine) == kpis(data, engine)

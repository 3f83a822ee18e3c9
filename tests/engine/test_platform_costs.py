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

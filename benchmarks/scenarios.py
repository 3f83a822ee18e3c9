"""The two benchmark scenarios, built at a requested size.

(a) the closed-form reminder case (``sim.cases``, shared with the engine tests): one segment
    pays unprompted with p=0.6 after Exp(mean 20 h), else one automatic reminder at 30 h wins
    with 0.3 and pays after Exp(mean 5 h); auto-close at 72 h. Paid rate 0.70850.
(b) the reference scenario, docs/reference.toml (every key of the format).
(c) the agent case: 80 phone agents, 100k orders a day, most buyers paying within the hour
    (``agents_case``; ``bare_agents.py`` is the same model as a bare heapq loop).
(d) the staffed case: (c) with calls long enough to keep the agents about 80% busy, so calls do
    wait (``staffed_case``; the same bare loop with the longer calls).
(e) the night-shift queue: 2 agents 09:00-24:00, calls asked at any hour wait overnight
    (``night_case``; ``ciw_queue.py`` is the same queue in Ciw).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from sim.cases import (
    CLOSED_FORM_DAYS,
    CLOSED_FORM_PAID_RATE,
    CLOSED_FORM_STRATEGY,
    closed_form,
)

__all__ = [
    "AGENTS_STRATEGY",
    "CLOSED_FORM_PAID_RATE",
    "CLOSED_FORM_STRATEGY",
    "REFERENCE_PATH",
    "agents_case",
    "agents_scenario",
    "closed_form",
    "closed_form_scenario",
    "night_case",
    "queue_scenario",
    "reference_scenario",
    "reference_strategies",
    "staffed_case",
]

DAYS = CLOSED_FORM_DAYS
REFERENCE_PATH = Path(
    os.environ.get("ORDERSIM_REFERENCE", Path(__file__).parents[1] / "docs" / "reference.toml")
)


def closed_form_scenario(orders: int, replications: int = 1) -> Any:
    """Case (a) with ``orders`` expected orders over 7 days (flat Poisson arrivals)."""
    from sim.scenario.load import scenario_from_dict

    data = closed_form(orders_per_day=orders / DAYS)
    data["scenario"]["replications"] = replications
    return scenario_from_dict(data, "<benchmark case (a)>")


# case (c): the numbers the bare loop (bare_agents.py) copies
AGENTS_STRATEGY = "phone-at-1h"
AGENTS = 80
AGENT_ORDERS_PER_DAY = 100_000
AGENT_CASE = {
    "pays_unprompted": 0.85,
    "pay_median_hours": 0.2,  # lognormal: about 98% of those who pay on their own do so in 1 h
    "pay_sigma": 0.8,
    "remind_at_hours": 1.0,
    "call_minutes": 3.0,
    "response": 0.4,
    "response_mean_hours": 2.0,
    "auto_close_hours": 24.0,
}


def agents_case(orders: float = 7 * AGENT_ORDERS_PER_DAY) -> dict:
    """Case (c) as plain data: ``orders`` expected orders at 100k a day (the agents' load is the
    case's whatever the size; a smaller run covers fewer days).

    One segment pays unprompted with 0.85 after a lognormal delay (median 0.2 h, sigma 0.8);
    an order unpaid at 1 h gets a phone call from one of 80 agents on duty all day (3 minutes,
    first come first served; a call whose order was paid meanwhile is skipped), which always
    reaches the buyer and wins with 0.4, who then pays after Exp(mean 2 h); auto-close at 24 h.
    """
    c = AGENT_CASE
    return {
        "scenario": {
            "name": "agents",
            "seed": 11,
            "replications": 1,
            "arrival_days": orders / AGENT_ORDERS_PER_DAY,
        },
        "platform": {"unpaid_auto_close_hours": c["auto_close_hours"]},
        "shop": {"quiet_hours": []},  # the bare loop calls at any hour, as the agents here do
        "arrivals": {
            "orders_per_day": AGENT_ORDERS_PER_DAY,
            "hourly_weights": "flat",
            "weekday_weights": "flat",
        },
        "staff": {
            "agents": AGENTS,
            "on_duty": [0, 24],
            "phone_minutes": {"dist": "fixed", "value": c["call_minutes"]},
        },
        "channels": {"phone_reach": "always"},
        "segments": [
            {
                "name": "all",
                "share": 1.0,
                "pays_unprompted": c["pays_unprompted"],
                "cancels": 0.0,
                "pay_hours": {
                    "dist": "lognormal",
                    "median": c["pay_median_hours"],
                    "sigma": c["pay_sigma"],
                },
                "response": {"phone": c["response"]},
                "annoyance": {"phone": 0.03},
                "response_hours": {"dist": "exponential", "mean": c["response_mean_hours"]},
            }
        ],
        "strategies": [
            {
                "name": AGENTS_STRATEGY,
                "reminders": [{"at": c["remind_at_hours"], "channel": "phone"}],
            }
        ],
    }


def agents_scenario(orders: int) -> Any:
    """Case (c) with ``orders`` expected orders."""
    from sim.scenario.load import scenario_from_dict

    return scenario_from_dict(agents_case(orders), "<benchmark case (c)>")


# case (d): case (c) with longer calls: the 80 agents are about 80% busy and calls do wait
STAFFED_CALL_MINUTES = 5.5


def staffed_case(orders: float = 7 * AGENT_ORDERS_PER_DAY) -> dict:
    """Case (d): case (c) with 5.5-minute calls (utilisation about 0.8, waits of a second)."""
    data = agents_case(orders)
    data["scenario"]["name"] = "staffed"
    data["staff"]["phone_minutes"]["value"] = STAFFED_CALL_MINUTES
    return data


# case (e): the numbers the Ciw model (ciw_queue.py) copies
NIGHT = {
    "agents": 2,
    "on_duty": (9.0, 24.0),
    "orders_per_day": 360,  # every order gets a call: 360 calls a day, 24 agent-hours of 30
    "call_minutes": 4.0,  # exponential
    "call_at_hours": 1.0,
    "auto_close_hours": 240.0,  # longer than any wait: no call is withdrawn
}


def night_case(orders: float = 100 * NIGHT["orders_per_day"]) -> dict:
    """Case (e): 2 agents on duty 09:00-24:00 and a phone call 1 h after every order (calls of
    exponential length, mean 4 minutes); nobody pays or cancels before it, so every order's call
    is made, after the night for orders of the night: an M/M/2 queue with a daily shift."""
    n = NIGHT
    data = agents_case(orders)
    data["scenario"].update(name="night", arrival_days=orders / n["orders_per_day"])
    data["platform"]["unpaid_auto_close_hours"] = n["auto_close_hours"]
    data["arrivals"]["orders_per_day"] = n["orders_per_day"]
    data["staff"] = {
        "agents": n["agents"],
        "on_duty": list(n["on_duty"]),
        "phone_minutes": {"dist": "exponential", "mean": n["call_minutes"]},
    }
    segment = data["segments"][0]
    segment.update(pays_unprompted=0.0, response={"phone": 0.0})
    data["strategies"][0]["reminders"][0]["at"] = n["call_at_hours"]
    return data


def queue_scenario(case: str, orders: int) -> Any:
    """Case (d) or (e) with ``orders`` expected orders."""
    from sim.scenario.load import scenario_from_dict

    data = staffed_case(orders) if case == "d" else night_case(orders)
    return scenario_from_dict(data, f"<benchmark case ({case})>")


def _reference_data() -> dict:
    with open(REFERENCE_PATH, "rb") as handle:
        data = tomllib.load(handle)
    # The spec file's shares sum to 0.32. Shares are relative weights of orders (the engine
    # normalises the buyer mix; some loader versions rejected the file, later ones warn), so
    # rescaling them to sum 1 keeps the same mix and makes the file valid under either.
    total = sum(seg["share"] for seg in data["segments"])
    for seg in data["segments"]:
        seg["share"] = seg["share"] / total
    return data


def reference_scenario(orders: int) -> Any:
    """Scenario (b) with its arrival rate scaled so that ``orders`` orders are expected.

    The expected count comes from the compiled plan (hour and weekday profiles, buyers who
    place several orders); the benchmark reports the measured "orders" KPI as well.
    """
    from sim.engine.plan import compile_plan
    from sim.scenario.load import scenario_from_dict

    data = _reference_data()
    data["scenario"]["replications"] = 1
    probe_rate = 1000.0
    data["arrivals"]["orders_per_day"] = probe_rate
    probe = scenario_from_dict(data, str(REFERENCE_PATH))
    expected = _expected_orders(compile_plan(probe, probe.strategies[0].name))
    data["arrivals"]["orders_per_day"] = probe_rate * orders / expected
    return scenario_from_dict(data, str(REFERENCE_PATH))


def _expected_orders(plan: Any) -> float:
    buyers = float(plan.buyers_per_hour.sum())
    buyer_mix = plan.share / plan.orders_per_buyer
    orders_per_buyer = float((buyer_mix * plan.orders_per_buyer).sum() / buyer_mix.sum())
    return buyers * orders_per_buyer


def reference_strategies() -> list[str]:
    return [s["name"] for s in _reference_data()["strategies"]]

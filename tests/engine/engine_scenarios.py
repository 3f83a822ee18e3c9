"""Small scenario builders shared by the engine tests (plain dicts, validated by the models)."""

from __future__ import annotations

import copy
from typing import Any

from sim.cases import closed_form  # one definition for the tests and the benchmarks
from sim.scenario.models import Scenario

__all__ = ["ALIEXPRESS_NUMBERS", "build", "closed_form", "deep_update"]

# the numbers the aliexpress preset leaves unset (the seller articles do not give them), as a
# scenario that uses them must give them
ALIEXPRESS_NUMBERS = {
    "stockout_compensation_rate": 0.2,
    "stockout_compensation_cap": 50,
    "late_shipment_rate": 0.1,
    "late_shipment_min": 2,
    "late_shipment_max": 20,
    "intervention_penalty_points": 2,
    "auto_confirm_days": 15,
}


def deep_update(base: dict, changes: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_update(out[key], value)
        else:
            out[key] = value
    return out


def build(data: dict[str, Any]) -> Scenario:
    return Scenario.model_validate(data)


def fixed(value: float) -> dict:
    return {"dist": "fixed", "value": value}


def deterministic(**sections: Any) -> dict:
    """A shop where everything is certain: price 100, every buyer pays 2 h after placing, ships
    after 10 h (promised 48), delivered 20 h later, nobody refuses or disputes. Tests change one
    rule at a time and compare with a hand computation."""
    base = {
        "scenario": {"name": "hand", "seed": 1, "replications": 1, "arrival_days": 1},
        "platform": {"preset": "taobao"},
        "arrivals": {"orders_per_day": 200, "hourly_weights": "flat", "weekday_weights": "flat"},
        "shop": {
            "price": fixed(100),
            "unit_cost_share": 0.6,
            "stockout_probability": 0.0,
            "promised_ship_hours": 48,
            "ship_hours": fixed(10),
            "delivery_hours": fixed(20),
            "freight": 8,
            "free_shipping": True,
            "freight_insurance": False,
            "sms_cost": 0.05,
            "agent_cost_per_hour": 25,
            "quiet_hours": [],  # reminders at any hour unless a test sets them
        },
        "quality": {"damage_or_wrong_item": 0.0, "seller_wins_dispute": 0.5},
        "segments": [
            {
                "name": "all",
                "share": 1.0,
                "pays_unprompted": 1.0,
                "pay_hours": fixed(2),
                "cancels": 0.0,
                "refuses_delivery": 0.0,
                "disputes": 0.0,
                "complains": 1.0,
                "accepts_alternative": 0.0,
                "response": {"phone": 1, "im": 1, "sms": 1, "auto": 1},
                "response_hours": fixed(1),
                "annoyance": {},
            }
        ],
        "strategies": [{"name": "s"}],
    }
    return deep_update(base, sections)

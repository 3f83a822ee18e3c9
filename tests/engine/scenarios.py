"""Small scenario builders shared by the engine tests (plain dicts, validated by the models)."""

from __future__ import annotations

import copy
from typing import Any

from sim.scenario.models import Scenario

__all__ = ["build", "closed_form", "deep_update"]


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


def closed_form(orders_per_day: float = 1000, days: float = 7, reminder: bool = True) -> dict:
    """The engine issue's closed form: p=0.6 pays after Exp(20 h); else an auto reminder at 30 h
    wins 0.3 and pays after Exp(5 h); auto-close at 72 h. Paid rate 0.58361 / 0.70850."""
    steps = [{"at": 30, "channel": "auto"}] if reminder else []
    return {
        "scenario": {"name": "closed-form", "seed": 7, "replications": 20, "arrival_days": days},
        "platform": {"unpaid_auto_close_hours": 72},
        "arrivals": {"orders_per_day": orders_per_day, "hourly_weights": "flat",
                     "weekday_weights": "flat"},
        "segments": [{
            "name": "all", "share": 1.0, "pays_unprompted": 0.6, "cancels": 0.0,
            "pay_hours": {"dist": "exponential", "mean": 20},
            "response": {"auto": 0.3}, "response_hours": {"dist": "exponential", "mean": 5},
        }],
        "strategies": [{"name": "auto-at-30", "reminders": steps}],
    }

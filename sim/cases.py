"""The closed-form reminder case, as plain data: one definition for the tests and benchmarks.

One segment pays unprompted with p=0.6 after Exp(mean 20 h); an order still unpaid at 30 h gets
one automatic reminder, which wins the buyer with 0.3 (then the buyer pays after Exp(mean 5 h));
unpaid orders auto-close at 72 h. Paid rate, by hand:
0.6 (1 - e^-3.6) + (0.4 + 0.6 e^-3.6) x 0.3 (1 - e^-8.4) = 0.70850.
"""

from __future__ import annotations

__all__ = ["CLOSED_FORM_DAYS", "CLOSED_FORM_PAID_RATE", "CLOSED_FORM_STRATEGY", "closed_form"]

CLOSED_FORM_PAID_RATE = 0.70850
CLOSED_FORM_STRATEGY = "auto-at-30"
CLOSED_FORM_DAYS = 7.0


def closed_form(
    orders_per_day: float = 1000, days: float = CLOSED_FORM_DAYS, reminder: bool = True
) -> dict:
    """The case as a scenario dict (validate it with ``Scenario.model_validate``)."""
    steps = [{"at": 30, "channel": "auto"}] if reminder else []
    return {
        "scenario": {"name": "closed-form", "seed": 7, "replications": 20, "arrival_days": days},
        "platform": {"unpaid_auto_close_hours": 72},
        "arrivals": {
            "orders_per_day": orders_per_day,
            "hourly_weights": "flat",
            "weekday_weights": "flat",
        },
        "segments": [
            {
                "name": "all",
                "share": 1.0,
                "pays_unprompted": 0.6,
                "cancels": 0.0,
                "pay_hours": {"dist": "exponential", "mean": 20},
                "response": {"auto": 0.3},
                "annoyance": {"auto": 0.0},
                "response_hours": {"dist": "exponential", "mean": 5},
            }
        ],
        "strategies": [{"name": CLOSED_FORM_STRATEGY, "reminders": steps}],
    }

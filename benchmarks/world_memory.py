"""Memory of the SimPy world per agent-bound open order: the slope of peak traced memory between
two runs in which every order waits open for its call (nobody pays; the call is due at 30 h).

Run: python -m benchmarks.world_memory
"""

from __future__ import annotations

import tracemalloc

from sim.engine.plan import compile_plan
from sim.engine.simulate import simulate_plan
from sim.scenario.load import scenario_from_dict


def peak(orders_per_day: float) -> float:
    """Peak traced bytes of one run in which all ``orders_per_day`` orders are open at 24 h."""
    data = {
        "scenario": {"name": "open", "seed": 1, "replications": 1, "arrival_days": 1},
        "platform": {"unpaid_auto_close_hours": 48},
        "arrivals": {
            "orders_per_day": orders_per_day,
            "hourly_weights": "flat",
            "weekday_weights": "flat",
        },
        "staff": {"agents": 5, "on_duty": [0, 24], "phone_minutes": {"dist": "fixed", "value": 1}},
        "segments": [
            {
                "name": "all",
                "share": 1.0,
                "pays_unprompted": 0.0,
                "cancels": 0.0,
                "response": {"phone": 0.5},
                "annoyance": {"phone": 0.03},
            }
        ],
        "strategies": [{"name": "call", "reminders": [{"at": 30, "channel": "phone"}]}],
    }
    plan = compile_plan(scenario_from_dict(data, "<open>"), "call")
    tracemalloc.start()
    simulate_plan(plan, 0)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def main(small: int = 20_000, large: int = 60_000) -> float:
    """Print and return the bytes per agent-bound open order."""
    a, b = peak(small), peak(large)
    per_order = (b - a) / (large - small)
    print(
        f"peak traced {a / 1e6:.1f} MB with {small:,} orders open at once, {b / 1e6:.1f} MB "
        f"with {large:,}: {per_order:,.0f} bytes per agent-bound open order"
    )
    return per_order


if __name__ == "__main__":
    main()

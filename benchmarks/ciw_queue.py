"""Case (e) in Ciw: the night-shift call queue alone, the yardstick of ordersim's queued agents.

Ciw (``pip install 'ordersim[bench]'``) simulates the queue and nothing else: calls arrive as a
Poisson stream of 360 a day (one per order of case (e)), last Exp(mean 4 minutes), and two
servers work 09:00-24:00 every day (a cyclic schedule; a call under way at 24:00 is finished).
ordersim simulates the same calls inside each order's whole life (placement, the phone step,
the call, the auto-close, fulfilment and accounting). Both report the mean wait of the calls
asked while orders arrive; they agree within noise, not to the digit (different draws).
"""

from __future__ import annotations

from dataclasses import dataclass

from .scenarios import NIGHT

__all__ = ["CiwResult", "ciw_night"]


@dataclass(frozen=True)
class CiwResult:
    calls: int  # calls asked while orders arrive (ordersim: one per order)
    served: int
    mean_wait_hours: float


def ciw_night(orders: int, seed: int = 1) -> CiwResult:
    """Simulate the calls of ``orders`` orders of case (e) in Ciw."""
    import ciw

    n = NIGHT
    hours = orders / n["orders_per_day"] * 24.0
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=n["orders_per_day"] / 24.0)],
        service_distributions=[ciw.dists.Exponential(rate=60.0 / n["call_minutes"])],
        number_of_servers=[
            ciw.Schedule(numbers_of_servers=[0, n["agents"]], shift_end_dates=list(n["on_duty"]))
        ],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(hours + 24.0)  # a day more: the last night's calls are made
    asked = [r for r in sim.get_all_records() if r.arrival_date < hours]
    waits = [r.waiting_time for r in asked]
    return CiwResult(len(asked), len(asked), sum(waits) / len(waits) if waits else 0.0)

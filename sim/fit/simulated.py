"""Per-order facts of a simulated scenario, read back from the run's event log.

The backtest simulates only the baseline strategy, with 20,000 to 50,000 orders per
replication: shares, delays and profiles of independent orders do not depend on the volume, so
orders_per_day is scaled to make the simulation's own noise small against the tolerances
without simulating years of a big shop many times over. For the same reason an export longer
than 8 weeks is simulated over its first 8 weeks; `check` then compares weekday rates, each
weighted by how often that weekday occurs in the export.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.scenario.load import scenario_from_dict
from sim.scenario.paths import scenario_input

__all__ = ["SimOrders", "simulate_orders"]

_TRIGGERS = ("await_payment", "pay", "ship", "deliver")
_MAX_DAYS = 56.0


@dataclass
class SimOrders:
    """One replication's orders: placement, pay, ship and delivery times (NaN if none)."""

    replication: int
    placed: np.ndarray
    pay: np.ndarray
    ship: np.ndarray
    deliver: np.ndarray
    start_weekday: int
    span_hours: float  # the arrival window simulated


def _scaled(sc, path: Path, min_orders: int, max_orders: int):
    data = dict(scenario_input(sc))
    base = next(s for s in data["strategies"] if s["name"] == sc.baseline)
    data["strategies"] = [base]
    data.pop("sweep", None)  # the scenario as it is, not its what-ifs
    data["scenario"] = {**data["scenario"], "baseline": sc.baseline}
    days = min(float(sc.scenario.arrival_days), _MAX_DAYS)
    if days < float(sc.scenario.arrival_days):
        data["scenario"]["arrival_days"] = days
    expected = float(sc.arrivals.orders_per_day) * days
    target = min(max(expected, min_orders), max_orders)
    if target != expected:
        arrivals = dict(data.get("arrivals", {}))
        arrivals["orders_per_day"] = float(sc.arrivals.orders_per_day) * target / expected
        data["arrivals"] = arrivals
    return scenario_from_dict(data, str(path))


def simulate_orders(
    scenario,
    path: Path,
    *,
    replications: int,
    seed: int | None,
    min_orders: int = 20_000,
    max_orders: int = 50_000,
) -> list[SimOrders]:
    """Run the baseline of ``scenario`` (loaded from ``path``); each replication's orders."""
    from sim.api import run

    scaled = _scaled(scenario, Path(path), min_orders, max_orders)
    with tempfile.TemporaryDirectory(prefix="ordersim-check-") as tmp:
        run(
            scaled,
            out=tmp,
            replications=replications,
            seed=seed,
            events=True,
            events_format="parquet",
            plots=False,
        )
        events = pd.read_parquet(
            Path(tmp) / "events.parquet",
            columns=["replication", "order_id", "time_hours", "trigger"],
        )
    rep = events["replication"].to_numpy()
    order = events["order_id"].to_numpy()
    time = events["time_hours"].to_numpy(dtype=float)
    trigger = events["trigger"].to_numpy()
    wd0 = scaled.scenario.start.weekday()
    out = []
    for r in np.unique(rep):
        mine = rep == r
        # re-orders have ids from 10**12 (engine): index orders by rank, not by id
        ids, index = np.unique(order[mine], return_inverse=True)
        kinds, at = trigger[mine], time[mine]
        times = {}
        for name in _TRIGGERS:
            column = np.full(ids.size, np.nan)
            m = kinds == name
            column[index[m]] = at[m]
            times[name] = column
        placed = ~np.isnan(times["await_payment"])  # orders refused at placement never start
        out.append(
            SimOrders(
                replication=int(r),
                placed=times["await_payment"][placed],
                pay=times["pay"][placed],
                ship=times["ship"][placed],
                deliver=times["deliver"][placed],
                start_weekday=wd0,
                span_hours=float(scaled.scenario.arrival_days) * 24.0,
            )
        )
    return out

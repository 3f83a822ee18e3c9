"""Per-order facts of a simulated scenario, read back from the run's event log.

The backtest simulates only the baseline strategy, with at least ``min_orders`` orders per
replication: shares, delays and profiles of independent orders do not depend on the volume, so
orders_per_day is scaled up to make the simulation's own noise small against the tolerances.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.scenario.load import load_scenario, scenario_from_dict
from sim.scenario.paths import scenario_input

__all__ = ["SimOrders", "simulate_orders"]

_TRIGGERS = ("await_payment", "pay", "ship", "deliver")


@dataclass
class SimOrders:
    """One replication's orders: placement, pay, ship and delivery times (NaN if none)."""

    replication: int
    placed: np.ndarray
    pay: np.ndarray
    ship: np.ndarray
    deliver: np.ndarray
    start_weekday: int


def _scaled(path: Path, min_orders: int):
    sc = load_scenario(path)
    data = dict(scenario_input(sc))
    base = next(s for s in data["strategies"] if s["name"] == sc.baseline)
    data["strategies"] = [base]
    data["scenario"] = {**data["scenario"], "baseline": sc.baseline}
    expected = float(sc.arrivals.orders_per_day) * float(sc.scenario.arrival_days)
    if expected < min_orders:
        arrivals = dict(data.get("arrivals", {}))
        arrivals["orders_per_day"] = float(sc.arrivals.orders_per_day) * min_orders / expected
        data["arrivals"] = arrivals
    return sc, scenario_from_dict(data, str(path))


def simulate_orders(
    path: Path, *, replications: int, seed: int | None, min_orders: int = 20_000
) -> tuple[object, list[SimOrders]]:
    """Run the baseline and return the scenario as written and each replication's orders."""
    from sim.api import run

    written, scaled = _scaled(Path(path), min_orders)
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
    events = events[events["trigger"].isin(_TRIGGERS)]
    wide = events.pivot_table(
        index=["replication", "order_id"], columns="trigger", values="time_hours", aggfunc="first"
    )
    for trigger in _TRIGGERS:
        if trigger not in wide.columns:
            wide[trigger] = np.nan
    wd0 = scaled.scenario.start.weekday()
    out = []
    for rep, part in wide.groupby(level="replication"):
        out.append(
            SimOrders(
                replication=int(rep),
                placed=part["await_payment"].to_numpy(float),
                pay=part["pay"].to_numpy(float),
                ship=part["ship"].to_numpy(float),
                deliver=part["deliver"].to_numpy(float),
                start_weekday=wd0,
            )
        )
    return written, out

"""`--select KPI`: run the KN selection on a run's candidates and describe it for summary.json.

The smallest difference worth acting on (`delta`, the indifference zone) defaults per KPI:
1 percentage point for rates, 0.5 yuan for money per order, 0.5 h for hours, 0.01 for counts
per order (0.001 for rare ones: low ratings, penalty points), 500 yuan for total net profit
and 10 for total counts. A difference smaller than delta is one the seller would not act on,
and the procedure spends no replications telling such candidates apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import UsageError
from .batches import UnitPool
from .plan import Candidate
from .results import KPI_DIRECTIONS, kpi_kind
from .selection import MIN_FIRST_STAGE, SELECTION_BATCH, kn_select, mcb_intervals

__all__ = ["DEFAULT_DELTAS", "PROCEDURE", "check_select", "default_delta", "run_selection"]

PROCEDURE = "KN (Kim and Nelson 2001, fully sequential, common random numbers)"
DEFAULT_DELTAS: dict[str, float] = {
    "rate": 0.01,
    "money": 0.5,
    "hours": 0.5,
    "count": 0.01,
    "low_ratings_per_order": 0.001,
    "harassment_complaints_per_order": 0.001,
    "harassment_reports_per_order": 0.001,
    "penalty_points_per_order": 0.001,
    "net_profit": 500.0,
    "paid_orders": 10.0,
    "orders": 10.0,
}


def default_delta(kpi: str) -> float:
    """The documented indifference zone of a KPI (see the module docstring)."""
    return DEFAULT_DELTAS.get(kpi, DEFAULT_DELTAS.get(kpi_kind(kpi), 0.01))


def check_select(kpi: str, delta: float | None, confidence: float) -> int:
    """The KPI's direction (+1 higher is better, -1 lower); UsageError for a bad request."""
    if kpi not in KPI_DIRECTIONS:
        known = ", ".join(k for k, d in KPI_DIRECTIONS.items() if d)
        raise UsageError(f"--select: unknown KPI (got {kpi!r}); use one of {known}")
    direction = KPI_DIRECTIONS[kpi]
    if direction == 0:
        raise UsageError(
            f"--select: {kpi} has no better direction (neither higher nor lower is better); "
            "choose a KPI such as net_profit_per_order or paid_rate"
        )
    if delta is not None and not delta > 0:
        raise UsageError(f"--delta: must be a positive number (got {delta})")
    if not 0.5 <= confidence < 1:
        raise UsageError(f"--confidence: must be at least 0.5 and below 1 (got {confidence})")
    return direction


def run_selection(
    pool: UnitPool,
    candidates: Sequence[Candidate],
    kpi: str,
    *,
    first_stage: int,
    delta: float | None,
    confidence: float,
    max_replications: int,
) -> dict:
    """Select the best candidate by `kpi`; returns summary["selection"]."""
    direction = check_select(kpi, delta, confidence)
    delta = default_delta(kpi) if delta is None else float(delta)
    n0 = max(first_stage, MIN_FIRST_STAGE)
    by_key = {c.key: c for c in candidates}

    def draw(keys: Sequence[str], start: int, stop: int) -> Mapping[str, list[float]]:
        pool.extend([by_key[k] for k in keys], stop, start)
        return {k: pool.values(by_key[k], kpi, start, stop) for k in keys}

    picked = kn_select(
        list(by_key),
        draw,
        n0=n0,
        delta=delta,
        confidence=confidence,
        direction=direction,
        batch=SELECTION_BATCH,
        max_replications=max(max_replications, n0),
    )
    common = {k: v[:n0] for k, v in picked.values.items()}
    return {
        "best": picked.best,
        "kpi": kpi,
        "delta": delta,
        "confidence": confidence,
        "procedure": PROCEDURE,
        "better": "higher" if direction > 0 else "lower",
        "first_stage": n0,
        "batch": SELECTION_BATCH,
        "stopped_by": picked.stopped_by,
        "replications": picked.replications,
        "eliminated": picked.eliminated,
        "survivors": picked.survivors,
        "mcb": mcb_intervals(common, confidence, direction),
    }

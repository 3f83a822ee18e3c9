"""The choose step of a run: how many replications a selection or a precision target asks for.

A plain run stops at the scenario's replications; ``--select`` (the KN procedure) and
``--target-half-width`` add replications of some candidates in batches, on the same common
random numbers, until one candidate is left or every comparison is as precise as asked.
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from .batches import UnitPool
from .plan import Candidate

__all__ = ["CONFIDENCE", "MAX_REPLICATIONS", "check_choice", "choose"]

CONFIDENCE = 0.95  # of every printed interval; --confidence is the selection's alone
MAX_REPLICATIONS = 200  # per candidate, for --select and --target-half-width


def choose(
    pool: UnitPool,
    candidates: list[Candidate],
    baseline: str,
    reps: int,
    select: str | None,
    delta: float | None,
    confidence: float,
    targets: dict[str, float],
    max_replications: int,
) -> dict[str, Any]:
    """Run the replications a precision target or a selection asks for; returns their
    summary entries (`precision`, `selection`)."""
    from .choose import run_selection  # scipy: only when running
    from .precision import reach_precision

    extras: dict[str, Any] = {}
    if targets:
        extras["precision"] = reach_precision(
            _comparison_pairs(candidates, baseline),
            targets,
            start=reps,
            values=lambda c, kpi, n: pool.values(c, kpi, 0, n),
            extend=lambda n: pool.extend(candidates, n),
            confidence=CONFIDENCE,
            max_replications=max(max_replications, reps),
        )
    if select is not None:
        extras["selection"] = run_selection(
            pool,
            candidates,
            select,
            first_stage=min(pool.replications(c) for c in candidates),
            delta=delta,
            confidence=confidence,
            max_replications=max_replications,
        )
    return extras


def check_choice(
    select: str | None,
    delta: float | None,
    confidence: float,
    targets: dict[str, float] | None,
    max_replications: int,
) -> dict[str, float]:
    """Every choice option checked before anything runs; returns the precision targets."""
    from .choose import check_select

    if select is not None:
        check_select(select, delta, confidence)
    elif delta is not None:
        raise UsageError("--delta: only with --select (it is the selection's indifference zone)")
    if not 0.5 <= confidence < 1:
        raise UsageError(f"--confidence: must be at least 0.5 and below 1 (got {confidence})")
    return _check_targets(targets, max_replications)


def _check_targets(targets: dict[str, float] | None, max_replications: int) -> dict[str, float]:
    """The precision targets, checked: known KPIs, positive half-widths."""
    from .results import KPI_DIRECTIONS

    if max_replications < 2:
        raise UsageError(f"--max-replications: must be at least 2 (got {max_replications})")
    problems = []
    for kpi, width in (targets or {}).items():
        if kpi not in KPI_DIRECTIONS:
            problems.append(f"--target-half-width: unknown KPI (got {kpi!r})")
        elif not (isinstance(width, (int, float)) and width > 0):
            problems.append(f"--target-half-width: {kpi}: must be a positive number (got {width})")
    if problems:
        raise UsageError("\n".join(problems))
    return {k: float(v) for k, v in (targets or {}).items()}


def _comparison_pairs(
    candidates: list[Candidate], baseline: str
) -> dict[str, tuple[Candidate, Candidate | None]]:
    """Each non-baseline candidate with the baseline it is compared with; when there is none,
    the candidates themselves (their own intervals are the ones to narrow)."""
    bases = {c.sweep_value: c for c in candidates if c.strategy == baseline}
    pairs = {
        c.key: (c, bases.get(c.sweep_value, bases.get(None)))
        for c in candidates
        if c.strategy != baseline
    }
    return pairs or {c.key: (c, None) for c in candidates}

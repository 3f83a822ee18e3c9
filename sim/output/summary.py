"""summary.json and replications.csv: the machine-readable results of a run.

summary.json carries the intervals and comparisons (docs/kpis.md defines each KPI);
replications.csv carries the raw per-replication KPIs, so an analyst can recompute anything
without rerunning.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.experiment.results import (
    DERIVED_KPIS,
    KPI_NAMES,
    UnitResult,
    sweep_label,
    with_derived,
)
from sim.output.atomic import atomic_open, atomic_write_text
from sim.output.cells import safe_frame

__all__ = ["replications_frame", "write_replications_csv", "write_summary"]


def write_summary(path: str | os.PathLike[str], summary: dict) -> Path:
    """Write the summary as indented JSON; refuses NaN/inf so the file is strict JSON."""
    text = json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return atomic_write_text(path, text)


def replications_frame(units: Sequence[UnitResult]) -> pd.DataFrame:
    """One row per unit: strategy, replication, [sweep_value,] every KPI, then derived ones."""
    has_sweep = any(u.sweep_value is not None for u in units)
    extra = sorted({k for u in units for k in u.kpis} - set(KPI_NAMES) - set(DERIVED_KPIS))
    kpis = [*KPI_NAMES, *extra, *DERIVED_KPIS]
    id_columns = ["strategy", "replication", *(["sweep_value"] if has_sweep else [])]
    rows = []
    for unit in units:
        values = with_derived(unit.kpis)
        row: dict[str, object] = {"strategy": unit.strategy, "replication": unit.replication}
        if has_sweep:  # a grid point reads "2,400", as in the summary's keys
            value = unit.sweep_value
            row["sweep_value"] = sweep_label(value) if isinstance(value, tuple) else value
        row.update({k: values.get(k, float("nan")) for k in kpis})
        rows.append(row)
    return pd.DataFrame(rows, columns=[*id_columns, *kpis])


def write_replications_csv(path: str | os.PathLike[str], units: Sequence[UnitResult]) -> Path:
    """Write `replications_frame(units)` as CSV (missing values left empty; text cells a
    spreadsheet would run as formulas are quoted, see `sim.output.cells`)."""
    frame = safe_frame(replications_frame(units))
    with atomic_open(path, "w", newline="") as handle:
        frame.to_csv(handle, index=False, lineterminator="\n")
    return Path(path)

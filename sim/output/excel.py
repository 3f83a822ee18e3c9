"""results.xlsx (`--excel`): the summary, the differences and the replications as sheets.

A CSV opened by double-click in Excel on a Chinese Windows is read in the system's code page,
so Chinese names turn to mojibake; an .xlsx carries its text as Unicode. Every text cell goes
through `sim.output.cells.safe_cell`, as the CSVs do, so a strategy named "=..." is shown,
never run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from sim.experiment.results import UnitResult
from sim.output.atomic import atomic_open
from sim.output.cells import safe_frame
from sim.output.frames import summary_frame
from sim.output.summary import replications_frame

__all__ = ["SHEETS", "write_excel"]

SHEETS = ("summary", "differences", "replications")


def write_excel(
    path: str | os.PathLike[str], summary: Mapping, units: Sequence[UnitResult]
) -> Path:
    """Write the workbook atomically; returns its path."""
    import pandas as pd

    tidy = summary_frame(summary)
    differences = tidy.dropna(subset=["diff"])[
        ["strategy", "kpi", "diff", "diff_ci_low", "diff_ci_high", "significant"]
    ]
    sheets = {
        "summary": tidy[["strategy", "kpi", "mean", "ci_low", "ci_high", "n"]],
        "differences": differences,
        "replications": replications_frame(units),
    }
    with atomic_open(path, "wb") as handle, pd.ExcelWriter(handle, engine="openpyxl") as book:
        for name in SHEETS:
            safe_frame(sheets[name]).to_excel(book, sheet_name=name, index=False)
    return Path(path)

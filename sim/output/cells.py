"""Text cells made safe for spreadsheets: the one place CSV (and any xlsx) output goes through.

A spreadsheet that opens a CSV runs a cell starting with ``=``, ``+``, ``-`` or ``@`` as a
formula, and tab or carriage return can smuggle one in (OWASP "CSV injection"). Strategy,
segment and sweep names come from a scenario file someone else may have written, so every text
cell that starts with one of those characters gets a leading single quote, as OWASP
recommends: the spreadsheet shows the text and runs nothing. Numbers are written as numbers
(a negative KPI stays -0.5, not '-0.5); only text is touched.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_frame"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` with a single quote in front when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are `safe_cell`-ed (numeric columns untouched)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(safe_cell)
    return out

"""The check table at 80 columns, as a seller's terminal shows it: every number whole (a wide
interval or a noise limit wraps inside its cell, nothing is cut to '…'), each row in one unit."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from sim.fit.check import Row
from sim.fit.table import check_table
from sim.output.i18n import get_lang

ROWS = [
    Row("paid share", "share", 1.0, 0.0, 1.0, 0.0, "±1 point", True),
    Row("pay delay Q1", "hours", 0.2, 0.042, 17 / 60, 7.69, "within 25%", True),
    Row("pay delay median", "hours", 17 / 60, 6.67, 17 / 60, 7.69, "within 25%", True),
    Row("weekday profile TV", "tv", None, None, 0.666, None, "<= 0.832 noise", True),
    Row("ship median", "hours", 39.8, 18.3, 4.9, 2.06, "within 25%", False),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_cell_is_cut_at_80_columns(lang):
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, color_system=None)
    console.print(check_table(ROWS, "check", lang=get_lang(lang)))
    text = buffer.getvalue()
    assert "…" not in text
    assert max(console.measure(line).maximum for line in text.splitlines()) <= 80
    flat = text.replace("│", " ")
    for number in ("±2714%", "±2354%", "0.832", "39.8", "4.9"):  # 7.69·60/17, 6.67·60/17
        assert number in flat, number

"""--excel: results.xlsx holds the summary, the differences and the replications; Chinese names
arrive as written and a name a spreadsheet would run is shown as text."""

from __future__ import annotations

import math
from dataclasses import replace

from synthetic_runs import make_summary, make_units

from sim.output.excel import SHEETS, write_excel


def test_workbook_sheets_hold_the_numbers_and_safe_text(tmp_path) -> None:
    from openpyxl import load_workbook

    names = {"sms-30min": "短信催付", "phone-next-day": "=HYPERLINK(1)"}
    units = [replace(u, strategy=names.get(u.strategy, u.strategy)) for u in make_units()]
    summary = make_summary(units)
    book = load_workbook(write_excel(tmp_path / "results.xlsx", summary, units))
    assert book.sheetnames == list(SHEETS)

    rows = list(book["replications"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(units)
    strategies = {row[0] for row in rows[1:]}
    assert strategies == {"no-reminder", "短信催付", "'=HYPERLINK(1)"}
    assert all(c.data_type != "f" for row in book["replications"].iter_rows() for c in row)

    header, *body = book["summary"].iter_rows(values_only=True)
    col = {name: i for i, name in enumerate(header)}
    got = {(r[col["strategy"]], r[col["kpi"]]): r[col["mean"]] for r in body}
    want = summary["strategies"]["短信催付"]["paid_rate"]["mean"]
    assert math.isclose(got[("短信催付", "paid_rate")], want, rel_tol=1e-12)

    header, *body = book["differences"].iter_rows(values_only=True)
    col = {name: i for i, name in enumerate(header)}
    assert {r[col["strategy"]] for r in body} == {"短信催付", "'=HYPERLINK(1)"}  # no baseline
    diff = next(
        r for r in body if r[col["strategy"]] == "短信催付" and r[col["kpi"]] == "paid_rate"
    )
    want = summary["comparisons"]["短信催付"]["paid_rate"]
    assert math.isclose(diff[col["diff"]], want["diff"], rel_tol=1e-12)
    assert (
        diff[col["diff_ci_low"]] == want["ci_low"]
        and diff[col["significant"]] == want["significant"]
    )

"""CSV outputs never carry a spreadsheet formula: text cells starting with = + - @ tab or CR get
a leading single quote (OWASP), numbers stay numbers."""

from __future__ import annotations

import csv

import pandas as pd

import sim.api as api
from sim.output.cells import safe_cell, safe_frame
from sim.scenario.load import scenario_from_dict

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2-2", "@SUM(A1)"]  # tab and CR: names refuse them
DATA = {
    "scenario": {"name": "formulas", "seed": 1, "replications": 2, "arrival_days": 0.5},
    "arrivals": {"orders_per_day": 200},
    "segments": [
        {
            "name": "=seg",
            "share": 1.0,
            "pays_unprompted": 0.5,
            "response": {"sms": 0.3},
            "annoyance": {"sms": 0.01},
        },
    ],
    "strategies": [
        {"name": HOSTILE[0]},
        *(
            {"name": n, "reminders": [{"at": 1 + i, "channel": "sms"}]}
            for i, n in enumerate(HOSTILE[1:])
        ),
    ],
}


def test_safe_cell_quotes_formula_starts_and_leaves_the_rest():
    for text in [*HOSTILE, "\tTAB", "\rCR"]:
        assert safe_cell(text) == "'" + text
    for value in ["sms-once", "a=b", "", -1.5, 3, None]:
        assert safe_cell(value) == value
    frame = safe_frame(pd.DataFrame({"name": ["-x", "ok"], "gain": [-0.5, 1.0]}))
    assert frame["name"].tolist() == ["'-x", "ok"]
    assert frame["gain"].dtype == float and frame["gain"].tolist() == [-0.5, 1.0]


def test_replications_and_events_csv_quote_hostile_names_and_keep_numbers(tmp_path):
    api.run(scenario_from_dict(DATA), out=tmp_path, events=True, plots=False)
    with open(tmp_path / "replications.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["strategy"] for row in rows}
    assert names == {"'" + n for n in HOSTILE}
    negative = [row["net_profit_per_order"] for row in rows if row["net_profit_per_order"]]
    assert all(not cell.startswith("'") for cell in negative)
    float(negative[0])  # a number, written as one
    events = pd.read_csv(tmp_path / "events.csv", dtype=str, keep_default_na=False)
    for column in ("strategy", "segment", "case_id"):
        assert events[column].str.startswith("'").all(), column
    assert set(events["segment"]) == {"'=seg"}
    assert not events["time_hours"].str.startswith("'").any()

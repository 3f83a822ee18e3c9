"""The event log as process-mining tools read it: pm4py takes it as it is, and what it discovers
stays inside the state diagram."""

from __future__ import annotations

import pandas as pd
import pytest

import sim.api as api
from fsm.table import compiled_table
from sim.output.events import EVENT_COLUMNS
from sim.scenario.load import scenario_from_dict

DATA = {
    "scenario": {
        "name": "events",
        "seed": 3,
        "replications": 2,
        "arrival_days": 1,
        "start": "2026-03-02",
    },
    "arrivals": {"orders_per_day": 400},
    "shop": {"stockout_probability": 0.1},
    "quality": {"damage_or_wrong_item": 0.05},
    "staff": {"agents": 1, "on_duty": [9, 22]},
    "segments": [
        {
            "name": "normal",
            "share": 0.9,
            "pays_unprompted": 0.5,
            "disputes": 0.2,
            "refuses_delivery": 0.05,
            "response": {"phone": 0.5, "sms": 0.3},
            "annoyance": {"phone": 0.03, "im": 0.01, "sms": 0.01, "auto": 0.0},
        },
        {
            "name": "malicious",
            "share": 0.1,
            "pays_unprompted": 0.0,
            "orders_per_buyer": 3,
            "malicious": True,
            "response": {"phone": 0.0, "im": 0.0, "sms": 0.0, "auto": 0.0},
            "annoyance": {"phone": 0.03, "im": 0.01, "sms": 0.01, "auto": 0.0},
        },
    ],
    "strategies": [
        {"name": "none"},
        {
            "name": "sms-then-phone",
            "policy": {"malicious": "close"},
            "reminders": [{"at": 0.5, "channel": "sms"}, {"at": 3, "channel": "phone"}],
        },
    ],
}


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("events")
    api.run(scenario_from_dict(DATA), out=out, events=True, plots=False)
    return pd.read_csv(out / "events.csv")


def test_columns_and_rows(events):
    assert tuple(events.columns) == EVENT_COLUMNS
    assert set(events.strategy) == {"none", "sms-then-phone"}
    assert set(events.replication) == {0, 1}
    table = compiled_table()
    legal = set(table.edges())
    seen = set(zip(events.source, events.trigger, events.target, strict=True))
    assert seen <= legal
    assert {"remind", "pay", "auto_close", "close_by_seller", "ship", "confirm"} <= set(
        events.trigger
    )


def test_every_case_starts_placed_and_ends_terminal(events):
    table = compiled_table()
    first = events.groupby("case_id").source.first()
    last = events.groupby("case_id").target.last()
    assert (first == "placed").all()
    assert last.map(lambda s: table.terminal[table.state_id[s]]).all()


def test_pm4py_reads_it_and_its_directly_follows_pairs_are_diagram_edges(events):
    pm4py = pytest.importorskip("pm4py")
    log = pm4py.format_dataframe(
        events.copy(), case_id="case_id", activity_key="target", timestamp_key="timestamp"
    )
    dfg, starts, ends = pm4py.discover_dfg(log)
    edges = {(s, d) for s, _t, d in compiled_table().edges()}
    assert set(dfg) <= edges, set(dfg) - edges
    assert set(starts) == {"unpaid"}  # placed -> unpaid is every case's first move
    assert set(ends) <= {"cancelled", "refunded", "completed"}
    assert len(pm4py.get_event_attribute_values(log, "concept:name")) >= 8


@pytest.fixture(scope="module")
def parquet_events(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("parquet")
    api.run(scenario_from_dict(DATA), out=out, events=True, events_format="parquet", plots=False)
    return pd.read_parquet(out / "events.parquet")


def test_parquet_event_log_has_the_csv_rows_with_typed_timestamps(events, parquet_events):
    df = parquet_events
    assert tuple(df.columns) == EVENT_COLUMNS and len(df) == len(events)
    assert str(df.timestamp.dtype) == "datetime64[us]"
    # the shop's clock from scenario.start (2026-03-02 00:00), to the microsecond
    expected = pd.Timestamp("2026-03-02") + pd.to_timedelta(df.time_hours * 3600, unit="s")
    assert (df.timestamp - expected).abs().max() <= pd.Timedelta(microseconds=1)
    # the CSV's ISO text is the same moment to the second
    assert (df.timestamp.dt.floor("s") == pd.to_datetime(events.timestamp)).all()
    same = ["case_id", "trigger", "source", "target", "time_hours"]
    pd.testing.assert_frame_equal(df[same], events[same])
    assert (df.channel.isna() == events.channel.isna()).all()


def test_every_reminder_row_names_its_channel_and_no_other_row_does(events, parquet_events):
    for df in (events, parquet_events):
        remind = df.trigger == "remind"
        assert remind.any() and df.channel[remind].notna().all()
        assert df.channel[~remind].isna().all()
        assert set(df.channel[remind]) == {"sms", "phone"}
        assert (df.strategy[remind] == "sms-then-phone").all()
        # the strategy's steps in order: each case's first reminder is the SMS, its second the
        # phone call
        steps = df[remind].groupby("case_id").channel.agg(list)
        assert steps.map(lambda c: c == ["sms", "phone"][: len(c)]).all()
        assert (steps.map(len) == 2).any()

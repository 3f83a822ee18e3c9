"""fit -> check a seller can rely on: re-orders and repeat buyers, windows in and out of sample,
recent vs all, and dates as real exports write them (detected from the whole column)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from sim.cli import main
from sim.fit.dates import day_order, parse_dates
from sim.fit.errors import ExportError
from sim.fit.orders import load_orders
from sim.fit.synthetic import GENERIC_COLUMNS, Truth, write_generic, write_taobao
from sim.fit.table import format_hours
from sim.fit.window import in_window, moment, sample_of
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def repeat_buyers(tmp_path_factory) -> Path:
    """A Taobao export whose buyers come back after an unpaid close (a quarter of them)."""
    path = tmp_path_factory.mktemp("reorders") / "orders.csv"
    write_taobao(Truth(days=28.0, orders_per_day=120.0, reorders=0.25, seed=3), path)
    return path


def _lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_bundled_example_fit_until_then_check_since_through_the_cli(capsys, tmp_path):
    """The README's example has repeat buyers and re-orders (which used to crash check): fitted
    on its first three weeks and checked on its last week, out of sample."""
    export = tmp_path / "taobao-orders.csv"
    shutil.copy(ROOT / "examples" / "taobao-orders.csv", export)
    out = tmp_path / "early.toml"
    assert main(["fit", str(export), "--out", str(out), "--until", "2026-03-23"]) == 0
    header = out.read_text(encoding="utf-8")
    assert "# Fitted on: orders placed 2026-03-02 " in header
    assert " to 2026-03-22 " in header  # the window's last order, the day before --until
    made_by = " ".join(line.lstrip("# ") for line in header.splitlines()[2:6])
    assert "--until 2026-03-23" in made_by  # in the Made by command
    assert "\nreorders = " in header
    load_scenario(out)
    capsys.readouterr()
    args = ["check", str(out), str(export), "--replications", "2", "--since", "2026-03-23"]
    code = main(args)
    lines = _lines(capsys)
    assert code in (0, 1)
    assert lines[0].startswith("out-of-sample: the scenario was fitted on orders placed")
    assert "2026-03-23 to 2026-03-29" in " ".join(lines[:2])
    assert "paid share" in "\n".join(lines) and max(len(line) for line in lines) <= 80


def test_in_sample_when_the_checked_orders_overlap_the_fit(repeat_buyers, tmp_path, capsys):
    out = tmp_path / "early.toml"
    assert main(["fit", str(repeat_buyers), "--out", str(out), "--until", "2026-03-23"]) == 0
    text = out.read_text(encoding="utf-8")
    orders = load_orders(repeat_buyers)
    assert sample_of(text, in_window(orders, since=moment("2026-03-20"))).kind == "in-sample"
    assert sample_of(text, orders).text.startswith("in-sample: these ")
    after = in_window(orders, since=moment("2026-03-23"))
    assert sample_of(text, after).kind == "out-of-sample"
    assert sample_of("[scenario]\n", after).kind == "unknown"
    fitted = load_orders(repeat_buyers)
    assert in_window(fitted, until=moment("2026-03-23")).n + after.n == fitted.n


def test_a_window_without_orders_exits_2_naming_the_exports_dates(capsys, tmp_path, repeat_buyers):
    out = tmp_path / "never.toml"
    assert main(["fit", str(repeat_buyers), "--out", str(out), "--since", "2027-01-01"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{repeat_buyers}: column 订单创建时间: no order placed in the window")
    assert "got orders placed 2026-03-02" in err and not out.exists()


def test_recent_days_fits_the_last_days_and_reports_them_against_the_whole(
    capsys, tmp_path, repeat_buyers
):
    out = tmp_path / "recent.toml"
    report = tmp_path / "report"
    args = ["fit", str(repeat_buyers), "--out", str(out), "--recent-days", "7"]
    assert main([*args, "--report", str(report)]) == 0
    lines = _lines(capsys)
    recent = int(lines[0].split(": ")[1].split(" orders")[0].replace(",", ""))
    stamps = ["订单创建时间", "订单付款时间", "发货时间", "确认收货时间"]
    frame = pd.read_csv(repeat_buyers, encoding="gbk", usecols=stamps)
    end = max(pd.to_datetime(frame[c]).max() for c in stamps)  # the export's last moment
    placed = pd.to_datetime(frame["订单创建时间"])
    assert recent == int((placed >= end - pd.Timedelta("7D")).sum())
    table = "\n".join(lines)
    assert "last 7 days" in table and "paid share" in table and "weekday profile TV" in table
    assert max(len(line) for line in lines if str(tmp_path) not in line) <= 80
    assert "Recent vs all" in (report / "fit-report.html").read_text(encoding="utf-8")


def test_a_changed_shop_shows_in_recent_vs_all(capsys, tmp_path):
    """Pay delays four times longer in the last two weeks: the quartiles differ."""
    early = Truth(days=28.0, orders_per_day=120.0, seed=5)
    path = tmp_path / "orders.csv"
    frame = write_taobao(early, path)
    late = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False)
    placed = pd.to_datetime(late["订单创建时间"])
    paid = pd.to_datetime(late["订单付款时间"].replace("", None))
    changed = (placed >= pd.Timestamp("2026-03-16")) & paid.notna()
    slower = placed + (paid - placed) * 4
    late.loc[changed, "订单付款时间"] = slower[changed].dt.strftime("%Y-%m-%d %H:%M:%S")
    late.to_csv(path, index=False, encoding="gbk")
    assert len(frame)
    assert main(["fit", str(path), "--out", str(tmp_path / "s.toml")]) == 0
    text = capsys.readouterr().out
    assert "pay delay median" in text and "differ" in text and "--recent-days" in text


def _column(cells: list[str]) -> pa.ChunkedArray:
    return pa.chunked_array([pa.array(cells, pa.string())])


def _read(cells: list[str], name: str = "f.csv") -> np.ndarray:
    columns = {"placed": _column(cells)}
    return parse_dates(
        columns["placed"], name=name, column="placed", day_first=day_order(columns, name)
    )


def test_month_first_dates_with_and_without_seconds():
    got = _read(["10/2/2017 10:56", "1/13/2017 9:05", "3/4/2017 10:56:07", ""])
    want = ["2017-10-02T10:56", "2017-01-13T09:05", "2017-03-04T10:56:07", "NaT"]
    np.testing.assert_array_equal(got, np.array(want, dtype="datetime64[s]"))


def test_day_first_is_decided_by_a_day_above_12_anywhere_in_the_column():
    cells = ["10/2/2017 10:56"] * 5000 + ["13/1/2017 09:05:11"]  # the last row decides
    got = _read(cells)
    assert got[0] == np.datetime64("2017-02-10T10:56") and got[-1] == np.datetime64(
        "2017-01-13T09:05:11"
    )
    dots = _read(["10.2.2017", "25.12.2017 18:00"])
    assert list(dots) == list(np.array(["2017-02-10", "2017-12-25T18:00"], dtype="datetime64[s]"))


def test_day_order_is_one_for_all_date_columns():
    placed, paid = _column(["1/2/2017 10:00"]), _column(["1/14/2017 10:00"])
    assert day_order({"placed": placed, "paid": paid}, "f.csv") is False


def test_undecidable_day_and_month_names_both_readings():
    with pytest.raises(ExportError) as err:
        _read(["10/2/2017 10:56", "1/3/2017 9:05"], "shop.csv")
    (line,) = err.value.lines
    assert line.startswith("shop.csv: column placed: day and month cannot be told apart")
    assert "--date-format '%m/%d/%Y %H:%M' (reads it as 2 October)" in line
    assert "--date-format '%d/%m/%Y %H:%M' (reads it as 10 February)" in line
    assert line.endswith("(got '10/2/2017 10:56')")


def test_one_unreadable_cell_is_named_by_row_column_and_value():
    with pytest.raises(ExportError) as err:
        _read(["10/2/2017 10:56", "13/1/2017 9:05", "someday"], "shop.csv")
    assert err.value.lines == [
        "shop.csv: row 4, column placed: unreadable date (give --date-format) (got 'someday')"
    ]
    with pytest.raises(ExportError) as err:  # ISO cells, the bad one far down the column
        _read(["2017-10-02 10:56:07"] * 3000 + ["2017-10-02 25:00:00"], "shop.csv")
    assert err.value.lines[0].startswith("shop.csv: row 3002, column placed: unreadable date")


def test_iso_with_and_without_seconds_and_slashes_in_one_column():
    got = _read(["2017-10-02 10:56:07", "2017-10-02 10:56", "2017-10-02"])
    assert list(got) == list(
        np.array(["2017-10-02T10:56:07", "2017-10-02T10:56", "2017-10-02"], dtype="datetime64[s]")
    )
    assert _read(["2017/10/02 10:56", "2017/10/03 10:56:01"])[1] == np.datetime64(
        "2017-10-03T10:56:01"
    )


def test_an_olist_export_with_month_first_dates_fits_without_options(capsys, tmp_path):
    """The real Olist file writes 10/2/2017 10:56: fitted with no --date-format."""
    path = tmp_path / "olist_orders_dataset.csv"
    write_generic(Truth(days=21.0, orders_per_day=80.0, seed=9), path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in [c for c in frame.columns if c.startswith("order_") and c != "order_id"][1:]:
        when = pd.to_datetime(frame[column].replace("", None))
        text = (
            when.dt.month.astype("Int64").astype(str)
            + "/"
            + when.dt.day.astype("Int64").astype(str)
        )
        text = text + when.dt.strftime("/%Y %H:%M")
        frame[column] = text.where(when.notna(), "")
    frame.to_csv(path, index=False)
    iso = tmp_path / "iso.toml"
    out = tmp_path / "olist.toml"
    assert main(["fit", str(path), "--out", str(out), "--columns", GENERIC_COLUMNS]) == 0
    assert "orders" in capsys.readouterr().out
    assert load_scenario(out).scenario.start.isoformat() == "2026-03-02"
    assert not iso.exists()


def test_check_rows_have_one_unit_and_one_precision():
    assert format_hours(6.6 / 60, like=6.6 / 60) == "6.60 min"
    assert format_hours(6.71 / 60, like=6.6 / 60) == "6.71 min"
    assert format_hours(50.0, like=47.0) == "50.0 h"  # not 2.08 d: the row's unit is hours
    assert format_hours(1.86, like=1.86) == "1.86 h"
    assert format_hours(float("nan")) == "-"

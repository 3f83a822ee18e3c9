"""Exports and options that used to end in a traceback: each is now exit status 2 with one
located line, through the command line, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "taobao-orders.csv"
SCENARIO = ROOT / "scenarios" / "first-reminder-timing.toml"


def _run(capsys, *argv: str) -> tuple[int, str]:
    status = main([*argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("gb18030").split("\r\n")


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\r\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("codec", ["rot13", "base64", "no-such-codec"])
def test_an_encoding_that_is_not_a_text_encoding_names_the_option(capsys, tmp_path, codec):
    out = tmp_path / "x.toml"
    status, err = _run(capsys, "fit", str(EXAMPLE), "--out", str(out), "--encoding", codec)
    assert status == 2
    assert "--encoding: " in err and repr(codec) in err
    assert not out.exists()


def test_cr_only_line_endings_are_read_like_any_other(capsys, tmp_path):
    """Classic Mac files: the same orders as the CRLF original, so the same fitted scenario."""
    cr = tmp_path / "cr.csv"
    cr.write_bytes(EXAMPLE.read_bytes().replace(b"\r\n", b"\r"))
    for export, out in ((EXAMPLE, "a.toml"), (cr, "b.toml")):
        argv = ("fit", str(export), "--out", str(tmp_path / out), "--name", "same")
        assert _run(capsys, *argv)[0] == 0
    body = [(tmp_path / n).read_text().split("\n[scenario]", 1)[1] for n in ("a.toml", "b.toml")]
    assert body[0] == body[1]


def test_a_header_cell_over_128_kib_names_row_1(capsys, tmp_path):
    lines = _lines(EXAMPLE)
    lines[0] += "," + "y" * 140_000
    status, err = _run(capsys, "fit", str(_write(tmp_path / "h.csv", lines)), "--out", "x.toml")
    assert status == 2
    assert "h.csv: row 1: the header row cannot be read (field larger than field limit" in err


def test_check_on_an_export_without_pay_times_says_what_fit_says(capsys, tmp_path):
    """The paid column renamed: fit and check refuse with the same line (check used to reach
    an IndexError after simulating)."""
    lines = _lines(EXAMPLE)
    lines[0] = lines[0].replace("订单付款时间", "付款?")
    export = _write(tmp_path / "nopaid.csv", lines)
    fit_status, fit_err = _run(capsys, "fit", str(export), "--out", str(tmp_path / "x.toml"))
    check_status, check_err = _run(capsys, "check", str(SCENARIO), str(export))
    assert fit_status == check_status == 2
    assert "fewer than 2 orders with a payment time" in check_err
    assert check_err == fit_err


def test_check_when_every_pay_time_is_before_its_placement(capsys, tmp_path):
    lines = _lines(EXAMPLE)
    rows = [line.split(",") for line in lines]
    for cells in rows[1:]:
        if len(cells) > 7 and cells[7]:
            cells[7] = "2026-03-01 00:00:00"  # the export starts on 2 March
    export = _write(tmp_path / "early.csv", [",".join(c) for c in rows])
    status, err = _run(capsys, "check", str(SCENARIO), str(export))
    assert status == 2
    assert "column 订单付款时间: fewer than 2 orders with a payment time" in err


@pytest.mark.parametrize("name", ["../../x", "a/b", "..", "line\nbreak", "n" * 201])
def test_fit_name_that_no_scenario_may_carry_is_refused_before_reading(capsys, tmp_path, name):
    out = tmp_path / "x.toml"
    status, err = _run(capsys, "fit", str(EXAMPLE), "--out", str(out), "--name", name)
    assert status == 2
    assert err.startswith("--name: ")
    assert not out.exists()


def _edited(tmp_path: Path, edits: dict[tuple[int, int], str], insert: int | None = None):
    """The example export with cells replaced ((row index, column) -> text); ``insert`` repeats
    the edited row 1 after itself."""
    lines = _lines(EXAMPLE)
    rows = [line.split(",") for line in lines]
    for (r, c), text in edits.items():
        rows[r][c] = text
    if insert is not None:
        rows.insert(insert, list(rows[1]))
    return _write(tmp_path / "edited.csv", [",".join(cells) for cells in rows])


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        (
            {(1, 6): "2026-02-30 10:00:00"},
            "row 2, column 订单创建时间: no such day in the calendar",
        ),
        (
            {(5, 7): "2026-04-31 10:00:00"},
            "row 6, column 订单付款时间: no such day in the calendar",
        ),
        ({(1, 6): "1026-03-02 00:03:24"}, "row 2, column 订单创建时间: more than 5 years"),
        ({(3, 7): "9999-03-02 00:03:24"}, "row 4, column 订单付款时间: more than 5 years"),
        ({(1, 3): "-47.34"}, "row 2, column 买家实际支付金额: a negative amount"),
        ({(2, 3): "1e300"}, "row 3, column 买家实际支付金额: above any price"),
    ],
)
def test_impossible_values_are_refused_with_row_column_and_value(capsys, tmp_path, edits, expected):
    out = tmp_path / "x.toml"
    status, err = _run(capsys, "fit", str(_edited(tmp_path, edits)), "--out", str(out))
    assert status == 2
    assert expected in err
    assert not out.exists()


def test_identical_repeated_rows_are_counted_once_with_a_warning(capsys, tmp_path):
    """The same scenario as without the repeat (apart from the header's file name)."""
    twice = _edited(tmp_path, {}, insert=2)
    outs = []
    for export, out in ((EXAMPLE, "a.toml"), (twice, "b.toml")):
        argv = ("fit", str(export), "--out", str(tmp_path / out), "--name", "same")
        status, err = _run(capsys, *argv)
        assert status == 0
        outs.append((tmp_path / out).read_text().split("\n[scenario]", 1)[1])
    assert "1 rows repeat an order id with the same times and status" in err
    assert outs[0] == outs[1]


def test_a_repeated_order_id_with_other_times_names_both_rows(capsys, tmp_path):
    export = _edited(tmp_path, {}, insert=2)
    lines = export.read_bytes().decode("utf-8").split("\r\n")
    lines[2] = lines[2].replace("2026-03-02 00:03:24", "2026-03-02 00:09:24")
    export.write_bytes("\r\n".join(lines).encode("utf-8"))
    status, err = _run(capsys, "fit", str(export), "--out", str(tmp_path / "x.toml"))
    assert status == 2
    assert "row 3, column 订单编号: order id '3100000000000000' again" in err
    assert "than row 2" in err

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
            cells[7] = "2020-01-01 00:00:00"
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

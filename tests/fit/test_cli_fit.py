"""`ordersim fit` and `ordersim check` end to end, and every kind of bad export.

Bad input exits 2 with ``FILE: row N, column C: problem (got VALUE)`` lines, writes no
scenario and prints no traceback. Fit then check passes on the shop's own data (exit 0); a
scenario that does not match the export fails (exit 1).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main
from sim.fit.synthetic import GENERIC_COLUMNS, Truth, write_taobao
from sim.fit.write import format_has_reorders
from sim.scenario import load_scenario


def _fit(capsys, export: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    code = main(["fit", str(export), "--out", str(out), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _bad(capsys, tmp_path: Path, export: Path, *extra: str) -> list[str]:
    out = tmp_path / "never.toml"
    code, _, err = _fit(capsys, export, out, *extra)
    assert code == 2
    assert not out.exists()
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines and all(line.startswith(f"{export}: ") for line in lines)
    return lines


def test_fit_writes_a_valid_commented_scenario_and_a_report(capsys, tmp_path, taobao):
    path, _, _ = taobao
    out = tmp_path / "shop.toml"
    code, stdout, _ = _fit(capsys, path, out, "--report", str(tmp_path / "report"))
    assert code == 0 and "paid share" in stdout
    scenario = load_scenario(out)
    assert [s.name for s in scenario.strategies] == ["as-observed"]
    assert scenario.baseline == "as-observed"
    assert abs(sum(s.share for s in scenario.segments) - 1.0) < 1e-9
    text = out.read_text(encoding="utf-8")
    assert "# [[strategies]]" in text  # the commented example strategy
    assert "ASSUMPTION" in text and "KS " in text and "n=" in text
    if not format_has_reorders():  # a comment until the format has the keys
        assert "# reorders = " in text and "\nreorders" not in text
    for png in ("pay_delay.png", "profiles.png", "ship_delivery.png"):
        assert (tmp_path / "report" / png).stat().st_size > 10_000
    assert "pay_delay.png" in (tmp_path / "report" / "fit-report.html").read_text()


def test_fit_then_check_passes_on_a_taobao_export(capsys, tmp_path, taobao):
    path, _, _ = taobao
    out = tmp_path / "shop.toml"
    assert _fit(capsys, path, out)[0] == 0
    code = main(["check", str(out), str(path), "--replications", "3"])
    stdout = capsys.readouterr().out
    assert code == 0, stdout
    assert "paid share" in stdout and "all 9 measures pass" in stdout
    assert max(len(line) for line in stdout.splitlines()) <= 80


def test_fit_then_check_passes_on_an_olist_shaped_export(capsys, tmp_path, olist):
    path, _, _ = olist
    out = tmp_path / "olist.toml"
    assert _fit(capsys, path, out, "--columns", GENERIC_COLUMNS)[0] == 0
    code = main(["check", str(out), str(path), "--columns", GENERIC_COLUMNS, "--replications", "3"])
    stdout = capsys.readouterr().out
    assert code == 0, stdout


def test_check_fails_with_exit_1_when_the_scenario_does_not_match(capsys, tmp_path, taobao):
    path, _, _ = taobao
    out = tmp_path / "shop.toml"
    assert _fit(capsys, path, out, "--segments", "1")[0] == 0
    text = re.sub(r"pays_unprompted = [0-9.]+", "pays_unprompted = 0.5", out.read_text("utf-8"))
    out.write_text(text, encoding="utf-8")
    code = main(["check", str(out), str(path), "--replications", "2"])
    stdout = capsys.readouterr().out
    assert code == 1
    assert "FAIL" in stdout and "paid share" in stdout.split("failed:")[-1]


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "small.csv"
    write_taobao(Truth(days=3.0, orders_per_day=40.0, seed=2), path)
    return path


def _edit_line(path: Path, line_number: int, old: str, new: str, encoding: str = "gbk") -> None:
    lines = path.read_bytes().decode(encoding).split("\n")
    assert old in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new, 1)
    path.write_bytes("\n".join(lines).encode(encoding))


def test_missing_required_column_names_it_and_lists_the_headers(capsys, tmp_path, small):
    text = small.read_bytes().decode("gbk").replace("订单创建时间", "创建日期X")
    small.write_bytes(text.encode("gbk"))
    (line,) = _bad(capsys, tmp_path, small)
    assert "row 1, column 订单创建时间: required column missing" in line
    assert "(got headers 订单编号, 买家会员名" in line and "创建日期X" in line


def test_a_column_given_that_does_not_exist(capsys, tmp_path, small):
    (line,) = _bad(capsys, tmp_path, small, "--columns", "placed=created_at")
    assert "column created_at: column given for role 'placed' not found" in line


def test_unknown_role_in_columns(capsys, tmp_path, small):
    code, _, err = _fit(capsys, small, tmp_path / "x.toml", "--columns", "when=订单创建时间")
    assert code == 2 and not (tmp_path / "x.toml").exists()
    assert err.startswith("--columns: unknown role 'when'; roles are order, buyer, placed")


def test_unreadable_date_gives_row_column_and_value(capsys, tmp_path, small):
    first = small.read_bytes().decode("gbk").split("\n")[4]
    stamp = first.split(",")[6]
    _edit_line(small, 5, stamp, "yesterday")
    (line,) = _bad(capsys, tmp_path, small)
    assert line == (
        f"{small}: row 5, column 订单创建时间: unreadable date (give --date-format) "
        "(got 'yesterday')"
    )


def test_empty_file(capsys, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    (line,) = _bad(capsys, tmp_path, path)
    assert "row 1: the file is empty" in line


def test_header_only_file(capsys, tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("订单编号,订单创建时间,订单付款时间\n", encoding="utf-8")
    (line,) = _bad(capsys, tmp_path, path)
    assert "row 2: no order rows under the header" in line


def test_no_paid_order(capsys, tmp_path):
    path = tmp_path / "unpaid.csv"
    path.write_text(
        "订单编号,订单状态,订单创建时间,订单付款时间\n"
        "1,等待买家付款,2026-03-02 10:00:00,\n2,交易关闭,2026-03-02 11:00:00,\n",
        encoding="utf-8",
    )
    (line,) = _bad(capsys, tmp_path, path)
    assert "column 订单付款时间: no paid order among 2 orders" in line


def test_mixed_encodings(capsys, tmp_path, small):
    raw = small.read_bytes().split(b"\n")
    raw[6] = raw[6].decode("gbk").encode("utf-8")  # row 7 pasted in from a UTF-8 file
    small.write_bytes(b"\n".join(raw))
    (line,) = _bad(capsys, tmp_path, small)
    assert "row 7: mixed encodings: earlier rows are GBK, this row is UTF-8" in line


def test_utf8_with_bom_and_plain_utf8_read_like_gbk(tmp_path, small):
    from sim.fit.orders import load_orders

    gbk = load_orders(small)
    text = small.read_bytes().decode("gbk")
    for encoding, name in (("utf-8-sig", "bom.csv"), ("utf-8", "plain.csv")):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        other = load_orders(path)
        assert other.encoding == encoding
        assert (other.placed == gbk.placed).all() and other.paid.sum() == gbk.paid.sum()


def test_date_format_option_and_time_zones(tmp_path):
    from sim.fit.orders import load_orders

    path = tmp_path / "dotted.csv"
    path.write_text(
        "id,created,paid\na,05.01.2017 10:03,05.01.2017 10:33\nb,06.01.2017 23:10,\n",
        encoding="utf-8",
    )
    orders = load_orders(path, columns={"placed": "created", "paid": "paid"},
                         date_format="%d.%m.%Y %H:%M")  # fmt: skip
    assert orders.placed.tolist() == pytest.approx([10.05, 24 + 23 + 10 / 60])
    assert orders.pay_delay[0] == pytest.approx(0.5)
    # a column in a common format other than --date-format is still read
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("created,paid\n05.01.2017 10:03,2017-01-05 10:33:00\n", encoding="utf-8")
    orders = load_orders(mixed, columns={"placed": "created", "paid": "paid"},
                         date_format="%d.%m.%Y %H:%M")  # fmt: skip
    assert orders.pay_delay[0] == pytest.approx(0.5)
    iso = tmp_path / "iso.csv"
    iso.write_text(
        "created,paid\n2017-01-05T10:03:00+08:00,2017-01-05T02:33:00Z\n", encoding="utf-8"
    )
    shanghai = load_orders(iso, columns={"placed": "created", "paid": "paid"})
    utc = load_orders(iso, columns={"placed": "created", "paid": "paid"}, timezone="UTC")
    assert shanghai.placed[0] == pytest.approx(10.05)  # the first cell's own offset
    assert utc.placed[0] == pytest.approx(2.05)
    assert shanghai.pay_delay[0] == utc.pay_delay[0] == pytest.approx(0.5)


def test_missing_export_and_bad_options_exit_2(capsys, tmp_path, small):
    code, _, err = _fit(capsys, tmp_path / "nowhere.csv", tmp_path / "x.toml")
    assert code == 2 and "nowhere.csv: cannot read the file" in err
    code, _, err = _fit(capsys, small, tmp_path / "x.toml", "--timezone", "Mars/Olympus")
    assert code == 2 and err.startswith("--timezone: unknown time zone")
    code, _, err = _fit(capsys, small, tmp_path / "x.toml", "--segments", "9")
    assert code == 2 and "use 1 to 6 or auto" in err
    assert not (tmp_path / "x.toml").exists()


def test_amounts_with_currency_signs_and_a_bad_amount(capsys, tmp_path):
    path = tmp_path / "amounts.csv"
    rows = ["id,created,paid,total"]
    rows += [
        f"{i},2026-03-02 10:{i:02d}:00,2026-03-02 11:{i:02d}:00,¥1,{i}99.00 元" for i in range(9)
    ]
    path.write_text("\n".join(rows).replace("¥1,", '"¥1,').replace(" 元", ' 元"') + "\n")
    columns = "placed=created,paid=paid,amount=total"
    out = tmp_path / "a.toml"
    code, _, err = _fit(capsys, path, out, "--columns", columns)
    assert code == 0, err
    assert 'price = { dist = "lognormal", median = 1500' in out.read_text(encoding="utf-8")
    path.write_text(path.read_text().replace("¥1,499.00 元", "free"))
    lines = _bad(capsys, tmp_path, path, "--columns", columns)
    assert lines == [f"{path}: row 6, column total: not a number (got 'free')"]


def test_reorder_keys_are_written_once_the_format_has_them(monkeypatch, taobao):
    from sim.fit import write
    from sim.fit.fitting import fit_orders
    from sim.fit.orders import load_orders

    fit = fit_orders(load_orders(taobao[0]))
    share, _, _, count = fit.reorder
    monkeypatch.setattr(write, "format_has_reorders", lambda: True)
    text = write.scenario_toml(fit, "ordersim fit ...")
    assert f"\nreorders = {write.num(share, 3)}" in text
    per_day = fit.orders_per_day * (1 - count / fit.orders.n)
    assert f"orders_per_day = {write.num(per_day)}" in text


def test_a_byte_order_mark_on_gbk_text(capsys, tmp_path, small):
    small.write_bytes(b"\xef\xbb\xbf" + small.read_bytes())
    (line,) = _bad(capsys, tmp_path, small)
    assert "row 1: starts with a UTF-8 byte-order mark but is not UTF-8 text" in line

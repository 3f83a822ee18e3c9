"""`fit` and `check` with `--lang zh` on bad exports: every line that locates a problem (row,
column, what is wrong, what was found) reads in Chinese; only the file's own names (file,
columns, cells) and the options the seller types stay as they are. English stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main
from sim.fit.columns import ROLES
from tests.chinese_words import english_words

SCENARIO = Path(__file__).parents[2] / "examples" / "taobao-orders.toml"
COLUMNS = "order=order,placed=placed,paid=paid"
# what the seller typed or the file holds: options, column names, cells
TYPED = {"--columns", "--date-format", "--encoding", "--since", "COLUMN", "order", "placed"}
TYPED |= {"paid", "amount", "when", "garbage", "rot13", "utf-8", "gbk"}  # encodings as typed

# file body, extra options, the Chinese the line must hold
BAD = {
    "unreadable.csv": (
        "order,placed,paid\n1,2026-03-01 10:00,\n2,garbage,\n",
        ["--columns", COLUMNS],
        "第 3 行、placed 列: 无法读取的日期 (请给出 --date-format) (实际为 'garbage')",
    ),
    "missing.csv": ("order,when,paid\n1,2026-03-01 10:00,\n", [], "缺少必需的列: 订单创建时间"),
    "empty.csv": ("", [], "第 1 行: 文件为空 (实际为 '0 字节')"),
    "headers-only.csv": ("order,placed,paid\n", ["--columns", COLUMNS], "表头下没有订单行"),
    "day-month.csv": (
        "order,placed,paid\n1,03/04/2026 10:00,\n2,05/06/2026 11:00,\n",
        ["--columns", COLUMNS],
        "无法区分日和月 (所有日期列中都没有大于 12 的日); 请给出 --date-format '%m/%d/%Y %H:%M' "
        "(读作 3月4日) 或 --date-format '%d/%m/%Y %H:%M' (读作 4月3日)",
    ),
    "unpaid.csv": (
        "order,placed,paid\n1,2026-03-01 10:00,\n2,2026-03-01 11:00,\n",
        ["--columns", COLUMNS],
        "paid 列: 2 个订单中没有已付款的订单",
    ),
    "amounts.csv": (
        "order,placed,paid,amount\n1,2026-03-01 10:00,,-3\n2,2026-02-30 10:00,,1e12\n",
        ["--columns", COLUMNS + ",amount=amount"],
        "第 2 行、amount 列: 金额为负 (实际为 '-3')\n",
    ),
}


def _said(capsys, args: list[str]) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("file", sorted(BAD))
def test_bad_exports_are_said_in_chinese(capsys, tmp_path, file) -> None:
    body, options, expected = BAD[file]
    export = tmp_path / file
    export.write_text(body, encoding="utf-8")
    out = tmp_path / "never.toml"
    names = TYPED | {str(export), file, str(SCENARIO)}
    for command in (["fit", str(export), "--out", str(out)], ["check", str(SCENARIO), str(export)]):
        code, printed = _said(capsys, [*command, *options, "--lang", "zh"])
        assert code == 2 and expected in printed, printed
        assert printed.startswith(f"{export}: ") and english_words(printed, names) == set(), printed
        assert not out.exists()


def test_reading_options_and_window_are_said_in_chinese(capsys, tmp_path) -> None:
    iso, dotted = "2026-03-01 10:00", "13.3.2026"
    cases = [
        (iso, ["--encoding", "rot13"], "--encoding: 不是文本编码 (例如 utf-8、gbk) "
         "(实际为 'rot13')"),
        (iso, ["--since", "2027-01-01"], "时间窗 --since 2027-01-01 00:00:00 内没有下单的订单 "
         "(实际为 订单下单于 2026-03-01 10:00:00 至 2026-03-01 10:00:00)"),
        (dotted, ["--date-format", "%d/%m/%Y"], "第 2 行、placed 列: 无法读取的日期 (与 "
         "--date-format '%d/%m/%Y' 不符) (实际为 '13.3.2026')"),
    ]  # fmt: skip
    export = tmp_path / "shop.csv"
    fit = ["fit", str(export), "--out", str(tmp_path / "never.toml"), "--columns", COLUMNS]
    for cell, options, expected in cases:
        export.write_text(f"order,placed,paid\n1,{cell},\n", encoding="utf-8")
        code, printed = _said(capsys, [*fit, *options, "--lang", "zh"])
        assert code == 2 and expected in printed, printed
        assert english_words(printed, TYPED | {str(export), "shop.csv"}) == set(), printed
    bad_roles = ["fit", str(export), "--out", "x.toml", "--columns", "order=order,placed,zz=1"]
    code, printed = _said(capsys, [*bad_roles, "--lang", "zh"])
    assert code == 2 and printed.splitlines() == [
        "--columns: 请写成 角色=列名 (实际为 'placed')",
        "--columns: 未知的角色 'zz'; 可用的角色: " + ", ".join(ROLES),
    ]


def test_english_lines_stay_as_they_were(capsys, tmp_path) -> None:
    """The same problems in English: the words of the catalogue's texts, composed as before."""
    export = tmp_path / "day-month.csv"
    export.write_text(BAD["day-month.csv"][0], encoding="utf-8")
    code, printed = _said(capsys, ["fit", str(export), "--out", "x.toml", "--columns", COLUMNS])
    assert code == 2
    assert printed == (
        f"{export}: column placed: day and month cannot be told apart (no day above 12 in any "
        "date column); give --date-format '%m/%d/%Y %H:%M' (reads it as 4 March) or "
        "--date-format '%d/%m/%Y %H:%M' (reads it as 3 April) (got '03/04/2026 10:00')\n"
    )
    export.write_text("", encoding="utf-8")
    code, printed = _said(capsys, ["check", str(SCENARIO), str(export)])
    assert code == 2 and printed == f"{export}: row 1: the file is empty (got '0 bytes')\n"

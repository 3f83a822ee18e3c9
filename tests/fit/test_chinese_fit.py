"""`fit` and `check` with `--lang zh`: every line, table and the fit report in Chinese."""

from __future__ import annotations

import html
import re
from pathlib import Path

from rich.cells import cell_len

from sim.cli import main
from sim.fit.synthetic import GENERIC_COLUMNS
from tests.chinese_words import english_words

# what the seller typed or the tool named: commands and options, files, the fitted segments
COMMANDS = {"ordersim check", "ordersim fit", "fit", "check", "--until", "--since"}
COMMANDS |= {"--recent-days", "--recent-days N", "DATE", "--columns"}


def _names(*paths: Path, scenario: Path | None = None) -> set[str]:
    names = {str(p) for p in paths} | {p.name for p in paths} | COMMANDS | {GENERIC_COLUMNS}
    if scenario is not None:
        text = scenario.read_text(encoding="utf-8")
        names |= set(re.findall(r'^name = "([^"]+)"', text, flags=re.M))
        names |= {"fit-report.html", "pay_delay.png", "profiles.png", "ship_delivery.png"}
    return names


def test_fit_and_check_in_chinese_leave_no_english(capsys, tmp_path, olist) -> None:
    export, _, _ = olist  # 90 days: fit also prints the last 14 days against the whole
    shop, report = tmp_path / "shop.toml", tmp_path / "report"
    reading = ["--columns", GENERIC_COLUMNS, "--lang", "zh"]
    code = main(["fit", str(export), "--out", str(shop), "--report", str(report), *reading])
    fitted = capsys.readouterr()
    assert code == 0, fitted.err
    printed = fitted.out + fitted.err
    assert "个订单" in printed and "最近 14 天" in printed
    names = _names(export, shop, report, report / "fit-report.html", scenario=shop)
    assert english_words(printed, names) == set()

    page = (report / "fit-report.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in page and "拟合报告" in page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<body>")[1]))
    assert english_words(text, names) == set()

    code = main(["check", str(shop), str(export), "--replications", "2", *reading])
    checked = capsys.readouterr()
    assert code in (0, 1), checked.err
    printed = checked.out + checked.err
    assert printed.startswith("样本内") and "付款比例" in printed
    assert english_words(printed, names) == set()
    # Chinese characters take two columns: the table still fits 80, nothing cut to "…"
    assert "…" not in printed and max(cell_len(line) for line in printed.splitlines()) <= 80


def test_check_keeps_english_without_lang(capsys, tmp_path, taobao) -> None:
    export, _, _ = taobao
    shop = tmp_path / "shop.toml"
    assert main(["fit", str(export), "--out", str(shop)]) == 0
    capsys.readouterr()
    main(["check", str(shop), str(export), "--replications", "2"])
    printed = capsys.readouterr().out
    assert printed.startswith("in-sample:") and "paid share" in printed
    assert not re.search(r"[\u4e00-\u9fff]", printed)

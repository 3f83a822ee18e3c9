"""`trial design` and `trial fit` with `--lang zh`: every line a seller reads, the groups'
names, trial.html and the error messages in Chinese (tests/chinese_words.py finds any English
word left beside the names the seller typed or the scenario gave)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from sim.cli import main
from tests.chinese_words import english_words

from .generator import COLUMNS, TrialTruth, write_trial

SCENARIO = Path(__file__).with_name("trial_scenario.toml")
# the scenario's own names (strategies, segments, channels) and what the seller types
NAMES = {"control", "sms-2h", "im-1h", "card", "bank", "sms", "im", "trial design", "trial fit"}
NAMES |= {"last-digit", "alternate-days", "paid_rate", "alpha", "buyer", "price"}
NAMES |= {"--arms", "--assign", "--arm-column", "--assignment", "--by", "--detect", "--out"}
NAMES |= {"order_id", "arm", "placed", "paid", "status", "amount", "grp", "RULE", "COL"}
NAMES |= {"ARMS.csv", "A,B[,C]", "B1[,B2...]", "price=B1", "paid_rate=", "DIR"}
NAMES |= {"trial.json", "scenario.toml", "trial.html", "design.json", "pay_curves.png"}


def _run(capsys, args: list[str]) -> tuple[int, str]:
    code = main([*args, "--lang", "zh"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("zh") / "trial.csv"
    write_trial(TrialTruth(orders_per_day=150, days=14, seed=12, returning=True), path)
    return path


def test_trial_design_and_fit_in_chinese_leave_no_english(capsys, tmp_path, export):
    names = NAMES | {str(export), str(tmp_path), str(SCENARIO)}
    design = ["trial", "design", str(SCENARIO), "--arms", "control,sms-2h", "--detect"]
    code, printed = _run(capsys, [*design, "paid_rate=0.03", "--assign", "alternate-days"])
    assert code == 0 and "按天" in printed
    assert english_words(printed, names) == set()
    fit = ["trial", "fit", str(SCENARIO), str(export), "--columns", COLUMNS, "--assign"]
    fit += ["last-digit", "--arms", "control,sms-2h"]
    for by, groups in (("buyer", ("新买家 (", "回头客 (")), ("price=50,100", ("价格<50 (",))):
        out = tmp_path / by
        code, printed = _run(capsys, [*fit, "--by", by, "--out", str(out)])
        assert code == 0 and all(g in printed for g in groups), printed
        assert english_words(printed, names | {str(out)}) == set()
        page = (out / "trial.html").read_text(encoding="utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<body>")[1]))
        keys = {e["key"] for e in json.loads((out / "trial.json").read_text())["estimates"]}
        toml = {"response_hours", "[sources]", "kind = measured"}  # the format's own keys
        assert english_words(text, names | keys | toml) == set()


def test_trial_errors_in_chinese(capsys, tmp_path, export):
    names = NAMES | {str(export), str(tmp_path), str(SCENARIO)}
    fit = ["trial", "fit", str(SCENARIO), str(export), "--columns", COLUMNS]
    out = ["--out", str(tmp_path / "never")]
    bad = [
        ([*fit, "--arm-column", "grp", *out], "没有 'grp' 列"),
        ([*fit, "--assign", "last-digit", "--arms", "sms-2h,im-1h", *out], "恰好一个对照组"),
        ([*fit, "--assign", "last-digit", *out], "--assign 需要 --arms"),
        ([*fit, "--assign", "last-digit", "--arms", "sms-2h", *out], "至少两个方案"),
        ([*fit, "--assign", "last-digit", "--arms", "control,sms-2h", "--by", "price=5,1", *out],
         "边界须递增"),
        (["trial", "design", str(SCENARIO), "--arms", "control,sms-3h", "--detect",
          "paid_rate=0.03"], "不是场景中的方案"),
        (["trial", "design", str(SCENARIO), "--arms", "control,sms-2h", "--detect",
          "paid_rate=2"], "0 到 1 之间"),
    ]  # fmt: skip
    for args, said in bad:
        code, printed = _run(capsys, args)
        assert code == 2 and said in printed, printed
        assert "Traceback" not in printed and english_words(printed, names) == set(), printed
    assert not (tmp_path / "never" / "trial.json").exists()
    frame = export.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "arms.csv"  # an arm that is not a strategy: row and column in Chinese
    header = frame[0].split(",")
    rows = [r.split(",") for r in frame[1:6]]
    rows[2][header.index("arm")] = "sms-3h"
    broken.write_text("\n".join([frame[0], *(",".join(r) for r in rows)]) + "\n")
    code, printed = _run(capsys, [*fit[:3], str(broken), *fit[4:], "--arm-column", "arm", *out])
    assert code == 2 and "第 4 行、arm 列: 分组不是场景中的方案" in printed, printed
    bad = tmp_path / "bad.toml"  # a scenario's own problems keep their FILE: KEY: shape
    bad.write_text(SCENARIO.read_text(encoding="utf-8").replace("share = 0.7", "share = -1"))
    code, printed = _run(capsys, ["trial", "fit", str(bad), *fit[3:], "--arm-column", "arm", *out])
    assert code == 2 and printed.startswith(f"{bad}: segments.card.share"), printed

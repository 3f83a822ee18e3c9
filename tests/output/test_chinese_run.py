"""A `--lang zh` run leaves no English word a seller reads: terminal, messages and report."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.chinese_words import english_words

ROOT = Path(__file__).resolve().parents[2]


def _format_words(summary: dict) -> set[str]:
    """The scenario format's own keys and values (what the seller types), as the footing and
    defaults-used lines name them."""
    names: set[str] = set()
    for item in summary.get("assumptions", []) + summary.get("defaults_used", []):
        value = item["value"]
        pairs = value.items() if isinstance(value, dict) else []
        names |= {item["key"], *(str(part) for pair in pairs for part in pair)}
    return names


def test_a_chinese_run_prints_and_reports_no_english(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable, "-m", "sim", "run", "first-reminder-timing", "--lang", "zh",
        "--set", "arrivals.orders_per_day=150", "--select", "net_profit_per_order",
        "--out", str(out), "--no-plots",
    ]  # fmt: skip
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    names = {str(out), summary["scenario"], *summary["strategies"], "first-reminder-timing"}
    names |= {key.split("@")[0] for key in summary["strategies"]}
    names |= _format_words(summary)
    printed = done.stdout + done.stderr
    assert "结论" in printed and "入选" in printed
    assert english_words(printed, names) == set()

    from sim.api import run
    from sim.output.report import write_report

    results = run("first-reminder-timing", replications=1, arrivals__orders_per_day=100)
    page = write_report(
        tmp_path / "report.html", results.summary, results.units, [], title="报告",
        description="", diagram_mermaid="", lang="zh",
    ).read_text(encoding="utf-8")  # fmt: skip
    text = re.sub(r"<[^>]+>", " ", page.split("<body>")[1])
    assert "哪个策略最好" in text or "重复" in text
    assert english_words(text.replace("&#34;", ""), names) == set()


def test_a_chinese_run_of_a_swept_platform_reading_names_it_in_chinese(tmp_path: Path) -> None:
    """malicious-orders sweeps platform.rules_as: its columns, titles and answer read 文章时期规则
    and 今日规则, and no English word but the seller's own names is left (the values are not
    taken out as names here)."""
    command = [
        sys.executable, "-m", "sim", "run", "malicious-orders", "--lang", "zh",
        "--set", "scenario.arrival_days=7", "--replications", "2",
        "--out", str(tmp_path / "out"), "--no-plots",
    ]  # fmt: skip
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    names = {str(tmp_path / "out"), "malicious-orders"}
    names |= {key.split("@")[0] for key in summary["strategies"]}
    names |= _format_words(summary)
    printed = done.stdout + done.stderr
    assert "今日规则" in printed and "文章时期规则" in printed and "平台规则口径" in printed
    assert english_words(printed, names) == set()


def test_a_chinese_recommendation_says_each_swept_setting_in_chinese() -> None:
    """The opening sentence of every option of the bundled scenarios that sweep a word of the
    format (a platform reading, a preset, freight insurance) or set an after-sale policy."""
    from sim.cli_scenario import find_scenario
    from sim.experiment.results import sweep_key
    from sim.output.i18n import get_lang
    from sim.output.recommend import recommendation
    from sim.scenario.load import load_scenario
    from sim.scenario.paths import sweep_variants

    zh = get_lang("zh")
    for name, word in [
        ("malicious-orders", "今日规则"),
        ("stock-reservation", "文章时期规则"),
        ("out-of-stock-policy", "天猫"),
        ("refused-parcels-insurance", "运费险 = 是"),
    ]:
        scenario = load_scenario(find_scenario(name))
        names = {s.name for s in scenario.strategies}
        options = [
            sweep_key(s.name, value) for value, _ in sweep_variants(scenario)
            for s in scenario.strategies
        ]  # fmt: skip
        texts = [recommendation(scenario, option, None, True, zh) for option in options]
        texts.append(recommendation(scenario, options[0], options[-1], False, zh))
        assert any(word in text for text in texts), name
        for text in texts:
            assert "@" not in text.replace(" @ ", ""), text  # no option key: its words
            assert english_words(text, names) == set(), text


def test_robust_progress_in_chinese_names_its_batches_and_options_in_chinese() -> None:
    """Every title and unit label robust's progress bar shows (the first batch, each
    break-even search) under --lang zh: Chinese but for the seller's own names."""
    from sim.experiment.execution import Execution
    from sim.experiment.runner import RunSettings
    from sim.output.i18n import get_lang
    from sim.robust.cli import plan_robust, run_check
    from sim.scenario.load import scenario_from_dict

    segment = {"name": "all", "share": 1.0, "pays_unprompted": 0.5, "cancels": 0.0}
    segment |= {"response": {"sms": 0.2}, "annoyance": {"sms": 0.01}}
    scenario = scenario_from_dict(
        {
            "scenario": {"name": "flip", "seed": 3, "replications": 2, "arrival_days": 1},
            "arrivals": {"orders_per_day": 300},
            "shop": {"sms_cost": 6.0},  # SMS pays only when enough buyers answer (about 0.2)
            "segments": [segment],
            "strategies": [
                {"name": "none"},
                {"name": "sms", "reminders": [{"at": 2, "channel": "sms"}]},
            ],
        }
    )
    shown: list[str] = []

    class Recording(Execution):
        def __call__(self, variants, todo, title, label=None):  # type: ignore[override]
            shown.append(title)
            shown.extend(label(unit) for unit in todo)
            return super().__call__(variants, todo, title, label)

    plan = plan_robust(scenario, ["segments.all.response.sms=0.05:0.45"], 8, 2)
    run_check(scenario, plan, Recording(RunSettings()), None, get_lang("zh"))
    titles = set(shown) - {line for line in shown if "#" in line}
    assert "设定值、两端、联合设计" in titles
    assert any(title.startswith("寻找临界值: all 对短信的响应") for title in titles), titles
    assert english_words("\n".join(shown), {"none", "sms", "all"}) == set()

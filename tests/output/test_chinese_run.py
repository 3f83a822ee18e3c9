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
    names |= {str(value) for value in summary.get("sweep", {}).get("values", [])}
    # the scenario format's own keys and values (what the seller types), as the footing and
    # defaults-used lines name them
    for item in summary.get("assumptions", []) + summary.get("defaults_used", []):
        value = item["value"]
        names |= {item["key"], *(map(str, value.items() if isinstance(value, dict) else []))}
        names |= {
            str(part)
            for pair in (value.items() if isinstance(value, dict) else [])
            for part in pair
        }
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

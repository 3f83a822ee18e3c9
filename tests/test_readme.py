"""The Python API example (docs/api.md, linked from the README) runs as written (doctest), and
the README's Quickstart is what CI runs."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
API = ROOT / "docs" / "api.md"


def test_python_api_example(monkeypatch):
    monkeypatch.chdir(ROOT)  # the example names scenarios/ relative to the project
    assert "(docs/api.md)" in README.read_text(encoding="utf-8")
    result = doctest.testfile(
        str(API), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted >= 8
    assert result.failed == 0


def quickstart_lines() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Quickstart\n(.*?)^## ", text, re.S | re.M).group(1)
    block = re.search(r"^```\n(.*?)^```", section, re.S | re.M).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quickstart_has_two_commands_and_ci_runs_the_second():
    lines = quickstart_lines()
    assert len(lines) == 2
    assert "ordersim run scenarios/" in lines[0]
    scenario = lines[0].split("ordersim run ")[1].split()[0]
    assert (ROOT / scenario).is_file()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci

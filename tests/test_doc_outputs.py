"""The outputs the README, docs/ and the bundled scenarios' headers quote are what their
commands print today, and the README's scenario table answers as the headers do.

Every header's block has the form checked here; whether it is current needs a full run of its
scenario (20 replications, 3 to 140 s of CPU each), so the suite re-runs the two that cost
least (first-reminder-timing shares the README's run), and the README's and
docs/statistics.md's commands; docs/robust.md's (a robust check, minutes of CPU) has its form
checked. `python -m sim.doc_outputs --check` re-runs them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.doc_outputs import (
    DOCS,
    HEADER,
    README,
    SCENARIOS,
    TABLE,
    answer_cell,
    command_output,
    documents,
    header_block,
    header_blocks,
    quotes,
    render,
    render_table,
    stale,
)

SCENARIO_FILES = sorted(SCENARIOS.glob("*.toml"))
RERUN = ("first-reminder-timing", "presale-balance-last-day")  # the cheapest to re-run
# one run per command for the whole module: the README and first-reminder-timing's header
# quote the same command
OUTPUTS: dict[str, str] = {}


STATISTICS, ROBUST = DOCS


def commands(path: Path) -> list[str]:
    return [quote.command for quote in quotes(path.read_text(encoding="utf-8"))]


def test_readme_and_docs_quote_outputs_of_the_seller_commands() -> None:
    assert "ordersim run first-reminder-timing --brief" in commands(README)
    assert any("--select" in command for command in commands(STATISTICS))
    assert commands(ROBUST) == ["ordersim robust first-reminder-timing"]
    body = quotes(ROBUST.read_text(encoding="utf-8"))[0].body
    assert body.startswith("Recommendation: ") and "of the plausible range (64 points)" in body


def test_every_file_quoting_outputs_is_regenerated_the_readme_last() -> None:
    assert documents()[-1] == (README, False)
    assert {path for path, header in documents() if not header} == {README, *DOCS}
    assert {path for path, header in documents() if header} == set(SCENARIO_FILES)


@pytest.mark.parametrize("path", [README, STATISTICS], ids=lambda p: p.name)
def test_readme_and_docs_outputs_are_current(path: Path, tmp_path: Path) -> None:
    found = stale(path, False, tmp_path, OUTPUTS)
    assert not found, f"{path.name} outputs differ for {found}: run python -m sim.doc_outputs"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_scenario_header_quotes_its_own_answer(path: Path) -> None:
    head = path.read_text(encoding="utf-8").split("\n[scenario]")[0]
    blocks = quotes(head + "\n", HEADER)
    assert [b.command for b in blocks] == [f"ordersim run {path.stem} --brief"]
    assert "#| Answer\n" in blocks[0].body  # after any warning the file draws


@pytest.mark.parametrize("name", RERUN)
def test_scenario_header_outputs_are_current(name: str, tmp_path: Path) -> None:
    path = SCENARIOS / f"{name}.toml"
    found = stale(path, True, tmp_path, OUTPUTS)
    assert not found, f"{path.name}: header output differs: run python -m sim.doc_outputs"


def test_a_header_block_is_the_output_without_the_files_written() -> None:
    output = "Answer\nBest on x\n  vs baseline y\n\nwrote 9 files to results/a/\nopen b.html\n"
    assert header_block(output) == "#| Answer\n#| Best on x\n#|   vs baseline y\n#|\n"
    text = "# intro\n# Output: ordersim run a --brief\n#| old\n#| lines\n# after\n"
    block = quotes(text, HEADER)[0]
    assert block.command == "ordersim run a --brief" and block.body == "#| old\n#| lines\n"
    fresh = render(text, Path("."), header=True, outputs={"ordersim run a --brief": output})
    assert fresh == "# intro\n# Output: ordersim run a --brief\n" + header_block(output) + (
        "# after\n"
    )


def test_the_readme_table_has_a_row_per_bundled_scenario_answered_as_its_header() -> None:
    text = README.read_text(encoding="utf-8")
    table = TABLE.search(text)
    assert table is not None
    rows = [line for line in table["body"].splitlines() if line.startswith("| `")]
    assert sorted(row.split("`")[1] for row in rows) == [p.name for p in SCENARIO_FILES]
    assert render_table(text, header_blocks()) == text, "run python -m sim.doc_outputs"


def test_an_answer_cell_is_the_best_its_gain_and_the_runner_up() -> None:
    block = (
        "#| Answer\n#| Best on net profit per order: sms | 1\n"
        "#|   vs baseline none: +0.21 yuan [+0.19, +0.23]; paid orders +0.46 pp\n"
        "#|     [+0.43, +0.49]\n#|   ahead of the runner-up late by +0.02 yuan\n"
        "#|   what it costs vs baseline: +0.28 reminders per order\n"
    )
    assert answer_cell(block) == (
        "**sms \\| 1**; vs baseline none: +0.21 yuan [+0.19, +0.23]; paid orders +0.46 pp "
        "[+0.43, +0.49]; ahead of the runner-up late by +0.02 yuan"
    )
    words = "#| Recommendation: Text every order\n#|   (sms).\n"
    opened = block.replace("#| Answer\n", "#| Answer\n" + words)
    assert answer_cell(opened) == answer_cell(block)  # the recommendation in words is left out
    baseline_best = (
        "#| Answer\n#| Best on net profit per replication: keep @ articles, the baseline:\n"
        "#|   no strategy beats it\n#|   ahead of the runner-up close by +505 yuan\n"
    )
    assert answer_cell(baseline_best) == (
        "**keep @ articles, the baseline: no strategy beats it**; "
        "ahead of the runner-up close by +505 yuan"
    )
    text = (
        "<!-- scenario table: x -->\n| file | q | a |\n|---|---|---|\n"
        "| `a.toml` | Why? | old |\n| `b.toml` | How? | kept |\n<!-- end of scenario table -->\n"
    )
    fresh = render_table(text, {"a": block})
    assert "| `a.toml` | Why? | **sms \\| 1**; vs baseline none" in fresh
    assert "| `b.toml` | How? | kept |" in fresh


def test_a_quoted_command_must_be_ordersim(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must start with ordersim"):
        command_output("rm -rf results", tmp_path)

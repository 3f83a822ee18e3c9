"""The outputs the README quotes are what their commands print today."""

from __future__ import annotations

from pathlib import Path

from sim.doc_outputs import README, command_output, quotes, render


def test_readme_quotes_outputs_of_the_seller_commands() -> None:
    commands = [quote.command for quote in quotes(README.read_text(encoding="utf-8"))]
    assert "ordersim run first-reminder-timing --brief" in commands
    assert any("--select" in command for command in commands)


def test_readme_outputs_are_current(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    fresh = render(text, tmp_path)
    stale = [
        old.command
        for old, new in zip(quotes(text), quotes(fresh), strict=True)
        if old.body != new.body
    ]
    assert not stale, f"README outputs differ for {stale}: run python -m sim.doc_outputs"


def test_a_quoted_command_must_be_ordersim(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(ValueError, match="must start with ordersim"):
        command_output("rm -rf results", tmp_path)

"""Diagrams are generated from the machine, so they show every state and every edge."""

import pytest

from fsm import INITIAL, STATES, TERMINAL, compiled_table, render, render_text

EDGES = compiled_table().edges()


def test_mermaid_has_every_state_and_edge() -> None:
    text = render("mermaid")
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert f"    [*] --> {INITIAL}" in lines
    for state in STATES:
        assert state in text
    for state in TERMINAL:
        assert f"    {state} --> [*]" in lines
    for src, trigger, dst in EDGES:
        assert f"    {src} --> {dst} : {trigger}" in lines
    assert "    reminded --> reminded : remind" in lines
    assert render() == text


def test_dot_has_every_state_and_edge() -> None:
    text = render("dot")
    lines = text.splitlines()
    assert lines[0].startswith("digraph")
    assert lines[-1] == "}"
    for state in STATES:
        assert state in text
    for state in TERMINAL:
        assert f"    {state} [shape=doublecircle];" in lines
    for src, trigger, dst in EDGES:
        assert f'    {src} -> {dst} [label="{trigger}"];' in lines
    assert f"    __start__ -> {INITIAL};" in lines


def test_edge_count_matches_table() -> None:
    assert sum(" : " in line for line in render("mermaid").splitlines()) == len(EDGES)
    assert sum('label="' in line and "->" in line for line in render("dot").splitlines()) == len(
        EDGES
    )


def test_text_reads_aloud() -> None:
    text = render_text()
    assert "from unpaid, remind goes to reminded" in text
    assert render("text") == text


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown diagram format 'svg'"):
        render("svg")

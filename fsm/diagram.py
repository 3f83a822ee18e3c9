"""Diagrams of the lifecycle, generated from the compiled table so they cannot drift from it."""

from __future__ import annotations

from collections.abc import Callable

from fsm.definition import INITIAL
from fsm.table import TransitionTable, compiled_table

__all__ = ["render", "render_text"]


def _terminal_states(table: TransitionTable) -> list[str]:
    return [name for name, end in zip(table.states, table.terminal, strict=True) if end]


def _mermaid(table: TransitionTable) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {INITIAL}"]
    lines += [f"    {src} --> {dst} : {trigger}" for src, trigger, dst in table.edges()]
    lines += [f"    {name} --> [*]" for name in _terminal_states(table)]
    return "\n".join(lines) + "\n"


def _dot(table: TransitionTable) -> str:
    lines = [
        "digraph order_lifecycle {",
        "    rankdir=LR;",
        "    node [shape=circle];",
        '    __start__ [shape=point, label=""];',
    ]
    lines += [f"    {name} [shape=doublecircle];" for name in _terminal_states(table)]
    lines.append(f"    __start__ -> {INITIAL};")
    lines += [f'    {src} -> {dst} [label="{trigger}"];' for src, trigger, dst in table.edges()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_text(table: TransitionTable | None = None) -> str:
    """The table as sentences a seller could read aloud, one transition per line."""
    table = table or compiled_table()
    lines = [f"from {src}, {trigger} goes to {dst}" for src, trigger, dst in table.edges()]
    lines.append(f"an order starts {INITIAL} and ends " + ", ".join(_terminal_states(table)))
    return "\n".join(lines) + "\n"


_RENDERERS: dict[str, Callable[[TransitionTable], str]] = {
    "mermaid": _mermaid,
    "dot": _dot,
    "text": render_text,
}


def render(fmt: str = "mermaid", table: TransitionTable | None = None) -> str:
    """Render the lifecycle as ``mermaid`` (stateDiagram-v2), graphviz ``dot`` or ``text``."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown diagram format {fmt!r} (expected {', '.join(_RENDERERS)})"
        ) from None
    return renderer(table or compiled_table())

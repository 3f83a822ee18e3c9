"""The order lifecycle: one declarative table, a ``transitions`` reference machine, and the
compiled integer table the simulation engine steps on its hot path.

Importing this package does no work; the table is compiled on the first ``compiled_table()``.
"""

from fsm.definition import CANCEL_TRIGGERS, INITIAL, STATES, TERMINAL, TRANSITIONS, TRIGGERS
from fsm.diagram import render, render_text
from fsm.machine import IllegalTransition, Order, build_machine
from fsm.table import ILLEGAL, TransitionTable, compile_machine, compiled_table

__all__ = [
    "CANCEL_TRIGGERS",
    "ILLEGAL",
    "INITIAL",
    "STATES",
    "TERMINAL",
    "TRANSITIONS",
    "TRIGGERS",
    "IllegalTransition",
    "Order",
    "TransitionTable",
    "build_machine",
    "compile_machine",
    "compiled_table",
    "render",
    "render_text",
]

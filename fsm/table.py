"""The lifecycle compiled to integer arrays for the engine's hot path.

The ``transitions`` machine manages a few hundred orders per second; the engine needs millions
of steps. So the machine is compiled once, by introspecting it, into a dense next-state table:
what the table allows is provably what ``transitions`` allows.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from transitions import Machine

from fsm.definition import TERMINAL
from fsm.machine import IllegalTransition, build_machine

__all__ = ["ILLEGAL", "TransitionTable", "compile_machine", "compiled_table"]

ILLEGAL = -1  # marks a (state, trigger) pair with no transition


@dataclass(frozen=True, eq=False)
class TransitionTable:
    """Dense next-state table: ``next[state, trigger]`` is the target id or ``ILLEGAL``.

    ``next_rows`` holds the same numbers as nested tuples because scalar tuple indexing is several
    times faster than numpy scalar indexing. Arrays are read-only and the id maps are read-only
    views, so the shared cached instance cannot be altered by accident. ``eq=False``: tables
    compare by identity (arrays have no single truth value).
    """

    states: tuple[str, ...]
    triggers: tuple[str, ...]
    next: np.ndarray
    next_rows: tuple[tuple[int, ...], ...]
    terminal: np.ndarray
    state_id: Mapping[str, int]
    trigger_id: Mapping[str, int]

    def step(self, state: int, trigger: int, order_id: Any = None) -> int:
        """Return the state after ``trigger``; ids come from ``state_id``/``trigger_id``."""
        target = self.next_rows[state][trigger]
        if target < 0:
            raise IllegalTransition(order_id, self.states[state], self.triggers[trigger])
        return target

    def step_many(
        self, states: np.ndarray, trigger: int, order_ids: np.ndarray | None = None
    ) -> np.ndarray:
        """Apply one trigger to many orders at once; all of them must allow it.

        Raises :class:`IllegalTransition` for the first offending entry, named by ``order_ids``
        when given and by its position otherwise. Returns a new int8 array.
        """
        targets = self.next[np.asarray(states), trigger]
        illegal = targets < 0
        if illegal.any():
            first = int(np.argmax(illegal))
            order_id = first if order_ids is None else np.asarray(order_ids)[first].item()
            state = int(np.asarray(states)[first])
            raise IllegalTransition(order_id, self.states[state], self.triggers[trigger])
        return targets

    def edges(self) -> list[tuple[str, str, str]]:
        """Every legal transition as (source, trigger, target), in state then trigger order."""
        return [
            (self.states[s], self.triggers[t], self.states[target])
            for s, row in enumerate(self.next_rows)
            for t, target in enumerate(row)
            if target >= 0
        ]

    def is_terminal(self, state: int) -> bool:
        """True if the state id is one where the order's story ends."""
        return bool(self.terminal[state])


def compile_machine(machine: Machine, terminal: frozenset[str] = TERMINAL) -> TransitionTable:
    """Compile a ``transitions`` machine by reading its events, not the raw definition.

    Conditional or internal transitions would make the table ambiguous, so they are rejected.
    """
    states = tuple(machine.states)
    triggers = tuple(machine.events)
    state_id = {name: i for i, name in enumerate(states)}
    trigger_id = {name: i for i, name in enumerate(triggers)}
    if len(states) > np.iinfo(np.int8).max:
        raise ValueError(f"{len(states)} states do not fit the int8 table")
    table = np.full((len(states), len(triggers)), ILLEGAL, dtype=np.int8)
    for trigger, event in machine.events.items():
        for source, candidates in event.transitions.items():
            if len(candidates) != 1:
                raise ValueError(f"{trigger!r} from {source!r} has {len(candidates)} transitions")
            (transition,) = candidates
            if transition.dest is None or transition.conditions:
                raise ValueError(f"{trigger!r} from {source!r} is internal or conditional")
            table[state_id[source], trigger_id[trigger]] = state_id[transition.dest]
    unknown = set(terminal) - set(states)
    if unknown:
        raise ValueError(f"terminal states {sorted(unknown)} are not states of the machine")
    is_terminal = np.array([name in terminal for name in states], dtype=bool)
    table.flags.writeable = False
    is_terminal.flags.writeable = False
    return TransitionTable(
        states=states,
        triggers=triggers,
        next=table,
        next_rows=tuple(tuple(int(x) for x in row) for row in table),
        terminal=is_terminal,
        state_id=MappingProxyType(state_id),
        trigger_id=MappingProxyType(trigger_id),
    )


@functools.cache
def compiled_table() -> TransitionTable:
    """The lifecycle's table, compiled on first use and shared afterwards."""
    return compile_machine(build_machine())

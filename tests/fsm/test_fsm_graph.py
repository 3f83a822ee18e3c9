"""The lifecycle is a sound story: every state is reachable and every order can end."""

import pytest

from fsm import INITIAL, STATES, TERMINAL, compiled_table

EDGES = compiled_table().edges()


def reachable_from(start: str) -> set[str]:
    seen, frontier = {start}, [start]
    while frontier:
        here = frontier.pop()
        for src, _, dst in EDGES:
            if src == here and dst not in seen:
                seen.add(dst)
                frontier.append(dst)
    return seen


def test_every_state_reachable_from_placed() -> None:
    assert reachable_from(INITIAL) == set(STATES)


@pytest.mark.parametrize("state", [s for s in STATES if s not in TERMINAL])
def test_non_terminal_state_can_end(state: str) -> None:
    assert reachable_from(state) & TERMINAL


@pytest.mark.parametrize("state", sorted(TERMINAL))
def test_terminal_state_has_no_way_out(state: str) -> None:
    table = compiled_table()
    assert [e for e in EDGES if e[0] == state] == []
    assert (table.next[table.state_id[state]] < 0).all()
    assert table.is_terminal(table.state_id[state])


def test_non_terminal_states_have_a_way_out() -> None:
    table = compiled_table()
    for state in STATES:
        has_exit = any(e[0] == state for e in EDGES)
        assert has_exit == (state not in TERMINAL)
        assert table.is_terminal(table.state_id[state]) == (state in TERMINAL)


def test_only_remind_loops() -> None:
    assert [(s, t) for s, t, d in EDGES if s == d] == [("reminded", "remind")]


def test_nothing_leads_back_to_placed() -> None:
    assert all(dst != INITIAL for _, _, dst in EDGES)

"""The declarative table says exactly what the brief says, and nothing is computed at import."""

import subprocess
import sys

from fsm import CANCEL_TRIGGERS, INITIAL, STATES, TERMINAL, TRANSITIONS, TRIGGERS
from fsm.definition import STATES as DEF_STATES

EXPECTED = {
    ("placed", "await_payment", "unpaid"),
    ("unpaid", "remind", "reminded"),
    ("reminded", "remind", "reminded"),
    ("unpaid", "pay", "paid"),
    ("reminded", "pay", "paid"),
    ("unpaid", "cancel_by_buyer", "cancelled"),
    ("reminded", "cancel_by_buyer", "cancelled"),
    ("unpaid", "close_by_seller", "cancelled"),
    ("reminded", "close_by_seller", "cancelled"),
    ("unpaid", "auto_close", "cancelled"),
    ("reminded", "auto_close", "cancelled"),
    ("paid", "ship", "shipped"),
    ("paid", "refund", "refunded"),
    ("refused", "refund", "refunded"),
    ("shipped", "deliver", "delivered"),
    ("shipped", "refuse", "refused"),
    ("delivered", "return_goods", "refunded"),
    ("delivered", "confirm", "completed"),
    ("delivered", "open_dispute", "disputed"),
    ("disputed", "settle_for_seller", "completed"),
    ("disputed", "settle_for_buyer", "refunded"),
    ("delivered", "charge_back", "refunded"),
}


def _flatten() -> set[tuple[str, str, str]]:
    edges = set()
    for t in TRANSITIONS:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        edges.update((src, t["trigger"], t["dest"]) for src in sources)
    return edges


def test_states_in_order() -> None:
    assert STATES == (
        "placed",
        "unpaid",
        "reminded",
        "paid",
        "cancelled",
        "shipped",
        "delivered",
        "refused",
        "disputed",
        "refunded",
        "completed",
    )
    assert DEF_STATES is STATES


def test_initial_and_terminal() -> None:
    assert INITIAL == "placed"
    assert frozenset({"cancelled", "refunded", "completed"}) == TERMINAL
    assert set(STATES) >= TERMINAL


def test_transitions_are_exactly_the_brief() -> None:
    assert _flatten() == EXPECTED
    assert all(set(t) == {"trigger", "source", "dest"} for t in TRANSITIONS)


def test_triggers_in_first_appearance_order() -> None:
    assert tuple(dict.fromkeys(t["trigger"] for t in TRANSITIONS)) == TRIGGERS


def test_cancel_triggers() -> None:
    assert CANCEL_TRIGGERS == {
        "buyer": "cancel_by_buyer",
        "seller": "close_by_seller",
        "auto_close": "auto_close",
    }
    assert set(CANCEL_TRIGGERS.values()) <= set(TRIGGERS)


def test_domain_states_kept_under_their_names() -> None:
    """docs/rules.md: seven states every design must keep under these names."""
    required = {"placed", "unpaid", "reminded", "paid", "cancelled", "refused", "disputed"}
    assert required <= set(STATES)


def test_every_state_and_trigger_used() -> None:
    edges = _flatten()
    assert {s for s, _, _ in edges} | {d for _, _, d in edges} == set(STATES)
    assert {t for _, t, _ in edges} == set(TRIGGERS)


def test_import_does_no_work() -> None:
    """Importing the package must not compile the table (STYLE: nothing happens at import)."""
    code = (
        "import fsm, fsm.table\n"
        "assert fsm.table.compiled_table.cache_info().currsize == 0\n"
        "fsm.compiled_table()\n"
        "assert fsm.table.compiled_table.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

"""Every (state, trigger) pair behaves the same on the Order model and on the compiled table."""

import itertools
import pickle
from collections import deque
from types import SimpleNamespace

import numpy as np
import pytest

from fsm import (
    INITIAL,
    STATES,
    TERMINAL,
    TRIGGERS,
    IllegalTransition,
    Order,
    build_machine,
    compiled_table,
)

TABLE = compiled_table()
LEGAL = {(src, trigger): dst for src, trigger, dst in TABLE.edges()}
ILLEGAL_PAIRS = [p for p in itertools.product(STATES, TRIGGERS) if p not in LEGAL]


def path_to(state: str) -> list[str]:
    """Shortest trigger sequence from the initial state to ``state``."""
    paths = {INITIAL: []}
    queue = deque([INITIAL])
    while queue:
        here = queue.popleft()
        for (src, trigger), dst in LEGAL.items():
            if src == here and dst not in paths:
                paths[dst] = [*paths[here], trigger]
                queue.append(dst)
    return paths[state]


def order_in(state: str, order_id: int = 17) -> Order:
    order = Order(order_id=order_id)
    for trigger in path_to(state):
        order.fire(trigger)
    assert order.state == state
    return order


def test_table_matches_machine_and_counts() -> None:
    assert TABLE.states == STATES
    assert TABLE.triggers == TRIGGERS
    assert TABLE.next.shape == (len(STATES), len(TRIGGERS))
    assert TABLE.next.dtype == np.int8
    assert len(LEGAL) == 22
    assert len(ILLEGAL_PAIRS) == len(STATES) * len(TRIGGERS) - 22
    assert TABLE.next_rows == tuple(tuple(int(x) for x in row) for row in TABLE.next)
    assert [TABLE.states[i] for i in np.flatnonzero(TABLE.terminal)] == [
        s for s in STATES if s in TERMINAL
    ]


def test_table_is_read_only_and_cached() -> None:
    assert compiled_table() is TABLE
    with pytest.raises(ValueError):
        TABLE.next[0, 0] = 3
    with pytest.raises(TypeError):
        TABLE.state_id["paid"] = 0  # type: ignore[index]


@pytest.mark.parametrize(("source", "trigger"), sorted(LEGAL))
def test_legal_transition_on_order(source: str, trigger: str) -> None:
    order = order_in(source)
    assert order.fire(trigger) == LEGAL[source, trigger]
    assert order.history[-1] == (trigger, source, LEGAL[source, trigger])


@pytest.mark.parametrize(("source", "trigger"), sorted(LEGAL))
def test_legal_transition_as_method(source: str, trigger: str) -> None:
    order = order_in(source)
    assert getattr(order, trigger)() is True
    assert order.state == LEGAL[source, trigger]


@pytest.mark.parametrize(("source", "trigger"), sorted(LEGAL))
def test_legal_transition_on_table(source: str, trigger: str) -> None:
    got = TABLE.step(TABLE.state_id[source], TABLE.trigger_id[trigger])
    assert TABLE.states[got] == LEGAL[source, trigger]


def _assert_names(err: IllegalTransition, order_id: object, state: str, trigger: str) -> None:
    assert (err.order_id, err.state, err.trigger) == (order_id, state, trigger)
    assert str(err) == f"order {order_id}: cannot {trigger!r} from {state!r}"


@pytest.mark.parametrize(("state", "trigger"), ILLEGAL_PAIRS)
def test_illegal_pair_refused_by_order(state: str, trigger: str) -> None:
    order = order_in(state)
    before = list(order.history)
    with pytest.raises(IllegalTransition) as fired:
        order.fire(trigger)
    _assert_names(fired.value, 17, state, trigger)
    with pytest.raises(IllegalTransition) as called:
        getattr(order, trigger)()
    _assert_names(called.value, 17, state, trigger)
    assert order.state == state
    assert order.history == before


@pytest.mark.parametrize(("state", "trigger"), ILLEGAL_PAIRS)
def test_illegal_pair_refused_by_table(state: str, trigger: str) -> None:
    with pytest.raises(IllegalTransition) as info:
        TABLE.step(TABLE.state_id[state], TABLE.trigger_id[trigger], order_id=17)
    _assert_names(info.value, 17, state, trigger)


def test_unknown_trigger_is_illegal() -> None:
    order = Order(order_id=3)
    with pytest.raises(IllegalTransition, match="order 3: cannot 'teleport' from 'placed'"):
        order.fire("teleport")


def test_error_without_order_id_and_pickling() -> None:
    err = IllegalTransition(None, "paid", "pay")
    assert str(err) == "order: cannot 'pay' from 'paid'"
    assert isinstance(err, RuntimeError)
    copy = pickle.loads(pickle.dumps(IllegalTransition(5, "paid", "pay")))
    assert (copy.order_id, copy.state, copy.trigger, str(copy)) == (
        5,
        "paid",
        "pay",
        "order 5: cannot 'pay' from 'paid'",
    )


def test_build_machine_on_any_model_raises_illegal_transition() -> None:
    model = SimpleNamespace(order_id=9)
    machine = build_machine(model=model)
    assert machine.auto_transitions is False
    assert model.state == "placed"
    with pytest.raises(IllegalTransition, match="order 9: cannot 'ship' from 'placed'"):
        model.ship()
    assert build_machine().models == []


@pytest.mark.parametrize(
    ("reason", "trigger"),
    [("buyer", "cancel_by_buyer"), ("seller", "close_by_seller"), ("auto_close", "auto_close")],
)
def test_cancel_by_reason(reason: str, trigger: str) -> None:
    order = order_in("reminded")
    assert order.cancel(reason) == "cancelled"
    assert order.is_terminal
    assert order.history[-1] == (trigger, "reminded", "cancelled")


def test_cancel_unknown_reason_and_after_payment() -> None:
    with pytest.raises(ValueError, match="unknown cancel reason 'weather'"):
        order_in("unpaid").cancel("weather")
    with pytest.raises(IllegalTransition, match="cannot 'cancel_by_buyer' from 'paid'"):
        order_in("paid").cancel("buyer")


def test_history_records_self_loop_and_full_story() -> None:
    order = Order(order_id=1)
    for trigger in ["await_payment", "remind", "remind", "pay", "ship", "deliver", "confirm"]:
        order.fire(trigger)
    assert order.history == [
        ("await_payment", "placed", "unpaid"),
        ("remind", "unpaid", "reminded"),
        ("remind", "reminded", "reminded"),
        ("pay", "reminded", "paid"),
        ("ship", "paid", "shipped"),
        ("deliver", "shipped", "delivered"),
        ("confirm", "delivered", "completed"),
    ]
    assert order.is_terminal
    assert repr(order) == "Order(order_id=1, state='completed')"


def test_orders_are_independent() -> None:
    first, second = Order(1), Order(2)
    first.fire("await_payment")
    assert (first.state, second.state) == ("unpaid", "placed")
    assert second.history == []


def test_step_many_names_first_offender() -> None:
    sid, tid = TABLE.state_id, TABLE.trigger_id
    states = np.array([sid["unpaid"], sid["reminded"], sid["paid"], sid["placed"]])
    with pytest.raises(IllegalTransition) as info:
        TABLE.step_many(states, tid["pay"], order_ids=np.array([10, 11, 12, 13]))
    _assert_names(info.value, 12, "paid", "pay")
    with pytest.raises(IllegalTransition) as info:
        TABLE.step_many(states, tid["pay"])
    _assert_names(info.value, 2, "paid", "pay")
    ok = TABLE.step_many(states[:2], tid["pay"])
    assert ok.tolist() == [sid["paid"], sid["paid"]]
    assert TABLE.step_many(np.array([], dtype=np.int8), tid["pay"]).size == 0

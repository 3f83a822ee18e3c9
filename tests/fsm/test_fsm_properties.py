"""Property tests: the compiled table is the ``transitions`` machine, step for step."""

import contextlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from fsm import INITIAL, STATES, TRIGGERS, IllegalTransition, Order, compiled_table

TABLE = compiled_table()
trigger_sequences = st.lists(st.sampled_from(TRIGGERS), max_size=30)


@settings(max_examples=300, deadline=None)
@given(triggers=trigger_sequences)
def test_order_and_table_agree_step_by_step(triggers: list[str]) -> None:
    order = Order(order_id=42)
    state = TABLE.state_id[INITIAL]
    for trigger in triggers:
        try:
            expected = TABLE.step(state, TABLE.trigger_id[trigger], order_id=42)
        except IllegalTransition as table_err:
            try:
                order.fire(trigger)
            except IllegalTransition as order_err:
                assert str(order_err) == str(table_err)
            else:
                raise AssertionError(f"table refused {trigger!r} from {order.state!r}") from None
            assert TABLE.states[state] == order.state
            continue
        assert order.fire(trigger) == TABLE.states[expected]
        state = expected
    assert order.is_terminal == bool(TABLE.terminal[state])


@settings(max_examples=200, deadline=None)
@given(triggers=trigger_sequences)
def test_history_replays_on_table(triggers: list[str]) -> None:
    order = Order()
    for trigger in triggers:
        with contextlib.suppress(IllegalTransition):
            order.fire(trigger)
    state = TABLE.state_id[INITIAL]
    for trigger, source, target in order.history:
        assert TABLE.states[state] == source
        state = TABLE.step(state, TABLE.trigger_id[trigger])
        assert TABLE.states[state] == target
    assert TABLE.states[state] == order.state


state_arrays = hnp.arrays(
    dtype=st.sampled_from([np.int8, np.int16, np.int64]),
    shape=st.integers(min_value=0, max_value=50),
    elements=st.integers(min_value=0, max_value=len(STATES) - 1),
)


@settings(max_examples=300, deadline=None)
@given(states=state_arrays, trigger=st.integers(min_value=0, max_value=len(TRIGGERS) - 1))
def test_step_many_agrees_with_step(states: np.ndarray, trigger: int) -> None:
    order_ids = np.arange(100, 100 + states.size)
    expected = []
    first_error = None
    for state, order_id in zip(states.tolist(), order_ids.tolist(), strict=True):
        try:
            expected.append(TABLE.step(state, trigger, order_id=order_id))
        except IllegalTransition as err:
            first_error = first_error or err
            expected.append(None)
    if first_error is None:
        got = TABLE.step_many(states, trigger, order_ids=order_ids)
        assert got.tolist() == expected
        assert got.shape == states.shape
    else:
        try:
            TABLE.step_many(states, trigger, order_ids=order_ids)
        except IllegalTransition as err:
            assert (err.order_id, err.state, err.trigger) == (
                first_error.order_id,
                first_error.state,
                first_error.trigger,
            )
        else:
            raise AssertionError("step_many accepted an illegal entry")

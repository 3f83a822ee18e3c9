"""The order lifecycle as a ``transitions`` machine: the reference behaviour.

This is slow (a few hundred orders per second) and meant for tests, notebooks and for compiling
the fast table in :mod:`fsm.table`. Every refused trigger surfaces as :class:`IllegalTransition`,
whether it was fired by name or called as a method (``order.pay()``).
"""

from __future__ import annotations

from typing import Any

from transitions import Event, EventData, Machine, MachineError

from fsm.definition import CANCEL_TRIGGERS, INITIAL, STATES, TERMINAL, TRANSITIONS

__all__ = ["IllegalTransition", "Order", "build_machine"]


class IllegalTransition(RuntimeError):
    """A trigger fired from a state that has no such transition.

    The message names the order, the state and the trigger, because an engine bug shows up as
    exactly one of those being wrong.
    """

    def __init__(self, order_id: Any, state: str, trigger: str) -> None:
        self.order_id = order_id
        self.state = state
        self.trigger = trigger
        who = "order" if order_id is None else f"order {order_id}"
        super().__init__(f"{who}: cannot {trigger!r} from {state!r}")

    def __reduce__(self) -> tuple[type[IllegalTransition], tuple[Any, str, str]]:
        # keep the exception picklable (it may cross process boundaries in parallel runs)
        return (type(self), (self.order_id, self.state, self.trigger))


class _GuardedEvent(Event):
    """A ``transitions`` event that reports a refused trigger as :class:`IllegalTransition`."""

    def trigger(self, model: Any, *args: Any, **kwargs: Any) -> bool:
        try:
            return super().trigger(model, *args, **kwargs)
        except MachineError as err:
            state = self.machine.get_model_state(model).name
            raise IllegalTransition(getattr(model, "order_id", None), state, self.name) from err


class _OrderMachine(Machine):
    """``Machine`` whose events raise :class:`IllegalTransition` instead of ``MachineError``."""

    event_cls = _GuardedEvent


def build_machine(model: Any = None) -> Machine:
    """Build the lifecycle machine from :mod:`fsm.definition`, bound to ``model`` if given.

    ``send_event=True`` so that machine-level callbacks receive the transition that ran.
    """
    return _OrderMachine(
        model=model,
        states=list(STATES),
        transitions=[dict(t) for t in TRANSITIONS],
        initial=INITIAL,
        auto_transitions=False,
        ignore_invalid_triggers=False,
        send_event=True,
    )


class Order:
    """One order driven by the ``transitions`` machine, with its history.

    Triggers can be fired by name (``order.fire("pay")``) or called as methods (``order.pay()``);
    both raise :class:`IllegalTransition` when the lifecycle forbids them.
    """

    state: str

    def __init__(self, order_id: Any = 0) -> None:
        self.order_id = order_id
        self.history: list[tuple[str, str, str]] = []
        self.machine = build_machine(model=self)
        self.machine.after_state_change = [self._record]

    def __repr__(self) -> str:
        return f"Order(order_id={self.order_id!r}, state={self.state!r})"

    def _record(self, event: EventData) -> None:
        # called by transitions after every successful trigger, including remind's self-loop
        self.history.append((event.event.name, event.transition.source, event.transition.dest))

    def fire(self, trigger: str) -> str:
        """Fire ``trigger`` and return the new state; unknown triggers are illegal too."""
        event = self.machine.events.get(trigger)
        if event is None:
            raise IllegalTransition(self.order_id, self.state, trigger)
        event.trigger(self)
        return self.state

    def cancel(self, reason: str) -> str:
        """Cancel an unpaid order; ``reason`` says who: buyer, seller or auto_close."""
        try:
            trigger = CANCEL_TRIGGERS[reason]
        except KeyError:
            choices = ", ".join(CANCEL_TRIGGERS)
            raise ValueError(f"unknown cancel reason {reason!r} (expected {choices})") from None
        return self.fire(trigger)

    @property
    def is_terminal(self) -> bool:
        """True once nothing more can happen to the order."""
        return self.state in TERMINAL

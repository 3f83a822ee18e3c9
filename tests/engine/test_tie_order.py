"""The event loop's contract: same-instant events run in a fixed order, the past is refused."""

from __future__ import annotations

import pytest
from simpy.events import NORMAL

from sim.engine.clock import END_PRIORITY, PLACE_PRIORITY, REMINDER_PRIORITY, OrderEnvironment
from sim.engine.outcome import End


def test_same_instant_events_run_placement_payment_cancel_close_autoclose_reminder():
    env = OrderEnvironment()
    ran: list[str] = []
    # queued in the reverse of the order they must run in, at one instant
    plan = [
        ("reminder", REMINDER_PRIORITY),
        ("auto-close", END_PRIORITY[End.AUTO_CLOSED]),
        ("seller close", END_PRIORITY[End.SELLER_CLOSED]),
        ("buyer cancel", END_PRIORITY[End.BUYER_CANCELLED]),
        ("payment", END_PRIORITY[End.PAID]),
        ("placement", PLACE_PRIORITY),
    ]
    for name, priority in plan:
        env.schedule_at(5.0, lambda _e, name=name: ran.append(name), priority)
    env.run()
    assert ran == [name for name, _ in reversed(plan)]
    assert env.now == 5.0


def test_reminders_share_simpy_normal_priority_and_keep_their_queueing_order():
    env = OrderEnvironment()
    ran: list[str] = []
    env.schedule_at(2.0, lambda _e: ran.append("first reminder"), REMINDER_PRIORITY)
    env.timeout(2.0).callbacks.append(lambda _e: ran.append("agent timeout"))
    env.schedule_at(2.0, lambda _e: ran.append("second reminder"), REMINDER_PRIORITY)
    env.run()
    assert REMINDER_PRIORITY == NORMAL
    assert ran == ["first reminder", "agent timeout", "second reminder"]


def test_exact_times_are_kept_and_the_past_is_refused():
    env = OrderEnvironment()
    seen: list[float] = []
    when = 0.1 + 0.2  # not representable as now + delay without care
    env.schedule_at(when, lambda _e: seen.append(env.now))
    env.run()
    assert seen == [when]
    with pytest.raises(ValueError, match="before the current time"):
        env.schedule_at(when - 1e-9, lambda _e: None)

"""Quiet hours read as a reminder tool's sending window: "not between 22:00 and 08:00, otherwise
at 08:00" (shop.quiet_hours = [22, 8]), on both engines."""

from __future__ import annotations

import numpy as np
import pytest
from test_round_rules import late_evening, remind_and_pay_times

from sim.docs import format_markdown


@pytest.mark.parametrize("engine", ["fast", "simpy"])
def test_a_step_due_before_0800_goes_out_at_0800_and_later_ones_on_time(engine):
    # orders placed 23:00-24:00, an SMS 8.5 h later: due 07:30-08:30 on day two; those due
    # before 08:00 are sent at 08:00 (hour 32), the others when due
    step = {"at": 8.5, "channel": "sms"}
    data = late_evening(strategies=[{"name": "s", "reminders": [step]}])
    reminded, _ = remind_and_pay_times(data, engine)
    assert reminded.size > 20
    assert reminded.min() == 32.0
    held = np.count_nonzero(reminded == 32.0)
    assert 0 < held < reminded.size  # some held to 08:00, some sent when due
    assert np.all((reminded == 32.0) | ((reminded > 32.0) & (reminded < 32.5)))


def test_the_format_reference_says_it_in_the_tools_terms():
    text = format_markdown()
    row = next(line for line in text.splitlines() if line.startswith("| `quiet_hours` |"))
    assert "not between 22:00 and 08:00, otherwise at 08:00" in row

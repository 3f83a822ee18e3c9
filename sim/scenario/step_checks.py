"""Load checks on reminder steps that need the whole scenario: targeting, staff, reachability.

Errors: an `only_if` that cannot be read (price_min above price_max, `not_reached_by` naming a
step that does not come earlier) and phone or IM steps with no agent to make them. Warnings:
a step no order can ever receive, because it falls at or after the platform's auto-close
(directly, or pushed there by the shop's quiet hours) or because its `only_if` matches nobody.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np

from sim.errors import Problem
from sim.scenario.hours import in_window, release_after
from sim.scenario.kinds import close_hours
from sim.scenario.models import Scenario
from sim.scenario.strategies import ReminderStep

__all__ = [
    "agent_problems",
    "only_if_problems",
    "strategy_key",
    "strategy_keys",
    "unsendable_step_warnings",
]

_AGENT_CHANNELS = ("phone", "im")
# placement clock times tried by the reachability warning: every minute of the day (midpoints)
_GRID = (np.arange(24 * 60) + 0.5) / 60.0


def only_if_problems(scenario: Scenario, source: str) -> Iterator[Problem]:
    """Conditions that contradict themselves or point at a step that is not earlier."""
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        for j, step in enumerate(strategy.reminders):
            cond = step.only_if
            if cond is None:
                continue
            where = f"strategies.{keys[i]}.reminders.{j}.only_if"
            low, high = cond.price_min, cond.price_max
            if low is not None and high is not None and low > high:
                yield Problem(
                    source, f"{where}.price_min", f"must not exceed price_max ({high:g})", low
                )
            k = cond.not_reached_by
            if k is not None and k >= j:
                message = (
                    "step 0 has no earlier step to wait for"
                    if j == 0
                    else f"must be the index of an earlier step of this strategy (0 to {j - 1})"
                )
                yield Problem(source, f"{where}.not_reached_by", message, k)


def _channels(step: ReminderStep, scenario: Scenario) -> set[str]:
    """The channels this step uses for the segments that place orders."""
    used = {step.channel_for(s.name) for s in scenario.segments if s.share > 0}
    return {c for c in used if c is not None}


def agent_problems(scenario: Scenario, source: str) -> Iterator[Problem]:
    """Phone and IM reminders are made by agents: none on the staff is a mistake."""
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        for j, step in enumerate(strategy.reminders):
            used = sorted(_channels(step, scenario) & set(_AGENT_CHANNELS))
            if not used:
                continue
            where = f"strategies.{keys[i]}.reminders.{j} uses {' and '.join(used)}"
            if scenario.staff.agents == 0:
                message = f"phone and IM reminders need at least one agent ({where})"
                yield Problem(source, "staff.agents", message, 0)
            if not _shift_outside_quiet(scenario):
                message = (
                    f"the whole shift falls inside shop.quiet_hours: no call or chat ({where})"
                )
                yield Problem(source, "staff.on_duty", message, list(scenario.staff.on_duty))
            return


def strategy_keys(scenario: Scenario) -> list[str]:
    """Every strategy as error paths name it: by its name when that is unambiguous, else by
    its index. Computed once per check (a count per name), so many strategies stay linear."""
    counts = Counter(s.name for s in scenario.strategies)
    return [
        s.name if counts[s.name] == 1 and not s.name.isdigit() and "." not in s.name else str(i)
        for i, s in enumerate(scenario.strategies)
    ]


def strategy_key(scenario: Scenario, i: int) -> str:
    """Strategy ``i`` as error paths name it (one lookup; loops use `strategy_keys`)."""
    return strategy_keys(scenario)[i]


def _shift_outside_quiet(scenario: Scenario) -> bool:
    """Whether agents have some on-duty minute outside the shop's quiet hours."""
    start, end = scenario.staff.on_duty
    minutes = np.arange(start, end, 1.0 / 60.0)
    return bool((~in_window(minutes, scenario.shop.quiet_hours)).any())


def _placement_grid(scenario: Scenario, step: ReminderStep) -> np.ndarray:
    """Clock times of day at which an order this step is aimed at can be placed."""
    weights = np.asarray(scenario.arrivals.hourly_weights)
    grid = _GRID[weights[_GRID.astype(int)] > 0]
    if step.only_if is not None and step.only_if.placed_hours is not None:
        grid = grid[in_window(grid, step.only_if.placed_hours)]
    return grid


def _matches_nobody(scenario: Scenario, step: ReminderStep) -> tuple[str, str, object] | None:
    """The only_if key that matches no order, why, and its value (None when some order does)."""
    cond = step.only_if
    if cond is None:
        return None
    lowest, highest = (float(v) for v in scenario.shop.price.ppf(np.array([0.0, 1.0])))
    if cond.price_min is not None and cond.price_min > highest:
        return "price_min", f"it is above every price (at most {highest:g})", cond.price_min
    if cond.price_max is not None and cond.price_max < lowest:
        return "price_max", f"it is below every price (at least {lowest:g})", cond.price_max
    shares = [s.returning_share for s in scenario.segments if s.share > 0]
    if cond.buyer == "returning" and not any(shares):
        return "buyer", "no segment has returning buyers (returning_share)", cond.buyer
    if cond.buyer == "new" and all(share == 1.0 for share in shares):
        return "buyer", "every buyer is returning (returning_share = 1)", cond.buyer
    return None


def _never_in_time(scenario: Scenario, step: ReminderStep) -> str | None:
    """Why the step always comes at or after the auto-close (None when it can come before)."""
    placed = _placement_grid(scenario, step)
    channels = _channels(step, scenario)
    if placed.size == 0 or not channels:
        return None
    aimed = step.only_if.kinds if step.only_if is not None else ()
    closes = close_hours(scenario, aimed)
    if len(closes) < len(aimed) or (not aimed and len(closes) < len(scenario.order_kinds)):
        return None  # a kind with a fixed close (presale): some order has time
    reasons = [_late_for(scenario, step, channels, placed, close) for _kind, close in closes]
    return reasons[0] if reasons and all(reasons) else None


def _late_for(
    scenario: Scenario, step: ReminderStep, channels: set[str], placed: np.ndarray, close: float
) -> str | None:
    """Why the step comes at or after a close ``close`` hours after placement, for every
    placement time (None when it can come before)."""
    due = np.asarray(step.fire_time(placed, placed + close), dtype=float)
    whose = "the platform's" if not scenario.order_kinds else "the order kind's"
    if np.all(due >= placed + close):
        return (
            f"it is due {np.min(due - placed):g} h or more after placement, at or after "
            f"{whose} auto-close ({close:g} h)"
        )
    quiet = scenario.shop.quiet_hours
    if "auto" in channels or not quiet:
        return None
    sent = release_after(due, quiet)
    if np.all(sent >= placed + close):
        start, end = quiet
        return (
            f"the quiet hours ({start:g}-{end:g}) push it to or past {whose} "
            f"auto-close ({close:g} h) for every order"
        )
    return None


def unsendable_step_warnings(scenario: Scenario, source: str) -> Iterator[Problem]:
    """A warning for each step that no order can ever receive."""
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        for j, step in enumerate(strategy.reminders):
            where = f"strategies.{keys[i]}.reminders.{j}"
            late = _never_in_time(scenario, step)
            if late is not None:
                message = f"warning: this step is never sent: {late}"
                yield Problem(source, f"{where}.at", message, step.at)
                continue
            nobody = _matches_nobody(scenario, step)
            if nobody is not None:
                key, reason, value = nobody
                message = f"warning: this step is never sent: {reason}"
                yield Problem(source, f"{where}.only_if.{key}", message, value)

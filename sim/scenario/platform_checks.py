"""Load warnings about what the platform's reading makes of a strategy (docs/rules.md, "Two
readings of the platform"): reminders beyond the three in 24 hours sellers keep to, and
waiting for a complaint where the platform pays at once."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from sim.errors import Problem
from sim.scenario.models import Scenario
from sim.scenario.step_checks import strategy_keys

__all__ = ["MAX_REMINDERS_PER_DAY", "platform_warnings", "stock_setting_problems"]

MAX_REMINDERS_PER_DAY = 3  # sellers' practice and their tools: at most 3 in 24 hours
_GRID = (np.arange(24 * 60) + 0.5) / 60.0  # placement clock times tried: every minute


def _most_in_a_day(scenario: Scenario, strategy_index: int) -> int:
    """The most reminder steps one order can be due within 24 hours of its placement and
    before the auto-close (over placements at every minute of the day)."""
    strategy = scenario.strategies[strategy_index]
    live = [s.name for s in scenario.segments if s.share > 0]
    steps = [
        step for step in strategy.reminders if any(step.channel_for(n) is not None for n in live)
    ]
    if len(steps) <= MAX_REMINDERS_PER_DAY:
        return len(steps)
    close = scenario.platform.unpaid_auto_close_hours
    window = min(24.0, close)
    due = np.array(
        [np.asarray(step.fire_time(_GRID, _GRID + close), dtype=float) - _GRID for step in steps]
    )
    return int(((due >= 0) & (due < window)).sum(axis=0).max(initial=0))


def stock_setting_problems(scenario: Scenario, source: str) -> Iterator[Problem]:
    """A strategy's stock setting needs counted stock ([inventory]) to mean anything."""
    if scenario.inventory is not None:
        return
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        setting = strategy.policy.reserve_stock_on
        if setting is not None:
            where = f"strategies.{keys[i]}.policy.reserve_stock_on"
            message = "needs an [inventory] table (stock is not counted without one)"
            yield Problem(source, where, message, setting)


def platform_warnings(scenario: Scenario, source: str) -> Iterator[Problem]:
    """Doubtful strategies under the scenario's platform rules (warnings, not errors)."""
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        where = f"strategies.{keys[i]}"
        most = _most_in_a_day(scenario, i)
        if most > MAX_REMINDERS_PER_DAY:
            message = (
                f"warning: strategy {strategy.name!r} sends up to {most} reminders within 24 "
                f"hours of an order; sellers keep to at most {MAX_REMINDERS_PER_DAY} (rules §7), "
                "and each one more risks opt-outs and complaints"
            )
            yield Problem(source, f"{where}.reminders", message, most)
        if not scenario.platform.auto_compensation:
            continue
        for key in ("stockout", "late_shipment"):
            if getattr(strategy.policy, key) == "on_complaint":
                message = (
                    "warning: with platform.auto_compensation the platform pays the buyer who "
                    'claims at once: "on_complaint" acts as "pay_on_claim" (no points)'
                )
                yield Problem(source, f"{where}.policy.{key}", message, "on_complaint")

"""Load checks of order kinds and of steps timed from the close (`before_close`).

Errors: kind shares that do not sum to 1, two kinds of one name, a kind with both its own close
hours and a fixed `closes_at` (or a `closes_at` before the last order can arrive), a step with
both or neither of `at` and `before_close`, a `before_close` longer than the close of a kind
the step is aimed at (it would be due before the order exists), and `only_if.kind` naming a
kind that does not exist.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from sim.errors import Problem
from sim.scenario.fields import MAX_HOURS, SUM_TOLERANCE
from sim.scenario.kinds import close_hours, closes_at_hours
from sim.scenario.models import Scenario
from sim.scenario.problems import did_you_mean
from sim.scenario.step_checks import strategy_keys

__all__ = ["kind_problems", "step_time_problems"]


def kind_problems(scenario: Scenario, source: str) -> Iterator[Problem]:
    """The [[order_kinds]] table on its own."""
    kinds = scenario.order_kinds
    if not kinds:
        return
    total = math.fsum(k.share for k in kinds)
    if abs(total - 1.0) > SUM_TOLERANCE:
        yield Problem(
            source, "order_kinds", "the shares of the order kinds must sum to 1", round(total, 6)
        )
    seen: dict[str, int] = {}
    arrivals_end = float(scenario.scenario.arrival_days) * 24.0
    for i, kind in enumerate(kinds):
        if kind.name in seen:
            message = f"duplicate name (also order_kinds.{seen[kind.name]}.name)"
            yield Problem(source, f"order_kinds.{i}.name", message, kind.name)
        seen.setdefault(kind.name, i)
        if kind.closes_at is None:
            continue
        if kind.unpaid_auto_close_hours is not None:
            message = "give either unpaid_auto_close_hours or closes_at, not both"
            yield Problem(source, f"order_kinds.{i}.closes_at", message, kind.closes_at)
        elif closes_at_hours(kind, scenario.scenario.start) < arrivals_end:
            last = dt.datetime.combine(scenario.scenario.start, dt.time()) + dt.timedelta(
                hours=arrivals_end
            )
            message = (
                f"must not come before the last order arrives ({last.isoformat()}, the end of "
                "scenario.arrival_days)"
            )
            yield Problem(source, f"order_kinds.{i}.closes_at", message, kind.closes_at)
        elif closes_at_hours(kind, scenario.scenario.start) > arrivals_end + MAX_HOURS:
            message = "must come at most a year (8784 h) after the last order arrives"
            yield Problem(source, f"order_kinds.{i}.closes_at", message, kind.closes_at)


def step_time_problems(scenario: Scenario, source: str) -> Iterator[Problem]:
    """Each step's timing and its kinds: exactly one of at and before_close, a before_close
    within the close of every kind it is aimed at, only_if.kind naming existing kinds."""
    names = [k.name for k in scenario.order_kinds]
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        for j, step in enumerate(strategy.reminders):
            where = f"strategies.{keys[i]}.reminders.{j}"
            aimed = step.only_if.kinds if step.only_if is not None else ()
            unknown = [k for k in aimed if k not in names]
            for name in unknown:
                hint = (
                    did_you_mean(name, names) if names else " (the scenario has no [[order_kinds]])"
                )
                yield Problem(source, f"{where}.only_if.kind", f"unknown order kind{hint}", name)
            if (step.at is None) == (step.before_close is None):
                message = "give exactly one of at and before_close"
                yield Problem(source, f"{where}.at", message, step.at)
                continue
            if step.before_close is None or unknown:
                continue
            for kind, hours in close_hours(scenario, aimed):
                if step.before_close > hours:
                    of = f"order kind {kind!r}" if kind else "platform.unpaid_auto_close_hours"
                    message = (
                        f"must not be longer than the unpaid close of {of} ({hours:g} h): the "
                        "step would be due before the order is placed"
                    )
                    yield Problem(source, f"{where}.before_close", message, step.before_close)
                    break

"""Checks that span several keys or tables, run once the structure is known to be sound.

Each check yields Problems with the exact key path, and all of them run, so a user fixing a file
sees every mistake at once. The sweep check needs overrides and lives in `sim.scenario.paths`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Sequence

import numpy as np

from sim.errors import Problem
from sim.scenario.fields import SUM_TOLERANCE
from sim.scenario.kind_checks import kind_problems, step_time_problems
from sim.scenario.models import Scenario
from sim.scenario.platform_checks import platform_warnings, stock_setting_problems
from sim.scenario.problems import did_you_mean
from sim.scenario.step_checks import (
    agent_problems,
    only_if_problems,
    strategy_key,
    strategy_keys,
    unsendable_step_warnings,
)

__all__ = ["SUM_TOLERANCE", "cross_check", "scenario_warnings"]


def cross_check(scenario: Scenario, source: str) -> list[Problem]:
    """Every cross-field problem of a structurally valid scenario (empty when all is well)."""
    checks = (
        _shares,
        _unique_names,
        _baseline,
        _steps,
        kind_problems,
        step_time_problems,
        only_if_problems,
        _dispute_causes,
        _platform,
        _platform_numbers,
        _staff,
        agent_problems,
        stock_setting_problems,
        _warmup,
    )
    return [problem for check in checks for problem in check(scenario, source)]


def _shares(scenario: Scenario, source: str) -> Iterator[Problem]:
    total = math.fsum(segment.share for segment in scenario.segments)
    if total <= 0:
        yield Problem(source, "segments", "the shares of the segments must not all be 0", total)


def _warmup(scenario: Scenario, source: str) -> Iterator[Problem]:
    meta = scenario.scenario
    if meta.warmup_days >= meta.arrival_days:
        yield Problem(
            source,
            "scenario.warmup_days",
            f"must be shorter than scenario.arrival_days ({meta.arrival_days:g}), or no order "
            "would be counted",
            meta.warmup_days,
        )


def scenario_warnings(scenario: Scenario, source: str) -> list[Problem]:
    """Doubtful but usable input, said once at load: shares that do not sum to 1 are used as
    relative weights (the reference file itself lists only two segments, 0.30 and 0.02),
    reminder steps that no order can ever receive (list items named as in errors), and asking
    buyers to sign for wrong parcels in a shop without freight insurance."""
    from sim.scenario.load import named_path  # load imports this module

    data = scenario._input if scenario._input is not None else scenario.model_dump()
    warnings = [
        dataclasses.replace(w, path=named_path(data, w.path))
        for w in (
            *unsendable_step_warnings(scenario, source),
            *platform_warnings(scenario, source),
        )
    ]
    warnings += _sign_and_return(scenario, source)
    total = math.fsum(segment.share for segment in scenario.segments)
    if total <= 0 or abs(total - 1.0) <= SUM_TOLERANCE:
        return warnings
    used = ", ".join(f"{s.name} {s.share / total:.1%}" for s in scenario.segments)
    message = f"warning: the shares do not sum to 1; used as relative weights ({used})"
    return [Problem(source, "segments", message, round(total, 6)), *warnings]


def _duplicates(names: Sequence[str], where: str, source: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in first:
            yield Problem(
                source,
                f"{where}.{index}.name",
                f"duplicate name (also {where}.{first[name]}.name)",
                name,
            )
        else:
            first[name] = index


def _unique_names(scenario: Scenario, source: str) -> Iterator[Problem]:
    yield from _duplicates([s.name for s in scenario.segments], "segments", source)
    yield from _duplicates([s.name for s in scenario.strategies], "strategies", source)


def _baseline(scenario: Scenario, source: str) -> Iterator[Problem]:
    names = [s.name for s in scenario.strategies]
    baseline = scenario.scenario.baseline
    if baseline not in names:
        hint = did_you_mean(baseline, names)
        yield Problem(
            source, "scenario.baseline", f"must name one of the strategies{hint}", baseline
        )


def _steps(scenario: Scenario, source: str) -> Iterator[Problem]:
    segments = [s.name for s in scenario.segments]
    keys = strategy_keys(scenario)
    for i, strategy in enumerate(scenario.strategies):
        for j, step in enumerate(strategy.reminders):
            where = f"strategies.{keys[i]}.reminders.{j}"
            if step.channel == "by_segment" and step.by_segment is None:
                yield Problem(source, f"{where}.by_segment", 'required when channel = "by_segment"')
            if step.channel != "by_segment" and step.by_segment is not None:
                yield Problem(
                    source,
                    f"{where}.by_segment",
                    'only allowed when channel = "by_segment"',
                    step.by_segment,
                )
            for name in step.by_segment or {}:
                if name not in segments:
                    hint = did_you_mean(name, segments)
                    yield Problem(
                        source, f"{where}.by_segment.{name}", f"unknown segment{hint}", name
                    )


def _dispute_causes(scenario: Scenario, source: str) -> Iterator[Problem]:
    """Disputes' and chargebacks' causes: shares summing to 1, levers naming a cause."""
    for what in ("dispute", "chargeback"):
        causes = getattr(scenario.quality, f"{what}_causes")
        total = math.fsum(causes.values())
        if abs(total - 1.0) > SUM_TOLERANCE:
            yield Problem(
                source, f"quality.{what}_causes", "the shares must sum to 1", round(total, 6)
            )
        for i, strategy in enumerate(scenario.strategies):
            for cause in getattr(strategy.levers, f"{what}_multipliers"):
                if cause not in causes:
                    hint = did_you_mean(cause, causes)
                    yield Problem(
                        source,
                        f"strategies.{strategy_key(scenario, i)}.levers.{what}_multipliers.{cause}",
                        f"unknown {what} cause{hint} (causes are the keys of "
                        f"quality.{what}_causes)",
                        cause,
                    )


def _platform(scenario: Scenario, source: str) -> Iterator[Problem]:
    platform = scenario.platform
    if platform.late_shipment_min is None or platform.late_shipment_max is None:
        return
    if platform.late_shipment_min > platform.late_shipment_max:
        yield Problem(
            source,
            "platform.late_shipment_min",
            f"must not exceed late_shipment_max ({platform.late_shipment_max:g})",
            platform.late_shipment_min,
        )


def _staff(scenario: Scenario, source: str) -> Iterator[Problem]:
    start, end = scenario.staff.on_duty
    if start >= end:
        yield Problem(source, "staff.on_duty", "the shift must start before it ends", [start, end])


def _sign_and_return(scenario: Scenario, source: str) -> Iterator[Problem]:
    """Asking a buyer to sign for a wrong parcel and send it back rests on freight insurance
    paying the way back first: uninsured, the buyer would pay it, and refuses instead. A
    warning, not an error, so one file can sweep the insurance on and off."""
    if scenario.shop.freight_insurance:
        return
    for i, strategy in enumerate(scenario.strategies):
        if strategy.policy.refusal == "ask_to_sign":
            yield Problem(
                source,
                f"strategies.{strategy_key(scenario, i)}.policy.refusal",
                "warning: ask_to_sign needs shop.freight_insurance = true (the insurance pays "
                "the return first); uninsured, the buyer refuses at the door as under "
                "at_the_door",
                "ask_to_sign",
            )


def _points_possible(scenario: Scenario) -> bool:
    """Whether any strategy can earn penalty points (or the shop starts with some)."""
    malicious = any(s.malicious and s.share > 0 for s in scenario.segments)
    return scenario.platform.points_at_start > 0 or any(
        p.stockout == "on_complaint"
        or p.late_shipment == "on_complaint"
        or (p.malicious == "close" and malicious)
        for p in (strategy.policy for strategy in scenario.strategies)
    )


def _late_possible(scenario: Scenario) -> bool:
    shop = scenario.shop
    return float(shop.ship_hours.ppf(np.array([1.0]))[0]) > shop.promised_ship_hours


def _needed_because(scenario: Scenario, key: str) -> str | None:
    """Why the scenario needs this platform number (None when no run can use it)."""
    if key in ("penalty_ladder", "intervention_penalty_points"):
        if _points_possible(scenario):
            return "a strategy can earn penalty points" + (
                "; {} = no bans" if "ladder" in key else ""
            )
        return None
    if key == "chargeback_fee":
        if any(s.chargebacks > 0 and s.share > 0 for s in scenario.segments):
            return "buyers' card payments can be charged back"
        return None
    if key == "dispute_fee":
        if any(s.disputes > 0 and s.share > 0 for s in scenario.segments):
            return "buyers can open disputes"
        return None
    if key.startswith("stockout_"):
        if scenario.shop.stockout_probability > 0 or scenario.inventory is not None:
            return "orders can find no stock"
        return None
    if key == "no_reason_return_days":
        returns = any(
            s.share > 0 and (s.returns_goods > 0 or (s.returns_if_insured or 0) > 0)
            for s in scenario.segments
        )
        return "buyers can send goods back without a reason" if returns else None
    if key.startswith("late_shipment_"):
        return "shipments can be late" if _late_possible(scenario) else None
    return "every delivered order uses it"


def _platform_numbers(scenario: Scenario, source: str) -> Iterator[Problem]:
    """A key the preset leaves unset must be given where the scenario needs it."""
    platform = scenario.platform
    for key in platform.unset():
        reason = _needed_because(scenario, key)
        if reason is not None:
            message = (
                f"the {platform.preset} preset has no number for this; set it in [platform] "
                f"({reason})"
            )
            yield Problem(source, f"platform.{key}", message)

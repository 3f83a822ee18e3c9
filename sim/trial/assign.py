"""Which arm an order belongs to, by a rule a seller's reminder tool can actually follow.

Reminder tools (the shop's automated IM, a CRM's 催付 tasks, an agent's manual list) cannot
hash an order number; they can filter on its last digit, or be switched on and off by day or
half-day. So the rules are:

- ``last-digit`` (default): the last decimal digit of the order number; two arms split odd and
  even, more arms split the digits in runs (three arms: 0-2, 3-5, 6-9);
- ``alternate-days``: the day the order was placed, counted from the trial's first day, takes
  the arms in turn;
- ``alternate-half-days``: the same by half-day (00:00-11:59, 12:00-23:59), shifted by one
  each day so that every arm gets mornings and afternoons alike;
- ``hash``: a hash of the order number (for a tool that can run a script, or a list made by
  ``trial design --export``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from sim.output.i18n import Lang

__all__ = ["RULES", "arms_by_rule", "digit_groups", "rule_words"]

RULES = ("last-digit", "alternate-days", "alternate-half-days", "hash")


def digit_groups(arms: int) -> list[list[int]]:
    """Last digits per arm: odd/even for two arms, runs of digits for more."""
    if arms == 2:
        return [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    size = 10 // arms
    return [list(range(i * size, 10 if i == arms - 1 else (i + 1) * size)) for i in range(arms)]


def _last_digits(ids: list[str]) -> np.ndarray:
    """The last decimal digit of each order number (-1: none)."""
    out = np.full(len(ids), -1, dtype=np.int64)
    for i, text in enumerate(ids):
        for ch in reversed(text):
            if ch.isdigit() and ch.isascii():
                out[i] = int(ch)
                break
    return out


def arms_by_rule(
    rule: str, arms: int, ids: list[str], placed: np.ndarray, first_day: np.datetime64
) -> np.ndarray:
    """Arm index per order (-1: the rule cannot place it, e.g. no digit in its number).

    ``placed`` is datetime64[s] per order; ``first_day`` the trial's first day (midnight)."""
    if rule == "last-digit":
        digit = _last_digits(ids)
        lookup = np.full(11, -1, dtype=np.int64)
        for arm, digits in enumerate(digit_groups(arms)):
            lookup[digits] = arm
        return np.where(digit >= 0, lookup[np.maximum(digit, 0)], -1)
    if rule == "hash":
        return np.array(
            [int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "big") % arms for t in ids],
            dtype=np.int64,
        )
    seconds = (placed - first_day).astype("timedelta64[s]").astype(np.int64)
    day = np.floor_divide(seconds, 86_400)
    if rule == "alternate-days":
        return np.mod(day, arms)
    if rule == "alternate-half-days":
        afternoon = (np.mod(seconds, 86_400) >= 43_200).astype(np.int64)
        return np.mod(day + afternoon, arms)
    raise ValueError(f"unknown rule {rule!r}")


def rule_words(rule: str, names: list[str], first_day: dt.date, lang: Lang) -> list[str]:
    """The rule as a seller sets it up in a reminder tool, one line per arm."""
    if rule == "last-digit":
        lines = []
        for name, digits in zip(names, digit_groups(len(names)), strict=True):
            text = ", ".join(str(d) for d in digits)
            if digits == [1, 3, 5, 7, 9]:
                line = lang.tr("{arm}: orders whose number ends in an odd digit ({digits})",
                               arm=name, digits=text)  # fmt: skip
            elif digits == [0, 2, 4, 6, 8]:
                line = lang.tr("{arm}: orders whose number ends in an even digit ({digits})",
                               arm=name, digits=text)  # fmt: skip
            else:
                line = lang.tr("{arm}: orders whose number ends in {digits}", arm=name, digits=text)
            lines.append(line)
        return lines
    if rule == "hash":
        return [
            lang.tr(
                "arms {arms} by a hash of the order number: only for a tool that runs a "
                "script, or load the list written by trial design --export",
                arms=", ".join(names),
            )
        ]
    if rule == "alternate-days":
        intro = lang.tr(
            "switch the reminders by the day the order is placed, the {n} arms in turn from "
            "{first}:",
            n=len(names),
            first=first_day.isoformat(),
        )
        halves: tuple[str, ...] = ("",)
    else:
        intro = lang.tr(
            "switch the reminders by the half-day (00:00-11:59, 12:00-23:59) the order is "
            "placed, the {n} arms in turn from {first}, shifted by one half each day:",
            n=len(names),
            first=first_day.isoformat(),
        )
        halves = (" 00-12", " 12-24")
    return [intro] + [
        lang.tr("{arm}: {days}, ...", arm=name, days=", ".join(turns))
        for name, turns in zip(names, _turns(len(names), first_day, halves), strict=True)
    ]


def _turns(arms: int, first_day: dt.date, halves: tuple[str, ...]) -> list[list[str]]:
    """The first day (or half-day) slots of each arm, as ``arms_by_rule`` assigns them: slot
    (day k, half h) goes to arm (k + h) mod arms; two days' worth of turns per arm."""
    out: list[list[str]] = [[] for _ in range(arms)]
    for k in range(2 * arms):
        day = first_day + dt.timedelta(days=k)
        for h, label in enumerate(halves):
            mine = out[(k + h) % arms]
            if len(mine) < 2 * len(halves):
                mine.append(f"{day:%m-%d}{label}")
    return out

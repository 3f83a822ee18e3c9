"""A swept setting in the reader's words: the key's name and each value with its unit.

Tables, plots, the report and the recommendation name a sweep's key ("first reminder time (h
after the order)") and its values ("15 min", "3 agents"). A value that is a word of the format
(a platform reading, a preset, true or false) stays as the file writes it in English, where it is
what the seller types; in Chinese it reads as the thing it means (今日规则, 天猫, 是).
Every text goes through the message catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sim.output.i18n import N_, get_lang

__all__ = [
    "option_label",
    "parameter_label",
    "swept_parameters",
    "unit_label",
    "value_label",
    "value_name",
]

_PARAMETER_NAMES = {
    "at": N_("reminder time (h after the order)"),
    "agents": N_("agents on duty"),
    "preset": N_("platform"),
    "rules_as": N_("rules as"),
    "reserve_on": N_("stock reserved on"),
    "promised_ship_hours": N_("promised shipping time (h)"),
    "unpaid_auto_close_hours": N_("auto-close (h)"),
    "freight_insurance": N_("freight insurance"),
    "orders_per_day": N_("orders per day"),
    "blacklist_after": N_("blacklist after (unpaid orders)"),
    "return_multiplier_if_won": N_("return multiplier if won"),
}

# (last part of the key, value as the file writes it) -> what it means; "*": any key
_VALUE_NAMES = {
    ("rules_as", "articles"): N_("the rules as the seller articles give them"),
    ("rules_as", "today"): N_("today's rules as sellers report them"),
    ("preset", "taobao"): N_("Taobao"),
    ("preset", "tmall"): N_("Tmall"),
    ("preset", "aliexpress"): N_("AliExpress"),
    ("reserve_on", "order"): N_("stock taken when the order is placed"),
    ("reserve_on", "payment"): N_("stock taken at payment"),
    ("at", "next_day_same_hour"): N_("same hour next day"),
    ("at", "next_peak"): N_("next peak hour"),
    ("*", "true"): N_("yes"),
    ("*", "false"): N_("no"),
}


def value_name(parameter: str | None, value: object, lang: str = "en") -> str | None:
    """What a word value of the format means in `lang` (None when it is a number or a value
    without a name here); in English the value as the file writes it ("today", "false")."""
    if isinstance(value, bool) or value in ("True", "False"):
        value = str(value).lower()
    if not isinstance(value, str):
        return None
    last = (parameter or "").split(".")[-1]
    message = _VALUE_NAMES.get((last, value), _VALUE_NAMES.get(("*", value)))
    if message is None:
        return None
    return value if lang == "en" else get_lang(lang).tr(message)


def value_label(parameter: str | None, value: str, lang: str = "en") -> str:
    """A swept value with its unit: "15 min" for a reminder at 0.25 h, "3 agents", 今日规则 for
    rules_as = "today" in Chinese; as it is when nothing is known of it here."""
    named = value_name(parameter, value, lang)
    if named is not None:
        return named
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    words = get_lang(lang)
    last = (parameter or "").split(".")[-1]
    if last == "at" or last.endswith("_hours"):
        if 0 < number < 1:
            return words.tr("{m:g} min", m=number * 60)
        return words.tr("{h:g} h", h=number)
    if last == "agents":
        return words.trn("{n:g} agent", "{n:g} agents", int(number) if number == 1 else 2, n=number)
    return value


def parameter_label(parameter: str | None, lang: str = "en") -> str:
    """A reader's name for a swept dotted key ("strategies.sms.reminders.0.at" -> "first
    reminder time (h after the order)"); a key without a name here reads as its last part."""
    if not parameter:
        return ""
    if " × " in parameter:  # a grid's axes, as summary.json writes them
        return " × ".join(parameter_label(axis, lang) for axis in parameter.split(" × "))
    parts = parameter.split(".")
    known = _PARAMETER_NAMES.get(parts[-1])
    index = parts[parts.index("reminders") + 1] if "reminders" in parts[:-1] else ""
    if lang != "en":
        words = get_lang(lang)
        name = words.tr(known) if known else parts[-1]
        if parts[-1] == "at" and index.isdigit():
            name = words.tr("reminder {n}: {name}", n=int(index) + 1, name=name)
        return name
    name = known or parts[-1].replace("_", " ")
    ordinal = {"0": "first", "1": "second", "2": "third"}.get(index)
    if ordinal and name.startswith("reminder"):
        name = f"{ordinal} {name}"
    return name


def option_label(strategy: str, value: object, parameters: list[str], lang: str = "en") -> str:
    """An option (a strategy at a sweep value, or a grid point of several) as a progress bar
    names it: "sms-once @ 15 min, 72 h"; the swept ``parameters`` give the values' units."""
    from sim.experiment.results import sweep_label

    if value is None or not parameters:
        return strategy
    values = value if isinstance(value, tuple) and len(parameters) > 1 else (value,)
    shown = [
        value_label(parameter, sweep_label(part), lang)
        for parameter, part in zip(parameters, values, strict=False)
    ]
    return f"{strategy} @ {', '.join(shown)}"


def swept_parameters(scenario: Any) -> list[str]:
    """The dotted keys a scenario sweeps, in its sweep values' order (none without a sweep)."""
    return [parameter for parameter, _ in scenario.sweep.axes] if scenario.sweep else []


def unit_label(scenario: Any, lang: str = "en") -> Callable[[Any], str]:
    """How a run's progress bar names a finished unit: its option and replication
    ("sms-once @ 15 min, 72 h #3")."""
    parameters = swept_parameters(scenario)

    def label(unit: Any) -> str:
        option = option_label(unit.strategy, unit.sweep_value, parameters, lang)
        return f"{option} #{unit.replication}"

    return label

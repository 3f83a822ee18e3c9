"""The plain recommendation that opens an answer: what to send, to whom, when, with what.

Built from the scenario's own strategy (its reminder steps, their targeting and incentives, and
the after-sale policy where it differs from the default), in the run's language. Where the best
cannot be told from the runner-up, the sentence says so instead of recommending.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sim.output.i18n import N_, Lang

__all__ = ["describe", "option_name", "recommendation"]


def _when(step: Any, lang: Lang) -> str:
    if step.before_close is not None:
        return lang.tr("{h:g} hours before the platform closes it", h=step.before_close)
    if step.at == "next_day_same_hour":
        return lang.tr("the next day at the same hour")
    if step.at == "next_peak":
        return lang.tr("at the next peak hour (10:00 or 21:00)")
    hours = float(step.at)
    if hours < 1:
        return lang.tr("{m:g} minutes after it is placed", m=round(hours * 60, 1))
    return lang.tr("{h:g} hours after it is placed", h=hours)


def _whom(step: Any, lang: Lang) -> str:
    cond = step.only_if
    if cond is None:
        return lang.tr("every unpaid order")
    parts = []
    if cond.buyer == "new":
        parts.append(lang.tr("of first-time buyers"))
    elif cond.buyer == "returning":
        parts.append(lang.tr("of returning buyers"))
    if cond.price_min is not None:
        parts.append(lang.tr("of items from {p:g} yuan", p=cond.price_min))
    if cond.price_max is not None:
        parts.append(lang.tr("of items up to {p:g} yuan", p=cond.price_max))
    if cond.placed_hours is not None:
        start, end = cond.placed_hours
        parts.append(lang.tr("placed between {a:g}:00 and {b:g}:00", a=start, b=end))
    if cond.not_reached_by is not None:
        parts.append(lang.tr("that reminder {k} did not reach", k=cond.not_reached_by + 1))
    if cond.kind is not None:
        kinds = cond.kind if isinstance(cond.kind, str) else ", ".join(cond.kind)
        parts.append(lang.tr("of kind {kinds}", kinds=kinds))
    return lang.tr("unpaid orders {conditions}", conditions=" ".join(parts))


def _incentive(step: Any, lang: Lang) -> str:
    inc = step.incentive
    if inc is None:
        return ""
    if inc.kind == "discount":
        return lang.tr(" with a {rate:.0%} discount", rate=inc.rate)
    if inc.kind == "gift":
        return lang.tr(" with a gift worth {cost:g} yuan", cost=inc.cost)
    if inc.kind == "free_shipping":
        return lang.tr(" with free shipping")
    return lang.tr(" with a deadline")


def _step(step: Any, lang: Lang) -> str:
    whom, when = _whom(step, lang), _when(step, lang)
    if step.channel == "sms":
        text = lang.tr("text {whom} {when}", whom=whom, when=when)
    elif step.channel == "phone":
        text = lang.tr("call {whom} {when}", whom=whom, when=when)
    elif step.channel == "im":
        text = lang.tr("send an IM to {whom} {when}", whom=whom, when=when)
    elif step.channel == "auto":
        text = lang.tr("let the platform remind {whom} {when}", whom=whom, when=when)
    else:
        channels = ", ".join(f"{c} -> {s}" for s, c in (step.by_segment or {}).items())
        text = lang.tr("remind {whom} {when} by buyer type ({channels})", whom=whom,
                       when=when, channels=channels)  # fmt: skip
    return text + _incentive(step, lang)


# an after-sale policy's settings in words ((key, value) of [strategies.*.policy])
_POLICY = {
    ("stockout", "proactive"): N_("compensate every buyer of an out-of-stock item at once"),
    ("stockout", "alternative"): N_("offer another item when one is out of stock"),
    ("stockout", "pay_on_claim"): N_("compensate a buyer who claims for an out-of-stock item"),
    ("stockout", "on_complaint"): N_("leave out-of-stock claims to the platform"),
    ("late_shipment", "proactive"): N_("compensate every buyer of a late shipment at once"),
    ("late_shipment", "pay_on_claim"): N_("compensate a buyer who claims for a late shipment"),
    ("late_shipment", "on_complaint"): N_("leave late-shipment claims to the platform"),
    ("malicious", "report"): N_("report malicious orders"),
    ("malicious", "close"): N_("close malicious orders"),
    ("refusal", "at_the_door"): N_("let a buyer refuse a bad parcel at the door"),
    ("refusal", "ask_to_sign"): N_("ask a buyer to sign for a bad parcel and send it back"),
    ("reserve_stock_on", "order"): N_("take stock when the order is placed"),
    ("reserve_stock_on", "payment"): N_("take stock at payment"),
}


def _policy_item(key: str, value: Any, lang: Lang) -> str:
    """One after-sale setting in words ("offer another item when one is out of stock"); a
    setting without words here as the file writes it."""
    if (key, value) in _POLICY:
        return lang.tr(_POLICY[key, value])
    if key == "blacklist_after":
        return lang.trn("block a buyer after {n} unpaid order",
                        "block a buyer after {n} unpaid orders", value, n=value)  # fmt: skip
    if key == "purchase_limit":
        return lang.trn("let a buyer hold at most {n} unpaid order",
                        "let a buyer hold at most {n} unpaid orders", value, n=value)  # fmt: skip
    if key == "malicious_close_hours":
        return lang.tr("close malicious orders {h:g} hours after they are placed", h=value)
    return f"policy.{key} = {value}"


# a swept reading of the platform's rules, as the condition " (if the platform's {rules})" says it
_READINGS = {
    "articles": N_("rules are as the seller articles give them"),
    "today": N_("rules are as sellers report them today"),
}


def _setting(parameter: str, value: Any, lang: Lang) -> str:
    """A swept setting in words: "auto-close = 72 h" (the label's unit dropped when the value
    carries it); a reading of the rules as a phrase ("rules are as sellers report them today")."""
    from sim.output.keys import parameter_label, value_label

    if parameter.endswith(".rules_as") and value in _READINGS:
        return lang.tr(_READINGS[value])

    label = parameter_label(parameter, lang.code)
    shown = value_label(parameter, str(value), lang.code)
    if shown != str(value):
        label = re.sub(r"\s*[(（][^()（）]*[)）]$", "", label)
    return f"{label} = {shown}"


def _at_sweep_value(scenario: Any, option: str, lang: Lang) -> tuple[Any, str]:
    """The scenario at an option's sweep value (its steps then say the swept timing) and the
    swept settings outside the strategy, in words ("; ..."; the platform's rules as the
    condition the advice holds under: " (if the platform's auto-close = 72 h)")."""
    from sim.experiment.results import sweep_key
    from sim.scenario.paths import sweep_variants

    name = option.partition("@")[0]
    for value, variant in sweep_variants(scenario):
        if sweep_key(name, value) != option:
            continue
        parts = tuple(value) if scenario.sweep.is_grid else (value,)
        outside = [
            (parameter, part)
            for (parameter, _values), part in zip(scenario.sweep.axes, parts, strict=True)
            if not parameter.startswith(f"strategies.{name}.")
        ]
        # the platform's rules are not the seller's to choose: they condition the advice
        mine = [_setting(p, v, lang) for p, v in outside if not p.startswith("platform.")]
        world = [_setting(p, v, lang) for p, v in outside if p.startswith("platform.")]
        text = "".join("; " + setting for setting in mine)
        if world:
            text += lang.tr(" (if the platform's {rules})", rules=", ".join(world))
        return variant, text
    return scenario, ""


def describe(scenario: Any, option: str, lang: Lang) -> str:
    """What one option (a strategy, or a strategy at a sweep value) tells the seller to do."""
    name, _, value = option.partition("@")
    swept = ""
    if value and scenario.sweep is not None:
        scenario, swept = _at_sweep_value(scenario, option, lang)
    try:
        strategy = scenario.strategy(name)
    except KeyError:
        return option
    steps = [_step(step, lang) for step in strategy.reminders]
    text = "; ".join(steps) if steps else lang.tr("send no reminder")
    policy = strategy.policy.model_dump(exclude_defaults=True)
    if policy:
        items = ", ".join(_policy_item(k, v, lang) for k, v in policy.items())
        text += lang.tr("; after sale: {items}", items=items)
    if strategy.levers.cost_per_order > 0:
        text += lang.tr(
            "; pay for levers ({cost:g} yuan per order)", cost=strategy.levers.cost_per_order
        )
    text += swept
    return text[:1].upper() + text[1:] if lang.code == "en" else text


def option_name(scenario: Any, option: str, lang: Lang) -> str:
    """An option as a sentence names it: in English its key, as summary.json and the tables
    name it ("purchase-limit@today"); in another language with its sweep value in that
    language ("purchase-limit @ 今日规则")."""
    from sim.experiment.results import sweep_key
    from sim.output.swept import option_label, swept_parameters
    from sim.scenario.paths import sweep_variants

    if lang.code == "en" or scenario.sweep is None:
        return option
    name = option.partition("@")[0]
    for value, _variant in sweep_variants(scenario):
        if sweep_key(name, value) == option:
            return option_label(name, value, swept_parameters(scenario), lang.code)
    return option


def recommendation(
    scenario: Any,
    best: str,
    runner_up: str | None,
    apart: bool | None,
    lang: Lang,
    names: Mapping[str, str] | None = None,
) -> str:
    """The opening sentence: the best option in the seller's words, or why there is none
    (the two named as ``names`` gives them, as the lines after it do)."""
    names = names or {}
    if runner_up is not None and apart is False:
        return lang.tr(
            "No recommendation: {best} and {runner} cannot be told apart with these runs; "
            "run more replications or decide on other grounds.",
            best=names.get(best) or option_name(scenario, best, lang),
            runner=names.get(runner_up) or option_name(scenario, runner_up, lang),
        )
    what, name = describe(scenario, best, lang), option_name(scenario, best, lang)
    return lang.tr("Recommendation: {what} ({name}).", what=what, name=name)

"""`trial design`: how many orders and days a reminder trial needs, and how to split them.

The baseline paid share is the scenario's own (its control strategy simulated); the days come
from its arrivals (expected orders per hour of each weekday). Power is found by simulating the
trial many times as it would be run and analysed:

- order-level rules (last digit, hash): each day's orders split between the arms, the paid
  shares compared by the two-proportion z-test over all orders; the orders per arm are checked
  against the textbook formula (`formula_orders`), which this case must reproduce;
- alternate days or half-days: the unit is the day (half-day), so the analysis compares the
  arms' daily paid shares by Welch's t-test on days. Days of unequal size (weekday weights,
  mornings against evenings) make a day's share noisier and the few units cost degrees of
  freedom, so these rules ask for more days than splitting each day's orders.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import warnings
from pathlib import Path

import numpy as np
from scipy import special, stats

from sim.errors import Said, UsageError
from sim.output.i18n import N_

from .assign import arms_by_rule, digit_groups, rule_words

__all__ = ["formula_orders", "orders_for_power", "run_design", "unit_power"]

_SIMS = 4000


def formula_orders(p0: float, p1: float, alpha: float, power: float) -> float:
    """Orders per arm for a two-sided two-proportion z-test (pooled variance under H0)."""
    za = special.ndtri(1 - alpha / 2)
    zb = special.ndtri(power)
    pbar = (p0 + p1) / 2
    num = za * math.sqrt(2 * pbar * (1 - pbar)) + zb * math.sqrt(p0 * (1 - p0) + p1 * (1 - p1))
    return (num / (p1 - p0)) ** 2


def _z_power(n: int, p0: float, p1: float, alpha: float, rng, sims: int = _SIMS) -> float:
    """Share of simulated trials of ``n`` orders per arm whose z-test rejects."""
    x0 = rng.binomial(n, p0, sims)
    x1 = rng.binomial(n, p1, sims)
    pooled = (x0 + x1) / (2 * n)
    se = np.sqrt(np.maximum(pooled * (1 - pooled) * 2 / n, 1e-12))
    z = (x1 - x0) / n / se
    return float(np.mean(np.abs(z) > special.ndtri(1 - alpha / 2)))


def orders_for_power(p0: float, p1: float, alpha: float, power: float, seed: int) -> int:
    """The fewest orders per arm whose simulated trials reach ``power`` (bisection)."""
    guess = max(10, int(formula_orders(p0, p1, alpha, power)))
    lo, hi = max(2, guess // 4), guess * 4

    def ok(n: int) -> bool:
        return _z_power(n, p0, p1, alpha, np.random.default_rng([seed, n])) >= power

    while hi - lo > max(1, lo // 200):
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


def unit_power(
    sizes: np.ndarray, arm_of_unit: np.ndarray, p0: float, p1: float, alpha: float, rng
) -> float:
    """Power of Welch's t-test on the units' paid shares (arm 0 vs arm 1), sizes expected."""
    n = rng.poisson(np.broadcast_to(sizes, (_SIMS, sizes.size)))
    p = np.where(arm_of_unit == 1, p1, p0)
    paid = rng.binomial(n, p)
    share = np.where(n > 0, paid / np.maximum(n, 1), np.nan)
    a, b = share[:, arm_of_unit == 0], share[:, arm_of_unit == 1]
    with warnings.catch_warnings():  # a simulated trial whose days all paid alike
        warnings.simplefilter("ignore", RuntimeWarning)
        test = stats.ttest_ind(b, a, axis=1, equal_var=False, nan_policy="omit")
    pvalue = np.asarray(test.pvalue, dtype=float)
    return float(np.mean(np.nan_to_num(pvalue, nan=1.0) < alpha))


def _hourly_orders(scenario, strategy: str) -> np.ndarray:
    """Expected orders in each hour of a week (168, Monday 00:00 first) from the arrivals."""
    from sim.engine.plan import compile_plan

    plan = compile_plan(scenario, strategy)
    per_hour = plan.buyers_per_hour * float(np.mean(plan.orders_per_buyer))
    wd0 = scenario.scenario.start.weekday()
    week = np.zeros(168)
    seen = np.zeros(168)
    slots = np.arange(per_hour.size)
    index = ((wd0 * 24) + slots) % 168
    np.add.at(week, index, per_hour)
    np.add.at(seen, index, 1)
    if (seen == 0).any():  # an arrival window shorter than a week: the days it has, repeated
        day = np.nanmean(np.where(seen > 0, week / np.maximum(seen, 1), np.nan).reshape(7, 24), 0)
        return np.tile(np.nan_to_num(day), 7)
    return week / seen


def days_for_units(
    week: np.ndarray,
    rule: str,
    arms: int,
    p0: float,
    p1: float,
    alpha: float,
    power: float,
    seed: int,
) -> tuple[int, int]:
    """Days (and units) an alternate-days / half-days trial needs, arm 0 against arm 1."""

    def power_of(days: int) -> float:
        hours = np.resize(week, days * 24).reshape(days, 24)
        if rule == "alternate-days":
            sizes = hours.sum(axis=1)
            unit_arm = np.arange(days) % arms
        else:
            sizes = np.column_stack([hours[:, :12].sum(1), hours[:, 12:].sum(1)]).ravel()
            day = np.repeat(np.arange(days), 2)
            unit_arm = (day + np.tile([0, 1], days)) % arms
        keep = unit_arm <= 1
        rng = np.random.default_rng([seed, days])
        return unit_power(sizes[keep], unit_arm[keep], p0, p1, alpha, rng)

    days = 2 * arms
    while power_of(days) < power:
        days = days * 2 if days < 512 else days + 64
        if days > 4000:
            break
    lo, hi = days // 2, days
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if power_of(mid) >= power else (mid, hi)
    return hi, hi if rule == "alternate-days" else 2 * hi


def _baseline(scenario, path: str, strategy: str, seed: int) -> float:
    """The scenario's paid share under the control strategy (3 replications)."""
    from sim.api import run
    from sim.scenario.load import scenario_from_dict
    from sim.scenario.paths import scenario_input

    data = dict(scenario_input(scenario))
    data["strategies"] = [s for s in data["strategies"] if s["name"] == strategy]
    data.pop("sweep", None)
    data["scenario"] = {**data["scenario"], "baseline": strategy}
    single = scenario_from_dict(data, path)
    results = run(single, replications=3, seed=seed, plots=False)
    return float(results.to_pandas()["paid_rate"].mean())


def _effect(text: str) -> float:
    kpi, _, value = text.partition("=")
    if kpi.strip() != "paid_rate":
        message = N_(
            "--detect: trial design sizes a difference in the paid share: use paid_rate=EFFECT "
            "(got {text})"
        )
        raise UsageError(Said(message, text=repr(text)))
    try:
        effect = float(value)
    except ValueError:
        message = N_("--detect: the effect must be a number (got {value})")
        raise UsageError(Said(message, value=repr(value))) from None
    if not 0 < abs(effect) < 1:
        message = N_("--detect: the effect is a share between 0 and 1 (got {effect})")
        raise UsageError(Said(message, effect=effect))
    return effect


def run_design(args: argparse.Namespace) -> int:
    """Print the design; write design.json (and assignment.csv) with --out."""
    from sim.cli_scenario import find_scenario
    from sim.output.i18n import get_lang
    from sim.scenario import load_scenario

    path = str(find_scenario(args.scenario))  # a path, or a bundled scenario's name
    scenario = load_scenario(path)
    names = [s.name for s in scenario.strategies]
    unknown = [a for a in args.arms if a not in names]
    if unknown:
        message = N_("--arms: not strategies of the scenario: {unknown} (strategies: {names})")
        raise UsageError(Said(message, unknown=unknown, names=names))
    if not 0 < args.power < 1 or not 0 < args.alpha < 1:
        message = N_("--power and --alpha are between 0 and 1 (got {power}, {alpha})")
        raise UsageError(Said(message, power=args.power, alpha=args.alpha))
    effect = _effect(args.detect)
    if args.export and not args.out:
        raise UsageError(Said(N_("--export writes DIR/assignment.csv: give --out DIR")))
    p0 = _baseline(scenario, path, args.arms[0], args.seed)
    p1 = min(max(p0 + effect, 1e-6), 1 - 1e-6)
    k = len(args.arms)
    week = _hourly_orders(scenario, args.arms[0])
    per_day = float(week.sum() / 7)
    formula = formula_orders(p0, p1, args.alpha, args.power)
    simulated = orders_for_power(p0, p1, args.alpha, args.power, args.seed)
    if args.assign in ("last-digit", "hash"):
        digits = min(len(g) for g in digit_groups(k))
        smallest = digits / 10 if args.assign == "last-digit" else 1 / k
        days = math.ceil(simulated / (smallest * per_day))
        units, orders_per_arm = days, simulated
        unit = "days"
    else:
        days, units = days_for_units(
            week, args.assign, k, p0, p1, args.alpha, args.power, args.seed
        )
        orders_per_arm = round(days * per_day / k)
        unit = "days" if args.assign == "alternate-days" else "half-days"
    first = (args.trial_start or np.datetime64(scenario.scenario.start)).astype("datetime64[D]")
    lang = get_lang(args.lang)
    words = rule_words(args.assign, args.arms, first.astype(object), lang)
    design = {
        "scenario": args.scenario,
        "arms": args.arms,
        "kpi": "paid_rate",
        "effect": effect,
        "baseline_rate": p0,
        "power": args.power,
        "alpha": args.alpha,
        "assign": args.assign,
        "orders_per_arm": int(orders_per_arm),
        "formula_orders_per_arm": math.ceil(formula),
        "simulated_orders_per_arm": int(simulated),
        "days": int(days),
        "units": unit,
        "unit_count": int(units),
        "orders_per_day": per_day,
        "first_day": str(first),
        "rule": words,
    }
    _print_design(design, lang)
    if args.out:
        out = Path(args.out)
        from sim.output.atomic import atomic_write_text

        try:
            out.mkdir(parents=True, exist_ok=True)
            atomic_write_text(out / "design.json", json.dumps(design, indent=2) + "\n")
            if args.export:
                atomic_write_text(out / "assignment.csv", _assignment(args, first))
        except OSError as exc:
            message = N_("--out: cannot write {out} ({reason})")
            raise UsageError(Said(message, out=str(out), reason=exc.strerror or exc)) from exc
        print(f"-> {out / 'design.json'}" + (f", {out / 'assignment.csv'}" if args.export else ""))
    return 0


def _assignment(args: argparse.Namespace, first: np.datetime64) -> str:
    """order number,arm for every order of the export, by the rule."""
    from sim.fit.cli import _load

    from .arms import order_ids

    args.orders = args.export
    _, orders = _load(args)
    ids = order_ids(Path(args.export), orders, args.export, args.encoding)
    placed = orders.start + (orders.placed * 3600).astype("timedelta64[s]")
    arm = arms_by_rule(args.assign, len(args.arms), ids, placed, first.astype("datetime64[s]"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["order", "arm"])
    for i, a in zip(ids, arm, strict=True):
        writer.writerow([i, args.arms[a] if a >= 0 else ""])
    return buffer.getvalue()


def _print_design(d: dict, lang) -> None:
    """The design at 80 columns, in the reader's language."""
    from .cli import wrap_cells

    unit = lang.tr("days") if d["units"] == "days" else lang.tr("half-days")
    lines = [
        lang.tr(
            "baseline paid share {rate} (the scenario, {arm}); to detect {effect} points with "
            "power {power} at alpha {alpha} (two-sided):",
            rate=f"{d['baseline_rate']:.1%}",
            arm=d["arms"][0],
            effect=f"{d['effect'] * 100:+.1f}",
            power=f"{d['power']:.0%}",
            alpha=f"{d['alpha']:g}",
        ),
        "  "
        + lang.tr(
            "{orders} orders per arm, {days} days at {per_day} orders/day ({rule}; analysed by "
            "{unit})",
            orders=f"{d['orders_per_arm']:,}",
            days=d["days"],
            per_day=f"{d['orders_per_day']:,.0f}",
            rule=d["assign"],
            unit=unit,
        ),
        "  "
        + lang.tr(
            "two-proportion formula: {formula} orders per arm; simulated trials of single "
            "orders: {simulated}",
            formula=f"{d['formula_orders_per_arm']:,}",
            simulated=f"{d['simulated_orders_per_arm']:,}",
        ),
        lang.tr("the rule for your reminder tool:"),
        *(f"  {line}" for line in d["rule"]),
    ]
    for line in lines:
        print("\n".join(wrap_cells(line)))

"""Every bundled scenario's behaviour numbers lie in the ranges published figures and sellers'
experience give (docs/plausible-numbers.md), or its header says in a seller's words why not.

Each number is computed here from the scenario's own keys, by closed forms written
independently of the engine (scipy's distributions, not the engine's inverse CDFs); one of them
is checked against a run of the engine. Malicious segments are left out of every number: they
are no buyers, and only the attack scenarios have them.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest
from scipy import stats

from sim.api import run
from sim.cli_init import starter_text
from sim.scenario.load import load_scenario, scenario_from_dict
from sim.scenario.models import Scenario
from sim.scenario.paths import sweep_variants

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "scenarios").glob("*.toml"))
DOC = ROOT / "docs" / "plausible-numbers.md"

# measure -> (low, high): the ranges of docs/plausible-numbers.md (its table is checked below)
RANGES: dict[str, tuple[float, float]] = {
    "paid_unprompted": (0.85, 0.92),
    "sms_win": (0.03, 0.08),
    "phone_win": (0.20, 0.30),
    "phone_reach": (0.30, 0.50),
    "annoyed": (0.0, 0.01),
    "stockout": (0.002, 0.005),
    "late_shipment": (0.01, 0.02),
    "freight": (3.0, 5.0),
    "return_freight": (10.0, 15.0),
    "aliexpress_disputes": (0.01, 0.03),
}

# (scenario, measure) -> words its header must carry: why the number lies outside its range
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("aliexpress-disputes", "freight"): "cross-border",
    ("aliexpress-disputes", "return_freight"): "cross-border",
    ("late-shipment-promise", "late_shipment"): "how tight to promise is the question",
}


def cdf(dist, hours: float) -> float:
    """P(draw <= hours) of a scenario distribution, by scipy."""
    kind = dist.dist
    if kind == "fixed":
        return float(dist.value <= hours)
    if kind == "exponential":
        return float(stats.expon.cdf(hours, scale=dist.mean))
    if kind == "lognormal":
        if dist.sigma == 0:
            return float(dist.median <= hours)
        return float(stats.lognorm.cdf(hours, dist.sigma, scale=dist.median))
    if kind == "uniform":
        return float(stats.uniform.cdf(hours, loc=dist.low, scale=dist.high - dist.low))
    shape = 1.0 / dist.cv**2
    return float(stats.gamma.cdf(hours, shape, scale=dist.mean / shape))


def _buyers(scenario: Scenario) -> list:
    return [s for s in scenario.segments if not s.malicious]


def _ordinary(scenario: Scenario) -> bool:
    """Whether the scenario has ordinary orders: no [[order_kinds]], or a kind that closes
    unpaid at the platform's unpaid_auto_close_hours (a flash sale or a presale balance is not
    an ordinary day)."""
    kinds = scenario.order_kinds
    return not kinds or any(
        k.closes_at is None and k.unpaid_auto_close_hours is None for k in kinds
    )


def _paid_alone(scenario: Scenario, segment) -> float:
    """The segment's chance to pay an ordinary order with no reminder: on credit at once, or
    unprompted before the platform's auto-close."""
    in_time = cdf(segment.pay_hours, scenario.platform.unpaid_auto_close_hours)
    credit = segment.pays_on_credit
    return credit + (1.0 - credit) * segment.pays_unprompted * in_time


def _channels(scenario: Scenario) -> set[str]:
    """Channels a strategy sends on, or a segment states a response for."""
    used: set[str] = set()
    for strategy in scenario.strategies:
        for step in strategy.reminders:
            if step.channel == "by_segment":
                used |= {c for c in step.by_segment.values() if c != "none"}
            else:
                used.add(step.channel)
    stated = scenario._input or {}
    for segment in stated.get("segments", []):
        if not segment.get("malicious", False):
            used |= set(segment.get("response", {})) | set(segment.get("annoyance", {}))
    return used


def _call_hours(scenario: Scenario) -> list[int]:
    """Hours of the day in which an agent may call: on duty and outside the quiet hours."""
    start, end = scenario.staff.on_duty
    quiet = scenario.shop.quiet_hours

    def inside(h: float, a: float, b: float) -> bool:
        return a <= h < b if a <= b else (h >= a or h < b)

    return [
        h
        for h in range(24)
        if inside(h + 0.5, start, end) and not (quiet and inside(h + 0.5, quiet[0], quiet[1]))
    ]


def seller_numbers(scenario: Scenario) -> dict[str, float]:
    """The numbers a seller would compare with their own shop, each as docs/plausible-numbers.md
    defines it."""
    buyers = _buyers(scenario)
    total = sum(s.share for s in buyers)
    alone = [_paid_alone(scenario, s) for s in buyers]
    unpaid = [s.share * (1.0 - a) for s, a in zip(buyers, alone, strict=True)]
    out = {}
    if _ordinary(scenario):
        out["paid_unprompted"] = (
            sum(s.share * a for s, a in zip(buyers, alone, strict=True)) / total
        )
    channels = _channels(scenario)

    def among_unpaid(values) -> float:
        return sum(w * v for w, v in zip(unpaid, values, strict=True)) / sum(unpaid)

    if "sms" in channels:
        out["sms_win"] = among_unpaid([s.response.sms for s in buyers])
    if "phone" in channels:
        out["phone_win"] = among_unpaid([s.response.phone for s in buyers])
        callable_ = sum(
            s.share
            * (scenario.channels.phone_callable if s.phone_callable is None else s.phone_callable)
            for s in buyers
        )
        hours = _call_hours(scenario)
        reach = sum(scenario.channels.phone_reach[h] for h in hours) / len(hours)
        out["phone_reach"] = callable_ / total * reach
    for channel in sorted(channels):
        out[f"annoyed:{channel}"] = among_unpaid([s.annoyance.of(channel) for s in buyers])
    shop = scenario.shop
    if scenario.inventory is None:
        out["stockout"] = shop.stockout_probability
    out["late_shipment"] = 1.0 - cdf(shop.ship_hours, shop.promised_ship_hours)
    out["freight"] = shop.freight
    out["return_freight"] = shop.freight if shop.return_freight is None else shop.return_freight
    if scenario.platform.preset == "aliexpress":
        out["aliexpress_disputes"] = sum(s.share * s.disputes for s in buyers) / total
    return out


def _range(measure: str) -> tuple[float, float]:
    return RANGES[measure.split(":")[0]]


def _header(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split("[scenario]")[0].split())


def _variants(path: Path) -> list[tuple[str, Scenario]]:
    """The scenario as written, and each sweep value's variant (a swept key may move a
    number: a 24 h promise, a 72 h auto-close)."""
    scenario = load_scenario(path)
    return [("as written", scenario)] + [(f"@{v}", s) for v, s in sweep_variants(scenario)]


def _cases():
    for path in FILES:
        values: dict[str, dict[str, float]] = {}
        for label, scenario in _variants(path):
            for measure, value in seller_numbers(scenario).items():
                values.setdefault(measure, {})[label] = value
        for measure, by_variant in values.items():
            yield pytest.param(path, measure, by_variant, id=f"{path.stem}-{measure}")


@pytest.mark.parametrize(("path", "measure", "by_variant"), list(_cases()))
def test_a_bundled_number_is_in_its_range_or_its_header_says_why(path, measure, by_variant):
    low, high = _range(measure)
    outside = {
        label: round(value, 4)
        for label, value in by_variant.items()
        if not (low - 1e-9 <= value <= high + 1e-9)
    }
    why = EXCEPTIONS.get((path.stem, measure.split(":")[0]))
    if why is None:
        assert not outside, (
            f"{path.name}: {measure} outside {low:g}..{high:g} (docs/plausible-numbers.md): "
            f"{outside}; move it, or name the exception and say why in the header"
        )
    else:
        assert outside, f"{path.name}: {measure} is in range everywhere: drop the exception"
        assert why.lower() in _header(path).lower(), f"{path.name}: the header says {why!r}"


@pytest.mark.parametrize("preset", ["taobao", "tmall", "aliexpress"])
def test_the_init_starter_keeps_to_the_ranges(preset):
    """`ordersim init` writes numbers a seller copies: they keep to the ranges too (AliExpress's
    freight is a cross-border parcel's, and its starter says so)."""
    text = starter_text("starter", preset, "starter.toml")
    numbers = seller_numbers(scenario_from_dict(tomllib.loads(text)))
    allowed = {"freight", "return_freight"} if preset == "aliexpress" else set()
    outside = {
        m: v
        for m, v in numbers.items()
        if m not in allowed and not (_range(m)[0] - 1e-9 <= v <= _range(m)[1] + 1e-9)
    }
    assert not outside, outside
    assert not allowed or "cross-border" in text


def test_every_exception_names_a_bundled_scenario_and_a_measure():
    names = {p.stem for p in FILES}
    for scenario, measure in EXCEPTIONS:
        assert scenario in names and measure in RANGES, (scenario, measure)


def test_the_docs_table_gives_the_ranges_and_names_the_exceptions():
    text = DOC.read_text(encoding="utf-8")
    for measure, (low, high) in RANGES.items():
        row = re.search(rf"^\| `{measure}` \|[^|]*\| ([\d.]+)-([\d.]+) ", text, re.M)
        assert row, f"docs/plausible-numbers.md has no row for {measure}"
        assert (float(row[1]), float(row[2])) == (low, high), measure
    for scenario, measure in EXCEPTIONS:
        assert re.search(rf"`{scenario}`.*`{measure}`", text), (scenario, measure)


# ---------------------------------------------------------- the measures, by hand ----
_HAND = {
    "scenario": {"name": "hand", "seed": 1, "replications": 1, "arrival_days": 1},
    "platform": {"unpaid_auto_close_hours": 24},
    "shop": {
        "stockout_probability": 0.004,
        "ship_hours": {"dist": "fixed", "value": 10},
        "promised_ship_hours": 48,
        "freight": 4,
    },
    "channels": {"phone_reach": "daytime", "phone_callable": 0.5},
    "staff": {"on_duty": [9, 24]},
    "segments": [
        # pays at 2 h or on credit: 0.2 + 0.8 * 0.9 = 0.92 pay alone
        {
            "name": "a",
            "share": 0.6,
            "pays_unprompted": 0.9,
            "pays_on_credit": 0.2,
            "pay_hours": {"dist": "fixed", "value": 2},
            "response": {"sms": 0.05, "phone": 0.2},
            "annoyance": {"sms": 0.01, "phone": 0.02},
        },
        # pays at 30 h, after the 24 h close: none pay alone
        {
            "name": "b",
            "share": 0.3,
            "pays_unprompted": 0.5,
            "pay_hours": {"dist": "fixed", "value": 30},
            "response": {"sms": 0.1, "phone": 0.3},
            "annoyance": {"sms": 0.0, "phone": 0.01},
        },
        {
            "name": "m",
            "share": 0.1,
            "pays_unprompted": 0.0,
            "malicious": True,
            "response": {"sms": 0.9, "phone": 0.9},
            "annoyance": {"sms": 0.9, "phone": 0.9},
        },
    ],
    "strategies": [
        {"name": "none"},
        {"name": "call", "reminders": [{"at": 1, "channel": "phone"}]},
        {"name": "text", "reminders": [{"at": 1, "channel": "sms"}]},
    ],
}


def test_the_measures_match_a_hand_computed_shop():
    numbers = seller_numbers(scenario_from_dict(_HAND))
    # buyers: a (0.6) pays alone with 0.92, b (0.3) never; the malicious 0.1 is left out
    assert numbers["paid_unprompted"] == pytest.approx((0.6 * 0.92) / 0.9)
    # unpaid weights: a 0.6 * 0.08 = 0.048, b 0.3
    w_a, w_b = 0.048, 0.3
    assert numbers["sms_win"] == pytest.approx((w_a * 0.05 + w_b * 0.1) / (w_a + w_b))
    assert numbers["phone_win"] == pytest.approx((w_a * 0.2 + w_b * 0.3) / (w_a + w_b))
    assert numbers["annoyed:sms"] == pytest.approx(w_a * 0.01 / (w_a + w_b))
    # calls 09:00-22:00 (on duty from 9, quiet from 22): daytime reach 0.8 for 12 hours, 0.6 at
    # 21:00 -- hours 9..20 are 0.8, 21 is 0.6: (12 * 0.8 + 0.6) / 13; half the buyers callable
    assert numbers["phone_reach"] == pytest.approx(0.5 * (12 * 0.8 + 0.6) / 13)
    assert numbers["stockout"] == 0.004
    assert numbers["late_shipment"] == 0.0  # ships at 10 h, promised 48 h
    assert numbers["freight"] == numbers["return_freight"] == 4


def test_paid_unprompted_agrees_with_the_engine_on_a_bundled_scenario(tmp_path):
    """The closed form against the engine's no-reminder paid rate (first-reminder-timing has
    no malicious buyers and no stock model, so the two count the same orders)."""
    path = ROOT / "scenarios" / "first-reminder-timing.toml"
    expected = seller_numbers(load_scenario(path))["paid_unprompted"]
    overrides = {"arrivals.orders_per_day": 20000, "scenario.arrival_days": 1}
    overrides["sweep.values"] = [[0.25], [24]]
    result = run(path, replications=1, out=tmp_path, overrides=overrides, plots=False)
    (key,) = [k for k in result.summary["strategies"] if k.startswith("no-reminder@")]
    stat = result.summary["strategies"][key]["paid_rate"]
    # about 20,000 orders: a binomial standard error of 0.0023; allow four
    assert stat["mean"] == pytest.approx(expected, abs=4 * math.sqrt(0.88 * 0.12 / 20000))

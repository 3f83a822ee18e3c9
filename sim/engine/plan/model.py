"""The plan: everything one (strategy, replication) run needs, and how it is compiled.

This package is the only engine code that knows the shape of the scenario models: everything
downstream works on small numpy arrays indexed by segment and channel, so the hot paths never
touch pydantic objects or strings. The rule families compile in their own modules
(``kinds_caps``, ``after_delivery``, ``platform``); this one holds the buyers, arrivals,
shop and staff, and the questions the engine asks of a plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.scenario.buyers import CHANNELS

from ..channels import Channel, build_channels
from .after_delivery import AfterDelivery, after_delivery
from .kinds_caps import KindsAndCaps, Step, kinds_and_caps
from .platform import PlatformRules, platform_rules

__all__ = ["Plan", "Step", "compile_plan", "ppf_by_segment"]


@dataclass(frozen=True)
class Plan(KindsAndCaps, AfterDelivery, PlatformRules):
    """Everything one (strategy, replication) run needs, as plain numbers and small objects
    (the rule families' fields come from the base classes)."""

    seed: int
    strategy: str
    segment_names: tuple[str, ...]
    # segments
    share: np.ndarray
    orders_per_buyer: np.ndarray
    pays_unprompted: np.ndarray
    cancels: np.ndarray
    response: np.ndarray  # (segments, channels)
    annoyance: np.ndarray  # (segments, channels)
    opts_out: np.ndarray  # (segments, channels): a reached buyer opts out
    growth_pow: np.ndarray  # (segments, steps): growth**k for the k-th reminder (k from 0)
    complains: np.ndarray
    accepts_alternative: np.ndarray
    returns: np.ndarray
    pays_on_credit: np.ndarray  # paid at placement (花呗, 先用后付)
    response_curve: tuple[np.ndarray, np.ndarray]  # (segments, points): hours, multipliers
    returning_share: np.ndarray  # share of a segment's buyers who bought here before
    phone_callable: np.ndarray  # share of a segment's orders whose buyer can be called
    reorders: np.ndarray  # chance a buyer whose order closed unpaid places it again
    reorder_hours: tuple[Any, ...]
    malicious: np.ndarray
    pay_hours: tuple[Any, ...]
    cancel_hours: tuple[Any, ...]
    response_hours: tuple[Any, ...]
    # arrivals
    arrival_hours: float
    warmup_hours: float  # orders placed before it are simulated but left out of every KPI
    buyers_per_hour: np.ndarray  # expected new buyers in each hour slot of the arrival window
    chunk_hours: int
    # reminders
    channels: tuple[Channel, ...]
    # shop
    price: Any
    unit_cost_share: float
    stockout_probability: float
    promised_ship_hours: float
    ship_hours: Any
    delivery_hours: Any
    agent_cost_per_hour: float
    # staff
    agents: int
    on_duty: tuple[float, float]
    wage_basis: str
    inquiry_stretch: np.ndarray | None  # per hour: 1 / (1 - staff.inquiry_load); None: no load
    # tables derived from the channels and steps, for the rules' array lookups
    reach: np.ndarray = field(init=False)  # (channels, 24)
    needs_agent: np.ndarray = field(init=False)  # bool per channel
    keeps_quiet: np.ndarray = field(init=False)  # bool per channel: waits out the quiet hours
    uplift: np.ndarray = field(init=False)  # per step
    has_incentive: np.ndarray = field(init=False)  # per step
    not_reached_by: np.ndarray = field(init=False)  # per step: a step that must not have reached

    def __post_init__(self) -> None:
        derived = {
            "reach": np.array([c.reach for c in self.channels], dtype=float),
            "needs_agent": np.array([c.needs_agent for c in self.channels], dtype=bool),
            "keeps_quiet": np.array([c.keeps_quiet_hours for c in self.channels], dtype=bool),
            "uplift": np.array([s.incentive.uplift for s in self.steps], dtype=float),
            "has_incentive": np.array([s.incentive.offered for s in self.steps], dtype=bool),
            "not_reached_by": np.array(
                [s.target.not_reached_by for s in self.steps], dtype=np.int64
            ),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    @property
    def measured_window(self) -> tuple[float, float]:
        """Hours the figures measure: from the end of the warm-up to the end of arrivals."""
        return (self.warmup_hours, self.arrival_hours)

    @property
    def longest_wait_hours(self) -> float:
        """The longest an order can stay unpaid before the platform closes it."""
        return self.kinds.longest_wait_hours if self.kinds.any else self.auto_close_hours

    @property
    def uses_agents(self) -> bool:
        """Whether any step sends a phone or IM reminder to a segment that exists."""
        live = self.share > 0
        return any(self._agent_step(s, live) for s in self.steps)

    def _agent_step(self, step: Step, live: np.ndarray) -> bool:
        codes = step.channel_by_segment[live]
        return bool(self.needs_agent[codes[codes >= 0]].any())

    @property
    def independent_orders(self) -> bool:
        """True when an order's fate depends on nothing but its own draws (fast path allowed)."""
        return (
            not self.uses_agents
            and self.inventory is None
            and self.blacklist_after == 0
            and self.purchase_limit == 0
            and not self.reorders_possible
            and not self.caps_possible
        )

    @property
    def caps_possible(self) -> bool:
        """Whether a daily cap can skip a reminder (then orders wait for each other's
        reminders: the SimPy world, in time order)."""
        if not self.steps:
            return False
        return self.max_per_buyer_per_day > 0 or bool(np.any(self.channel_max_per_day > 0))

    @property
    def only_agents_interact(self) -> bool:
        """True when agents are the only thing orders share: then orders that never meet an
        agent can be resolved on the numpy path and only the rest need the event loop."""
        return (
            self.inventory is None
            and self.blacklist_after == 0
            and self.purchase_limit == 0
            and not self.bans_possible
            and not self.traffic_possible
            and not self.reorders_possible
            and not self.put_off_possible
            and not self.caps_possible
        )

    @property
    def put_off_possible(self) -> bool:
        """Whether a buyer annoyed by a reminder could otherwise order again (a return visit
        or a re-order): then what happened to one order decides whether the next is placed."""
        live = self.share > 0
        again = bool(np.any(((self.returns > 0) | (self.reorders > 0)) & live))
        return again and bool(np.any(self.annoyance[live] > 0)) and bool(self.steps)

    @property
    def reorders_possible(self) -> bool:
        """Whether a buyer of a segment that places orders may re-order (new orders appear as
        the run goes, so they are placed by the SimPy world)."""
        return bool(np.any((self.reorders > 0) & (self.share > 0)))

    @property
    def bans_possible(self) -> bool:
        """Whether this strategy can earn penalty points at all and a rung of the penalty ladder
        lies above the shop's points at the start (else no ban can come, and orders need not
        wait for each other's points)."""
        if not any(points > self.points_at_start for points, _ in self.ban_rungs):
            return False
        live = self.share > 0
        closes = (
            self.closing_penalised
            and bool(np.isfinite(self.malicious_policy.close_after))
            and bool(np.any(live & self.malicious & (self.complains > 0)))
        )
        takes = self.stockout_policy.takes_points or self.late_policy.takes_points
        return (self.penalty_points > 0 and (takes or closes)) or self._reports_possible(live)

    @property
    def traffic_possible(self) -> bool:
        """Whether low ratings, complaints or disputes can cost traffic (then an order's fate
        depends on the events of the orders before it, as with bans)."""
        per_rating, per_complaint, per_dispute = self.traffic_per_event
        live = self.share > 0
        annoys = bool(self.steps) and bool(np.any(self.annoyance[live] > 0))
        complaint = self.annoyance_is_complaint
        return (
            (per_rating > 0 and annoys and not complaint)
            or (per_complaint > 0 and annoys and complaint)
            or (per_dispute > 0 and bool(np.any(self.dispute_chance[live] > 0)))
        )

    @property
    def orders_per_hour(self) -> np.ndarray:
        """Expected orders the arrivals bring in each hour slot (before any loss)."""
        return self.buyers_per_hour / float(np.sum(self.share / self.orders_per_buyer))

    def _reports_possible(self, live: np.ndarray) -> bool:
        """Whether a buyer can report a harassment complaint that brings points."""
        if not (self.annoyance_is_complaint and self.harassment_points > 0 and self.steps):
            return False
        annoys = np.any(self.annoyance > 0, axis=1)
        return bool(np.any(live & annoys & (self.reports_harassment > 0)))


def _response_curve(segs: Any) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's response_by_hours as (hours, multipliers) arrays padded to one width:
    a segment without a curve is multiplier 1 from hour 0; padding repeats the last point."""
    curves = [[(float(h), float(m)) for h, m in s.response_by_hours.items()] for s in segs]
    width = max(1, *(len(c) for c in curves))
    hours = np.zeros((len(curves), width))
    mult = np.ones((len(curves), width))
    for i, curve in enumerate(curves):
        if curve:
            padded = curve + [curve[-1]] * (width - len(curve))
            hours[i], mult[i] = zip(*padded, strict=True)
            hours[i, 0] = 0.0  # before the first point: its value
    return hours, mult


def _promise_effect(sc: Any) -> float:
    """How a shipping promise shorter (or longer) than 48 h changes the orders placed."""
    shop = sc.shop
    return (1.0 + float(shop.promise_conversion)) ** (
        (48.0 - float(shop.promised_ship_hours)) / 24.0
    )


def _arrival_profile(sc: Any, orders_scale: float) -> np.ndarray:
    hourly = np.asarray(sc.arrivals.hourly_weights, dtype=float)
    weekday = np.asarray(sc.arrivals.weekday_weights, dtype=float)
    hourly = hourly / hourly.mean()
    weekday = weekday / weekday.mean()
    span = float(sc.scenario.arrival_days) * 24.0
    slots = math.ceil(span)
    hours = np.arange(slots)
    start_wd = sc.scenario.start.weekday()
    width = np.minimum(hours + 1.0, span) - hours
    day = hours // 24
    rate = orders_scale / 24.0 * hourly[hours % 24] * weekday[(start_wd + day) % 7]
    return rate * width


def _chunk_hours(expected_per_hour_peak: float) -> int:
    """The longest chunk (a divisor of 24 h) expected to hold at most ~64k orders."""
    for hours in (24, 12, 8, 6, 4, 3, 2, 1):
        if expected_per_hour_peak * hours <= 65_536:
            return hours
    return 1


def _inquiry_stretch(load: tuple[float, ...]) -> np.ndarray | None:
    """How much longer a reminder holds its agent in each hour of the day, when buyers'
    questions take the share ``load`` of the agents' time (None: they take none)."""
    if not any(load):
        return None
    return 1.0 / (1.0 - np.asarray(load, dtype=float))


def _segment_fields(sc: Any, strategy: Any) -> dict[str, Any]:
    """The per-segment buyer numbers (the rule families add their own)."""
    segs = sc.segments
    share = np.array([s.share for s in segs], dtype=float)
    share = share / share.sum()  # shares that do not sum to 1 are relative weights (a warning)
    return {
        "segment_names": tuple(s.name for s in segs),
        "share": share,
        "orders_per_buyer": np.array([s.orders_per_buyer for s in segs], dtype=np.int64),
        "pays_unprompted": np.array([s.pays_unprompted for s in segs], dtype=float),
        "cancels": np.array([s.cancels for s in segs], dtype=float),
        "response": np.array([[s.response.of(c) for c in CHANNELS] for s in segs], dtype=float),
        "annoyance": np.array([[s.annoyance.of(c) for c in CHANNELS] for s in segs], dtype=float),
        "opts_out": np.array([[s.opts_out.of(c) for c in CHANNELS] for s in segs], dtype=float),
        "growth_pow": np.array([s.annoyance_growth for s in segs], dtype=float)[:, None]
        ** np.arange(max(1, len(strategy.reminders))),
        "complains": np.array([s.complains for s in segs], dtype=float),
        "accepts_alternative": np.array([s.accepts_alternative for s in segs], dtype=float),
        "returns": np.array([s.returns for s in segs], dtype=float),
        "pays_on_credit": np.array([s.pays_on_credit for s in segs], dtype=float),
        "response_curve": _response_curve(segs),
        "returning_share": np.array([s.returning_share for s in segs], dtype=float),
        "phone_callable": np.array(
            [
                sc.channels.phone_callable if s.phone_callable is None else s.phone_callable
                for s in segs
            ],
            dtype=float,
        ),
        "reorders": np.array([s.reorders for s in segs], dtype=float),
        "reorder_hours": tuple(s.reorder_hours for s in segs),
        "malicious": np.array([s.malicious for s in segs], dtype=bool),
        "pay_hours": tuple(s.pay_hours for s in segs),
        "cancel_hours": tuple(s.cancel_hours for s in segs),
        "response_hours": tuple(s.response_hours for s in segs),
    }


def compile_plan(sc: Any, strategy_name: str) -> Plan:
    """Resolve ``sc`` (a validated Scenario) for one of its strategies."""
    strategy = next(s for s in sc.strategies if s.name == strategy_name)
    segments = _segment_fields(sc, strategy)
    share, opb = segments["share"], segments["orders_per_buyer"]
    # share is the share of *orders*: a buyer of segment s is drawn with chance ∝ share/opb
    orders_scale = float(sc.arrivals.orders_per_day) * float(np.sum(share / opb))
    orders_scale *= _promise_effect(sc)
    buyers_per_hour = _arrival_profile(sc, orders_scale)
    peak_orders = float(buyers_per_hour.max(initial=0.0)) * float(opb.max())
    shop, staff = sc.shop, sc.staff
    return Plan(
        seed=int(sc.scenario.seed),
        strategy=strategy_name,
        **segments,
        arrival_hours=float(sc.scenario.arrival_days) * 24.0,
        warmup_hours=float(sc.scenario.warmup_days) * 24.0,
        buyers_per_hour=buyers_per_hour,
        chunk_hours=_chunk_hours(peak_orders),
        channels=build_channels(sc),
        price=shop.price,
        unit_cost_share=float(shop.unit_cost_share),
        stockout_probability=float(shop.stockout_probability),
        promised_ship_hours=float(shop.promised_ship_hours),
        ship_hours=shop.ship_hours,
        delivery_hours=shop.delivery_hours,
        agent_cost_per_hour=float(shop.agent_cost_per_hour),
        agents=int(staff.agents),
        on_duty=(float(staff.on_duty[0]), float(staff.on_duty[1])),
        wage_basis=staff.wage_basis,
        inquiry_stretch=_inquiry_stretch(staff.inquiry_load),
        **kinds_and_caps(sc, strategy, segments["segment_names"]),
        **after_delivery(sc, strategy),
        **platform_rules(sc, strategy),
    )


def ppf_by_segment(dists: tuple[Any, ...], segment: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Push uniforms through each order's segment distribution (inverse CDF: CRN-friendly)."""
    first = dists[0]
    if all(d == first for d in dists[1:]):
        return np.asarray(first.ppf(u), dtype=float)
    out = np.empty_like(u)
    for s, dist in enumerate(dists):
        mask = segment == s
        if mask.any():
            out[mask] = dist.ppf(u[mask])
    return out

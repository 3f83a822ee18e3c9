"""Compile a validated scenario and one strategy into the numbers the engine reads.

This is the only engine module that knows the shape of the scenario models: everything
downstream works on small numpy arrays indexed by segment and channel, so the hot paths never
touch pydantic objects or strings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.scenario.buyers import CHANNELS

from .channels import Channel, build_channels
from .incentives import Incentive, build_incentive
from .kinds import OrderKinds, build_kinds
from .policies import CompensationPolicy, MaliciousPolicy, compensation_policy
from .targeting import Targeting, build_targeting

__all__ = ["Plan", "Step", "compile_plan", "ppf_by_segment"]


@dataclass(frozen=True)
class Step:
    """One reminder step of a strategy, resolved per segment."""

    model: Any  # the scenario's ReminderStep: it knows when it is due (``fire_time``)
    channel_by_segment: np.ndarray  # int8 channel code per segment, -1 = no reminder
    incentive: Incentive
    target: Targeting  # the step's only_if

    def times(self, placed: np.ndarray, close: np.ndarray | None = None) -> np.ndarray:
        """When this step is due for orders placed at ``placed`` that close unpaid at
        ``close`` (hours from the start)."""
        return self.model.fire_time(placed, close)


@dataclass(frozen=True)
class Plan:
    """Everything one (strategy, replication) run needs, as plain numbers and small objects."""

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
    refuses_delivery: np.ndarray
    dispute_chance: np.ndarray  # disputes x sum(cause share x lever multiplier)
    returns: np.ndarray
    returns_goods: np.ndarray  # seven-day return chance (the insured one when insured)
    return_multiplier_if_won: np.ndarray
    accepts_sign_and_return: np.ndarray
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
    return_days: tuple[Any, ...]
    kinds: OrderKinds  # [[order_kinds]]; none: every order closes at auto_close_hours
    # arrivals
    arrival_hours: float
    warmup_hours: float  # orders placed before it are simulated but left out of every KPI
    buyers_per_hour: np.ndarray  # expected new buyers in each hour slot of the arrival window
    chunk_hours: int
    # reminders
    channels: tuple[Channel, ...]
    steps: tuple[Step, ...]
    quiet_hours: tuple[float, ...]  # [start, end) hours of the day without seller reminders
    max_per_buyer_per_day: int  # 0 = no cap
    channel_max_per_day: np.ndarray  # int per channel, 0 = no budget
    # platform
    auto_close_hours: float
    stockout_rate: float
    stockout_min: float
    stockout_cap: float
    late_rate: float
    late_min: float
    late_max: float
    penalty_points: float
    ban_rungs: tuple[tuple[int, float], ...]  # (points, hours the shop cannot sell)
    points_at_start: float
    points_cap_per_day: float  # inf: no cap
    ban_sales_loss: float  # share of would-be orders a ban loses (1 under "no_sales")
    closing_penalised: bool  # a closed malicious order can draw a 成交不卖 complaint
    annoyance_is_complaint: bool  # annoyance shows as harassment complaints, not low ratings
    auto_confirm_hours: float
    dispute_settle_hours: float
    buyer_keeps_goods: bool  # platform.lost_dispute = "refund_only"
    partial_refund_share: float  # of the paid amount, in a dispute the seller loses
    platform_bears_logistics: bool  # platform.platform_logistics
    fully_managed: bool  # the platform bears every lost dispute
    logistics_dispute_share: float  # share of disputes whose cause is logistics
    dispute_fee: float
    return_window_hours: float  # platform.no_reason_return_days in hours (NaN: unset)
    # shop
    price: Any
    unit_cost_share: float
    stockout_probability: float
    promised_ship_hours: float
    ship_hours: Any
    delivery_hours: Any
    freight: float
    return_freight: float  # one parcel's way back (shop.return_freight, default freight)
    free_shipping: bool
    freight_insurance: bool
    insurance_premium: float
    insured_return_freight: float  # what insurance pays toward one return's freight
    resaleable_share: float  # of goods sent back in a seven-day return
    agent_cost_per_hour: float
    # staff
    agents: int
    on_duty: tuple[float, float]
    wage_basis: str
    # quality and levers
    damage_chance: float
    seller_wins_dispute: float
    lever_cost_per_order: float
    # policy
    stockout_policy: CompensationPolicy
    late_policy: CompensationPolicy
    malicious_policy: MaliciousPolicy
    blacklist_after: int
    asks_to_sign: bool  # policy.refusal = "ask_to_sign" in an insured shop
    purchase_limit: int  # most unpaid orders one account may hold at once (0: no limit)
    new_account_share: np.ndarray  # per segment: a visit comes under a new account
    reserve_on_order: bool  # the strategy's stock setting (拍下减库存), when stock is counted
    # inventory (None when stock-outs follow shop.stockout_probability)
    inventory: Any
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
        return self.penalty_points > 0 and (takes or closes)


def _number(value: Any) -> float:
    """A platform number; NaN for one the preset left unset (the load checks make sure a
    scenario that can use it sets it, so NaN never reaches a KPI)."""
    return math.nan if value is None else float(value)


def _insured(shop: Any) -> float:
    """What freight insurance pays toward one return's freight (0 without insurance)."""
    if not shop.freight_insurance:
        return 0.0
    back = _return_freight(shop)
    payout = shop.freight_insurance_payout
    return back if payout is None else min(back, float(payout))


def _return_freight(shop: Any) -> float:
    """The freight of one parcel's way back (the outbound freight unless given)."""
    return float(shop.freight if shop.return_freight is None else shop.return_freight)


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


def _returns_goods(sc: Any) -> np.ndarray:
    """Each segment's seven-day return chance: the insured one when insurance pays the way
    back (returns_if_insured, default returns_goods)."""
    insured = bool(sc.shop.freight_insurance)
    return np.array(
        [
            s.returns_if_insured
            if insured and s.returns_if_insured is not None
            else s.returns_goods
            for s in sc.segments
        ],
        dtype=float,
    )


def _promise_effect(sc: Any) -> float:
    """How a shipping promise shorter (or longer) than 48 h changes the orders placed."""
    shop = sc.shop
    return (1.0 + float(shop.promise_conversion)) ** (
        (48.0 - float(shop.promised_ship_hours)) / 24.0
    )


def _reserve_on(inventory: Any) -> str:
    return "order" if inventory is None else str(inventory.reserve_on)


def _as_dict(value: Any) -> dict[str, float]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {k: float(v) for k, v in value.items()}
    return {k: float(v) for k, v in value.model_dump().items() if v is not None}


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


def _step(step: Any, segment_names: tuple[str, ...], kinds: OrderKinds) -> Step:
    codes = []
    for name in segment_names:
        channel = step.channel_for(name)
        codes.append(CHANNELS.index(channel) if channel is not None else -1)
    return Step(
        model=step,
        channel_by_segment=np.asarray(codes, dtype=np.int8),
        incentive=build_incentive(step.incentive),
        target=build_targeting(step.only_if, kinds),
    )


def compile_plan(sc: Any, strategy_name: str) -> Plan:
    """Resolve ``sc`` (a validated Scenario) for one of its strategies."""
    strategy = next(s for s in sc.strategies if s.name == strategy_name)
    segs = sc.segments
    names = tuple(s.name for s in segs)
    share = np.array([s.share for s in segs], dtype=float)
    share = share / share.sum()  # shares that do not sum to 1 are relative weights (a warning)
    opb = np.array([s.orders_per_buyer for s in segs], dtype=np.int64)
    causes = _as_dict(sc.quality.dispute_causes)
    levers = strategy.levers
    cause_total = float(
        np.array([w * levers.dispute_multiplier(c) for c, w in causes.items()]).sum()
    )
    # share is the share of *orders*: a buyer of segment s is drawn with chance ∝ share/opb
    orders_scale = float(sc.arrivals.orders_per_day) * float(np.sum(share / opb))
    orders_scale *= _promise_effect(sc)
    buyers_per_hour = _arrival_profile(sc, orders_scale)
    peak_orders = float(buyers_per_hour.max(initial=0.0)) * float(opb.max())
    p, shop, staff, policy = sc.platform, sc.shop, sc.staff, strategy.policy
    kinds = build_kinds(sc)
    return Plan(
        seed=int(sc.scenario.seed),
        strategy=strategy_name,
        segment_names=names,
        share=share,
        orders_per_buyer=opb,
        pays_unprompted=np.array([s.pays_unprompted for s in segs], dtype=float),
        cancels=np.array([s.cancels for s in segs], dtype=float),
        response=np.array([[s.response.of(c) for c in CHANNELS] for s in segs], dtype=float),
        annoyance=np.array([[s.annoyance.of(c) for c in CHANNELS] for s in segs], dtype=float),
        opts_out=np.array([[s.opts_out.of(c) for c in CHANNELS] for s in segs], dtype=float),
        growth_pow=np.array([s.annoyance_growth for s in segs], dtype=float)[:, None]
        ** np.arange(max(1, len(strategy.reminders))),
        complains=np.array([s.complains for s in segs], dtype=float),
        accepts_alternative=np.array([s.accepts_alternative for s in segs], dtype=float),
        refuses_delivery=np.array([s.refuses_delivery for s in segs], dtype=float),
        dispute_chance=np.array([s.disputes for s in segs], dtype=float) * cause_total,
        returns=np.array([s.returns for s in segs], dtype=float),
        returns_goods=_returns_goods(sc),
        return_multiplier_if_won=np.array([s.return_multiplier_if_won for s in segs], dtype=float),
        accepts_sign_and_return=np.array([s.accepts_sign_and_return for s in segs], dtype=float),
        pays_on_credit=np.array([s.pays_on_credit for s in segs], dtype=float),
        response_curve=_response_curve(segs),
        returning_share=np.array([s.returning_share for s in segs], dtype=float),
        phone_callable=np.array(
            [
                sc.channels.phone_callable if s.phone_callable is None else s.phone_callable
                for s in segs
            ],
            dtype=float,
        ),
        reorders=np.array([s.reorders for s in segs], dtype=float),
        reorder_hours=tuple(s.reorder_hours for s in segs),
        malicious=np.array([s.malicious for s in segs], dtype=bool),
        pay_hours=tuple(s.pay_hours for s in segs),
        cancel_hours=tuple(s.cancel_hours for s in segs),
        response_hours=tuple(s.response_hours for s in segs),
        return_days=tuple(s.return_days for s in segs),
        kinds=kinds,
        arrival_hours=float(sc.scenario.arrival_days) * 24.0,
        warmup_hours=float(sc.scenario.warmup_days) * 24.0,
        buyers_per_hour=buyers_per_hour,
        chunk_hours=_chunk_hours(peak_orders),
        channels=build_channels(sc),
        steps=tuple(_step(s, names, kinds) for s in strategy.reminders),
        quiet_hours=tuple(float(h) for h in shop.quiet_hours),
        max_per_buyer_per_day=int(strategy.max_per_buyer_per_day or 0),
        channel_max_per_day=np.array(
            [sc.channels.max_per_day(c) for c in CHANNELS], dtype=np.int64
        ),
        auto_close_hours=float(p.unpaid_auto_close_hours),
        stockout_rate=_number(p.stockout_compensation_rate),
        stockout_min=float(p.stockout_compensation_min),
        stockout_cap=_number(p.stockout_compensation_cap),
        late_rate=_number(p.late_shipment_rate),
        late_min=_number(p.late_shipment_min),
        late_max=_number(p.late_shipment_max),
        penalty_points=_number(p.intervention_penalty_points),
        ban_rungs=tuple((points, days * 24.0) for points, days in p.ban_rungs()),
        points_at_start=float(p.points_at_start),
        points_cap_per_day=float(p.points_cap_per_day) or math.inf,  # 0: no cap
        ban_sales_loss=1.0 if p.ban_effect == "no_sales" else float(p.listing_ban_sales_loss),
        closing_penalised=bool(p.closing_unpaid_penalised),
        annoyance_is_complaint=p.annoyance_shows_as == "complaint",
        auto_confirm_hours=float(p.auto_confirm_days) * 24.0,
        dispute_settle_hours=float(p.dispute_settle_hours),
        buyer_keeps_goods=p.lost_dispute == "refund_only",
        partial_refund_share=float(p.partial_refund_share),
        platform_bears_logistics=bool(p.platform_logistics),
        fully_managed=bool(p.fully_managed),
        logistics_dispute_share=(
            causes.get("logistics", 0.0) * levers.dispute_multiplier("logistics") / cause_total
            if cause_total > 0
            else 0.0
        ),
        dispute_fee=_number(p.dispute_fee),
        return_window_hours=_number(p.no_reason_return_days) * 24.0,
        price=shop.price,
        unit_cost_share=float(shop.unit_cost_share),
        stockout_probability=float(shop.stockout_probability),
        promised_ship_hours=float(shop.promised_ship_hours),
        ship_hours=shop.ship_hours,
        delivery_hours=shop.delivery_hours,
        freight=float(shop.freight),
        return_freight=_return_freight(shop),
        free_shipping=bool(shop.free_shipping),
        freight_insurance=bool(shop.freight_insurance),
        insurance_premium=float(shop.freight_insurance_premium),
        insured_return_freight=_insured(shop),
        resaleable_share=float(shop.resaleable_share),
        agent_cost_per_hour=float(shop.agent_cost_per_hour),
        agents=int(staff.agents),
        on_duty=(float(staff.on_duty[0]), float(staff.on_duty[1])),
        wage_basis=staff.wage_basis,
        damage_chance=min(
            1.0, float(sc.quality.damage_or_wrong_item) * strategy.levers.damage_multiplier
        ),
        seller_wins_dispute=float(sc.quality.seller_wins_dispute),
        lever_cost_per_order=float(strategy.levers.cost_per_order),
        stockout_policy=compensation_policy(policy.stockout, p.auto_compensation),
        late_policy=compensation_policy(policy.late_shipment, p.auto_compensation),
        malicious_policy=MaliciousPolicy(
            float(policy.malicious_close_hours) if policy.malicious == "close" else math.inf
        ),
        blacklist_after=int(policy.blacklist_after),
        asks_to_sign=policy.refusal == "ask_to_sign" and bool(shop.freight_insurance),
        purchase_limit=int(policy.purchase_limit),
        new_account_share=np.array([s.new_account_share for s in segs], dtype=float),
        reserve_on_order=(policy.reserve_stock_on or _reserve_on(sc.inventory)) == "order",
        inventory=sc.inventory,
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

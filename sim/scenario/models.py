"""The scenario as typed, frozen objects: one class per table of the TOML format.

Field names are the TOML keys. Validation happens once, at load; after that the engine reads
plain attributes (profiles already turned into numbers, platform presets already applied).
Checks that span several tables live in `sim.scenario.checks`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, Strict, field_validator, model_validator

from sim.scenario.buyers import Channel, Segment
from sim.scenario.distributions import Distribution, Exponential, Lognormal
from sim.scenario.fields import (
    MAX_DAYS,
    Count,
    Days,
    Hours,
    Name,
    NonNegative,
    Probability,
    Section,
)
from sim.scenario.hours import QuietHours
from sim.scenario.kinds import OrderKind
from sim.scenario.presets import Platform
from sim.scenario.profiles import HourlyWeights, InquiryLoad, Reach, WeekdayWeights
from sim.scenario.sources import Source
from sim.scenario.strategies import Strategy

__all__ = [
    "Arrivals",
    "ChannelCap",
    "Channels",
    "Inventory",
    "Quality",
    "Scenario",
    "ScenarioMeta",
    "Shop",
    "Staff",
    "Sweep",
]

_Hour = Annotated[float, Strict(), Field(ge=0.0, le=24.0)]
MAX_ORDERS_PER_DAY = 1e6  # a very large shop; memory and time grow with it
MAX_REPLICATIONS = 100_000


class ScenarioMeta(Section):
    """The [scenario] table: what the run is called and how it is repeated."""

    name: Name = Field(description="required; names the output folder")
    description: str = Field(default="", description="what question this file answers")
    seed: Annotated[int, Strict(), Field(ge=0, le=2**63 - 1)] = Field(
        default=0, description="same seed -> identical results"
    )
    replications: Annotated[int, Strict(), Field(ge=1, le=MAX_REPLICATIONS)] = Field(
        default=10, description="independent repetitions of every strategy"
    )
    baseline: Name | None = Field(
        default=None,
        description="the strategy comparisons are against; default: the first strategy",
    )
    start: dt.date = Field(
        default=dt.date(2026, 6, 1),
        description="the first day (a Monday by default); hours count from its 00:00 and the "
        "weekday and hour profiles follow the clock",
    )
    warmup_days: Annotated[float, Strict(), Field(ge=0.0, le=MAX_DAYS)] = Field(
        default=0.0,
        description="orders placed in these first days are simulated but left out of every KPI, "
        "and agent figures are measured from its end (an empty start biases queue figures); "
        "must be shorter than arrival_days",
    )
    arrival_days: Days = Field(
        default=7.0, description="orders arrive during this many days (may be fractional)"
    )

    @field_validator("name")
    @classmethod
    def _usable_as_folder(cls, name: str) -> str:
        if name in (".", "..") or any(c in name for c in "/\\\0"):
            raise ValueError("must be usable as a folder name (no '/', '\\', '.' or '..')")
        return name

    @field_validator("start", mode="before")
    @classmethod
    def _date_or_text(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date):
            raise ValueError("must be a date such as 2026-06-01")
        return value


class Shop(Section):
    """The [shop] table: prices, costs, shipping times and freight."""

    price: Distribution = Field(
        default=Lognormal(dist="lognormal", median=120.0, sigma=0.5),
        description="item price (yuan)",
    )
    unit_cost_share: NonNegative = Field(
        default=0.6, description="cost of goods as a share of price"
    )
    stockout_probability: Probability = Field(
        default=0.02, description="chance a paid order turns out to be unfulfillable"
    )
    promised_ship_hours: Hours = Field(
        default=48.0, description="hours after payment the listing promises to ship within"
    )
    promise_conversion: Annotated[float, Strict(), Field(ge=0.0, le=1.0)] = Field(
        default=0.0,
        description="more orders per day the shipping promise is shorter than 48 h: orders "
        "placed are multiplied by (1 + this) ** ((48 - promised_ship_hours) / 24) (an "
        "assumption; 0 = the promise sells nothing)",
    )
    ship_hours: Distribution = Field(
        default=Lognormal(dist="lognormal", median=20.0, sigma=0.6),
        description="hours from payment to shipment",
    )
    delivery_hours: Distribution = Field(
        default=Lognormal(dist="lognormal", median=60.0, sigma=0.4),
        description="hours from shipment to delivery",
    )
    freight: NonNegative = Field(default=8.0, description="one-way freight per parcel")
    return_freight: NonNegative | None = Field(
        default=None,
        description="freight of one parcel's way back (refused, returned, sent back after a "
        "lost dispute); returns travel singly, so they cost more than a bulk shipper's "
        "outbound parcels (default: freight)",
    )
    free_shipping: Annotated[bool, Strict()] = Field(
        default=True, description="the listing ships free: the seller pays the outbound freight"
    )
    freight_insurance: Annotated[bool, Strict()] = Field(
        default=False,
        description="运费险: pays toward the return freight of goods a buyer signed for and "
        "sent back (a seven-day return, a signed return, a lost dispute), not of a parcel "
        "refused at the door",
    )
    freight_insurance_premium: NonNegative = Field(
        default=0.8, description="per shipped order, when freight_insurance is on"
    )
    freight_insurance_payout: NonNegative | None = Field(
        default=None,
        description="most the insurance pays toward the return freight of a buyer who signed "
        "and then sent the goods back; the seller pays any gap (default: the whole freight)",
    )
    resaleable_share: Probability = Field(
        default=1.0,
        description="share of the goods sent back in a seven-day return that can be sold "
        "again; the rest is lost at cost (an assumption)",
    )
    quiet_hours: QuietHours = Field(
        default=(22.0, 8.0),
        description="[start, end]: no phone, IM or SMS reminder in these hours of the day; a "
        "step due inside waits until they end ([] = none; the platform's auto reminder ignores "
        "them). In a reminder tool's terms, [22, 8] is the sending window \"not between 22:00 "
        'and 08:00, otherwise at 08:00"',
    )
    sms_cost: NonNegative = Field(default=0.05, description="per text message")
    agent_cost_per_hour: NonNegative = Field(
        default=25.0, description="wage of a customer-service agent per hour"
    )


class Arrivals(Section):
    """The [arrivals] table: how many orders come, and when in the day and week."""

    orders_per_day: Annotated[float, Strict(), Field(gt=0.0, le=MAX_ORDERS_PER_DAY)] = Field(
        default=400.0, description="mean orders per day over a week"
    )
    hourly_weights: HourlyWeights = Field(
        default="taobao",
        validate_default=True,
        description='"taobao" | "flat" | 24 weights, hour 0 first (a tuple of 24 after loading)',
    )
    weekday_weights: WeekdayWeights = Field(
        default="taobao",
        validate_default=True,
        description='"taobao" | "flat" | 7 weights, Monday first (a tuple of 7 after loading)',
    )


class Staff(Section):
    """The [staff] table: the agents who make phone and IM reminders, first come first served."""

    agents: Count = Field(default=2, description="customer-service agents on duty")
    on_duty: tuple[_Hour, _Hour] = Field(
        default=(9.0, 24.0),
        description="[start, end] hours of the day; a task waits for the next shift",
    )
    phone_minutes: Distribution = Field(
        default=Exponential(dist="exponential", mean=3.0),
        description="agent minutes per phone reminder",
    )
    im_minutes: Distribution = Field(
        default=Exponential(dist="exponential", mean=1.0),
        description="agent minutes per IM reminder",
    )
    inquiry_load: InquiryLoad = Field(
        default=0.0,
        validate_default=True,
        description="share of on-duty agent time that buyers' pre-sales questions take, one "
        "share for every hour or 24 (hour 0 first; an assumption, 0 = none): a reminder of m "
        "agent minutes begun in an hour with load x holds its agent m / (1 - x) minutes, so "
        "reminders wait longer at the peaks; the reminder's cost stays m minutes",
    )
    wage_basis: Literal["calls", "shifts"] = Field(
        default="calls",
        description='"calls": reminder cost counts the agent minutes spent on calls and chats; '
        '"shifts": agents are paid for every on-duty hour while a strategy uses them',
    )


class ChannelCap(Section):
    """A channel's daily budget for the whole shop (SMS messages, agent calls or chats)."""

    max_per_day: Annotated[int, Strict(), Field(ge=1)] = Field(
        description="required; at most this many reminders on this channel per calendar day for "
        "the whole shop; reminders past it are skipped and counted (capped_reminders_per_order)"
    )


class Channels(Section):
    """The [channels] table: chance a reminder sent at a given hour reaches the buyer, and
    optional daily budgets per channel ([channels.sms] max_per_day = 500)."""

    phone_reach: Reach = Field(
        default="always",
        validate_default=True,
        description='"daytime" | "always" | 24 chances, hour 0 first (a tuple after loading)',
    )
    im_reach: Reach = Field(
        default="always", validate_default=True, description="like phone_reach, for IM"
    )
    sms_reach: Reach = Field(
        default="always", validate_default=True, description="like phone_reach, for SMS"
    )
    phone: ChannelCap | None = Field(default=None, description="daily budget of phone calls")
    im: ChannelCap | None = Field(default=None, description="daily budget of IM chats")
    sms: ChannelCap | None = Field(default=None, description="daily budget of SMS messages")
    auto: ChannelCap | None = Field(
        default=None, description="daily budget of the platform's automatic reminders"
    )

    def max_per_day(self, channel: Channel) -> int:
        """The shop's daily budget of reminders on ``channel`` (0 = none)."""
        cap = getattr(self, channel)
        return 0 if cap is None else int(cap.max_per_day)

    phone_callable: Probability = Field(
        default=1.0,
        description="share of orders whose buyer can be called at all (numbers are masked, "
        "calls from virtual numbers are labelled as marketing: an assumption); a phone step "
        "is not made to the others and costs no agent time (segments.*.phone_callable "
        "overrides it per segment)",
    )

    def reach(self, channel: Channel) -> tuple[float, ...]:
        """The 24 hourly reach chances of a channel; the automatic reminder always reaches."""
        if channel == "auto":
            return (1.0,) * 24
        return getattr(self, f"{channel}_reach")


class Quality(Section):
    """The [quality] table: the shop's after-sale troubles as they are today."""

    damage_or_wrong_item: Probability = Field(
        default=0.01, description="chance a parcel is refused for the seller's fault"
    )
    dispute_causes: dict[str, NonNegative] = Field(
        default={"not_as_described": 0.4, "logistics": 0.3, "quality": 0.2, "service": 0.1},
        description="shares of a segment's `disputes` chance, by cause (sum 1)",
    )
    seller_wins_dispute: Probability = Field(
        default=0.3, description="chance a dispute is settled for the seller"
    )
    chargeback_causes: dict[str, NonNegative] = Field(
        default={"fraud": 0.6, "not_received": 0.2, "not_as_described": 0.2},
        description="shares of a segment's `chargebacks` chance, by cause (sum 1; an "
        "assumption): a stolen card, goods the cardholder says never came, goods not as "
        "described",
    )


class Inventory(Section):
    """The optional [inventory] table; without it stock-outs follow shop.stockout_probability."""

    units: Count = Field(description="units on hand at the start")
    restock_units: Count = Field(default=0, description="units added every restock_hours")
    restock_hours: Hours = Field(default=72.0, description="hours between restocks")
    reserve_on: Literal["order", "payment"] = Field(
        default="order",
        description='"order" (taobao: unpaid and malicious orders lock stock until they close) '
        'or "payment" (tmall: a paid order may find no stock)',
    )


class Sweep(Section):
    """The optional [sweep] table: repeat every strategy for each value of one key, or for
    every combination of values of several keys (a full factorial grid)."""

    parameter: Name | tuple[Name, ...] = Field(
        description="dotted key path; list items by index or by name, e.g. "
        '"strategies.next-day-by-segment.reminders.0.at"; a list of paths sweeps a grid'
    )
    values: tuple[Any, ...] = Field(
        min_length=1,
        description="the values to try, in order; with a list of parameters, one list of "
        "values per parameter (every combination is run)",
    )

    @property
    def is_grid(self) -> bool:
        """True when several parameters are swept together."""
        return not isinstance(self.parameter, str)

    @property
    def axes(self) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """(parameter, values) per swept parameter, in the file's order."""
        if isinstance(self.parameter, str):
            return ((self.parameter, self.values),)
        return tuple(
            (name, tuple(values)) for name, values in zip(self.parameter, self.values, strict=False)
        )

    @property
    def points(self) -> tuple[Any, ...]:
        """Every value (one parameter) or every combination as a tuple (a grid), in order."""
        if isinstance(self.parameter, str):
            return self.values
        return tuple(itertools.product(*(values for _name, values in self.axes)))

    @property
    def label(self) -> str:
        """The swept parameter(s), for titles: "a" or "a × b"."""
        return " × ".join(name for name, _values in self.axes)


class Scenario(Section):
    """A whole scenario file, validated: the one object every run starts from."""

    scenario: ScenarioMeta = Field(description="name, seed, replications, baseline, clock")
    platform: Platform = Field(default=Platform(), description="the marketplace's rules")
    shop: Shop = Field(default=Shop(), description="prices, costs, shipping")
    arrivals: Arrivals = Field(default=Arrivals(), description="order arrivals")
    staff: Staff = Field(default=Staff(), description="agents for phone and IM reminders")
    channels: Channels = Field(default=Channels(), description="reach of reminders by hour")
    segments: tuple[Segment, ...] = Field(min_length=1, description="buyer segments (>= 1)")
    order_kinds: tuple[OrderKind, ...] = Field(
        default=(),
        description="optional kinds of order with their own unpaid close (flash sale, group "
        "buy, presale balance); none: every order closes at platform.unpaid_auto_close_hours",
    )
    quality: Quality = Field(default=Quality(), description="refusals and disputes")
    strategies: tuple[Strategy, ...] = Field(min_length=1, description="strategies (>= 1)")
    inventory: Inventory | None = Field(default=None, description="optional stock model")
    sweep: Sweep | None = Field(default=None, description="optional parameter sweep")
    sources: dict[str, Source] = Field(
        default={},
        description="where behaviour numbers came from, by dotted key (see below); a number "
        "with no entry is an assumption",
    )

    # The data as written (before defaults), so overrides keep preset and default semantics.
    _input: dict[str, Any] | None = PrivateAttr(default=None)
    _source: str = PrivateAttr(default="<dict>")

    @model_validator(mode="after")
    def _default_baseline(self) -> Scenario:
        if self.scenario.baseline is not None:
            return self
        meta = self.scenario.model_copy(update={"baseline": self.strategies[0].name})
        return self.model_copy(update={"scenario": meta})

    @property
    def baseline(self) -> str:
        """The name of the strategy every other is compared with."""
        return self.scenario.baseline or self.strategies[0].name

    def strategy(self, name: str) -> Strategy:
        """The strategy called `name` (KeyError if none)."""
        for strategy in self.strategies:
            if strategy.name == name:
                return strategy
        raise KeyError(name)

    def segment(self, name: str) -> Segment:
        """The segment called `name` (KeyError if none)."""
        for segment in self.segments:
            if segment.name == name:
                return segment
        raise KeyError(name)

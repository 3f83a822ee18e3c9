"""`trial fit`: what each arm shows, and the response numbers measured from all of them.

The control arm (the one strategy that sends no reminder) gives the unprompted behaviour,
fitted as `ordersim fit` fits an export (a lognormal mixture of pay times, the paid share,
cancellations); the other arms' pay times then give, by maximum likelihood (`model`), the
chance a reminder of each channel wins a buyer and the hours from a winning reminder to
payment. A trial too small to pin a number down says so: its interval is wider than
`TOO_WIDE` (response) or spans more than a factor `TOO_WIDE_HOURS` (hours).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from sim.errors import Said
from sim.fit.errors import ExportError, located
from sim.fit.fitting import fit_orders
from sim.fit.observed import delay_sample, paid_share, weighted_quantiles
from sim.fit.window import placed_range, subset
from sim.output.i18n import N_
from sim.scenario.buyers import CHANNELS
from sim.scenario.load import named_path
from sim.scenario.paths import scenario_input

from .arms import TrialOrders, arm_data, closed_by
from .model import Estimate, Unprompted, fit_response
from .tool import arm_tool

__all__ = ["TOO_WIDE", "TOO_WIDE_HOURS", "TrialFit", "fit_trial"]

TOO_WIDE = 0.2  # a response interval wider than 20 points cannot guide a choice
TOO_WIDE_HOURS = 3.0  # nor a response time whose interval spans more than a factor 3
_CANCEL_POINTS = 24
_GROUP_MINIMUM = 20  # orders in each arm of a group before its numbers are fitted
_WIDE_RHO = N_(
    "too small to tell: the response of {channel} is somewhere in {low} to {high} (n={n}); "
    "run the trial longer (trial design)"
)
_WIDE_HOURS = N_(
    "too small to tell: the hours from a reminder to payment are somewhere in {low} to {high} "
    "h; run the trial longer (trial design)"
)
_NOT_FITTED = N_(
    "{group}: too few orders in some arm to measure this group on its own; the whole trial's "
    "numbers stand for it"
)


@dataclass
class ArmSummary:
    name: str
    control: bool
    orders: int
    paid: Estimate
    quartiles: dict[str, Estimate]
    curve: tuple[np.ndarray, np.ndarray] = field(repr=False)  # pay delays, weights


@dataclass(frozen=True)
class Note:
    """A sentence for the seller, kept as its catalogue text and values so that it is printed
    in the reader's language (trial.json keeps the English)."""

    text: str
    values: dict
    group: str = ""  # the group of orders it speaks of ("" : the whole trial)

    def say(self, lang) -> str:
        values = {k: v.say(lang) if isinstance(v, Said) else v for k, v in self.values.items()}
        said = lang.tr(self.text, **values)
        group = self.group.say(lang) if isinstance(self.group, Said) else self.group
        return f"{group}: {said}" if group else said


@dataclass
class Measured:
    """The response numbers one set of orders gives (the whole trial, or one group)."""

    rho: dict[str, Estimate]  # channel -> chance a reminder wins a buyer
    mean_hours: Estimate  # hours from a winning reminder to payment (exponential mean)
    notes: list[Note]  # too small to tell
    unprompted: Unprompted
    rho_vector: np.ndarray = field(repr=False)  # per CHANNELS, 0 unused
    data: dict = field(repr=False)  # arm name -> ArmData (the control's: no reminder)
    tools: list = field(default_factory=list)  # ArmTool per reminding arm (sim/trial/tool.py)


@dataclass
class GroupFit:
    """One group of orders the export tells apart (new or returning buyers, a price band)."""

    name: str
    orders: int
    measured: Measured | None  # None: too few orders in some arm to fit
    segments: list[str]  # the scenario's segments this group's numbers are written to


@dataclass
class TrialFit:
    arms: list[ArmSummary]
    estimates: list[dict]
    whole: Measured
    auto_close: float
    window: tuple[dt.datetime, dt.datetime]
    logged: bool = False  # reminders from the tool's log (else the strategies' timing)
    groups: list[GroupFit] = field(default_factory=list)
    by: str | None = None  # what the groups are: "buyer" or "price"

    @property
    def rho(self) -> dict[str, Estimate]:
        return self.whole.rho

    @property
    def mean_hours(self) -> Estimate:
        return self.whole.mean_hours

    @property
    def notes(self) -> list[Note]:
        out = list(self.whole.notes)
        for g in self.groups:
            if g.measured is None:
                out.append(Note(_NOT_FITTED, {"group": g.name}))
            else:
                out += [Note(n.text, n.values, g.name) for n in g.measured.notes]
        return out

    @property
    def warnings(self) -> list[str]:
        from sim.output.i18n import get_lang

        en = get_lang("en")
        return [n.say(en) for n in self.notes]


def _share(orders, auto_close: float) -> Estimate:
    p = paid_share(orders, auto_close)
    half = 1.96 * math.sqrt(max(p.share * (1 - p.share), 1e-12) / max(p.n, 1))
    return Estimate(p.share, max(0.0, p.share - half), min(1.0, p.share + half), p.n)


def _quartiles(orders) -> tuple[dict[str, Estimate], tuple[np.ndarray, np.ndarray]]:
    delays, weights = delay_sample(orders)
    out = {}
    if delays.size >= 2:
        n = delays.size
        for name, q in (("q1", 0.25), ("median", 0.5), ("q3", 0.75)):
            step = 1.96 * math.sqrt(q * (1 - q) / n)
            lo, mid, hi = weighted_quantiles(
                delays, weights, [max(q - step, 0.0), q, min(q + step, 1.0)]
            )
            out[name] = Estimate(float(mid), float(lo), float(hi), int(n))
    return out, (delays, weights)


def _check_strategy(scenario, name: str, source: str) -> None:
    strategy = next(s for s in scenario.strategies if s.name == name)
    for k, step in enumerate(strategy.reminders):
        where = f"strategies.{name}.reminders.{k}"
        if step.channel == "by_segment" or step.only_if is not None:
            raise ExportError(
                [
                    located(
                        source,
                        Said(
                            N_(
                                "{where}: a step aimed at some buyers (by_segment or only_if) "
                                "cannot be measured by trial fit yet; give each arm one channel "
                                "for every order"
                            ),
                            where=where,
                        ),
                    )
                ]
            )


def _unprompted(scenario, control_orders, source: str) -> Unprompted:
    if not control_orders.paid.any() or np.isfinite(control_orders.pay_delay).sum() < 2:
        raise ExportError(
            [located(source, Said(N_("the control arm has fewer than 2 paid orders")))]
        )
    fit = fit_orders(control_orders)
    cancel = scenario.segments[0].cancel_hours
    points = np.sort(np.asarray(cancel.ppf((np.arange(_CANCEL_POINTS) + 0.5) / _CANCEL_POINTS)))
    segs = fit.segments
    return Unprompted(
        share=np.array([s.share for s in segs]),
        pays=np.array([s.pays_unprompted for s in segs]),
        median=np.array([s.median for s in segs]),
        sigma=np.array([s.sigma for s in segs]),
        cancels=np.array([s.cancels for s in segs]),
        cancel_times=points,
    )


def _problems(scenario, trial: TrialOrders, source: str) -> int:
    """The control arm's index; every problem of the arms at once (ExportError)."""
    strategies = {s.name: s for s in scenario.strategies}
    silent = [n for n in trial.names if not strategies[n].reminders]
    problems = []
    if len(silent) != 1:
        problems.append(
            located(
                source,
                Said(
                    N_(
                        "a trial needs exactly one control arm, a strategy that sends no "
                        "reminder (arms: {arms}; without reminders: {silent})"
                    ),
                    arms=", ".join(trial.names),
                    silent=", ".join(silent) or Said(N_("none")),
                ),
            )
        )
    counts = np.bincount(trial.arm, minlength=len(trial.names))
    for name, count in zip(trial.names, counts, strict=True):
        if count == 0:
            problems.append(located(source, Said(N_("arm {name} has no order"), name=repr(name))))
    if len(trial.names) < 2:
        problem = Said(N_("a trial needs two arms or more (got {arms})"), arms=trial.names)
        problems.append(located(source, problem))
    if problems:
        raise ExportError(problems)
    for name in trial.names:
        _check_strategy(scenario, name, source)
    return trial.names.index(silent[0])


def fit_trial(
    scenario,
    trial: TrialOrders,
    source: str,
    log: dict[int, np.ndarray] | None = None,
    by: str | None = None,
) -> TrialFit:
    """Measure the response numbers of the channels the non-control arms send; with ``by``
    ("buyer", or "price=B1,B2,..."), also per group of orders the export tells apart."""
    from .groups import group_masks, group_segments

    control = _problems(scenario, trial, source)
    auto_close = float(scenario.platform.unpaid_auto_close_hours)
    arms = []
    for index, name in enumerate(trial.names):
        mine = subset(trial.orders, trial.arm == index)
        quartiles, curve = _quartiles(mine)
        arms.append(
            ArmSummary(name, index == control, mine.n, _share(mine, auto_close), quartiles, curve)
        )
    whole = _measure(scenario, trial, control, source, log, auto_close)
    fit = TrialFit(arms, [], whole, auto_close, placed_range(trial.orders), log is not None)
    if by is not None:
        fit.by = by.split("=")[0]
        for name, mask in group_masks(trial.orders, by, source):
            part = TrialOrders(
                subset(trial.orders, mask),
                trial.arm[mask],
                trial.names,
                [trial.ids[i] for i in np.flatnonzero(mask)] if trial.ids else [],
            )
            counts = np.bincount(part.arm, minlength=len(trial.names))
            measured = None
            if counts.min() >= _GROUP_MINIMUM:
                sub_log = _sub_log(log, mask)
                try:
                    measured = _measure(scenario, part, control, source, sub_log, auto_close)
                except ExportError:  # its control arm too small to fit: said in the notes
                    measured = None
            segments = group_segments(scenario, fit.by, name)
            fit.groups.append(GroupFit(name, part.orders.n, measured, segments))
    fit.estimates = _estimates(scenario, fit)
    return fit


def _sub_log(log, mask: np.ndarray):
    if log is None:
        return None
    position = {int(i): k for k, i in enumerate(np.flatnonzero(mask))}
    return {position[i]: t for i, t in log.items() if i in position}


def _measure(scenario, trial: TrialOrders, control: int, source: str, log, auto_close: float):
    """The response numbers of one set of orders: the unprompted part from its control arm,
    then the joint maximum-likelihood fit over all its arms, and the tool's figures."""
    known = ~(trial.orders.paid & np.isnan(trial.orders.pay_delay))  # paid, no pay time: unused
    un = _unprompted(scenario, trial.of(control), source)
    data, reminding = [], []
    for index, name in enumerate(trial.names):
        if index == control:
            continue
        keep = (trial.arm == index) & known
        orders = subset(trial.orders, keep)
        reminding.append(orders)
        data.append(arm_data(scenario, name, orders, un.share.size, _sub_log(log, keep)))
    control_orders = subset(trial.orders, (trial.arm == control) & known)
    silent = _silent(control_orders, un, auto_close)
    rho, mean, low, high, hours, used, un = fit_response(data, silent, un, len(CHANNELS))
    vector = np.nan_to_num(rho)
    rho_out, hours_est, notes = _numbers(data, rho, low, high, mean, hours, used)
    tools = [
        arm_tool(d.name, o, d, control_orders, auto_close, un, vector, mean, log is not None)
        for d, o in zip(data, reminding, strict=True)
    ]
    by_name = {d.name: d for d in data}
    by_name[trial.names[control]] = silent
    return Measured(rho_out, hours_est, notes, un, vector, by_name, tools)


def _silent(orders, un: Unprompted, auto_close: float):
    """The control arm as the model reads it: no reminder."""
    from .model import ArmData

    n, s = orders.n, un.share.size
    seen = np.minimum(auto_close, orders.end - orders.placed)
    paid_at = np.where(orders.pay_delay < seen, orders.pay_delay, np.nan)
    none = np.full((n, 1), np.inf)
    channel = np.full((s, 1), -1)
    by = closed_by(orders)
    return ArmData("control", paid_at, seen, none, channel, np.zeros((n, 1)), np.zeros(1), by)


def _numbers(data, rho, low, high, mean, hours, used):
    """Each used channel's response and the response time as Estimates, and the notes of
    those too wide to guide a choice."""
    notes: list[Note] = []
    rho_out: dict[str, Estimate] = {}
    for c in np.flatnonzero(used):
        channel = CHANNELS[c]
        n = int(sum(np.sum(np.isfinite(a.tau[:, (a.channel == c).any(axis=0)])) for a in data))
        est = Estimate(float(rho[c]), float(low[c]), float(high[c]), n)
        rho_out[channel] = est
        if est.high - est.low > TOO_WIDE:
            values = {"channel": channel, "low": f"{est.low:.0%}", "high": f"{est.high:.0%}"}
            notes.append(Note(_WIDE_RHO, {**values, "n": f"{n:,}"}))
    won = int(sum(np.sum(~np.isnan(a.paid_at) & (a.paid_at > a.tau.min(axis=1))) for a in data))
    hours_est = Estimate(mean, float(hours[0]), float(hours[1]), won)
    if hours[1] / max(hours[0], 1e-9) > TOO_WIDE_HOURS:
        notes.append(Note(_WIDE_HOURS, {"low": f"{hours[0]:.2g}", "high": f"{hours[1]:.2g}"}))
    return rho_out, hours_est, notes


def _estimates(scenario, fit: TrialFit) -> list[dict]:
    """The numbers written into the scenario, keyed as `--set` takes them: each segment gets
    the numbers of its group where the groups are the scenario's segments, else the whole
    trial's."""
    keys = _segment_keys(scenario)
    source = {name: fit.whole for name in keys}
    for g in fit.groups:
        for segment in g.segments:
            if g.measured is not None:
                source[segment] = g.measured
    out = []
    for base in keys:
        m = source[base]
        for channel, est in m.rho.items():
            out.append({"key": f"{base}.response.{channel}", **_as_dict(est)})
        out.append({"key": f"{base}.response_hours.mean", **_as_dict(m.mean_hours)})
    return out


def _segment_keys(scenario) -> list[str]:
    """Each segment's key as `--set` and [sources] spell it (segments.NAME, or the index)."""
    data = scenario_input(scenario)
    return [named_path(data, f"segments.{i}") for i in range(len(scenario.segments))]


def _as_dict(e: Estimate) -> dict:
    return {"value": e.value, "low": e.low, "high": e.high, "n": e.n}

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

from sim.fit.errors import ExportError, located
from sim.fit.fitting import fit_orders
from sim.fit.observed import delay_sample, paid_share, weighted_quantiles
from sim.fit.window import placed_range, subset
from sim.scenario.buyers import CHANNELS
from sim.scenario.load import named_path
from sim.scenario.paths import scenario_input

from .arms import TrialOrders, arm_data
from .model import Estimate, Unprompted, fit_response

__all__ = ["TOO_WIDE", "TOO_WIDE_HOURS", "TrialFit", "fit_trial"]

TOO_WIDE = 0.2  # a response interval wider than 20 points cannot guide a choice
TOO_WIDE_HOURS = 3.0  # nor a response time whose interval spans more than a factor 3
_CANCEL_POINTS = 24


@dataclass
class ArmSummary:
    name: str
    control: bool
    orders: int
    paid: Estimate
    quartiles: dict[str, Estimate]
    curve: tuple[np.ndarray, np.ndarray] = field(repr=False)  # pay delays, weights


@dataclass
class TrialFit:
    arms: list[ArmSummary]
    estimates: list[dict]
    rho: dict[str, Estimate]
    mean_hours: Estimate
    unprompted: Unprompted
    auto_close: float
    window: tuple[dt.datetime, dt.datetime]
    warnings: list[str]
    data: dict = field(default_factory=dict, repr=False)  # arm name -> ArmData (not control)
    rho_vector: np.ndarray | None = field(default=None, repr=False)  # per CHANNELS, 0 unused


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
                        f"{where}: a step aimed at some buyers (by_segment or only_if) cannot be "
                        "measured by trial fit yet; give each arm one channel for every order",
                    )
                ]
            )


def _unprompted(scenario, control_orders, source: str) -> Unprompted:
    if not control_orders.paid.any() or np.isfinite(control_orders.pay_delay).sum() < 2:
        raise ExportError([located(source, "the control arm has fewer than 2 paid orders")])
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


def fit_trial(
    scenario, trial: TrialOrders, source: str, log: dict[int, np.ndarray] | None = None
) -> TrialFit:
    """Measure the response numbers of the channels the non-control arms send."""
    strategies = {s.name: s for s in scenario.strategies}
    silent = [n for n in trial.names if not strategies[n].reminders]
    problems = []
    if len(silent) != 1:
        problems.append(
            located(
                source,
                "a trial needs exactly one control arm, a strategy that sends no reminder "
                f"(arms: {', '.join(trial.names)}; "
                f"without reminders: {', '.join(silent) or 'none'})",
            )
        )
    counts = np.bincount(trial.arm, minlength=len(trial.names))
    for name, count in zip(trial.names, counts, strict=True):
        if count == 0:
            problems.append(located(source, f"arm {name!r} has no order"))
    if len(trial.names) < 2:
        problems.append(located(source, f"a trial needs two arms or more (got {trial.names})"))
    if problems:
        raise ExportError(problems)
    for name in trial.names:
        _check_strategy(scenario, name, source)
    auto_close = float(scenario.platform.unpaid_auto_close_hours)
    control = trial.names.index(silent[0])
    known = ~(trial.orders.paid & np.isnan(trial.orders.pay_delay))  # paid, no pay time: unused
    un = _unprompted(scenario, trial.of(control), source)
    arms, data = [], []
    for index, name in enumerate(trial.names):
        mine = subset(trial.orders, trial.arm == index)
        quartiles, curve = _quartiles(mine)
        arms.append(
            ArmSummary(name, index == control, mine.n, _share(mine, auto_close), quartiles, curve)
        )
        if index != control:
            keep = (trial.arm == index) & known
            mine_log = None
            if log is not None:
                where = np.flatnonzero(keep)
                position = {int(i): k for k, i in enumerate(where)}
                mine_log = {position[i]: t for i, t in log.items() if i in position}
            orders = subset(trial.orders, keep)
            data.append(arm_data(scenario, name, orders, un.share.size, mine_log))
    silent = _silent(subset(trial.orders, (trial.arm == control) & known), un, auto_close)
    rho, mean, low, high, hours, used, un = fit_response(data, silent, un, len(CHANNELS))
    fit = _collect(scenario, trial, arms, data, un, auto_close, rho, mean, low, high, hours, used)
    fit.data = {d.name: d for d in data}
    fit.data[trial.names[control]] = silent
    fit.rho_vector = np.nan_to_num(rho)
    return fit


def _silent(orders, un: Unprompted, auto_close: float):
    """The control arm as the model reads it: no reminder."""
    from .model import ArmData

    n, s = orders.n, un.share.size
    seen = np.minimum(auto_close, orders.end - orders.placed)
    paid_at = np.where(orders.pay_delay < seen, orders.pay_delay, np.nan)
    none = np.full((n, 1), np.inf)
    channel = np.full((s, 1), -1)
    return ArmData("control", paid_at, seen, none, channel, np.zeros((n, 1)), np.zeros(1))


def _collect(scenario, trial, arms, data, un, auto_close, rho, mean, low, high, hours, used):
    warnings = []
    estimates: list[dict] = []
    rho_out: dict[str, Estimate] = {}
    reminded = 0
    for c in np.flatnonzero(used):
        channel = CHANNELS[c]
        n = int(sum(np.sum(np.isfinite(a.tau[:, (a.channel == c).any(axis=0)])) for a in data))
        est = Estimate(float(rho[c]), float(low[c]), float(high[c]), n)
        rho_out[channel] = est
        reminded += n
        for base in _segment_keys(scenario):
            estimates.append({"key": f"{base}.response.{channel}", **_as_dict(est)})
        if est.high - est.low > TOO_WIDE:
            warnings.append(
                f"too small to tell: the response of {channel} is somewhere in "
                f"{est.low:.0%} to {est.high:.0%} (n={n}); run the trial longer (trial design)"
            )
    won = int(sum(np.sum(~np.isnan(a.paid_at) & (a.paid_at > a.tau.min(axis=1))) for a in data))
    hours_est = Estimate(mean, float(hours[0]), float(hours[1]), won)
    for base in _segment_keys(scenario):
        estimates.append({"key": f"{base}.response_hours.mean", **_as_dict(hours_est)})
    if hours[1] / max(hours[0], 1e-9) > TOO_WIDE_HOURS:
        warnings.append(
            f"too small to tell: the hours from a reminder to payment are somewhere in "
            f"{hours[0]:.2g} to {hours[1]:.2g} h; run the trial longer (trial design)"
        )
    return TrialFit(
        arms, estimates, rho_out, hours_est, un, auto_close, placed_range(trial.orders), warnings
    )


def _segment_keys(scenario) -> list[str]:
    """Each segment's key as `--set` and [sources] spell it (segments.NAME, or the index)."""
    data = scenario_input(scenario)
    return [named_path(data, f"segments.{i}") for i in range(len(scenario.segments))]


def _as_dict(e: Estimate) -> dict:
    return {"value": e.value, "low": e.low, "high": e.high, "n": e.n}

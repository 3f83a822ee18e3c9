"""A trial export read into arms: each order's arm, outcome and the reminders it was sent.

The orders are read by sim/fit's readers (the same columns, dates and encodings as `fit`).
The arm of an order comes from a column of the export, an assignment CSV (order number, arm)
or the rule the trial was run with. Each arm is a strategy of the scenario: its reminder steps
say when each order was reminded (the scenario's own timing: `at`, peaks, quiet hours),
unless the reminder tool's log gives the moments reminders were really sent.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.engine.plan import compile_plan
from sim.errors import Said
from sim.fit.errors import ExportError, located
from sim.fit.orders import Orders
from sim.fit.read import read_export
from sim.fit.window import subset
from sim.output.i18n import N_
from sim.scenario.buyers import CHANNELS
from sim.scenario.hours import release_after

from .assign import arms_by_rule
from .model import ArmData

__all__ = ["TrialOrders", "arm_data", "closed_by", "order_ids", "read_arms", "read_log"]


@dataclass
class TrialOrders:
    """The export's orders with an arm each (index into ``names``)."""

    orders: Orders
    arm: np.ndarray
    names: list[str]
    ids: list[str]

    def of(self, index: int) -> Orders:
        return subset(self.orders, self.arm == index)


def _column(path: Path, name: str, encoding: str | None, header: str, rows: np.ndarray):
    export = read_export(path, name, encoding)
    if header not in export.headers:
        raise ExportError(
            [
                located(
                    name,
                    Said(N_("no column {header}"), header=repr(header)),
                    got_text=", ".join(export.headers),
                )
            ]
        )
    cells = export.column(header).to_numpy(zero_copy_only=False)
    return [str(x) for x in cells[rows - 2]]


def order_ids(path: Path, orders: Orders, name: str, encoding: str | None) -> list[str]:
    """The order number of each order (the ``order`` role's column)."""
    if "order" not in orders.roles:
        raise ExportError(
            [
                located(
                    name,
                    Said(N_("no order number column: name it with --columns order=COLUMN")),
                )
            ]
        )
    assert orders.row is not None
    return _column(path, name, encoding, orders.roles["order"], orders.row)


def _named(values: list[str], rows: np.ndarray, strategies: list[str], where: str, name: str):
    """Arm names checked against the scenario's strategies; every bad cell listed."""
    problems = []
    for i, value in enumerate(values):
        if value not in strategies:
            what = (
                N_("no arm (strategies: {strategies})")
                if value == ""
                else N_("an arm that is not a strategy of the scenario (strategies: {strategies})")
            )
            problems.append(
                located(
                    name,
                    Said(what, strategies=", ".join(strategies)),
                    row=int(rows[i]),
                    column=where,
                    got=value,
                )
            )
            if len(problems) == 5:
                break
    if problems:
        raise ExportError(problems)


def read_arms(
    path: Path,
    orders: Orders,
    *,
    name: str,
    strategies: list[str],
    encoding: str | None = None,
    arm_column: str | None = None,
    assignment: Path | None = None,
    rule: str | None = None,
    rule_arms: list[str] | None = None,
    first_day: np.datetime64 | None = None,
) -> TrialOrders:
    """Each order's arm, by one of the three sources; orders the source leaves out are
    dropped (an assignment that misses some orders), unknown arms are errors."""
    assert orders.row is not None
    ids = order_ids(path, orders, name, encoding) if (assignment or rule) else []
    if arm_column is not None:
        values = _column(path, name, encoding, arm_column, orders.row)
        _named(values, orders.row, strategies, arm_column, name)
        names = [s for s in strategies if s in set(values)]
        arm = np.array([names.index(v) for v in values], dtype=np.int64)
    elif assignment is not None:
        table = _read_assignment(assignment)
        values = [table.get(i, "") for i in ids]
        arms_given = sorted(set(table.values()))
        _named(arms_given, np.arange(len(arms_given)) + 2, strategies, "arm", str(assignment))
        names = [s for s in strategies if s in set(arms_given)]
        arm = np.array([names.index(v) if v else -1 for v in values], dtype=np.int64)
    else:
        assert rule is not None and rule_arms
        _named(rule_arms, np.zeros(len(rule_arms), dtype=int) + 1, strategies, "--arms", name)
        names = list(rule_arms)
        placed = orders.start + (orders.placed * 3600).astype("timedelta64[s]")
        day0 = orders.start if first_day is None else first_day
        arm = arms_by_rule(rule, len(names), ids, placed, day0)
    keep = arm >= 0
    if not keep.any():
        raise ExportError([located(name, Said(N_("no order has an arm")))])
    kept_ids = [ids[i] for i in np.flatnonzero(keep)] if ids else []
    return TrialOrders(subset(orders, keep), arm[keep], names, kept_ids)


def _read_assignment(path: Path) -> dict[str, str]:
    """order number -> arm, from a CSV whose first two columns are those (a header row)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problem = Said(N_("cannot read the assignment ({reason})"), reason=str(exc))
        raise ExportError([located(str(path), problem)]) from exc
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2 or len(rows[0]) < 2:
        raise ExportError(
            [
                located(
                    str(path),
                    Said(N_("an assignment needs a header and rows of: order,arm")),
                    row=1,
                )
            ]
        )
    return {r[0].strip().strip('="'): r[1].strip() for r in rows[1:] if len(r) >= 2}


def read_log(path: Path, ids: list[str], start: np.datetime64) -> dict[int, np.ndarray]:
    """The reminder tool's log (order number, time sent): hours from ``start`` per order."""
    from sim.fit.dates import day_order, parse_dates

    export = read_export(Path(path), str(path), None)
    if len(export.headers) < 2:
        problem = Said(N_("a reminder log needs columns: order,time"))
        raise ExportError([located(str(path), problem, row=1)])
    order_col, time_col = export.headers[:2]
    cells = export.column(time_col)
    when = parse_dates(
        cells,
        name=str(path),
        column=time_col,
        day_first=day_order({time_col: cells}, str(path)),
    )
    hours = (when - start).astype("timedelta64[s]").astype(float) / 3600.0
    position = {x: i for i, x in enumerate(ids)}
    sent: dict[int, list[float]] = {}
    for text, h in zip(export.column(order_col).to_pylist(), hours, strict=True):
        i = position.get(text)
        if i is not None and np.isfinite(h):
            sent.setdefault(i, []).append(float(h))
    return {i: np.sort(np.asarray(v)) for i, v in sent.items()}


def arm_data(
    scenario,
    strategy: str,
    orders: Orders,
    segments: int,
    log: dict[int, np.ndarray] | None = None,
) -> ArmData:
    """One arm's orders as the likelihood reads them. ``log`` (order index in ``orders`` ->
    hours sent) replaces the scenario's timing: the k-th logged reminder is the k-th step."""
    plan = compile_plan(scenario, strategy)
    auto_close = float(plan.auto_close_hours)
    placed = orders.placed
    close = placed + auto_close
    steps = plan.steps
    k = max(len(steps), 1)
    n = orders.n
    tau = np.full((n, k), np.inf)
    reach = np.zeros((n, k))
    channel = np.full((segments, k), -1, dtype=np.int64)
    uplift = np.zeros(k)
    for j, step in enumerate(steps):
        code = int(step.channel_by_segment.max())
        name = CHANNELS[code]
        due = np.asarray(step.model.fire_time(placed, close), dtype=float)
        if plan.quiet_hours and plan.keeps_quiet[code]:
            due = release_after(due, plan.quiet_hours)
        if log is not None:
            due = np.full(n, np.inf)
            for i, times in log.items():
                if j < times.size:
                    due[i] = times[j]
        sent = due < close  # a reminder due at the auto-close is never sent
        tau[:, j] = np.where(sent, due - placed, np.inf)
        hour = np.floor(np.mod(np.where(sent, due, 0.0), 24.0)).astype(int) % 24
        reach[:, j] = np.asarray(scenario.channels.reach(name), dtype=float)[hour] * sent
        channel[:, j] = code
        uplift[j] = float(plan.uplift[j])
    seen = np.minimum(auto_close, orders.end - placed)
    paid_at = np.where(orders.pay_delay < seen, orders.pay_delay, np.nan)
    return ArmData(strategy, paid_at, seen, tau, channel, reach, uplift, closed_by(orders))


def closed_by(orders: Orders) -> np.ndarray:
    """Who closed each unpaid order: 1 the buyer, 2 the time-out, 0 not told or still open."""
    unpaid = orders.closed & ~orders.paid
    buyer = unpaid & (orders.close == "buyer")
    return np.where(buyer, 1, np.where(unpaid & (orders.close == "timeout"), 2, 0))

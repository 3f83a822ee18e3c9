"""The SimPy world: the reference engine for the unpaid phase, where orders can interact.

Orders arrive chunk by chunk; each lives as a small ``__slots__`` record while unpaid and is
dropped when it ends. Its end (payment, buyer cancel, seller close, auto-close) is one event at
the earliest planned time, rescheduled when a reminder wins the buyer earlier. Reminder steps are
chained: each step schedules the next. Phone and IM steps queue for agents; SMS and automatic
reminders happen at once. Same-instant events run payment, closing, then reminders (CONTRACT §7).
A chunk is accounted (``kpis.account``) as soon as it and every earlier chunk have ended, so the
totals are summed in the same order as on the fast path.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict, deque
from collections.abc import Callable

import numpy as np
import simpy

from fsm.table import compiled_table

from .agents import Agents
from .arrivals import chunks
from .buyers import OrderBook
from .clock import schedule_at
from .draws import ChunkDraws, ReminderDraw
from .kpis import KpiAccumulator, account
from .outcome import End, Outcome
from .plan import AGENT_CHANNELS, Plan
from .stock import Stock

__all__ = ["World"]

# same-instant order: placement, payment, buyer cancel, seller close, auto-close, then reminders
# (which share SimPy's own NORMAL priority, 1, with the agents' timeouts)
_PLACE_PRIORITY = -10
_END_PRIORITY = (-4, -3, -2, -1)  # indexed by End: paid, buyer cancel, seller close, auto-close
_REMINDER_PRIORITY = 1


class _Batch:
    """One chunk under way: its arrays (as Python lists for fast scalar reads: exact, since a
    float64 converts to a Python float without rounding) and how many orders are still open."""

    __slots__ = (
        "auto_close",
        "book",
        "buyer",
        "cancel",
        "open",
        "outcome",
        "own_pay",
        "reminder_draws",
        "segment",
        "seller_close",
        "service",
        "step_channel",
        "step_order",
        "step_times",
        "time",
    )

    def __init__(self, book: OrderBook, outcome: Outcome) -> None:
        self.book, self.outcome, self.open = book, outcome, book.chunk.n
        self.time = book.chunk.time.tolist()
        self.buyer = book.chunk.buyer.tolist()
        self.own_pay, self.cancel = book.own_pay.tolist(), book.cancel.tolist()
        self.seller_close, self.auto_close = book.seller_close.tolist(), book.auto_close.tolist()
        self.step_times = book.step_times.tolist()
        self.step_channel = book.step_channel.tolist()
        self.step_order = book.step_order.tolist()
        self.segment = book.chunk.segment.tolist()
        self.reminder_draws: list[tuple[list[float], ...]] = []
        self.service: dict[tuple[int, int], list[float]] = {}

    def reminder(self, k: int) -> tuple[list[float], ...]:
        """The k-th reminder's uniforms (reach, annoyance, win) and response hours, as lists."""
        while len(self.reminder_draws) <= k:
            j = len(self.reminder_draws)
            u = self.book.draws.reminder(j)
            self.reminder_draws.append(
                (
                    u[ReminderDraw.REACH].tolist(),
                    u[ReminderDraw.ANNOYANCE].tolist(),
                    u[ReminderDraw.WIN].tolist(),
                    self.book.response_hours(j).tolist(),
                )
            )
        return self.reminder_draws[k]

    def service_hours(self, k: int, channel: int) -> list[float]:
        """Agent hours of each order's k-th reminder on a phone or IM channel, as a list."""
        hours = self.service.get((k, channel))
        if hours is None:
            hours = self.service[k, channel] = self.book.service_hours(k, channel).tolist()
        return hours


class _Order:
    """An unpaid order's live state; dropped when it ends."""

    __slots__ = (
        "batch",
        "cancel",
        "done",
        "end_at",
        "end_kind",
        "i",
        "k",
        "pay",
        "state",
        "tasks",
        "version",
    )

    def __init__(self, batch: _Batch, i: int, state: int) -> None:
        self.batch, self.i, self.state = batch, i, state
        self.tasks: list | None = None  # agent tasks queued for it
        self.pay, self.cancel = batch.own_pay[i], batch.cancel[i]
        self.k, self.version, self.done = 0, 0, False
        self.end_at, self.end_kind = math.inf, End.AUTO_CLOSED


class World:
    """One replication of one strategy through the unpaid phase, then the shared accounting."""

    def __init__(
        self, plan: Plan, replication: int, acc: KpiAccumulator, on_chunk: Callable | None = None
    ) -> None:
        self.plan, self.replication, self.acc, self.on_chunk = plan, replication, acc, on_chunk
        self.env = simpy.Environment()
        self.table = compiled_table()
        t = self.table.trigger_id
        self._t_wait, self._t_remind = t["await_payment"], t["remind"]
        self._t_end = (t["pay"], t["cancel_by_buyer"], t["close_by_seller"], t["auto_close"])
        self._placed_state = self.table.state_id["placed"]
        self.agents = Agents(self.env, plan.agents, plan.on_duty, acc.agents)
        self.batches: deque[_Batch] = deque()
        self.arriving = True
        self.open_orders = 0
        self.stock = (
            Stock(self.env, plan.inventory, self._still_trading)
            if plan.inventory is not None
            else None
        )
        self.unpaid_by_buyer: defaultdict[int, int] = defaultdict(int)
        self.steps = plan.steps
        # the plan's small tables as nested lists: a scalar read from a list is ~10x cheaper
        # than from a numpy array, and float64 -> float is exact, so the numbers are unchanged
        self._reach = plan.reach.tolist()
        self._annoyance = plan.annoyance.tolist()
        self._growth_pow = plan.growth_pow.tolist()
        self._response = plan.response.tolist()

    def run(self) -> None:
        self._chunks = chunks(self.plan, self.replication)
        self._load_next_chunk()
        # Each live order holds a few closures and records; the cyclic collector kept scanning
        # them (40% of the run). Young-generation collections become rare; reference counting
        # still frees every finished order at once.
        thresholds = gc.get_threshold()
        gc.set_threshold(200_000, 50, 50)
        try:
            self.env.run()
        finally:
            gc.set_threshold(*thresholds)
        assert not self.batches, "orders left open at the end of the run"
        if self.plan.uses_agents:
            self.agents.close(self.plan.arrival_hours)

    def _still_trading(self) -> bool:
        return self.arriving or self.open_orders > 0

    # -- arrivals and placement -------------------------------------------------------------
    def _load_next_chunk(self) -> None:
        """Start the next chunk: its orders are placed one after another, each placement
        scheduling the next, so the event queue holds only what is under way."""
        plan = self.plan
        chunk = next(self._chunks, None)
        while chunk is not None and chunk.n == 0:
            chunk = next(self._chunks, None)
        if chunk is None:
            self.arriving = False
            return
        draws = ChunkDraws(plan.seed, self.replication, chunk.index, chunk.n)
        book = OrderBook(plan, chunk, draws)
        batch = _Batch(book, Outcome(chunk, draws, book.price, len(plan.steps)))
        self.batches.append(batch)
        schedule_at(self.env, batch.time[0], _PLACE_PRIORITY, lambda _e: self._arrive(batch, 0))

    def _arrive(self, batch: _Batch, i: int) -> None:
        self._place(batch, i)
        if i + 1 < len(batch.time):
            schedule_at(
                self.env, batch.time[i + 1], _PLACE_PRIORITY, lambda _e: self._arrive(batch, i + 1)
            )
        else:
            self._load_next_chunk()

    def _place(self, batch: _Batch, i: int) -> None:
        plan, out = self.plan, batch.outcome
        buyer = batch.buyer[i]
        if plan.blacklist_after and self.unpaid_by_buyer[buyer] >= plan.blacklist_after:
            out.blocked[i] = True
            return self._not_placed(batch, i)
        if self.stock is not None and self.stock.reserve_on_order and not self.stock.take():
            out.lost[i] = True
            return self._not_placed(batch, i)
        order = _Order(batch, i, self.table.step(self._placed_state, self._t_wait, i))
        self.open_orders += 1
        self._schedule_end(order)
        self._schedule_step(order, 0)

    def _not_placed(self, batch: _Batch, i: int) -> None:
        batch.outcome.end[i] = End.NOT_PLACED
        batch.outcome.end_time[i] = batch.time[i]
        batch.open -= 1
        self._settle_batches()

    # -- the end of the unpaid phase --------------------------------------------------------
    def _schedule_end(self, order: _Order) -> None:
        batch, i = order.batch, order.i
        # the first minimum in End order (payment wins a tie); plain ints: this runs per event
        kind, at = 0, order.pay
        if order.cancel < at:
            kind, at = 1, order.cancel
        if batch.seller_close[i] < at:
            kind, at = 2, batch.seller_close[i]
        if batch.auto_close[i] < at:
            kind, at = 3, batch.auto_close[i]
        order.end_at, order.end_kind = at, kind
        order.version += 1
        version = order.version
        schedule_at(
            self.env, order.end_at, _END_PRIORITY[kind], lambda _e: self._end(order, version)
        )

    def _end(self, order: _Order, version: int) -> None:
        if order.version != version or order.done:
            return
        order.done = True
        for task in order.tasks or ():
            self.agents.withdraw(task)
        order.tasks = None
        self.open_orders -= 1
        batch, i, kind = order.batch, order.i, order.end_kind
        order.state = self.table.step(order.state, self._t_end[kind], i)
        out = batch.outcome
        out.end[i], out.end_time[i] = kind, order.end_at
        if kind == End.PAID:
            if self.stock is not None and not self.stock.reserve_on_order:
                if out.out_of_stock is None:
                    out.out_of_stock = np.zeros(batch.book.chunk.n, dtype=bool)
                out.out_of_stock[i] = not self.stock.take()
        else:
            out.incentive_step[i] = -1
            if self.stock is not None and self.stock.reserve_on_order:
                self.stock.put_back()
            if self.plan.blacklist_after:
                self.unpaid_by_buyer[batch.buyer[i]] += 1
        batch.open -= 1
        self._settle_batches()

    def _settle_batches(self) -> None:
        """Account every finished chunk at the head of the line (chunk order, as the fast path)."""
        while self.batches and self.batches[0].open == 0:
            batch = self.batches.popleft()
            life = account(self.acc, batch.book, batch.outcome)
            if self.on_chunk is not None:
                self.on_chunk(batch.book, batch.outcome, life)

    # -- reminders --------------------------------------------------------------------------
    def _schedule_step(self, order: _Order, j: int) -> None:
        batch, i = order.batch, order.i
        while j < len(self.steps):
            step = batch.step_order[j][i]
            if batch.step_channel[step][i] >= 0:
                due = batch.step_times[step][i]
                # a step at or after the payment, seller close or auto-close can never fire (a
                # payment only moves earlier); before a planned cancel it may, as a win can
                # still lift the cancel
                if due < min(order.pay, batch.seller_close[i], batch.auto_close[i]):
                    schedule_at(
                        self.env,
                        due,
                        _REMINDER_PRIORITY,
                        lambda _e, j=j, step=step: self._step_due(order, j, step),
                    )
                return
            j += 1

    def _step_due(self, order: _Order, j: int, step: int) -> None:
        if order.done:
            return
        batch, i = order.batch, order.i
        channel = batch.step_channel[step][i]
        if channel in AGENT_CHANNELS:

            def service() -> float:
                return batch.service_hours(order.k, channel)[i]

            def done(moment: float, hours: float) -> None:
                order.batch.outcome.agent_hours[i] += hours
                if not order.done and moment < order.end_at:
                    self._remind(order, step, channel, moment)

            task = self.agents.submit(service, done)
            if task is not None:
                order.tasks = [*(order.tasks or ()), task]
        else:
            self._remind(order, step, channel, order.batch.step_times[step][i])
        self._schedule_step(order, j + 1)

    def _remind(self, order: _Order, step: int, channel: int, moment: float) -> None:
        batch, i, k = order.batch, order.i, order.k
        out, seg = batch.outcome, batch.segment[i]
        u_reach, u_annoy, u_win, response_hours = batch.reminder(k)
        hour = min(int(moment % 24.0), 23)
        reached = u_reach[i] < self._reach[channel][hour]
        annoy = self._annoyance[seg][channel] * self._growth_pow[seg][k]
        out.low_ratings[i] += u_annoy[i] < min(1.0, annoy)
        s = self.steps[step]
        chance = min(1.0, self._response[seg][channel] * (1.0 + s.uplift))
        out.reminder_time[k, i], out.reminder_channel[k, i] = moment, channel
        out.reminders[i] += 1
        order.k += 1
        order.state = self.table.step(order.state, self._t_remind, i)
        if reached and s.incentive:
            out.incentive_step[i] = step
        if reached and u_win[i] < chance:
            pay = min(order.pay, moment + response_hours[i])
            order.cancel = math.inf
            if pay != order.pay or order.end_kind == End.BUYER_CANCELLED:
                order.pay = pay
                self._schedule_end(order)

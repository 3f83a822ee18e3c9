"""The SimPy world: the waiting-for-payment phase where orders meet agents, stock or a blacklist.

Orders arrive chunk by chunk; each lives as a small ``__slots__`` record while unpaid and is
dropped when it ends. Its end (payment, buyer cancel, seller close, auto-close) is one event at
the earliest planned time, rescheduled when a reminder wins the buyer earlier. Reminder steps are
chained: each step schedules the next. Phone and IM steps queue for agents; SMS and automatic
reminders happen at once. Same-instant events follow the tie order of ``clock.py``.

When agents are the only thing orders share, the world runs only at a same-instant tie the numpy
waves cannot order (``agent_waves``: until then every order is resolved in numpy). Each chunk then
first goes through the numpy pass, which resolves every order that never meets an agent; only the
agent-bound orders are placed here (from their placement, so the event order among them is exactly
that of an all-SimPy run), and the chunks the numpy pass already finished are replayed but not
finished again.
A chunk is finished (fulfilment, accounting) as soon as it and every earlier chunk have ended, so
the totals are summed in the same order as on the numpy path.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Callable

import numpy as np

from fsm.table import compiled_table

from .agents import Agents, AgentStats
from .arrivals import Chunk, chunks
from .bans import Bans
from .buyers import OrderBook, open_chunk
from .caps import DailyCaps
from .clock import END_PRIORITY, PLACE_PRIORITY, REMINDER_PRIORITY, OrderEnvironment
from .draws import BuyerDraw
from .fulfilment import fulfil_paid
from .gcscope import fewer_collections
from .goodwill import Goodwill, put_off_times
from .live import Batch, LiveOrder
from .outcome import End, Outcome
from .plan import Plan
from .reputation import Reputation
from .rules import (
    END_TRIGGERS,
    can_annoy,
    end_complaints,
    end_points,
    first_end,
    held_hours,
    lost_to_ban,
    lost_to_traffic,
    new_account,
    pay_after_win,
    remind,
    traffic_events,
    unless_reached,
)
from .stock import Stock
from .unpaid_fast import resolve_unpaid

__all__ = ["World"]

Finish = Callable[[OrderBook, Outcome], None]
REORDER_IDS = 10**12  # order ids of re-orders start here (arrival chunks count from 0)


class World:
    """One replication of one strategy through the waiting-for-payment phase."""

    def __init__(
        self,
        plan: Plan,
        replication: int,
        agent_stats: AgentStats,
        finish: Finish,
        bans: Bans,
        goodwill: Goodwill | None = None,
        reputation: Reputation | None = None,
        *,
        agent_bound_only: bool = False,
        replayed: int = 0,
    ) -> None:
        self.plan, self.replication, self.finish = plan, replication, finish
        # chunks already finished by the numpy waves (``agent_waves``): run again, since their
        # calls occupy the agents, but not finished twice
        self.replayed = replayed
        self.bans = bans if plan.bans_possible else None
        self.goodwill = goodwill
        self.reputation = reputation
        # resolve agent-free orders on the numpy path when only agents make orders interact
        self.agent_bound_only = agent_bound_only and plan.only_agents_interact
        self.env = OrderEnvironment()
        self.table = compiled_table()
        t = self.table.trigger_id
        self._t_wait, self._t_remind = t["await_payment"], t["remind"]
        self._t_end = tuple(t[name] for name in END_TRIGGERS)
        self._placed_state = self.table.state_id["placed"]
        self.agents = Agents(self.env, plan.agents, plan.on_duty, agent_stats,
                             plan.measured_window, quiet=plan.quiet_hours)  # fmt: skip
        self.batches: deque[Batch] = deque()
        self.arriving = True
        self.open_orders = 0
        self.pending_reorders = 0  # re-orders drawn, not yet placed
        self._next_reorder_id = REORDER_IDS
        self.stock = (
            Stock(self.env, plan.inventory, self._still_trading, plan.reserve_on_order)
            if plan.inventory is not None
            else None
        )
        # by account: a buyer id, or (buyer, visit time) for a visit under a new account
        self.unpaid_by_buyer: defaultdict[object, int] = defaultdict(int)
        self.open_by_account: defaultdict[object, int] = defaultdict(int)
        self.steps = plan.steps
        self._needs_agent = plan.needs_agent.tolist()
        self._targets_reach = bool((plan.not_reached_by >= 0).any())  # some only_if needs it
        self.caps = (
            DailyCaps(plan.max_per_buyer_per_day, plan.channel_max_per_day)
            if plan.caps_possible
            else None
        )

    def run(self) -> None:
        self._chunks = chunks(self.plan, self.replication)
        self._load_next_chunk()
        with fewer_collections():
            self.env.run()
        assert not self.batches, "orders left open at the end of the run"
        if self.plan.uses_agents:
            self.agents.close()

    def _still_trading(self) -> bool:
        return self.arriving or self.open_orders > 0 or self.pending_reorders > 0

    # -- arrivals and placement -------------------------------------------------------------
    def _load_next_chunk(self) -> None:
        """Start the next chunk: its orders are placed one after another, each placement
        scheduling the next, so the event queue holds only what is under way."""
        plan = self.plan
        while True:
            chunk = next(self._chunks, None)
            if chunk is None:
                self.arriving = False
                return
            if chunk.n == 0:
                continue
            book, outcome = open_chunk(plan, self.replication, chunk)
            if self.agent_bound_only:
                placing = np.flatnonzero(resolve_unpaid(book, outcome, stop_at_agents=True))
            else:
                placing = np.arange(chunk.n)
            batch = Batch(book, outcome, placing.tolist())
            self.batches.append(batch)
            if batch.placing:
                first = batch.placing[0]
                self.env.schedule_at(batch.time[first], lambda _e, b=batch: self._arrive(b, 0),
                                     PLACE_PRIORITY)  # fmt: skip
                return
            self._settle_batches()  # every order resolved on the numpy path

    def _arrive(self, batch: Batch, n: int) -> None:
        self._place(batch, batch.placing[n])
        if n + 1 < len(batch.placing):
            at = batch.time[batch.placing[n + 1]]
            self.env.schedule_at(at, lambda _e: self._arrive(batch, n + 1), PLACE_PRIORITY)
        else:
            self._load_next_chunk()

    def _place(self, batch: Batch, i: int) -> None:
        plan, out = self.plan, batch.outcome
        buyer = batch.buyer[i]
        if (
            self.bans is not None
            and lost_to_ban(plan, batch.book.draws.buyer[BuyerDraw.BAN_LOSS, i])
            and self.bans.banned(batch.time[i])
        ):
            out.banned[i] = True
            return self._not_placed(batch, i)
        if lost_to_traffic(self.reputation, batch.time[i],
                           batch.book.draws.buyer[BuyerDraw.TRAFFIC_LOSS, i]):  # fmt: skip
            out.traffic_lost[i] = True
            return self._not_placed(batch, i)
        if self.goodwill is not None and self.goodwill.blocks(buyer, batch.time[i]):
            out.put_off[i] = True
            return self._not_placed(batch, i)
        account = self._account(batch, i)
        if plan.blacklist_after and self.unpaid_by_buyer[account] >= plan.blacklist_after:
            out.blocked[i] = True
            return self._not_placed(batch, i)
        if plan.purchase_limit and self.open_by_account[account] >= plan.purchase_limit:
            out.blocked[i] = True
            return self._not_placed(batch, i)
        if self.stock is not None and self.stock.reserve_on_order and not self.stock.take():
            out.lost[i] = True
            return self._not_placed(batch, i)
        if plan.purchase_limit:
            self.open_by_account[account] += 1
        state = self.table.step(self._placed_state, self._t_wait, i)
        order = LiveOrder(batch, i, state, len(self.plan.channels))
        self.open_orders += 1
        self._schedule_end(order)
        self._schedule_step(order, 0)

    def _account(self, batch: Batch, i: int) -> object:
        """The account an order is placed from, as the blacklist and the purchase limit know
        it: the buyer's own, or (with the segment's new_account_share) a new one for this
        visit (rules.new_account)."""
        buyer, time = batch.buyer[i], batch.time[i]
        share = self.plan.new_account_share[batch.book.chunk.segment[i]]
        if new_account(share, self.plan.seed, self.replication, buyer, time):
            return (buyer, time)
        return buyer

    def _not_placed(self, batch: Batch, i: int) -> None:
        batch.outcome.end[i] = End.NOT_PLACED
        batch.outcome.end_time[i] = batch.time[i]
        batch.open -= 1
        self._settle_batches()

    # -- the end of the waiting-for-payment phase --------------------------------------------
    def _schedule_end(self, order: LiveOrder) -> None:
        batch, i = order.batch, order.i
        kind, at = first_end(order.pay, order.cancel, batch.seller_close[i], batch.auto_close[i])
        order.end_at, order.end_kind = float(at), int(kind)
        order.version += 1
        version = order.version
        self.env.schedule_at(order.end_at, lambda _e: self._end(order, version),
                             END_PRIORITY[order.end_kind])  # fmt: skip

    def _end(self, order: LiveOrder, version: int) -> None:
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
                self.unpaid_by_buyer[self._account(batch, i)] += 1
        if self.plan.purchase_limit:
            self.open_by_account[self._account(batch, i)] -= 1
        if self.bans is not None or self.goodwill is not None or self.reputation is not None:
            self._remember(batch, i, kind)
        if kind in (End.AUTO_CLOSED, End.BUYER_CANCELLED) and self.plan.reorders_possible:
            self._reorder(batch, i, order.end_at)
        batch.open -= 1
        self._settle_batches()

    def _reorder(self, batch: Batch, i: int, closed_at: float) -> None:
        """A buyer whose order closed unpaid may place it again: a new order of the same
        buyer and segment, with draws of its own, in a batch of its own. A buyer who opted out
        or blocked the shop (segments.*.opts_out) does not."""
        after = float(batch.book.reorder_after[i])
        if math.isinf(after) or batch.outcome.opted_out[i]:
            return
        book = batch.book
        chunk = Chunk(
            index=-1,
            first_order_id=self._next_reorder_id,
            time=np.array([closed_at + after]),
            buyer=book.chunk.buyer[i : i + 1],
            segment=book.chunk.segment[i : i + 1],
        )
        self._next_reorder_id += 1
        again, outcome = open_chunk(self.plan, self.replication, chunk, book.draws.reorder_key(i))
        follow = Batch(again, outcome, [0])
        self.batches.append(follow)
        self.pending_reorders += 1
        self.env.schedule_at(follow.time[0], lambda _e: self._place_reorder(follow),
                             PLACE_PRIORITY)  # fmt: skip

    def _place_reorder(self, batch: Batch) -> None:
        self.pending_reorders -= 1
        self._place(batch, 0)

    def _remember(self, batch: Batch, i: int, kind: int) -> None:
        """What this order leaves behind: the points it will bring (at the moments the platform
        takes them), and whether its buyer was put off (and from when)."""
        book, out, pos = batch.book, batch.outcome, np.array([i])
        life = fulfil_paid(self.plan, book, out, pos) if kind == End.PAID else None
        paid = np.array([0]) if life is not None else np.empty(0, dtype=np.int64)
        if self.bans is not None:
            if life is not None:
                self.bans.add(life.penalty_time, life.penalty_points)
            seg, u = book.chunk.segment[pos], book.draws.buyer[:, pos]
            closed, reported = end_complaints(self.plan, seg, out.end[pos], out.low_ratings[pos], u)
            self.bans.add(out.end_time[pos], end_points(self.plan, closed, reported))
        if self.reputation is not None:
            events = traffic_events(self.plan, out.low_ratings[pos], out.end_time[pos], paid, life)
            for event_kind, times, counts in events:
                self.reputation.add(event_kind, times, counts)
        if self.goodwill is not None:
            when = put_off_times(out.low_ratings[pos] > 0, out.end_time[pos], paid, life)
            self.goodwill.note(batch.buyer[i], float(when[0]))

    def _settle_batches(self) -> None:
        """Finish every ended chunk at the head of the line (chunk order, as the numpy path)."""
        while self.batches and self.batches[0].open == 0:
            batch = self.batches.popleft()
            if self.replayed:
                self.replayed -= 1
            else:
                self.finish(batch.book, batch.outcome)

    # -- reminders --------------------------------------------------------------------------
    def _schedule_step(self, order: LiveOrder, j: int) -> None:
        batch, i = order.batch, order.i
        while j < len(self.steps):
            step = batch.step_order[j][i]
            if batch.step_channel[step][i] >= 0:
                due = batch.step_times[step][i]
                # a step at or after the payment, seller close or auto-close can never fire (a
                # payment only moves earlier); before a planned cancel it may, as a win can
                # still lift the cancel
                if due < min(order.pay, batch.seller_close[i], batch.auto_close[i]):
                    self.env.schedule_at(due, lambda _e, j=j, step=step: self._step_due(
                        order, j, step), REMINDER_PRIORITY)  # fmt: skip
                return
            j += 1

    def _step_due(self, order: LiveOrder, j: int, step: int) -> None:
        if order.done:
            return
        if order.reached is not None and unless_reached(self.plan, np.array([step]),
                                                        order.reached)[0]:  # fmt: skip
            self._schedule_step(order, j + 1)
            return
        batch, i = order.batch, order.i
        channel = batch.step_channel[step][i]
        if self.caps is not None and not self.caps.allow(
            batch.buyer[i], channel, batch.step_times[step][i]
        ):
            batch.outcome.capped[i] += 1  # skipped, not delayed
            self._schedule_step(order, j + 1)
            return
        if self._needs_agent[channel]:
            nth_call = order.asked[channel]
            order.asked[channel] += 1

            def service() -> float:
                # booked when the call starts, while the order (and its chunk) is still open:
                # a call that outlasts the order is paid all the same, and its chunk may be
                # finished before the call ends
                hours = batch.service_hours(channel, nth_call)[i]
                batch.outcome.agent_hours[i] += hours
                return held_hours(self.plan, float(self.env.now), hours)

            def done(moment: float, hours: float) -> None:
                if not order.done and moment < order.end_at:
                    self._remind(order, step, channel, moment)

            task = self.agents.submit(service, done)
            if task is not None:
                order.tasks = [*(order.tasks or ()), task]
        else:
            self._remind(order, step, channel, order.batch.step_times[step][i])
        self._schedule_step(order, j + 1)

    def _remind(self, order: LiveOrder, step: int, channel: int, moment: float) -> None:
        batch, i, k = order.batch, order.i, order.k
        out, seg = batch.outcome, batch.segment[i]
        u_reach, u_annoy, u_win, response_hours, u_opt = batch.reminder(
            channel, order.sent[channel]
        )
        effect = remind(self.plan, step, channel, seg, order.annoyed, moment, batch.time[i],
                        u_reach[i], u_annoy[i], u_win[i], bool(out.opted_out[i]),
                        u_opt[i])  # fmt: skip
        order.sent[channel] += 1
        order.annoyed += bool(can_annoy(self.plan, seg, channel))
        out.low_ratings[i] += bool(effect.annoyed)
        out.opted_out[i] |= bool(effect.opted_out)
        out.reminder_time[k, i], out.reminder_channel[k, i] = moment, channel
        out.reminder_step[k, i] = step
        out.reminders[i] += 1
        order.k += 1
        order.state = self.table.step(order.state, self._t_remind, i)
        if effect.uses_incentive:
            out.incentive_step[i] = step
        if effect.reached and self._targets_reach:
            if order.reached is None:
                order.reached = np.zeros((len(self.steps), 1), dtype=bool)
            order.reached[step, 0] = True
        if effect.won:
            pay = float(pay_after_win(order.pay, moment, response_hours[i], True))
            order.cancel = math.inf
            if pay != order.pay or order.end_kind == End.BUYER_CANCELLED:
                order.pay = pay
                self._schedule_end(order)

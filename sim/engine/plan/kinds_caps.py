"""Order kinds, the strategy's reminder steps and the daily caps, compiled for one strategy.

Kept apart from the other rule families because a step's ``only_if.kind`` needs the compiled
order kinds, and the caps decide whether orders wait for each other's reminders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.scenario.buyers import CHANNELS

from ..incentives import Incentive, build_incentive
from ..kinds import OrderKinds, build_kinds
from ..targeting import Targeting, build_targeting

__all__ = ["KindsAndCaps", "Step", "kinds_and_caps"]


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
class KindsAndCaps:
    """The plan's order kinds, reminder steps and caps."""

    kinds: OrderKinds  # [[order_kinds]]; none: every order closes at auto_close_hours
    steps: tuple[Step, ...]
    quiet_hours: tuple[float, ...]  # [start, end) hours of the day without seller reminders
    max_per_buyer_per_day: int  # 0 = no cap
    channel_max_per_day: np.ndarray  # int per channel, 0 = no budget


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


def kinds_and_caps(sc: Any, strategy: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The :class:`KindsAndCaps` fields of ``strategy`` in the validated scenario ``sc``."""
    kinds = build_kinds(sc)
    return {
        "kinds": kinds,
        "steps": tuple(_step(s, names, kinds) for s in strategy.reminders),
        "quiet_hours": tuple(float(h) for h in sc.shop.quiet_hours),
        "max_per_buyer_per_day": int(strategy.max_per_buyer_per_day or 0),
        "channel_max_per_day": np.array(
            [sc.channels.max_per_day(c) for c in CHANNELS], dtype=np.int64
        ),
    }

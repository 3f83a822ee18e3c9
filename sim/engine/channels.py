"""Reminder channels as small typed objects, built from the scenario in one place.

A channel knows whether it needs an agent (phone, IM), how long an agent spends on it, what one
message costs (SMS) and how likely it is to reach the buyer at each hour of the day. Everything
else in the engine asks the channel instead of comparing names or codes, so adding a channel is
one entry in ``_BUILDERS`` (and its name in the scenario format).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.scenario.buyers import CHANNELS

__all__ = ["Channel", "build_channels"]


@dataclass(frozen=True)
class Channel:
    """One way to remind a buyer."""

    name: str
    code: int  # its index in the plan's channel tables
    needs_agent: bool  # an agent must make the call or chat first (queued)
    reach: tuple[float, ...]  # 24 hourly chances that a reminder reaches the buyer
    message_cost: float = 0.0  # paid per reminder sent (SMS)
    service_minutes: Any = None  # distribution of agent minutes (phone, IM)
    keeps_quiet_hours: bool = True  # the seller's channels wait out shop.quiet_hours

    def service_hours(self, u: np.ndarray) -> np.ndarray:
        """Agent hours for uniforms ``u`` (inverse CDF, so common random numbers hold)."""
        return np.asarray(self.service_minutes.ppf(u), dtype=float) / 60.0


def _phone(sc: Any, code: int) -> Channel:
    return Channel("phone", code, True, tuple(sc.channels.reach("phone")), 0.0,
                   sc.staff.phone_minutes)  # fmt: skip


def _im(sc: Any, code: int) -> Channel:
    return Channel("im", code, True, tuple(sc.channels.reach("im")), 0.0, sc.staff.im_minutes)


def _sms(sc: Any, code: int) -> Channel:
    return Channel("sms", code, False, tuple(sc.channels.reach("sms")), float(sc.shop.sms_cost))


def _auto(sc: Any, code: int) -> Channel:
    """The platform's own reminder: free, it always reaches the buyer's order list, and the
    shop's quiet hours are not the platform's."""
    return Channel("auto", code, False, tuple(sc.channels.reach("auto")),
                   keeps_quiet_hours=False)  # fmt: skip


_BUILDERS: dict[str, Callable[[Any, int], Channel]] = {
    "phone": _phone,
    "im": _im,
    "sms": _sms,
    "auto": _auto,
}


def build_channels(sc: Any) -> tuple[Channel, ...]:
    """Every channel of the scenario format, in ``CHANNELS`` order (codes are positions)."""
    return tuple(_BUILDERS[name](sc, code) for code, name in enumerate(CHANNELS))

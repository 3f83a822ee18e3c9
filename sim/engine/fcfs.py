"""The agents' first-come-first-served queue as one tight loop over calls in request order.

``staff.agents`` identical agents take calls in the order they were asked for; a call begins when
the agent free first (the one whose last call ended earliest) can take it: at once if that agent
is free and on duty, else when its call ends, or at the next opening of the shift outside the
quiet hours (``clock.opening``). A call whose order ended before it could begin is withdrawn and
takes no agent. This is the SimPy world's ``agents.Agents`` with its float arithmetic: a call
ends at ``start + hours``; an agent that finds a call waiting off duty sleeps ``opens - now``
and wakes at ``now + (opens - now)``, which is the opening itself except in the first hours of a
run (a float detail; the loop gives up there rather than guess when the agent went to sleep).

The loop is plain Python over numpy arrays; with numba installed (``pip install
'ordersim[fast]'``) the same function is compiled, which gives the same bits: it only compares
and adds floats, in the same order.
"""

from __future__ import annotations

import functools
import math
import types
from collections.abc import Callable

import numpy as np

from .clock import opening

__all__ = ["Served", "compiled_loop", "serve", "serve_python"]

GIVE_UP = 1  # a moment the loop cannot order the way SimPy would: the world decides
_ONES = np.ones(24)  # no call holds its agent longer than its own hours
COMPILE_FROM = 64  # calls in one pass: below, the plain loop is as quick as calling numba


def wakes_at(x, opens, d0, d1, q0, q1, quiet):
    """Whether an agent that goes to sleep at ``x`` until ``opens`` wakes exactly then."""
    wake = x + (opens - x)
    for _ in range(8):
        again = opening(wake, d0, d1, q0, q1, quiet)
        if again <= wake:
            return wake == opens
        wake = wake + (again - wake)
    return False


def serve_python(asked, hours, withdraw, free, m, snap, start, d0, d1, q0, q1, quiet, stretch):
    """The loop: starts into ``start``, the agents' free times after ``m`` calls into ``snap``;
    ``GIVE_UP`` at a moment it cannot order as SimPy would. A call begun at ``s`` holds its
    agent ``hours * stretch[hour of s]`` (buyers' questions share the agent: rules.held_hours)."""
    n = asked.size
    k = free.size
    if m == 0:
        snap[:] = free
    for i in range(n):
        a = asked[i]
        oa = opening(a, d0, d1, q0, q1, quiet)
        if a < oa < math.inf and not wakes_at(a, oa, d0, d1, q0, q1, quiet):
            return GIVE_UP
        f = free[0]
        t = f if f >= a else a
        s = opening(t, d0, d1, q0, q1, quiet)
        if t < s < math.inf and not wakes_at(t, s, d0, d1, q0, q1, quiet):
            return GIVE_UP
        w = withdraw[i]
        if s >= w:
            start[i] = math.inf
            if s == w:
                return GIVE_UP  # the order ends at the instant an agent could take it
        else:
            start[i] = s
            # the agent free first takes it: replace the heap's root and sift it down
            hod = int(s % 24.0)
            end = s + hours[i] * stretch[hod if hod < 23 else 23]
            j = 0
            while True:
                c = 2 * j + 1
                if c >= k:
                    break
                if c + 1 < k and free[c + 1] < free[c]:
                    c += 1
                if free[c] >= end:
                    break
                free[j] = free[c]
                j = c
            free[j] = end
        if i + 1 == m:
            snap[:] = free
    return 0


@functools.cache
def compiled_loop() -> Callable | None:
    """``serve_python`` compiled by numba, on first use (None when numba is not installed):
    the same code objects, their globals pointing at the compiled helpers."""
    try:
        import numba
    except ImportError:  # numba is an optional extra
        return None
    jit = numba.njit(cache=True)
    names = {"__name__": __name__, "math": math, "np": np, "GIVE_UP": GIVE_UP}
    names["opening"] = jit(types.FunctionType(opening.__code__, {**names}, "opening"))
    names["wakes_at"] = jit(types.FunctionType(wakes_at.__code__, {**names}, "wakes_at"))
    return jit(types.FunctionType(serve_python.__code__, names, "serve_compiled"))


class Served:
    """What the queue did to some calls: each call's start (inf: withdrawn), and the agents'
    free times after the first ``m`` of them (a heap: the earliest first)."""

    __slots__ = ("after", "start")

    def __init__(self, start: np.ndarray, after: np.ndarray) -> None:
        self.start, self.after = start, after


def serve(
    asked: np.ndarray,
    hours: np.ndarray,
    withdraw: np.ndarray,
    free: np.ndarray,
    m: int,
    plan_hours: tuple[tuple[float, float], tuple[float, ...]],
    *,
    stretch: np.ndarray | None = None,
    compiled: bool | None = None,
) -> Served | None:
    """Serve calls (in request order) by agents free at ``free`` (a heap); ``withdraw[i]`` is
    when call i's order ends. None when a moment cannot be ordered as SimPy would. The loop is
    numba's when ``compiled`` (None: for many calls, if numba is installed); same bits.
    ``stretch``: per hour of the day, how much longer a call begun then holds its agent (None:
    none longer)."""
    (d0, d1), quiet = plan_hours
    q0, q1 = quiet if quiet else (0.0, 0.0)
    start = np.empty(asked.size)
    snap = np.empty_like(free)
    if compiled is None:
        compiled = asked.size >= COMPILE_FROM
    loop = (compiled_loop() if compiled else None) or serve_python
    status = loop(asked, hours, withdraw, free.copy(), m, snap, start,
                  float(d0), float(d1), float(q0), float(q1), bool(quiet),
                  _ONES if stretch is None else stretch)  # fmt: skip
    return None if status == GIVE_UP else Served(start, snap)

"""The likelihood of a trial's pay times, and its maximum: how buyers answer a reminder.

The rules of docs/rules.md, written for one order: a buyer of segment s (share w) pays
unprompted with chance u at a time T ~ F (from the control arm, which sends no reminder); a
buyer who will not pay cancels with chance c at a time C ~ Fc, else waits. Each reminder k,
sent at tau_k while the order is open, wins the buyer with chance q_k = min(1, rho x (1 +
uplift)) x reach(hour of tau_k); a won buyer pays at tau_k + R, R exponential with mean m (the
format's `response_hours`), or at their own time if earlier. With Pi(t) = prod_k (1 - q_k H(t -
tau_k)) (H the cdf of R) and D(t) = -dPi/dt, an order that pays at d before the auto-close has
density

    sum_s w_s [u f(d) Pi(d) + (u (1 - F(d)) + (1 - u)(1 - c) + (1 - u) c (1 - Fc(d))) D(d)]

and one not paid by t (closed, or open at the export's end: censored) has probability

    sum_s w_s [(u (1 - F(t)) + (1 - u)(1 - c) + (1 - u) c (1 - Fc(t))) Pi(t)
               + (1 - u) c E[Pi(C); C < t]],

the first line the orders the time-out closes, the second those the buyer closed: where the
export says who closed an order, only its part counts.

rho per channel and m are found by maximising the sum of the logs over all arms, jointly with
the unprompted pay times (the lognormal mixture, started from the control arm's fit by `ordersim
fit`) and, where the export tells who closed the unpaid orders, with c, so the intervals carry
the uncertainty of all of them (scipy's L-BFGS-B on logit rho and log m). Holding c at the
control arm's share instead left its sampling error out: over 231 small synthetic trials the
intervals of rho covered 92.6%, fitted jointly 94.7% over 190 (docs/trial.md, "Coverage").
Intervals are Wald intervals on those scales (from the observed information), so they stay
inside [0, 1] and above 0; profile likelihood intervals were within 1% of them on the trials
tried, at six times the cost.

The hours' interval takes Student's t with nu - 1 degrees of freedom instead of the normal's
1.96, nu = 1 / se(log m)^2: the number of fully seen reminder-to-payment times that would carry
the same information. Which payments a reminder won is not seen, so a small trial (nu about
20: some 100 buyers won, their payments mixed with the unprompted ones) rests on few effective
times, and there log m's estimate has heavier tails than the normal (over 200 trials of 1,250
orders an arm the normal interval covered 91.0%, the standardised errors spread 1.09; at four
times the orders it covered 95.3%). At 100,000 orders nu is in the thousands and t is 1.96.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import optimize, special, stats

__all__ = [
    "ArmData",
    "Estimate",
    "Unprompted",
    "fit_response",
    "hours_quantile",
    "log_likelihood",
    "paid_by",
]

_Q_MAX = 1.0 - 1e-9


@dataclass(frozen=True)
class Unprompted:
    """What buyers do with no reminder, per segment (from the control arm)."""

    share: np.ndarray  # (S,)
    pays: np.ndarray  # (S,) u
    median: np.ndarray  # (S,) lognormal pay time
    sigma: np.ndarray  # (S,)
    cancels: np.ndarray  # (S,) c
    cancel_times: np.ndarray  # (P,) quantile points of the cancel time (hours)

    def pay_cdf(self, t: np.ndarray) -> np.ndarray:
        """(n, S) F_s(t)."""
        z = (np.log(np.maximum(t, 1e-12))[:, None] - np.log(self.median)) / self.sigma
        return special.ndtr(z)

    def pay_pdf(self, t: np.ndarray) -> np.ndarray:
        """(n, S) f_s(t)."""
        x = np.maximum(t, 1e-12)[:, None]
        z = (np.log(x) - np.log(self.median)) / self.sigma
        return np.exp(-0.5 * z * z) / (x * self.sigma * np.sqrt(2 * np.pi))

    def cancel_survival(self, t: np.ndarray) -> np.ndarray:
        """(n,) 1 - Fc(t) from the quantile points."""
        return 1.0 - np.searchsorted(self.cancel_times, t, side="right") / self.cancel_times.size


@dataclass
class ArmData:
    """One arm's orders: the outcome and the reminders each order was sent (or due)."""

    name: str
    paid_at: np.ndarray  # (n,) pay delay in hours, NaN if not paid by ``seen``
    seen: np.ndarray  # (n,) hours the order was watched (auto-close, or the export's end)
    tau: np.ndarray  # (n, K) reminder moments after placement (inf: none)
    channel: np.ndarray  # (S, K) channel index per segment and step (-1: none)
    reach: np.ndarray  # (n, K) chance the reminder reaches (by the hour it is sent)
    uplift: np.ndarray  # (K,) incentive uplift of each step
    closed_by: np.ndarray | None = None  # (n,) of unpaid orders: 1 the buyer, 2 the time-out,
    # 0 not told (or still open); None: not told for any

    @cached_property
    def paid(self) -> np.ndarray:
        return ~np.isnan(self.paid_at)

    def parts(self) -> dict[str, np.ndarray]:
        """What does not depend on the parameters: computed once per arm.

        Orders not paid share few distinct (reminder moments, reach, watched hours) rows, so
        they are summed once per distinct row with its count."""
        if getattr(self, "_parts", None) is None:
            paid = self.paid
            d = self.paid_at[paid]
            by = np.zeros(self.seen.size) if self.closed_by is None else self.closed_by
            rows = np.column_stack(
                [self.tau[~paid], self.reach[~paid], self.seen[~paid], by[~paid]]
            )
            rows = np.where(np.isinf(rows), 1e300, rows)
            unique, counts = np.unique(rows, axis=0, return_counts=True)
            k = self.tau.shape[1]
            tau_u = np.where(unique[:, :k] >= 1e300, np.inf, unique[:, :k])
            t = unique[:, -2]
            self._parts = {
                "d": d,
                "tau_paid": self.tau[paid],
                "reach_paid": self.reach[paid],
                "tau_open": tau_u,
                "reach_open": unique[:, k : 2 * k],
                "t": t,
                "closed_by": unique[:, -1].astype(np.int64),
                "counts": counts,
            }
        return self._parts


@dataclass(frozen=True)
class Estimate:
    """A maximum-likelihood number with its 95% interval and the orders it rests on."""

    value: float
    low: float
    high: float
    n: int


def _alive(un: Unprompted, t: np.ndarray, survival: np.ndarray | None = None) -> np.ndarray:
    """(n, S) chance a buyer is still open at t and can be won: a later unprompted payer, a
    buyer who waits, or a canceller not yet gone (``survival``: 1 - Fc(t), if known)."""
    u, c = un.pays, un.cancels
    if survival is None:
        survival = un.cancel_survival(t)
    return u * (1.0 - un.pay_cdf(t)) + (1.0 - u) * (1.0 - c) + (1.0 - u) * c * survival[:, None]


def _survival(parts: dict, un: Unprompted, key: str) -> np.ndarray:
    """1 - Fc at an arm's times, kept with the arm's parts: it does not depend on the fitted
    parameters (the cancel times are the scenario's), and every likelihood evaluation needs it."""
    tag = ("survival", key, un.cancel_times.tobytes())
    if tag not in parts:
        parts[tag] = un.cancel_survival(parts[key])
    return parts[tag]


def _q(arm: ArmData, rho: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """(n, S, K) chance each reminder wins the buyer."""
    per = np.where(arm.channel >= 0, rho[np.maximum(arm.channel, 0)], 0.0)  # (S, K)
    per = np.minimum(per * (1.0 + arm.uplift), 1.0)
    return np.minimum(per[None, :, :] * reach[:, None, :], _Q_MAX)


def _pi(q: np.ndarray, tau: np.ndarray, t: np.ndarray, mean: float):
    """Pi(t) (n, S) and D(t) = -dPi/dt (n, S) for the reminders before t."""
    x = t[:, None] - tau  # (n, K)
    on = x > 0
    h_cdf = np.where(on, -np.expm1(-np.maximum(x, 0) / mean), 0.0)[:, None, :]
    h_pdf = np.where(on, np.exp(-np.maximum(x, 0) / mean) / mean, 0.0)[:, None, :]
    factor = 1.0 - q * h_cdf
    pi = np.prod(factor, axis=2)
    hazard = np.sum(q * h_pdf / factor, axis=2)
    return pi, pi * hazard


def _cancelled(q: np.ndarray, tau: np.ndarray, t: np.ndarray, points: np.ndarray, mean: float):
    """(n, S) E[Pi(C); C < t] over the cancel time's quantile points."""
    x = points[None, :, None] - tau[:, None, :]  # (n, P, K)
    h_cdf = np.where(x > 0, -np.expm1(-np.maximum(x, 0) / mean), 0.0)
    pi = np.prod(1.0 - q[:, None, :, :] * h_cdf[:, :, None, :], axis=3)  # (n, P, S)
    before = (points[None, :] < t[:, None])[:, :, None]
    return np.sum(np.where(before, pi, 0.0), axis=1) / points.size


def log_likelihood(arm: ArmData, un: Unprompted, rho: np.ndarray, mean: float) -> float:
    """The log-likelihood of one arm's outcomes."""
    p = arm.parts()
    w, u, c = un.share, un.pays, un.cancels
    total = 0.0
    if p["d"].size:
        q = _q(arm, rho, p["reach_paid"])
        pi, dens = _pi(q, p["tau_paid"], p["d"], mean)
        alive = _alive(un, p["d"], _survival(p, un, "d"))
        density = np.sum(w * (u * un.pay_pdf(p["d"]) * pi + alive * dens), axis=1)
        total += float(np.sum(np.log(np.maximum(density, 1e-300))))
    if p["t"].size:
        q = _q(arm, rho, p["reach_open"])
        pi, _ = _pi(q, p["tau_open"], p["t"], mean)
        cancelled = _cancelled(q, p["tau_open"], p["t"], un.cancel_times, mean)
        waiting = w * _alive(un, p["t"], _survival(p, un, "t")) * pi  # closed by the time-out
        gone = w * (1.0 - u) * c * cancelled  # closed by the buyer
        by = p["closed_by"][:, None]
        s = np.sum(np.where(by == 1, gone, np.where(by == 2, waiting, waiting + gone)), axis=1)
        total += float(np.sum(p["counts"] * np.log(np.maximum(s, 1e-300))))
    return total


def _unpack(theta: np.ndarray) -> tuple[np.ndarray, float]:
    return special.expit(theta[:-1]), float(np.exp(theta[-1]))


def _hessian(f, x: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """Central-difference Hessian of ``f`` at ``x``."""
    k = x.size
    out = np.zeros((k, k))
    f0 = f(x)
    for i in range(k):
        for j in range(i, k):
            ei, ej = np.eye(k)[i] * step, np.eye(k)[j] * step
            if i == j:
                value = (f(x + ei) - 2 * f0 + f(x - ei)) / step**2
            else:
                value = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                    4 * step**2
                )
            out[i, j] = out[j, i] = value
    return out


def _unprompted(theta: np.ndarray, start: Unprompted) -> Unprompted:
    """The unprompted part from its free parameters: per component the log median, the log
    sigma and a softmax weight against "never pays" (only the products share x pays matter),
    then, where the export tells who closed the unpaid orders, the logit of `cancels`."""
    k = start.share.size
    logits = np.append(theta[2 * k : 3 * k], 0.0)
    a = special.softmax(logits)[:k]
    total = float(a.sum())
    cancels = start.cancels if theta.size == 3 * k else np.full(k, special.expit(theta[3 * k]))
    return Unprompted(
        share=a / total,
        pays=np.full(k, total),
        median=np.exp(theta[:k]),
        sigma=np.exp(theta[k : 2 * k]),
        cancels=cancels,
        cancel_times=start.cancel_times,
    )


def _start(un: Unprompted, cancels: bool) -> np.ndarray:
    a = np.clip(un.share * un.pays, 1e-6, None)
    never = max(1.0 - float(a.sum()), 1e-6)
    out = [np.log(un.median), np.log(un.sigma), np.log(a / never)]
    if cancels:
        out.append([special.logit(float(np.clip(un.cancels.mean(), 0.01, 0.99)))])
    return np.concatenate(out)


def fit_response(
    arms: list[ArmData], control: ArmData, start: Unprompted, channels: int, start_mean: float = 2.0
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray, np.ndarray, np.ndarray, Unprompted]:
    """rho per channel, the mean response time and their 95% intervals, fitted jointly with the
    unprompted pay times (all arms: the control shows them alone), so the intervals carry the
    uncertainty of both. ``start`` is the control arm's fit by `ordersim fit`; its cancels are
    fitted with the rest where some arm's export says who closed its unpaid orders, and its
    cancel times are kept as they are.

    Returns (rho, mean, rho_low, rho_high, mean_interval, used, unprompted): ``used`` marks
    the channels some arm sends; the others stay NaN.
    """
    used = np.zeros(channels, dtype=bool)
    for arm in arms:
        used[arm.channel[arm.channel >= 0]] = True
    index = np.flatnonzero(used)
    m = index.size

    def nll(theta: np.ndarray) -> float:
        rho = np.zeros(channels)
        rho[index] = special.expit(theta[:m])
        mean = float(np.exp(theta[m]))
        un = _unprompted(theta[m + 1 :], start)
        return -sum(log_likelihood(a, un, rho, mean) for a in [control, *arms])

    told = any(
        a.closed_by is not None and bool(np.any(a.closed_by > 0)) for a in [control, *arms]
    )  # who closed the unpaid orders: then `cancels` is fitted with the rest
    base = _start(start, told)
    x0 = np.concatenate([np.full(m, special.logit(0.2)), [np.log(start_mean)], base])
    bounds = (
        [(-12.0, 12.0)] * m
        + [(np.log(1 / 60), np.log(24.0 * 30))]
        + [(b - 3.0, b + 3.0) for b in base[: 2 * start.share.size]]
        + [(-15.0, 15.0)] * start.share.size
        + [(-12.0, 12.0)] * told
    )
    best = optimize.minimize(nll, x0, method="L-BFGS-B", bounds=bounds)
    theta = best.x
    cov = np.linalg.pinv(_hessian(nll, theta))
    half = 1.96 * np.sqrt(np.maximum(np.diag(cov), 0.0))
    rho = np.full(channels, np.nan)
    low, high = rho.copy(), rho.copy()
    rho[index] = special.expit(theta[:m])
    low[index] = special.expit(theta[:m] - half[:m])
    high[index] = special.expit(theta[:m] + half[:m])
    mean = float(np.exp(theta[m]))
    se = half[m] / 1.96
    wide = se * hours_quantile(se)
    interval = np.exp([theta[m] - wide, theta[m] + wide])
    return rho, mean, low, high, interval, used, _unprompted(theta[m + 1 :], start)


def hours_quantile(se: float) -> float:
    """The 97.5% point of Student's t with nu - 1 degrees of freedom, nu = 1 / se^2 the
    fully seen response times worth the information on log m (module docstring)."""
    nu = 1.0 / max(se, 1e-12) ** 2
    return float(stats.t.ppf(0.975, max(nu - 1.0, 1.0)))


def paid_by(arm: ArmData, un: Unprompted, rho: np.ndarray, mean: float, t: np.ndarray):
    """The model's share of the arm's orders paid by each of the times ``t`` (mean over up to
    2,000 of its orders, each with its own reminder moments), for the pay-curve plot."""
    pick = np.linspace(0, arm.tau.shape[0] - 1, min(arm.tau.shape[0], 2000)).astype(int)
    tau, reach = arm.tau[pick], arm.reach[pick]
    q = _q(arm, rho, reach)
    w, u, c = un.share, un.pays, un.cancels
    out = []
    for x in np.asarray(t, dtype=float):
        at = np.full(pick.size, x)
        pi, _ = _pi(q, tau, at, mean)
        cancelled = _cancelled(q, tau, at, un.cancel_times, mean)
        s = np.sum(w * (_alive(un, at) * pi + (1.0 - u) * c * cancelled), axis=1)
        out.append(1.0 - float(np.mean(s)))
    return np.asarray(out)

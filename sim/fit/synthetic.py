"""Synthetic order exports from known parameters, for tests, benchmarks and the bundled example.

The orders follow the simulator's own rules with no reminders: arrivals by hour and weekday,
a buyer of segment k pays with chance ``pays`` after a lognormal delay unless the auto-close
comes first, a buyer who won't pay cancels with chance ``cancels``. The export is what a seller
would download at ``end``: later events are not in it yet (open orders are censored).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "GENERIC_COLUMNS",
    "Truth",
    "example_truth",
    "olist_like",
    "simulate_orders",
    "write_generic",
    "write_taobao",
]


@dataclass
class Truth:
    """The generating parameters (a test compares the fit with these)."""

    start: dt.date = dt.date(2026, 3, 2)  # a Monday
    days: float = 28.0
    end_hours: float | None = None  # the export's moment; default: the end of the arrivals
    orders_per_day: float = 300.0
    hourly: tuple[float, ...] = (
        2.0, 1.0, 0.5, 0.3, 0.2, 0.2, 0.4, 1.0, 2.0, 3.5, 5.0, 4.5,
        3.5, 4.0, 4.2, 4.3, 4.2, 3.8, 3.5, 4.0, 5.0, 6.0, 5.8, 4.0,
    )  # fmt: skip
    weekday: tuple[float, ...] = (1.0, 1.3, 1.0, 1.0, 0.9, 0.8, 1.0)
    shares: tuple[float, ...] = (0.7, 0.3)
    pays: tuple[float, ...] = (0.95, 0.8)
    pay_median: tuple[float, ...] = (0.15, 6.0)
    pay_sigma: tuple[float, ...] = (0.8, 0.7)
    auto_close: float = 24.0
    cancels: float = 0.4
    cancel_mean: float = 3.0
    ship_median: float = 20.0
    ship_sigma: float = 0.6
    delivery_median: float = 60.0
    delivery_sigma: float = 0.4
    stockout: float = 0.02
    price_median: float = 120.0
    price_sigma: float = 0.5
    reorders: float = 0.0
    reorder_median: float = 30.0
    promise_days: float = 7.0  # delivery promised this many days after the order
    growth: float = 0.0  # the order rate grows by this factor from the first to the last day
    seed: int = 1

    @property
    def paid_share(self) -> float:
        from scipy import special

        f = special.ndtr(
            (np.log(self.auto_close) - np.log(self.pay_median)) / np.asarray(self.pay_sigma)
        )
        return float(np.sum(np.asarray(self.shares) * np.asarray(self.pays) * f))


def _arrivals(t: Truth, rng: np.random.Generator) -> np.ndarray:
    slots = int(np.ceil(t.days * 24))
    s = np.arange(slots)
    hourly = np.asarray(t.hourly) / np.mean(t.hourly)
    weekday = np.asarray(t.weekday) / np.mean(t.weekday)
    wd0 = t.start.weekday()
    rate = t.orders_per_day / 24.0 * hourly[s % 24] * weekday[(wd0 + s // 24) % 7]
    rate = rate * (1.0 + t.growth * s / slots) / (1.0 + t.growth / 2.0)
    counts = rng.poisson(rate)
    return np.sort(np.repeat(s.astype(float), counts) + rng.random(counts.sum()))


def _lives(t: Truth, placed: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Each order's whole life, as if nobody looked (times in hours, NaN = never)."""
    n = placed.size
    seg = rng.choice(len(t.shares), size=n, p=np.asarray(t.shares) / np.sum(t.shares))
    pays = rng.random(n) < np.asarray(t.pays)[seg]
    delay = rng.lognormal(np.log(np.asarray(t.pay_median)[seg]), np.asarray(t.pay_sigma)[seg])
    paid = pays & (delay < t.auto_close)
    cancel_after = rng.exponential(t.cancel_mean, n)
    cancels = ~pays & (rng.random(n) < t.cancels) & (cancel_after < t.auto_close)
    pay_at = np.where(paid, placed + delay, np.nan)
    stockout = paid & (rng.random(n) < t.stockout)
    ship = rng.lognormal(np.log(t.ship_median), t.ship_sigma, n)
    ship_at = np.where(paid & ~stockout, pay_at + ship, np.nan)
    return {
        "placed": placed,
        "paid": pay_at,
        "closed": np.where(
            paid, np.nan, np.where(cancels, placed + cancel_after, placed + t.auto_close)
        ),
        "cancelled": ~paid & cancels,
        "stockout": stockout,
        "refunded": np.where(stockout, pay_at + 2.0, np.nan),
        "shipped": ship_at,
        "delivered": ship_at + rng.lognormal(np.log(t.delivery_median), t.delivery_sigma, n),
        "promised": placed + 24 * t.promise_days,
        "amount": np.round(rng.lognormal(np.log(t.price_median), t.price_sigma, n), 2),
        "quantity": 1 + rng.poisson(0.3, n),
    }


def simulate_orders(t: Truth) -> pd.DataFrame:
    """One row per order, times in hours from the start; NaN = not happened (by the end).

    With ``reorders``, a buyer whose order closed unpaid comes back with that chance for one
    new order, a lognormal ``reorder_median`` hours after the close.
    """
    rng = np.random.default_rng(t.seed)
    placed = _arrivals(t, rng)
    lives = _lives(t, placed, rng)
    lives["buyer"] = np.arange(placed.size)
    if t.reorders > 0:
        closed = ~np.isnan(lives["closed"])
        back = closed & (rng.random(placed.size) < t.reorders)
        later = lives["closed"][back] + rng.lognormal(np.log(t.reorder_median), 0.5, back.sum())
        again = _lives(t, later, rng)
        again["buyer"] = lives["buyer"][back]
        lives = {k: np.concatenate([v, again[k]]) for k, v in lives.items()}
        order = np.argsort(lives["placed"], kind="stable")
        lives = {k: v[order] for k, v in lives.items()}
    end = min(t.days * 24, t.end_hours if t.end_hours is not None else np.inf)
    keep = lives["placed"] <= end
    for key in ("paid", "closed", "refunded", "shipped", "delivered"):
        lives[key] = np.where(lives[key] <= end, lives[key], np.nan)
    frame = pd.DataFrame(lives)
    frame.insert(0, "order", 3100000000000000 + np.arange(len(frame)) * 7919)
    return frame[keep].reset_index(drop=True)


def _stamps(start: dt.date, hours: pd.Series, fmt: str) -> pd.Series:
    base = pd.Timestamp(start)
    when = base + pd.to_timedelta(hours.round(6) * 3600, unit="s")
    return when.dt.strftime(fmt).fillna("")


def _status(f: pd.DataFrame, names: tuple[str, ...], unpaid: str) -> np.ndarray:
    """Each order's status text by the furthest stage it reached: delivered, shipped, refunded,
    paid, closed (``names`` in that order), else still waiting for payment (``unpaid``)."""
    stages = ("delivered", "shipped", "refunded", "paid", "closed")
    return np.select([f[stage].notna() for stage in stages], list(names), unpaid)


def write_taobao(t: Truth, path: Path, encoding: str = "gbk") -> pd.DataFrame:
    """A Taobao seller-centre order export (订单报表), Chinese headers, ="..." order numbers."""
    f = simulate_orders(t)
    status = _status(
        f,
        (
            "交易成功",
            "卖家已发货，等待买家确认",
            "交易关闭",
            "买家已付款，等待卖家发货",
            "交易关闭",
        ),
        "等待买家付款",
    )
    reason = np.where(
        f["paid"].isna() & f["closed"].notna(),
        np.where(f["cancelled"], "买家不想买了", "超时未付款，交易自动关闭"),
        np.where(f["refunded"].notna(), "卖家缺货", ""),
    )
    fmt = "%Y-%m-%d %H:%M:%S"
    out = pd.DataFrame(
        {
            "订单编号": '="' + f["order"].astype(str) + '"',
            "买家会员名": "tb" + (f["buyer"] * 31 % 1000003).astype(str),
            "买家应付货款": f["amount"].map("{:.2f}".format),
            "买家实际支付金额": np.where(
                f["paid"].notna(), f["amount"].map("{:.2f}".format), "0.00"
            ),
            "订单状态": status,
            "收货人姓名": "张三",
            "订单创建时间": _stamps(t.start, f["placed"], fmt),
            "订单付款时间": _stamps(t.start, f["paid"], fmt),
            "宝贝总数量": f["quantity"].astype(str),
            "发货时间": _stamps(t.start, f["shipped"], fmt),
            "确认收货时间": _stamps(t.start, f["delivered"], fmt),
            "订单关闭原因": reason,
        }
    )
    # written as the seller centre does: ="..." cells unquoted (pandas would quote them)
    lines = [",".join(out.columns)]
    lines += [",".join(row) for row in out.astype(str).itertuples(index=False, name=None)]
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return f


_OLIST_HOURLY = (
    0.5, 0.25, 0.1, 0.05, 0.05, 0.08, 0.2, 0.6, 1.8, 3.2, 4.0, 4.2,
    4.0, 4.1, 4.3, 4.2, 4.1, 4.0, 3.8, 3.6, 3.7, 3.9, 3.5, 2.2,
)  # fmt: skip


_OLIST_HOURLY = (
    0.5, 0.25, 0.1, 0.05, 0.05, 0.08, 0.2, 0.6, 1.8, 3.2, 4.0, 4.2,
    4.0, 4.1, 4.3, 4.2, 4.1, 4.0, 3.8, 3.6, 3.7, 3.9, 3.5, 2.2,
)  # fmt: skip


def olist_like(seed: int = 7, days: float = 120.0, orders_per_day: float = 150.0) -> Truth:
    """Parameters shaped like public Brazilian marketplace data: card payers approved in
    minutes, bank-slip payers in a day or two, a long auto-close, few orders at night, long
    delivery times and a growing shop."""
    return Truth(
        start=dt.date(2017, 1, 5),
        days=days,
        orders_per_day=orders_per_day,
        hourly=_OLIST_HOURLY,
        weekday=(1.1, 1.15, 1.1, 1.05, 1.0, 0.75, 0.8),
        shares=(0.72, 0.2, 0.08),
        pays=(0.998, 0.97, 0.99),
        pay_median=(0.25, 26.0, 3.0),
        pay_sigma=(0.9, 0.45, 1.3),
        auto_close=720.0,
        cancels=0.6,
        cancel_mean=48.0,
        ship_median=60.0,
        ship_sigma=0.9,
        delivery_median=170.0,
        delivery_sigma=0.65,
        stockout=0.006,
        promise_days=20.0,
        growth=1.5,
        seed=seed,
    )


def _quirks(f: pd.DataFrame, rng: np.random.Generator, end: float) -> pd.DataFrame:
    """Real exports' flaws: some approval times missing, one in ten approved in the very
    second of the order, carrier dates before approval, a long tail of very late deliveries."""
    f = f.copy()
    instant = f["paid"].notna() & (rng.random(len(f)) < 0.1)
    f.loc[instant, "paid"] = f.loc[instant, "placed"]
    paid = f["paid"].notna() & f["shipped"].notna()
    blank = paid & (rng.random(len(f)) < 0.003)
    f.loc[blank, "paid"] = np.nan
    early = paid & ~blank & (rng.random(len(f)) < 0.01)
    f.loc[early, "shipped"] = f.loc[early, "paid"] - rng.uniform(1, 20, int(early.sum()))
    slow = f["delivered"].notna() & (rng.random(len(f)) < 0.04)
    f.loc[slow, "delivered"] += rng.exponential(24 * 20, int(slow.sum()))
    f.loc[f["delivered"] > end, "delivered"] = np.nan
    return f


def write_generic(t: Truth, path: Path, quirks: bool = False) -> pd.DataFrame:
    """An export in English, shaped like public marketplace data (Olist-like column names)."""
    f = simulate_orders(t)
    if quirks:
        end = t.days * 24 if t.end_hours is None else t.end_hours
        f = _quirks(f, np.random.default_rng(t.seed + 1), end)
    status = _status(f, ("delivered", "shipped", "unavailable", "invoiced", "canceled"), "created")
    waiting = (status == "invoiced") & (f["order"] % 3 == 0)
    status = np.where(waiting, np.where(f["order"] % 2 == 0, "processing", "approved"), status)
    fmt = "%Y-%m-%d %H:%M:%S"
    out = pd.DataFrame(
        {
            "order_id": f["order"].map(lambda x: f"{x:x}"),
            "customer_id": "c" + f["buyer"].astype(str),
            "order_status": status,
            "order_purchase_timestamp": _stamps(t.start, f["placed"], fmt),
            "order_approved_at": _stamps(t.start, f["paid"], fmt),
            "order_delivered_carrier_date": _stamps(t.start, f["shipped"], fmt),
            "order_delivered_customer_date": _stamps(t.start, f["delivered"], fmt),
            "order_estimated_delivery_date": _stamps(t.start, f["promised"], "%Y-%m-%d 00:00:00"),
        }
    )
    out.to_csv(path, index=False, encoding="utf-8")
    return f


def example_truth() -> Truth:
    """The bundled example export (examples/taobao-orders.csv): 4 weeks of a small shop."""
    return Truth(days=28.0, orders_per_day=150.0, reorders=0.2, seed=2026)


GENERIC_COLUMNS = (
    "order=order_id,buyer=customer_id,status=order_status,placed=order_purchase_timestamp,"
    "paid=order_approved_at,shipped=order_delivered_carrier_date,"
    "delivered=order_delivered_customer_date,promised=order_estimated_delivery_date"
)

"""The fit recovers the parameters that generated an export, within stated tolerances.

Tolerances are a few standard errors for the sample sizes used (~6,000 and ~11,000 orders):
shares within 0.01-0.02 absolute, medians within 10-15%, sigmas within 10-15%.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.fit.columns import parse_columns_option
from sim.fit.fitting import fit_orders
from sim.fit.mixture import fit_mixture
from sim.fit.orders import load_orders
from sim.fit.synthetic import GENERIC_COLUMNS


def _normalised(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def test_taobao_export_is_recognised_without_options(taobao):
    path, _, frame = taobao
    orders = load_orders(path)
    assert orders.encoding == "gbk"
    assert orders.roles["placed"] == "订单创建时间"
    assert orders.roles["completed"] == "确认收货时间"
    assert orders.n == len(frame)
    assert orders.paid.sum() == frame["paid"].notna().sum()


def test_fit_recovers_taobao_parameters(taobao):
    path, truth, frame = taobao
    fit = fit_orders(load_orders(path))
    # arrivals: volume within 4% (Poisson sd ~1.3%), profile shapes within 0.03 TV
    assert fit.orders_per_day == pytest.approx(truth.orders_per_day, rel=0.04)
    tv_hour = 0.5 * np.abs(_normalised(fit.hourly) - _normalised(truth.hourly)).sum()
    tv_day = 0.5 * np.abs(_normalised(fit.weekday) - _normalised(truth.weekday)).sum()
    assert tv_hour < 0.03 and tv_day < 0.03
    # payment: paid share within 0.015; two components, medians within 15%, sigmas within 15%
    assert fit.paid.share == pytest.approx(truth.paid_share, abs=0.015)
    assert fit.mixture.k == 2
    assert fit.mixture.medians == pytest.approx(truth.pay_median, rel=0.15)
    assert fit.mixture.sigma == pytest.approx(truth.pay_sigma, rel=0.15)
    assert fit.mixture.weights == pytest.approx(truth.shares, abs=0.05)
    assert fit.auto_close == 24.0  # no payment after 24 h in the export
    # shipping, delivery, price: medians within 5%, sigmas within 10%
    assert fit.ship.median == pytest.approx(truth.ship_median, rel=0.05)
    assert fit.ship.sigma == pytest.approx(truth.ship_sigma, rel=0.10)
    assert fit.delivery.median == pytest.approx(truth.delivery_median, rel=0.05)
    assert fit.delivery.sigma == pytest.approx(truth.delivery_sigma, rel=0.10)
    assert fit.price.median == pytest.approx(truth.price_median, rel=0.05)
    assert fit.stockout[0] == pytest.approx(truth.stockout, abs=0.01)
    # buyer cancellations vs time-outs: the share among unpaid closes the generator made
    closed = frame["paid"].isna() & frame["closed"].notna()
    expected = frame.loc[closed, "cancelled"].mean()
    assert fit.buyer_cancel_share == pytest.approx(expected, abs=1e-9)


def test_fit_recovers_olist_shaped_parameters(olist):
    path, truth, _ = olist
    orders = load_orders(path, columns=parse_columns_option(GENERIC_COLUMNS))
    fit = fit_orders(orders)
    assert orders.dropped["shipped before paid"] > 0  # the flaw is counted, not fitted
    assert fit.paid.share == pytest.approx(truth.paid_share, abs=0.01)
    assert fit.mixture.k >= 2
    assert fit.ship.median == pytest.approx(truth.ship_median, rel=0.10)
    # the long delivery tail leaves the median within 10%
    assert fit.delivery.median == pytest.approx(truth.delivery_median, rel=0.10)
    assert fit.buyer_cancel_share is None  # "canceled" alone does not say who cancelled
    assert fit.late is not None


def test_reorder_share_matches_a_direct_count(taobao, tmp_path):
    from sim.fit.synthetic import Truth, write_taobao

    truth = Truth(orders_per_day=80.0, days=14.0, reorders=0.5, seed=3)
    path = tmp_path / "reorders.csv"
    write_taobao(truth, path)
    orders = load_orders(path)
    fit = fit_orders(orders)
    share, n, delay, count = fit.reorder
    # direct count: unpaid closes whose buyer has a later order
    unpaid = orders.closed | (orders.open & (orders.end - orders.placed >= fit.auto_close))
    later = [
        np.any((orders.buyer == orders.buyer[i]) & (orders.placed > orders.placed[i]))
        for i in np.flatnonzero(unpaid)
    ]
    assert n == unpaid.sum()
    assert share == pytest.approx(np.mean(later))
    assert count == round(share * n)
    assert share > 0.1 and delay is not None
    # time-outs close at the auto-close, so most delays count from the close: ~the truth's 30 h
    assert delay.median == pytest.approx(truth.reorder_median, rel=0.2)


@pytest.mark.parametrize("k", [1, 2])
def test_mixture_bic_finds_the_number_of_components(k):
    rng = np.random.default_rng(k)
    if k == 1:
        x = rng.lognormal(np.log(3.0), 0.8, 20_000)
    else:
        x = np.concatenate(
            [rng.lognormal(np.log(0.1), 0.5, 12_000), rng.lognormal(np.log(30.0), 0.6, 8_000)]
        )
    mix = fit_mixture(x)
    assert mix.k == k
    if k == 1:
        assert mix.medians[0] == pytest.approx(3.0, rel=0.03)
        assert mix.sigma[0] == pytest.approx(0.8, rel=0.03)
    else:
        assert mix.weights == pytest.approx([0.6, 0.4], abs=0.01)
        assert mix.medians == pytest.approx([0.1, 30.0], rel=0.03)

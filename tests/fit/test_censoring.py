"""Orders still open at the export's end are censored, not unpaid.

The export is cut while many slow payers (median 20 h, auto-close 72 h) are still open: counting
them as unpaid understates the paid share by several points; the fit must not.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.fit.fitting import fit_orders
from sim.fit.mixture import mixture_cdf
from sim.fit.observed import paid_share
from sim.fit.orders import load_orders
from sim.fit.synthetic import Truth, write_taobao


@pytest.fixture(scope="module")
def cut_export(tmp_path_factory):
    truth = Truth(
        days=8.0,
        orders_per_day=700.0,
        shares=(0.5, 0.5),
        pays=(0.95, 0.9),
        pay_median=(0.2, 20.0),
        pay_sigma=(0.7, 0.8),
        auto_close=72.0,
        seed=21,
    )
    path = tmp_path_factory.mktemp("cut") / "cut.csv"
    frame = write_taobao(truth, path)
    return path, truth, frame


def test_open_orders_at_the_end_are_censored(cut_export):
    path, truth, _ = cut_export
    orders = load_orders(path)
    fit = fit_orders(orders)
    naive = orders.paid.mean()
    assert fit.paid.censored > 100
    assert truth.paid_share - naive > 0.03  # the bias the censoring removes
    assert fit.paid.share == pytest.approx(truth.paid_share, abs=0.015)


def test_a_fully_observed_export_needs_no_correction(cut_export):
    path, _, _ = cut_export
    orders = load_orders(path)
    # nothing open: the censored estimator is the plain paid share
    orders.closed = orders.closed | orders.open
    result = paid_share(orders, 72.0)
    assert result.censored == 0
    assert result.share == pytest.approx(orders.paid.mean())


def _true_cdf(truth: Truth, x: np.ndarray) -> np.ndarray:
    """The generating pay-delay CDF of payers, truncated at the auto-close (closed form)."""
    w = np.asarray(truth.shares) * np.asarray(truth.pays)
    mu, sigma = np.log(truth.pay_median), np.asarray(truth.pay_sigma)
    f = mixture_cdf(x, w / w.sum(), mu, sigma)
    return f / mixture_cdf(np.array(truth.auto_close), w / w.sum(), mu, sigma)


def test_censored_weights_undo_the_cut_on_delays(cut_export):
    path, truth, frame = cut_export
    fit = fit_orders(load_orders(path))
    x = np.geomspace(0.01, truth.auto_close, 200)
    mix = fit.mixture
    fitted = mixture_cdf(x, mix.weights, mix.mu, mix.sigma)
    fitted = fitted / mixture_cdf(np.array(fit.auto_close), mix.weights, mix.mu, mix.sigma)
    # the fitted delay distribution is within 0.03 of the truth everywhere ...
    assert np.max(np.abs(fitted - _true_cdf(truth, x))) < 0.03
    # ... while the delays as the cut export shows them are visibly too fast
    seen = frame["paid"].notna()
    delays = (frame.loc[seen, "paid"] - frame.loc[seen, "placed"]).to_numpy()
    slow_seen = np.mean(delays > 10.0)
    slow_true = 1.0 - _true_cdf(truth, np.array(10.0))
    assert slow_true - slow_seen > 0.02
    assert (1.0 - np.interp(10.0, x, fitted)) == pytest.approx(slow_true, abs=0.01)

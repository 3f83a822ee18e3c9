"""Synthetic exports written once per test session (small, so the fit tests stay fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.fit.synthetic import Truth, olist_like, write_generic, write_taobao


@pytest.fixture(scope="session")
def taobao(tmp_path_factory) -> tuple[Path, Truth, object]:
    """A Taobao seller-centre export in GBK: 4 weeks, ~6,000 orders, two kinds of payer."""
    truth = Truth(orders_per_day=220.0, seed=11)
    path = tmp_path_factory.mktemp("taobao") / "orders.csv"
    frame = write_taobao(truth, path)
    return path, truth, frame


@pytest.fixture(scope="session")
def olist(tmp_path_factory) -> tuple[Path, Truth, object]:
    """An English export shaped like public marketplace data, with its flaws."""
    truth = olist_like(seed=5, days=90.0, orders_per_day=120.0)
    path = tmp_path_factory.mktemp("olist") / "olist_orders.csv"
    frame = write_generic(truth, path, quirks=True)
    return path, truth, frame

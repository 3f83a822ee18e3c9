"""Fit a scenario to a shop's own order export (`ordersim fit`) and backtest it (`ordersim check`).

Modules, one job each: `errors` (located messages), `read` (bytes -> text table), `columns`
(which header plays which role, statuses), `dates`, `orders` (the observed facts), `mixture`
(EM on log delays), `fitting` (every fitted number), `write` (the commented TOML), `report`
(HTML and PNGs), `check` (simulate and compare), `cli` (the two commands).
"""

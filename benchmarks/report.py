"""Rich tables for the benchmark report (one builder per section)."""

from __future__ import annotations

from rich.table import Table

from .profile_share import CATEGORIES

__all__ = [
    "agents_table",
    "big_table",
    "case_a_table",
    "machine_table",
    "parallel_table",
    "profile_tables",
    "ratio_table",
    "reference_table",
    "targets_table",
    "verdict",
]


def verdict(ok: bool | None) -> str:
    return {True: "[green]met[/]", False: "[red]missed[/]", None: "[yellow]borderline[/]"}[ok]


def both(a: bool, b: bool) -> bool | None:
    """Met if both views agree it is met, missed if both say missed, else borderline."""
    return a if a == b else None


def rate(r: dict, orders: float | None = None) -> tuple[float, float]:
    """(orders per wall second, orders per CPU second)."""
    n = orders if orders is not None else r["kpis"]["orders"]
    return n / r["wall"], n / max(r["cpu"], 1e-9)


def _n(x: float) -> str:
    return f"{x:,.0f}"


def _mb(x: float) -> str:
    return f"{x:,.0f} MB"


def machine_table(info: dict[str, str]) -> Table:
    t = Table(title="Machine", show_header=False, title_justify="left")
    t.add_column(style="bold")
    t.add_column()
    for k, v in info.items():
        t.add_row(k, v)
    return t


def _run_columns(t: Table) -> None:
    for name in (
        "orders",
        "paid rate",
        "wall s",
        "cpu s",
        "GC",
        "orders/s",
        "orders/cpu-s",
        "RSS before",
        "peak RSS",
        "others",
    ):
        t.add_column(name, justify="right")


def _run_cells(r: dict) -> list[str]:
    wall_rate, cpu_rate = rate(r)
    k = r["kpis"]
    return [
        _n(k["orders"]),
        f"{k['paid_rate']:.4f}",
        f"{r['wall']:.2f}",
        f"{r['cpu']:.2f}",
        f"{100 * r['gc_s'] / r['wall']:.0f}%",
        _n(wall_rate),
        _n(cpu_rate),
        _mb(r["base_rss_mb"]),
        _mb(r["peak_rss_mb"]),
        f"{r['others_cores']:.1f}",
    ]


def runs_table(title: str, rows: list[tuple[str, dict]]) -> Table:
    """One row per measured run (orders, paid rate, times, rates, memory)."""
    t = Table(title=title, title_justify="left")
    t.add_column("measurement", no_wrap=True)
    _run_columns(t)
    for label, r in rows:
        t.add_row(label, *_run_cells(r))
    return t


def case_a_table(rows: list[tuple[str, dict]]) -> Table:
    return runs_table(
        "1-2. Case (a), one replication, each in a fresh process (closed-form paid rate 0.70850)",
        rows,
    )


def agents_table(rows: list[tuple[str, dict]]) -> Table:
    return runs_table(
        "3c. Agent case (c), one replication, each in a fresh process "
        "(paid rate about 0.85 + 0.15 x 0.4 = 0.91)",
        rows,
    )


def queues_table(rows: list[tuple[str, dict]]) -> Table:
    """Runs of the queued cases: orders (calls for Ciw) per second, and the mean wait."""
    t = Table(title="3d-e. Calls that wait, one replication each, each in a fresh process",
              title_justify="left")  # fmt: skip
    for name in ("measurement", "orders", "wall s", "orders/s (wall)", "mean wait", "agents busy"):
        t.add_column(name, justify="left" if name == "measurement" else "right")
    for label, r in rows:
        k = r["kpis"]
        wait = k.get("reminder_wait_hours")
        busy = k.get("agent_utilization")
        t.add_row(
            label,
            _n(k["orders"]),
            f"{r['wall']:.2f}",
            _n(rate(r)[0]),
            "-" if wait is None else f"{wait * 3600:,.1f} s",
            "-" if busy is None else f"{busy:.2f}",
        )
    return t


def ratio_table(
    rows: list[tuple[str, dict, dict]],
    target: float,
    info: frozenset[str] = frozenset(),
    title: str = "2. Speed ratio ordersim / bare heapq loop",
) -> Table:
    """Rows whose label is in ``info`` are shown for information, without a verdict."""
    t = Table(title=f"{title} (target ≥ {target:g})", title_justify="left")
    for name in ("ordersim engine", "bare loop at", "ratio (wall)", "ratio (cpu)", "target"):
        t.add_column(name, justify="right" if name != "ordersim engine" else "left")
    for label, ours, bare in rows:
        ow, oc = rate(ours)
        bw, bc = rate(bare)
        t.add_row(
            label,
            f"{_n(bare['kpis']['orders'])} orders",
            f"{ow / bw:.2f}",
            f"{oc / bc:.2f}",
            "(info)" if label in info else verdict(both(ow / bw >= target, oc / bc >= target)),
        )
    return t


def reference_table(rows: list[tuple[str, str, dict]], target: float) -> Table:
    t = Table(
        title=f"3. Reference scenario (b), one replication per strategy "
        f"(target ≥ {_n(target)} orders/s per core)",
        title_justify="left",
    )
    t.add_column("strategy", no_wrap=True)
    t.add_column("engine")
    _run_columns(t)
    t.add_column("target")
    for strategy, engine, r in rows:
        w, c = rate(r)
        mark = verdict(both(w >= target, c >= target)) if engine != "simpy" else "(info)"
        t.add_row(strategy, engine, *_run_cells(r), mark)
    return t


def profile_tables(rows: list[tuple[str, str, dict]]) -> list[Table]:
    t = Table(
        title="4. Profile share of tottime (cProfile; built-ins charged to their caller)",
        title_justify="left",
    )
    for name in ("case", "engine", "orders", "profiled s", "events/order", *CATEGORIES):
        t.add_column(name, justify="left" if name in ("case", "engine") else "right")
    top = Table(title="4b. Heaviest functions by tottime", title_justify="left")
    for name in ("case / engine", "function", "tottime s", "share", "calls"):
        top.add_column(name, justify="left" if name in ("case / engine", "function") else "right")
    for case, engine, r in rows:
        total = sum(r["shares"].values()) or 1.0
        events = f"{r['simpy_events'] / r['orders']:.2f}" if r["simpy_events"] else "-"
        t.add_row(
            case,
            engine,
            _n(r["orders"]),
            f"{r['total']:.2f}",
            events,
            *(f"{100 * r['shares'][c] / total:.0f}%" for c in CATEGORIES),
        )
        for i, (label, tottime, calls) in enumerate(r["top"]):
            top.add_row(
                f"{case} / {engine}" if i == 0 else "",
                label,
                f"{tottime:.2f}",
                f"{100 * tottime / r['total']:.0f}%",
                _n(calls),
            )
        top.add_section()
    return [t, top]


def big_table(rows: list[tuple[str, dict]], rss_target_mb: float) -> Table:
    t = Table(
        title=f"5. --big: reference scenario (b), one replication "
        f"(target peak RSS < {_n(rss_target_mb)} MB)",
        title_justify="left",
    )
    t.add_column("strategy", no_wrap=True)
    _run_columns(t)
    t.add_column("target")
    for strategy, r in rows:
        t.add_row(strategy, *_run_cells(r), verdict(r["peak_rss_mb"] < rss_target_mb))
    return t


def parallel_table(
    rows: list[tuple[str, int | None, dict]],
    startup: dict[str, float],
    process_target: float,
    dask_slack: float,
) -> Table:
    t = Table(
        title=f"6. --parallel: sim.api.run of case (a), wall time including pool start "
        f"(targets: process ≥ {process_target}x; dask within {dask_slack:.0%} of process)",
        title_justify="left",
    )
    names = (
        "executor",
        "workers",
        "units",
        "orders",
        "wall s",
        "speed-up",
        "start-up s",
        "net speed-up",
        "own cores",
        "others",
        "target",
    )
    for name in names:
        t.add_column(name, justify="left" if name == "executor" else "right")
    wall = {executor: r["wall"] for executor, _, r in rows}
    serial_net = wall["serial"] - startup["serial"]
    for executor, workers, r in rows:
        if executor == "process":
            mark = verdict(wall["serial"] / r["wall"] >= process_target)
        elif executor == "dask":
            mark = verdict(r["wall"] <= wall["process"] * (1 + dask_slack))
        else:
            mark = "(info)" if executor.endswith("*") else ""
        net = serial_net / max(r["wall"] - startup[executor], 1e-9)
        t.add_row(
            executor,
            str(workers or 1),
            str(r["units"]),
            _n(r["orders"]),
            f"{r['wall']:.2f}",
            f"{wall['serial'] / r['wall']:.2f}x",
            f"{startup[executor]:.2f}",
            f"{net:.2f}x",
            f"{r['own_cores']:.1f}",
            f"{r['others_cores']:.1f}",
            mark,
        )
    return t


def targets_table(rows: list[tuple[str, str, bool | None]]) -> Table:
    t = Table(title="Targets", title_justify="left")
    t.add_column("target")
    t.add_column("measured", justify="right")
    t.add_column("verdict")
    for name, measured, ok in rows:
        t.add_row(name, measured, verdict(ok))
    return t

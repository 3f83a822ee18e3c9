"""The Python API: ``sim.run(scenario_or_path, **overrides) -> Results``.

The CLI is a thin shell over this, so notebooks and scripts get exactly what ``ordersim run``
computes: the same units, the same statistics, the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .experiment.executors import EXECUTORS, execute, iter_in_order
from .experiment.plan import WorkUnit, plan_units, scenario_variants
from .experiment.progress import RunProgress
from .experiment.results import UnitResult
from .experiment.runner import RunSettings
from .experiment.store import UnitStore, fingerprint
from .scenario.load import load_scenario
from .scenario.paths import apply_override

__all__ = ["Results", "run"]


@dataclass
class Results:
    """What a run produced: the summary (as in summary.json) and every unit's KPIs."""

    scenario: Any
    summary: dict
    units: list[UnitResult]
    out_dir: Path | None = None
    files: list[Path] = field(default_factory=list)

    def to_pandas(self):
        """One row per strategy x replication [x sweep value], one column per KPI."""
        from .output.summary import replications_frame

        return replications_frame(self.units)


def _prepare(
    scenario: Any, overrides: dict[str, Any], seed: int | None, replications: int | None
) -> tuple[Any, Path | None]:
    path = None
    if isinstance(scenario, (str, os.PathLike)):
        path = Path(scenario)
        scenario = load_scenario(path)
    for dotted, value in overrides.items():
        scenario = apply_override(scenario, dotted, value)
    if seed is not None:
        scenario = apply_override(scenario, "scenario.seed", seed)
    if replications is not None:
        if replications < 1:
            raise UsageError(f"--replications: must be at least 1 (got {replications})")
        scenario = apply_override(scenario, "scenario.replications", replications)
    return scenario, path


def _check_options(executor: str, workers: int | None, events_format: str, engine: str) -> None:
    if executor not in EXECUTORS:
        raise UsageError(
            f"--executor: unknown executor (got {executor!r}); use one of " + ", ".join(EXECUTORS)
        )
    if workers is not None and workers < 1:
        raise UsageError(f"--workers: must be at least 1 (got {workers})")
    if events_format not in ("csv", "parquet"):
        raise UsageError(f"--events-format: use csv or parquet (got {events_format!r})")
    if engine not in ("auto", "fast", "simpy"):
        raise UsageError(f"--engine: use auto, fast or simpy (got {engine!r})")


def _writable(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".ordersim-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"--out: cannot write to {out} ({exc.strerror or exc})") from exc
    return out


def run(
    scenario: Any,
    *,
    out: str | os.PathLike | None = None,
    replications: int | None = None,
    seed: int | None = None,
    executor: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    engine: str = "auto",
    events: bool = False,
    events_format: str = "csv",
    plots: bool = True,
    resume: bool = False,
    progress: bool | None = False,
    overrides: dict[str, Any] | None = None,
    **kw_overrides: Any,
) -> Results:
    """Run every strategy of a scenario (a path or a validated Scenario).

    ``overrides`` maps dotted keys to values (``{"arrivals.orders_per_day": 200}``); keyword
    overrides spell the dots as double underscores (``arrivals__orders_per_day=200``). With
    ``out`` the outputs of CONTRACT.md are written there; without it nothing touches the disk.
    """
    _check_options(executor, workers, events_format, engine)
    every = dict(overrides or {})
    every.update({k.replace("__", "."): v for k, v in kw_overrides.items()})
    sc, source = _prepare(scenario, every, seed, replications)
    reps = int(sc.scenario.replications)
    units = plan_units(sc, reps)
    out_dir = _writable(Path(out)) if out is not None else None
    if events and out_dir is None:
        raise UsageError("--events: the event log needs an output folder (out=...)")
    store = None
    done: dict[int, UnitResult] = {}
    settings = RunSettings(engine=engine)
    if out_dir is not None:
        key = fingerprint(
            sc, replications=reps, engine=engine, events=events_format if events else None
        )
        store = UnitStore(out_dir / ".ordersim-work", key)
        if resume:
            store.open()
            done = store.load(units)
        else:
            store.reset()
        if events:
            from .output.events import EventLog

            settings = RunSettings(engine, EventLog(str(store.events_dir), events_format))
    todo: list[WorkUnit] = [u for u in units if u.index not in done]

    with RunProgress(len(units), enabled=progress) as bar:
        for _ in done:
            bar.advance()

        def finished(unit: WorkUnit, result: UnitResult) -> None:
            if store is not None:
                store.save(unit, result)
            bar.advance(unit.label)

        done.update(
            execute(
                scenario_variants(sc),
                todo,
                settings,
                executor=executor,
                workers=workers,
                scheduler=scheduler,
                on_done=finished,
            )
        )
    ordered = iter_in_order(done, units)
    from .experiment.stats import summarize  # scipy.stats: only once the units are in

    summary = summarize(
        ordered,
        sc.scenario.baseline,
        scenario=sc.scenario.name,
        seed=int(sc.scenario.seed),
        replications=reps,
        sweep_parameter=sc.sweep.parameter if sc.sweep else None,
    )
    results = Results(sc, summary, ordered, out_dir)
    if out_dir is not None:
        from .output.writers import write_outputs

        parts = [settings.events.part_path(u.file_stem) for u in units] if events else None
        results.files = write_outputs(
            results,
            source=source,
            plots=plots,
            event_parts=parts,
            events_format=events_format,
        )
        store.discard()
    return results

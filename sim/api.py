"""The Python API: ``sim.run(scenario_or_path, **overrides) -> Results``.

The CLI is a thin shell over this, so notebooks and scripts get exactly what ``ordersim run``
computes: the same units, the same statistics, the same files.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .experiment.batches import UnitPool, new_units
from .experiment.cleanup import fault_in_units, outputs_bytes
from .experiment.executors import execute
from .experiment.plan import Candidate, WorkUnit, plan_candidates, scenario_variants
from .experiment.progress import RunProgress
from .experiment.results import UnitResult
from .experiment.runner import RunSettings
from .experiment.steps import label_steps
from .experiment.store import UnitStore, fingerprint
from .options import ENGINES, EVENT_FORMATS, EXECUTORS
from .output.diskfull import DISK_FULL, DiskFull
from .output.folder import OutputFolder
from .output.i18n import get_lang
from .output.lock import folder_lock
from .scenario.load import load_scenario
from .scenario.paths import apply_override
from .scenario.stated import footing

__all__ = ["MAX_REPLICATIONS", "Results", "run"]

CONFIDENCE = 0.95  # of every printed interval; --confidence is the selection's alone
MAX_REPLICATIONS = 200  # per candidate, for --select and --target-half-width


@dataclass
class Results:
    """What a run produced: the summary (as in summary.json) and every unit's KPIs."""

    scenario: Any
    summary: dict
    units: list[UnitResult]
    out_dir: Path | None = None
    files: list[Path] = field(default_factory=list)

    def to_pandas(self, kind: str = "replications"):
        """kind="replications" (default): one row per strategy x replication [x sweep value],
        one column per KPI; kind="summary": `summary_frame()`."""
        if kind == "summary":
            return self.summary_frame()
        if kind != "replications":
            raise ValueError(f"kind: use 'replications' or 'summary' (got {kind!r})")
        from .output.summary import replications_frame

        return replications_frame(self.units)

    def summary_frame(self):
        """One row per strategy x KPI: mean, 95% interval, paired difference to the baseline."""
        from .output.frames import summary_frame

        return summary_frame(self.summary)

    def __repr__(self) -> str:
        from .output.frames import results_repr

        return results_repr(self)


def _prepare(
    scenario: Any, overrides: dict[str, Any], seed: int | None, replications: int | None
) -> tuple[Any, Path | None]:
    path = None
    if isinstance(scenario, (str, os.PathLike)):
        from .cli_scenario import find_scenario

        path = find_scenario(str(scenario))  # a path, or a bundled scenario's name
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
    if events_format not in EVENT_FORMATS:
        raise UsageError(
            f"--events-format: use {' or '.join(EVENT_FORMATS)} (got {events_format!r})"
        )
    if engine not in ENGINES:
        raise UsageError(f"--engine: use {', '.join(ENGINES)} (got {engine!r})")


def run(
    scenario: Any,
    *,
    source: str | os.PathLike | None = None,
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
    excel: bool = False,
    resume: bool = False,
    progress: bool | None = False,
    overrides: dict[str, Any] | None = None,
    notify: Callable[[str], None] | None = None,
    lang: str = "en",
    select: str | None = None,
    delta: float | None = None,
    confidence: float = CONFIDENCE,
    target_half_width: dict[str, float] | None = None,
    max_replications: int = MAX_REPLICATIONS,
    **kw_overrides: Any,
) -> Results:
    """Run every strategy of a scenario (a path or a validated Scenario).

    ``overrides`` maps dotted keys to values (``{"arrivals.orders_per_day": 200}``); keyword
    overrides spell the dots as double underscores (``arrivals__orders_per_day=200``). With
    ``out`` every output (see docs/outputs.md) is written there; without it nothing touches the
    disk.
    The folder is replaced as a whole at the end (see `sim.output.folder`). ``notify`` receives
    one-line notes for the user (units kept by --resume, a resumable run being discarded).

    ``select="net_profit_per_order"`` then picks the best candidate with the KN procedure
    (``delta``: smallest difference that matters, default per KPI; ``confidence``);
    ``target_half_width={"paid_rate": 0.005}`` adds replications until every comparison with
    the baseline is that precise. Both stop at ``max_replications`` per candidate.
    """
    _check_options(executor, workers, events_format, engine)
    targets = _check_choice(select, delta, confidence, target_half_width, max_replications)
    every = dict(overrides or {})
    every.update({k.replace("__", "."): v for k, v in kw_overrides.items()})
    sc, path = _prepare(scenario, every, seed, replications)
    source = path if source is None else Path(source)  # the file a loaded scenario came from
    reps = int(sc.scenario.replications)
    variants = scenario_variants(sc)
    candidates = plan_candidates(sc, variants)
    first_stage = [unit for _, unit in new_units(candidates, reps)]  # what the pool runs first
    folder = OutputFolder(Path(out), sc.scenario.name) if out is not None else None
    with contextlib.ExitStack() as held:
        if folder is not None:
            held.enter_context(folder_lock(folder.path))  # one run at a time per folder
            folder.check()
        out_dir = folder.path if folder is not None else None
        say = notify or (lambda text: None)
        words = get_lang(lang)
        if events and out_dir is None:
            raise UsageError("--events: the event log needs an output folder (out=...)")
        store = None
        # each step's increment needs a run per step: not for every value of a sweep
        increments = sc.sweep is None
        settings = RunSettings(engine=engine, step_increments=increments)
        if out_dir is not None:
            asked = {"select": select, "delta": delta, "confidence": confidence}
            asked.update({"targets": targets, "max": max_replications} if targets else {})
            key = fingerprint(
                sc,
                replications=reps,
                engine=engine,
                events=events_format if events else None,
                extra=asked if (select or targets) else None,
            )
            store = UnitStore(folder.work, key)
            if resume:
                store.open()
                kept = len(store.load(first_stage))
                done = kept == len(first_stage)
                rest = words.tr("nothing left to run") if done else words.tr("running the rest")
                say(
                    words.trn(
                        "--resume: kept {n} finished unit of {total}; {rest}",
                        "--resume: kept {n} finished units of {total}; {rest}",
                        kept,
                        n=kept,
                        total=len(first_stage),
                        rest=rest,
                    )
                )
            else:
                left = len(store.load(first_stage))
                if left:
                    say(
                        words.trn(
                            "note: {out} held {n} finished unit of an interrupted run of this "
                            "scenario; starting afresh (--resume would have kept them)",
                            "note: {out} held {n} finished units of an interrupted run of this "
                            "scenario; starting afresh (--resume would have kept them)",
                            left,
                            out=out_dir,
                            n=left,
                        )
                    )
                store.reset()
            if events:
                from .output.events import EventLog

                log = EventLog(str(store.events_dir), events_format)
                settings = RunSettings(engine, log, step_increments=increments)

        def run_units(todo: list[WorkUnit]) -> dict[int, UnitResult]:
            done = store.load(todo) if (store is not None and resume) else {}
            with RunProgress(len(todo), enabled=progress, title=words.tr("simulating")) as bar:
                for _ in done:
                    bar.advance()

                def finished(unit: WorkUnit, result: UnitResult) -> None:
                    if store is not None:
                        store.save(unit, result)
                    bar.advance(unit.label)

                try:
                    done.update(
                        execute(
                            variants,
                            [u for u in todo if u.index not in done],
                            settings,
                            executor=executor,
                            workers=workers,
                            scheduler=scheduler,
                            on_done=finished,
                        )
                    )
                except BaseException as exc:
                    if store is not None:
                        fault_in_units(exc, store, settings, todo)
                    raise
            return done

        pool = UnitPool(run_units)
        pool.extend(candidates, reps)
        baseline = sc.scenario.baseline
        extras = _choose(
            pool, candidates, baseline, reps, select, delta, confidence, targets, max_replications
        )
        from .experiment.stats import summarize  # scipy.stats: only once the units are in

        ordered = pool.ordered()
        summary = summarize(
            ordered,
            baseline,
            scenario=sc.scenario.name,
            seed=int(sc.scenario.seed),
            replications=min(pool.replications(c) for c in candidates),
            sweep=_sweep_meta(sc),
            hidden_type=[s.name for s in sc.strategies if any(r.by_segment for r in s.reminders)],
        )
        summary.update(extras)
        label_steps(summary, sc)
        summary.update(footing(sc))
        results = Results(sc, summary, ordered, out_dir)
        if folder is not None:
            from .output.writers import count_outputs, write_outputs

            parts = [settings.events.part_path(u.file_stem) for u in pool.units] if events else None
            total = count_outputs(results, plots=plots, events=events) + int(excel)
            try:
                with (
                    RunProgress(total, enabled=progress, title=words.tr("writing")) as bar,
                    folder.staging() as stage,
                ):
                    written = write_outputs(
                        results,
                        source=source,
                        plots=plots,
                        excel=excel,
                        event_parts=parts,
                        events_format=events_format,
                        out_dir=stage,
                        lang=lang,
                        notify=say,
                        on_file=lambda path: bar.advance(path.name),
                    )
            except OSError as exc:
                if exc.errno not in DISK_FULL:
                    raise
                raise DiskFull(exc, folder.path, outputs_bytes(folder, parts)) from None
            folder.commit()
            results.files = [out_dir / path.name for path in written]
        return results


def _choose(
    pool: UnitPool,
    candidates: list[Candidate],
    baseline: str,
    reps: int,
    select: str | None,
    delta: float | None,
    confidence: float,
    targets: dict[str, float],
    max_replications: int,
) -> dict[str, Any]:
    """Run the replications a precision target or a selection asks for; returns their
    summary entries (`precision`, `selection`)."""
    from .experiment.choose import run_selection  # scipy: only when running
    from .experiment.precision import reach_precision

    extras: dict[str, Any] = {}
    if targets:
        extras["precision"] = reach_precision(
            _comparison_pairs(candidates, baseline),
            targets,
            start=reps,
            values=lambda c, kpi, n: pool.values(c, kpi, 0, n),
            extend=lambda n: pool.extend(candidates, n),
            confidence=CONFIDENCE,
            max_replications=max(max_replications, reps),
        )
    if select is not None:
        extras["selection"] = run_selection(
            pool,
            candidates,
            select,
            first_stage=min(pool.replications(c) for c in candidates),
            delta=delta,
            confidence=confidence,
            max_replications=max_replications,
        )
    return extras


def _check_choice(
    select: str | None,
    delta: float | None,
    confidence: float,
    targets: dict[str, float] | None,
    max_replications: int,
) -> dict[str, float]:
    """Every choice option checked before anything runs; returns the precision targets."""
    from .experiment.choose import check_select

    if select is not None:
        check_select(select, delta, confidence)
    elif delta is not None:
        raise UsageError("--delta: only with --select (it is the selection's indifference zone)")
    if not 0.5 <= confidence < 1:
        raise UsageError(f"--confidence: must be at least 0.5 and below 1 (got {confidence})")
    return _check_targets(targets, max_replications)


def _check_targets(targets: dict[str, float] | None, max_replications: int) -> dict[str, float]:
    """The precision targets, checked: known KPIs, positive half-widths."""
    from .experiment.results import KPI_DIRECTIONS

    if max_replications < 2:
        raise UsageError(f"--max-replications: must be at least 2 (got {max_replications})")
    problems = []
    for kpi, width in (targets or {}).items():
        if kpi not in KPI_DIRECTIONS:
            problems.append(f"--target-half-width: unknown KPI (got {kpi!r})")
        elif not (isinstance(width, (int, float)) and width > 0):
            problems.append(f"--target-half-width: {kpi}: must be a positive number (got {width})")
    if problems:
        raise UsageError("\n".join(problems))
    return {k: float(v) for k, v in (targets or {}).items()}


def _comparison_pairs(
    candidates: list[Candidate], baseline: str
) -> dict[str, tuple[Candidate, Candidate | None]]:
    """Each non-baseline candidate with the baseline it is compared with; when there is none,
    the candidates themselves (their own intervals are the ones to narrow)."""
    bases = {c.sweep_value: c for c in candidates if c.strategy == baseline}
    pairs = {
        c.key: (c, bases.get(c.sweep_value, bases.get(None)))
        for c in candidates
        if c.strategy != baseline
    }
    return pairs or {c.key: (c, None) for c in candidates}


def _sweep_meta(sc: Any) -> dict | None:
    """summary["sweep"]: the parameter and its values; for a grid also each axis."""
    sweep = sc.sweep
    if sweep is None:
        return None
    from .experiment.results import sweep_label

    if not sweep.is_grid:
        return {"parameter": sweep.parameter, "values": [_plain(v) for v in sweep.values]}
    return {
        "parameter": sweep.label,
        "values": [sweep_label(point) for point in sweep.points],
        "grid": [
            {"parameter": name, "values": [_plain(v) for v in values]}
            for name, values in sweep.axes
        ],
    }


def _plain(value: Any) -> Any:
    """A sweep value as JSON writes it (numpy numbers become Python ones)."""
    return value.item() if hasattr(value, "item") else value

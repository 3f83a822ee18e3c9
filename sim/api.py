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
from .experiment.choice import CONFIDENCE, MAX_REPLICATIONS, check_choice, choose
from .experiment.execution import Execution, open_store
from .experiment.plan import Candidate, plan_candidates, scenario_variants
from .experiment.results import UnitResult
from .experiment.runner import RunSettings
from .experiment.steps import label_steps
from .experiment.store import UnitStore, fingerprint
from .options import ENGINES, EVENT_FORMATS, EXECUTORS
from .output.folder import OutputFolder
from .output.i18n import get_lang
from .output.lock import folder_lock
from .output.swept import unit_label
from .scenario.load import load_scenario
from .scenario.paths import apply_override
from .scenario.stated import footing

__all__ = ["MAX_REPLICATIONS", "Planned", "Results", "run"]


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


@dataclass(frozen=True)
class Planned:
    """The plan step: the validated scenario, its variants (one per sweep value, validated
    here once) and every candidate the run compares."""

    scenario: Any
    variants: list[Any]
    candidates: list[Candidate]

    @classmethod
    def of(cls, scenario: Any) -> Planned:
        variants = scenario_variants(scenario)
        return cls(scenario, variants, plan_candidates(scenario, variants))


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

    The steps: plan (`Planned`), execute (`sim.experiment.execution`), choose
    (`sim.experiment.choice`), summarize and write (`sim.output.publish`).
    """
    _check_options(executor, workers, events_format, engine)
    targets = check_choice(select, delta, confidence, target_half_width, max_replications)
    every = dict(overrides or {})
    every.update({k.replace("__", "."): v for k, v in kw_overrides.items()})
    sc, path = _prepare(scenario, every, seed, replications)
    source = path if source is None else Path(source)  # the file a loaded scenario came from
    reps = int(sc.scenario.replications)
    planned = Planned.of(sc)
    folder = OutputFolder(Path(out), sc.scenario.name) if out is not None else None
    if events and folder is None:
        raise UsageError("--events: the event log needs an output folder (out=...)")
    words = get_lang(lang)
    with contextlib.ExitStack() as held:
        if folder is not None:
            held.enter_context(folder_lock(folder.path))  # one run at a time per folder
            folder.check()
        # each step's increment needs a run per step: not for every value of a sweep
        settings = RunSettings(engine=engine, step_increments=sc.sweep is None)
        execution = Execution(settings, executor, workers, scheduler, progress, resume=resume)
        if folder is not None:
            asked = {"select": select, "delta": delta, "confidence": confidence}
            asked.update({"targets": targets, "max": max_replications} if targets else {})
            key = fingerprint(
                sc,
                replications=reps,
                engine=engine,
                events=events_format if events else None,
                extra=asked if (select or targets) else None,
            )
            execution.store = UnitStore(folder.work, key)
            first = [unit for _, unit in new_units(planned.candidates, reps)]
            open_store(execution.store, first, resume, words, notify or (lambda text: None),
                       folder.path)  # fmt: skip
            if events:
                from .output.events import EventLog

                log = EventLog(str(execution.store.events_dir), events_format)
                execution.settings = RunSettings(engine, log, step_increments=sc.sweep is None)
        title, label = words.tr("simulating"), unit_label(sc, words.code)
        pool = UnitPool(lambda todo: execution(planned.variants, todo, title, label))
        pool.extend(planned.candidates, reps)
        extras = choose(
            pool, planned.candidates, sc.scenario.baseline, reps, select, delta, confidence,
            targets, max_replications,
        )  # fmt: skip
        results = _summarize(planned, pool, extras)
        if folder is not None:
            results.summary.update(_robust_beside(folder.path, sc))
            results.out_dir = folder.path
            parts = (
                [execution.settings.events.part_path(u.file_stem) for u in pool.units]
                if events
                else None
            )
            results.files = _write(
                results, folder, source, plots, excel, parts, events_format, lang, notify,
                progress,
            )  # fmt: skip
        return results


def _summarize(planned: Planned, pool: UnitPool, extras: dict[str, Any]) -> Results:
    """The summary of every unit the pool ran (as summary.json holds it)."""
    from .experiment.stats import summarize  # scipy.stats: only once the units are in

    sc = planned.scenario
    ordered = pool.ordered()
    summary = summarize(
        ordered,
        sc.scenario.baseline,
        scenario=sc.scenario.name,
        seed=int(sc.scenario.seed),
        replications=min(pool.replications(c) for c in planned.candidates),
        sweep=_sweep_meta(sc),
        hidden_type=[s.name for s in sc.strategies if any(r.by_segment for r in s.reminders)],
    )
    summary.update(extras)
    label_steps(summary, sc)
    summary.update(footing(sc))
    return Results(sc, summary, ordered)


def _robust_beside(out: Path, sc: Any) -> dict[str, Any]:
    """What robust.json of the same scenario beside the output folder (``ordersim robust``'s
    default ``results/<name>-robust/``) adds to the summary: the numbers ranked by influence
    and how robust the recommendation is (see `sim.output.footing.robust_footing`)."""
    import json

    from .experiment.store import scenario_key
    from .output.footing import robust_footing

    path = out.parent / f"{out.name}-robust" / "robust.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("scenario_key") != scenario_key(sc):
        return {}
    return robust_footing(data)


def _write(
    results: Results,
    folder: OutputFolder,
    source: Path | None,
    plots: bool,
    excel: bool,
    parts: list[Path] | None,
    events_format: str,
    lang: str,
    notify: Callable[[str], None] | None,
    progress: bool | None,
) -> list[Path]:
    """Every output file, staged and swapped in whole (see `sim.output.publish`)."""
    from .output.publish import publish
    from .output.writers import count_outputs, write_outputs

    events = parts is not None
    return publish(
        folder,
        lambda stage, on_file: write_outputs(
            results,
            source=source,
            plots=plots,
            excel=excel,
            event_parts=parts,
            events_format=events_format,
            out_dir=stage,
            lang=lang,
            notify=notify or (lambda text: None),
            on_file=on_file,
        ),
        total=count_outputs(results, plots=plots, events=events) + int(excel),
        progress=progress,
        title=get_lang(lang).tr("writing"),
        parts=parts,
    )


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

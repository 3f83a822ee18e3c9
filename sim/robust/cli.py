"""``ordersim robust FILE``: the answer, how far its assumptions may be wrong, what to measure.

The steps are those of a run (`sim.api`): plan (`RobustPlan`: the varied keys, their ranges
validated at both ends, the replications per point), execute (`sim.experiment.execution`,
every finished unit kept for --resume), choose (`sim.robust.check`), write
(`sim.output.publish`: robust.json, robust.png and report.html swapped in whole).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.cli_parsers import add_executor_options, add_subcommand, whole_number

__all__ = [
    "RobustPlan",
    "add_robust_command",
    "cmd_robust",
    "plan_robust",
    "robust",
    "run_check",
    "to_json",
]

DEFAULT_POINTS = 64


@dataclass(frozen=True)
class RobustPlan:
    """What a robustness check runs: the axes, the joint design's size, the replications."""

    axes: list[Any]
    points: int
    replications: int
    kpi: str

    def fingerprint(self, scenario: Any, engine: str) -> str:
        """The unit store's key: everything that decides which units run and their numbers."""
        from sim.experiment.store import fingerprint

        axes = [[a.key, a.stated, a.low, a.high] for a in self.axes]
        extra = {"robust": axes, "points": self.points, "kpi": self.kpi}
        return fingerprint(
            scenario, replications=self.replications, engine=engine, events=None, extra=extra
        )


def default_replications(scenario: Any, axes: int, points: int) -> int:
    """Replications per point: as many as keep the whole design within 20 plain runs of the
    file (a plain run is the file's own replications of every option), at least 2."""
    runs = 1 + 2 * axes + points + 2 * axes  # stated, ends, joint, a few break-evens
    return max(
        2, min(int(scenario.scenario.replications), 20 * scenario.scenario.replications // runs)
    )


def plan_robust(
    scenario: Any,
    vary: list[str] | None = None,
    points: int = DEFAULT_POINTS,
    replications: int | None = None,
    kpi: str = "net_profit_per_order",
) -> RobustPlan:
    """The plan of a check; every bad option raises UsageError (the ranges are validated)."""
    from sim.errors import UsageError
    from sim.experiment.results import KPI_DIRECTIONS
    from sim.robust.space import default_axes, parse_vary

    if kpi not in KPI_DIRECTIONS or not KPI_DIRECTIONS[kpi]:
        raise UsageError(f"--kpi: must be a KPI with a better direction (got {kpi!r})")
    axes = parse_vary(scenario, vary) if vary else default_axes(scenario)
    points = points if axes else 0
    reps = replications or default_replications(scenario, len(axes), points)
    return RobustPlan(axes, points, reps, kpi)


def robust(
    scenario: Any,
    *,
    vary: list[str] | None = None,
    points: int = DEFAULT_POINTS,
    replications: int | None = None,
    kpi: str = "net_profit_per_order",
    executor: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    engine: str = "auto",
    progress: bool | None = False,
):
    """The robustness check of a validated scenario (see `sim.robust.check`)."""
    from sim.experiment.execution import Execution
    from sim.experiment.runner import RunSettings

    plan = plan_robust(scenario, vary, points, replications, kpi)
    execution = Execution(
        RunSettings(engine=engine, step_increments=False), executor, workers, scheduler, progress
    )
    return run_check(scenario, plan, execution)


def run_check(
    scenario: Any, plan: RobustPlan, execution: Any, on_start: Any = None, words: Any = None
):
    """The check of a plan on an `sim.experiment.execution.Execution` (with a unit store for
    --resume); ``on_start`` gets the first batch's units before they run; ``words`` (a
    `sim.output.i18n.Lang`) is the progress bar's language."""
    from sim.robust.check import check
    from sim.robust.points import Evaluator

    ev = Evaluator(scenario, plan.kpi, plan.replications, execution, on_start, words)
    return check(ev, plan.axes, plan.points, int(scenario.scenario.seed))


def to_json(result: Any) -> dict[str, Any]:
    """robust.json."""
    return {
        "kpi": result.kpi,
        "recommended": result.recommended,
        "runner_up": result.runner_up,
        "lead": result.lead,
        "points": result.points,
        "replications": result.replications,
        "units": result.units,
        "evpi": result.evpi,
        "stated_loss": result.stated_loss,
        "best_share": result.best_share,
        "assumptions": result.assumptions,
    }


def write_robust(result: Any, scenario: Any, source: Path, stage: Path, lang: Any, on_file):
    """robust.json, robust.png and report.html into ``stage``; returns their paths."""
    import json

    from sim.experiment.store import scenario_key
    from sim.output.atomic import atomic_write_text
    from sim.robust.plot import write_plot
    from sim.robust.report import write_robust_report

    data = {**to_json(result), "scenario_key": scenario_key(scenario)}
    text = json.dumps(data, indent=2) + "\n"
    written = [atomic_write_text(stage / "robust.json", text)]
    on_file(written[-1])
    written.append(write_plot(result, stage / "robust.png", lang))
    on_file(written[-1])
    written.append(write_robust_report(result, scenario, source, written[-1], stage, lang))
    on_file(written[-1])
    return written


def cmd_robust(args: argparse.Namespace) -> int:
    from rich.console import Console

    from sim.cli_parsers import check_scheduler, interrupted
    from sim.cli_scenario import find_scenario, load_with_overrides
    from sim.errors import UsageError
    from sim.experiment.execution import Execution, open_store
    from sim.experiment.runner import RunSettings
    from sim.experiment.store import UnitStore
    from sim.output.folder import OutputFolder
    from sim.output.i18n import get_lang
    from sim.output.lock import folder_lock
    from sim.output.publish import publish
    from sim.output.terminal import fill_cells
    from sim.robust.answer import answer_lines

    lang = get_lang(args.lang)
    path = find_scenario(args.file)
    scenario = load_with_overrides(path, args.sets)
    check_scheduler(args)
    plan = plan_robust(scenario, args.vary, args.points, args.replications, args.kpi)
    out = Path(args.out) if args.out else Path("results") / f"{scenario.scenario.name}-robust"
    folder = OutputFolder(out, scenario.scenario.name)
    progress = False if args.quiet else None
    try:
        with folder_lock(folder.path):  # one run at a time per folder
            if (folder.path / "summary.json").exists():
                raise UsageError(
                    f"--out: {out} holds the results of a run (summary.json); robust replaces "
                    "its folder whole, so choose another one with --out DIR"
                )
            folder.check()
            store = UnitStore(folder.work, plan.fingerprint(scenario, args.engine))
            execution = Execution(
                RunSettings(engine=args.engine, step_increments=False),  # only the KPI
                args.executor,
                args.workers,
                args.scheduler,
                progress,
                store,
                args.resume,
            )

            def start(units: list) -> None:
                say = lambda text: print(text, file=sys.stderr)  # noqa: E731
                open_store(store, units, args.resume, lang, say, folder.path)

            result = run_check(scenario, plan, execution, start, lang)
            files = publish(
                folder,
                lambda stage, on_file: write_robust(result, scenario, path, stage, lang, on_file),
                total=3,
                progress=progress,
                title=lang.tr("writing"),
            )
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated)
        return interrupted(lang, out, exc)
    width = min(Console().width, 100) if sys.stdout.isatty() else 80
    for line in answer_lines(result, scenario, lang):
        print("\n".join(fill_cells(line, width, "    " if line.startswith(" ") else "  ")))
    print(lang.tr("wrote {n} files to {out}/", n=len(files), out=out), file=sys.stderr)
    return 0


def add_robust_command(subparsers) -> None:
    from sim.cli_run import add_set_option

    parser = add_subcommand(
        subparsers,
        "robust",
        "how far the assumed behaviour numbers may be wrong before the answer flips",
        "Vary the behaviour numbers the answer rests on (by default every stated response and "
        "annoyance chance of the channels in use, from half to one and a half times its value): "
        "one at a time with the break-even values where the best strategy changes, and jointly "
        "over a space-filling design with the share of the space where each strategy is best, "
        "each number's influence and the value of measuring it. Writes robust.json, "
        "robust.png and report.html.",
        "ordersim robust shop.toml --vary segments.all.response.sms=0.05:0.45",
    )
    positive = whole_number(1, "must be at least 1")
    parser.add_argument("file", metavar="FILE", help="scenario file or bundled name")
    parser.add_argument(
        "--vary",
        action="append",
        metavar="KEY=LOW:HIGH",
        help="vary this key over this range (repeatable; replaces the default set)",
    )
    parser.add_argument("--points", type=positive, default=DEFAULT_POINTS, metavar="N",
                        help=f"points of the joint design (default {DEFAULT_POINTS})")  # fmt: skip
    parser.add_argument("--replications", type=positive, metavar="R",
                        help="replications per point (default: within 20 plain runs)")  # fmt: skip
    parser.add_argument("--kpi", default="net_profit_per_order", help="the KPI that decides")
    parser.add_argument("--out", metavar="DIR", help="default results/<name>-robust/")
    add_executor_options(parser, "the points' replications")
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of the answer, report and plot (default en; zh: 中文)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_set_option(parser)
    parser.set_defaults(func=cmd_robust)

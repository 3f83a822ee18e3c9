"""``ordersim robust FILE``: the answer, how far its assumptions may be wrong, what to measure."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sim.cli_parsers import add_subcommand

__all__ = ["add_robust_command", "cmd_robust", "robust"]

DEFAULT_POINTS = 64


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def default_replications(scenario: Any, axes: int, points: int) -> int:
    """Replications per point: as many as keep the whole design within 20 plain runs of the
    file (a plain run is the file's own replications of every option), at least 2."""
    runs = 1 + 2 * axes + points + 2 * axes  # stated, ends, joint, a few break-evens
    return max(
        2, min(int(scenario.scenario.replications), 20 * scenario.scenario.replications // runs)
    )


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
    from sim.errors import UsageError
    from sim.experiment.results import KPI_DIRECTIONS
    from sim.robust.check import check
    from sim.robust.points import Evaluator
    from sim.robust.space import default_axes, parse_vary

    if kpi not in KPI_DIRECTIONS or not KPI_DIRECTIONS[kpi]:
        raise UsageError(f"--kpi: must be a KPI with a better direction (got {kpi!r})")
    axes = parse_vary(scenario, vary) if vary else default_axes(scenario)
    reps = replications or default_replications(scenario, len(axes), points)
    ev = Evaluator(scenario, kpi, reps, executor, workers, scheduler, engine, progress)
    return check(ev, axes, points, int(scenario.scenario.seed))


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


def answer_lines(result: Any, scenario: Any, lang: Any) -> list[str]:
    """The terminal answer: the recommendation and how robust it is, the break-evens, the number
    worth measuring first, and how many of the numbers are assumptions."""
    from sim.output.answer import Footing, footing_line
    from sim.output.recommend import recommendation
    from sim.scenario.stated import footing

    lead = result.lead
    apart = None if not lead else bool(lead["ci_low"] > 0 or lead["ci_high"] < 0)
    lines = [recommendation(scenario, result.recommended, result.runner_up, apart, lang)]
    share = result.best_share.get(result.recommended)
    if share is not None:
        lines.append(
            "  "
            + lang.tr(
                "it is best in {share:.0%} [{low:.0%}, {high:.0%}] of the plausible range "
                "({points} points)",
                share=share["share"],
                low=share["low"],
                high=share["high"],
                points=result.points,
            )
        )
    for item in result.assumptions:
        for flip in item["break_even"]:
            above = flip["value"] > item["stated"]
            values = {"key": item["key"], "value": flip["value"], "stated": item["stated"]}
            if above:
                text = lang.tr(
                    "{other} wins instead once {key} rises above {value:.3g} "
                    "(you assumed {stated:.3g})",
                    other=flip["to"],
                    **values,
                )
            else:
                text = lang.tr(
                    "{other} wins instead once {key} falls below {value:.3g} "
                    "(you assumed {stated:.3g})",
                    other=flip["from"],
                    **values,
                )
            lines.append("  " + text)
    worth = [a for a in result.assumptions if a["evpi"] > 0]
    if worth:
        top = max(worth, key=lambda a: a["evpi"])
        lines.append(
            "  "
            + lang.tr(
                "worth measuring first: {key} (knowing it is worth {evpi:.3f} per order)",
                key=top["key"],
                evpi=top["evpi"],
            )
        )
    stated = footing(scenario)
    ranked = [a["key"] for a in result.assumptions if a["influence"] > 0.05][:3]
    total = len(stated["assumptions"]) + len(stated["sourced"])
    foot = Footing(len(stated["assumptions"]), total, ranked, True)
    lines.append("  " + footing_line(foot, result.recommended, lang))
    return lines


def cmd_robust(args: argparse.Namespace) -> int:
    from sim.cli_scenario import find_scenario, load_with_overrides
    from sim.output.atomic import atomic_write_text
    from sim.output.i18n import get_lang

    lang = get_lang(args.lang)
    path = find_scenario(args.file)
    scenario = load_with_overrides(path, args.sets)
    result = robust(
        scenario,
        vary=args.vary,
        points=args.points,
        replications=args.replications,
        kpi=args.kpi,
        executor=args.executor,
        workers=args.workers,
        scheduler=args.scheduler,
        engine=args.engine,
        progress=False if args.quiet else None,
    )
    out = Path(args.out) if args.out else Path("results") / f"{scenario.scenario.name}-robust"
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "robust.json", json.dumps(to_json(result), indent=2) + "\n")
    from sim.robust.plot import write_plot

    write_plot(result, out / "robust.png")
    for line in answer_lines(result, scenario, lang):
        print(line)
    print(lang.tr("wrote robust.json and robust.png to {out}/", out=out), file=sys.stderr)
    return 0


def add_robust_command(subparsers) -> None:
    from sim.cli_run import add_set_option
    from sim.options import ENGINES, EXECUTORS

    parser = add_subcommand(
        subparsers,
        "robust",
        "how far the assumed behaviour numbers may be wrong before the answer flips",
        "Vary the behaviour numbers the answer rests on (by default every stated response and "
        "annoyance chance of the channels in use, from half to one and a half times its value): "
        "one at a time with the break-even values where the best strategy changes, and jointly "
        "over a space-filling design with the share of the space where each strategy is best, "
        "each number's influence and the value of measuring it. Writes robust.json and "
        "robust.png.",
        "ordersim robust channel-by-buyer --vary segments.a.response.phone=0.2:0.6",
    )
    parser.add_argument("file", metavar="FILE", help="scenario file or bundled name")
    parser.add_argument(
        "--vary",
        action="append",
        metavar="KEY=LOW:HIGH",
        help="vary this key over this range (repeatable; replaces the default set)",
    )
    parser.add_argument("--points", type=_positive, default=DEFAULT_POINTS, metavar="N",
                        help=f"points of the joint design (default {DEFAULT_POINTS})")  # fmt: skip
    parser.add_argument("--replications", type=_positive, metavar="R",
                        help="replications per point (default: within 20 plain runs)")  # fmt: skip
    parser.add_argument("--kpi", default="net_profit_per_order", help="the KPI that decides")
    parser.add_argument("--out", metavar="DIR", help="default results/<name>-robust/")
    parser.add_argument("--executor", choices=EXECUTORS, default="serial")
    parser.add_argument("--workers", type=_positive, metavar="N")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler")
    parser.add_argument("--engine", choices=ENGINES, default="auto")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_set_option(parser)
    parser.set_defaults(func=cmd_robust)

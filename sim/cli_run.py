"""``ordersim run``: run a scenario, print the KPI table and the comparison, write the outputs."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from .cli_parsers import add_executor_options, check_scheduler, interrupted, whole_number
from .cli_scenario import find_scenario, load_with_overrides, parse_set
from .options import EVENT_FORMATS
from .output.i18n import LANGS

__all__ = ["add_run_command", "add_set_option", "cmd_run", "print_results"]

RUN_HELP = """\
Run every strategy of a scenario for its replications (common random numbers:
replication k of every strategy sees the same buyers). Prints the answer first
(the best strategy on net profit, its gain against the baseline with its 95%
interval, the runner-up, what it costs), then the KPIs and the paired
differences with the baseline, and writes summary.json, replications.csv, the
plots and report.html. Every key of the format: docs/format.md; every KPI:
docs/kpis.md.

FILE may be a path or the name of a bundled scenario (how-many-agents). The
output folder (default results/<scenario name>/) is replaced as a whole when
the run completes.

examples:
  ordersim run scenarios/first-reminder-timing.toml --replications 40
  ordersim run how-many-agents --set staff.agents=3 --lang zh
"""


def _target(text: str) -> tuple[str, float]:
    """An argparse type: KPI=H with H a positive number."""
    kpi, sep, value = text.partition("=")
    try:
        width = float(value)
    except ValueError:
        width = math.nan
    if not sep or not kpi or not width > 0 or not math.isfinite(width):
        raise argparse.ArgumentTypeError(
            f"must be KPI=H with H a positive number, e.g. paid_rate=0.005 (got {text!r})"
        )
    return kpi, width


_positive = whole_number(1, "must be at least 1")
_seed = whole_number(0, "must not be negative")


def add_run_command(subparsers) -> None:
    p = subparsers.add_parser(
        "run",
        help="run a scenario and compare its strategies",
        description=RUN_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE", help="scenario TOML file, or a bundled scenario's name")
    add_set_option(p)
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help="language of tables, messages, report and plots (default en; zh: 中文)",
    )
    p.add_argument("--out", metavar="DIR", help="output folder (default results/<scenario name>/)")
    p.add_argument(
        "--replications",
        type=_positive,
        metavar="N",
        help="replications per strategy (default: scenario.replications)",
    )
    p.add_argument("--seed", type=_seed, metavar="S", help="seed (default: scenario.seed)")
    add_executor_options(p)
    p.add_argument(
        "--events", action="store_true", help="write events.csv: one row per order transition"
    )
    p.add_argument(
        "--events-format",
        choices=EVENT_FORMATS,
        default="csv",
        help="format of the event log (default csv)",
    )
    p.add_argument(
        "--select",
        metavar="KPI",
        help="pick the best strategy (every strategy at every sweep value) by this KPI with "
        "the KN procedure, adding replications in batches until one is left",
    )
    p.add_argument(
        "--delta",
        type=float,
        metavar="D",
        help="with --select: the smallest difference worth telling apart, in the KPI's units "
        "(rates as fractions; default per KPI: 0.01 for rates, 0.5 yuan for money per order)",
    )
    p.add_argument(
        "--confidence",
        type=float,
        default=0.95,
        metavar="P",
        help="with --select: chance of selecting the best (or one within delta), also the "
        "level of its MCB intervals (default 0.95; the tables keep 95%%)",
    )
    p.add_argument(
        "--target-half-width",
        type=_target,
        action="append",
        metavar="KPI=H",
        help="add replications until every paired interval of KPI against the baseline is "
        "at most ±H (rates as fractions, e.g. paid_rate=0.005); repeatable",
    )
    p.add_argument(
        "--max-replications",
        type=whole_number(2, "must be at least 2"),
        default=200,
        metavar="N",
        help="cap on replications per strategy for --select and --target-half-width (default 200)",
    )
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots and report.html")
    p.add_argument(
        "--excel",
        action="store_true",
        help="also write results.xlsx (summary, differences and replications as sheets), "
        "which Excel opens without mojibake on any Windows",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar, no tables")
    p.add_argument(
        "--brief",
        action="store_true",
        help="print only the answer (and the selection with --select), no KPI tables; the "
        "files are written as usual",
    )
    p.set_defaults(func=cmd_run)


def add_set_option(parser: argparse.ArgumentParser) -> None:
    """--set KEY=VALUE, repeatable (run and validate)."""
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        type=parse_set,
        default=[],
        metavar="KEY=VALUE",
        help="override a key of the scenario (repeatable), e.g. --set staff.agents=3 "
        "--set strategies.sms.reminders.0.at=6; checked like the file",
    )


def _stderr(text: str) -> None:
    print(text, file=sys.stderr)


def print_answer(results, lang, console) -> None:
    """The answer: best strategy, its gain and interval, the runner-up, what it costs."""
    from .output.answer import answer_lines, find_answer
    from .output.terminal import fill_cells

    console.print("[bold]" + lang.tr("Answer") + "[/bold]")
    found = find_answer(results.summary, results.units, lang.code, results.scenario)
    for line in answer_lines(found, lang):
        indent = "    " if line.startswith(" ") else "  "
        text = "\n".join(fill_cells(line, console.width, indent))
        console.print(text, highlight=False, markup=False)


def print_results(results, lang, console) -> None:
    """The answer first, then the tables of means and of differences (80 columns)."""
    from .output.credited_view import tool_tables
    from .output.keys import choose_kpis
    from .output.terminal import diff_tables, mean_tables

    summary = results.summary
    kpis = choose_kpis(summary)
    print_answer(results, lang, console)
    console.print()
    for table in mean_tables(summary, kpis, lang, width=console.width):
        console.print(table)
    if summary.get("comparisons"):
        for table in diff_tables(summary, kpis, lang, width=console.width):
            console.print(table)
    for table in tool_tables(summary, lang, width=console.width):
        console.print(table)
    if summary.get("defaults_used"):
        from .output.footing import defaults_line
        from .output.terminal import fill_cells

        text = defaults_line(summary["defaults_used"], lang)
        console.print(
            "\n".join(fill_cells(text, console.width, "  ")), highlight=False, markup=False
        )


def cmd_run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .api import run
    from .output.choice import (
        one_replication_note,
        precision_text,
        print_choice,
        selection_table,
    )
    from .output.i18n import get_lang
    from .scenario.checks import scenario_warnings

    lang = get_lang(args.lang)
    path = find_scenario(args.file)
    scenario = load_with_overrides(path, args.sets)
    for warning in scenario_warnings(scenario, str(path)):
        print(warning, file=sys.stderr)
    check_scheduler(args)
    out = Path(args.out) if args.out else Path("results") / scenario.scenario.name
    try:
        results = run(
            scenario,
            source=path,
            out=out,
            overrides=dict(args.sets),
            notify=_stderr,
            lang=args.lang,
            replications=args.replications,
            seed=args.seed,
            executor=args.executor,
            workers=args.workers,
            scheduler=args.scheduler,
            engine=args.engine,
            events=args.events,
            events_format=args.events_format,
            plots=not args.no_plots,
            excel=args.excel,
            resume=args.resume,
            progress=False if args.quiet else None,
            select=args.select,
            delta=args.delta,
            confidence=args.confidence,
            target_half_width=dict(args.target_half_width or []),
            max_replications=args.max_replications,
        )
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (Terminated)
        return interrupted(lang, out, exc)
    if not args.quiet:
        # a terminal's own width, at most 100; a file or pipe gets 80 columns
        console = (
            Console(width=min(Console().width, 100)) if sys.stdout.isatty() else Console(width=80)
        )
        if args.brief:
            print_answer(results, lang, console)
            selection = selection_table(results.summary, lang)
            if selection is not None:
                console.print(selection)
        else:
            print_results(results, lang, console)
            print_choice(console, results.summary, lang)
            # the answer again, so that it is on screen when a long run ends
            console.print()
            print_answer(results, lang, console)
    for note in (
        one_replication_note(results.summary, lang),
        precision_text(results.summary, lang),
    ):
        if note:
            print(note, file=sys.stderr)
    print(lang.tr("wrote {n} files to {out}/", n=len(results.files), out=out))
    report = out / "report.html"
    if any(p.name == "report.html" for p in results.files):
        print(lang.tr("open {path}", path=report))
    return 0

"""One way to add a subcommand and the options several commands share, so every
``ordersim X --help`` reads alike and an option means the same in every command."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable
from typing import Any

__all__ = [
    "add_executor_options",
    "add_lang_option",
    "add_subcommand",
    "check_scheduler",
    "interrupted",
    "whole_number",
]


def add_subcommand(
    subparsers: Any, name: str, summary: str, description: str, example: str
) -> argparse.ArgumentParser:
    """A subparser whose --help shows a paragraph and an example."""
    return subparsers.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, width=78),
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def whole_number(minimum: int, rule: str) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum`` (``rule`` says so in words)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{rule} (got {value})")
        return value

    return parse


def add_executor_options(parser: argparse.ArgumentParser, what: str = "replications") -> None:
    """--workers, --executor, --scheduler and --engine: where and how units run (run, robust)."""
    from .options import ENGINES, EXECUTORS

    parser.add_argument(
        "--workers",
        type=whole_number(1, "must be at least 1"),
        metavar="N",
        help="parallel workers for the process and dask executors (default: cores)",
    )
    parser.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="auto",
        help=f"where {what} run: auto (default) = a process pool on every core when "
        "there is more than one unit, else serial; same results on every one",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: join this running cluster instead of a local one",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="auto (default): numpy when orders cannot interact or meet only in the agents' "
        "queue, else the SimPy world; fast: numpy or fail; simpy: every "
        "order in the world (same numbers)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the units an interrupted run finished and run only the rest",
    )


def check_scheduler(args: argparse.Namespace) -> None:
    """--scheduler names a Dask cluster: refused with any other executor."""
    from .errors import UsageError

    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler: only with --executor dask")


def interrupted(lang: Any, out: Any, exc: KeyboardInterrupt) -> int:
    """After Ctrl-C or SIGTERM while units ran: one line saying how to finish; the exit
    status (130, or 143 for SIGTERM)."""
    from .errors import Terminated

    print(
        lang.tr(
            "interrupted: finished units are kept; run again with --resume to finish ({out})",
            out=out,
        ),
        file=sys.stderr,
    )
    return 143 if isinstance(exc, Terminated) else 130


def add_lang_option(parser: argparse.ArgumentParser, what: str) -> None:
    """`--lang en|zh`: the language of what the command prints and writes for a seller."""
    from sim.output.i18n import LANGS

    parser.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help=f"language of {what} (default en; zh: 中文)",
    )

"""The `ordersim` command line: one small function per command, bad input caught once here.

Each command is registered by an `add_*` function that adds its subparser and sets `func` to
its `cmd_*` function, which returns the exit status. `main` turns every OrdersimError into
its one-line messages and exit status 2, so bad input never prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import TYPE_CHECKING

from sim.cli_init import add_init_command
from sim.cli_parsers import add_subcommand
from sim.cli_run import add_run_command, add_set_option
from sim.errors import FaultError, OrdersimError, ScenarioError, Terminated
from sim.fit.cli import add_check_command, add_fit_command
from sim.output.diskfull import DISK_FULL, disk_full_line
from sim.robust.cli import add_robust_command
from sim.trial.cli import add_trial_command

__all__ = [
    "COMMANDS",
    "add_diagram_command",
    "add_schema_command",
    "add_validate_command",
    "build_parser",
    "cmd_diagram",
    "cmd_schema",
    "cmd_validate",
    "main",
]

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


def _version() -> str:
    try:
        return metadata.version("ordersim")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _count(n: int, one: str, many: str | None = None) -> str:
    """ "1 segment", "3 segments"."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file; report good ones on stdout and every problem on stderr."""
    from sim.cli_scenario import find_scenario, load_with_overrides
    from sim.scenario.checks import scenario_warnings

    bad = False
    for path in args.files:
        try:
            scenario = load_with_overrides(find_scenario(path), args.sets)
        except ScenarioError as exc:
            bad = True
            print(exc, file=sys.stderr)
            continue
        for warning in scenario_warnings(scenario, str(path)):
            print(warning, file=sys.stderr)
        print(
            f"{path}: ok ({_count(len(scenario.segments), 'segment')}, "
            f"{_count(len(scenario.strategies), 'strategy', 'strategies')})"
        )
    return 2 if bad else 0


def add_validate_command(subparsers: Subparsers) -> None:
    parser = add_subcommand(
        subparsers,
        "validate",
        "check scenario files without running them",
        "Check one or more scenario files without running them. Every problem of every file "
        "is printed to stderr as FILE: KEY.PATH: what is wrong (got VALUE); a good file prints "
        "FILE: ok (N segments, M strategies). Exit status 2 if any file is bad.",
        "ordersim validate scenarios/*.toml",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="scenario TOML file(s) or bundled scenario names"
    )
    add_set_option(parser)
    parser.set_defaults(func=cmd_validate)


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the scenario format."""
    from sim.scenario import scenario_json_schema

    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return 0


def add_schema_command(subparsers: Subparsers) -> None:
    parser = add_subcommand(
        subparsers,
        "schema",
        "print the JSON Schema of the scenario format",
        "Print the JSON Schema of the scenario format, with the meaning of every key, for "
        "editors and other tools that check TOML or JSON against a schema.",
        "ordersim schema > scenario.schema.json",
    )
    parser.set_defaults(func=cmd_schema)


def cmd_diagram(args: argparse.Namespace) -> int:
    """Print the order state machine, generated from the definition the engine runs."""
    try:
        from fsm.diagram import render
    except ImportError as exc:
        print(f"diagram: the state machine diagram is not available ({exc})", file=sys.stderr)
        return 1
    print(render(args.format))
    return 0


def add_diagram_command(subparsers: Subparsers) -> None:
    parser = add_subcommand(
        subparsers,
        "diagram",
        "print the order state machine",
        "Print the order state machine (states, triggers, transitions) as Mermaid, Graphviz "
        "dot, or plain sentences ('from unpaid, remind goes to reminded'), generated from the "
        "same definition the simulation runs.",
        "ordersim diagram --format dot | dot -Tpng > orders.png",
    )
    parser.add_argument(
        "--format",
        choices=("mermaid", "dot", "text"),
        default="mermaid",
        help="output language (default: mermaid; text: one sentence per transition)",
    )
    parser.set_defaults(func=cmd_diagram)


COMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    add_run_command,
    add_validate_command,
    add_init_command,
    add_schema_command,
    add_diagram_command,
    add_fit_command,
    add_check_command,
    add_trial_command,
    add_robust_command,
)


def build_parser(commands: Sequence[Callable[..., None]] = COMMANDS) -> argparse.ArgumentParser:
    """The argument parser with one subcommand per entry of `commands`."""
    parser = argparse.ArgumentParser(
        prog="ordersim",
        description=textwrap.fill(
            "Simulate marketplace orders after 'order placed': reminder strategies and "
            "compensation policies, compared with honest statistics. Bad input exits with "
            "status 2 and one line per problem: FILE: KEY.PATH: what is wrong (got VALUE).",
            width=78,
        ),
        epilog="example:\n  ordersim validate scenario.toml\n"
        "run 'ordersim COMMAND --help' for the options of a command",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in commands:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 2 bad input, 1 anything else)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and argparse errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    previous = _terminate_like_ctrl_c()
    try:
        return int(args.func(args))
    except OrdersimError as exc:
        print(exc, file=sys.stderr)
        return 2
    except FaultError as exc:
        print(exc, file=sys.stderr)
        return 1
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print(
            "out of memory: run fewer orders (arrivals.orders_per_day, scenario.arrival_days) "
            "or fewer --workers",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        if exc.errno not in DISK_FULL:
            raise
        print(disk_full_line(exc), file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `ordersim schema | head`: the reader left, not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _terminate_like_ctrl_c():
    """SIGTERM raises Terminated (a KeyboardInterrupt) in the main thread, so `kill`, systemd
    and container stops clean up as Ctrl-C does; returns the handler it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return None

    owner = os.getpid()

    def stop(signum, frame):
        if os.getpid() != owner:  # a forked child (a Dask worker) inherited this: die as asked
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        # remembered as well as raised: a signal landing in a callback whose exceptions Python
        # ignores (an at-fork hook) would otherwise be lost; the publish step checks this
        stop.requested = True
        raise Terminated

    stop.requested = False
    default_hook = sys.unraisablehook

    def quiet_when_stopped(unraisable):  # the swallowed stop is remembered, not a traceback
        if not isinstance(unraisable.exc_value, Terminated):
            default_hook(unraisable)

    sys.unraisablehook = quiet_when_stopped

    return signal.signal(signal.SIGTERM, stop)

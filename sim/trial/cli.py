"""`ordersim trial design` and `ordersim trial fit` (registered by sim/cli.py)."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

from rich.cells import cell_len

from sim.cli_parsers import add_subcommand
from sim.errors import Said, UsageError
from sim.fit.errors import speaking
from sim.output.i18n import N_, Lang, get_lang

from .assign import RULES

__all__ = ["add_trial_command", "cmd_trial_design", "cmd_trial_fit"]


def arms_option(text: str | None) -> list[str] | None:
    """--arms A,B[,C]: two strategies or more, each once (checked after parsing, so that the
    error is said in the --lang of the command)."""
    if text is None:
        return None
    names = [x.strip() for x in text.split(",") if x.strip()]
    if len(names) < 2 or len(set(names)) != len(names):
        message = N_("--arms: name two strategies or more, each once (got {text})")
        raise UsageError(Said(message, text=repr(text)))
    return names


def _by(text: str | None) -> str | None:
    from .groups import parse_by

    if text is None:
        return None
    try:
        return parse_by(text)
    except ValueError as exc:
        raise UsageError(Said(N_("--by: {problem}"), problem=exc.args[0])) from None


def out_folder(path: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = N_("--out: cannot write {out} ({reason})")
        raise UsageError(Said(message, out=str(out), reason=exc.strerror or exc)) from exc
    return out


@speaking
def cmd_trial_fit(args: argparse.Namespace) -> int:
    """Read the trial export, measure the response, write trial.json, scenario.toml, html."""
    from sim.cli_scenario import find_scenario
    from sim.fit.cli import _load
    from sim.scenario import load_scenario

    from .arms import order_ids, read_arms, read_log
    from .estimate import fit_trial
    from .measured import trial_scenario
    from .output import trial_json, write_html, write_json

    args.arms, args.by = arms_option(args.arms), _by(args.by)
    scenario = load_scenario(find_scenario(args.scenario))  # a path or a bundled name
    sources = [x for x in (args.arm_column, args.assignment, args.assign) if x is not None]
    if len(sources) != 1:
        message = N_("give one of --arm-column COL, --assignment ARMS.csv, --assign RULE")
        raise UsageError(Said(message))
    if args.assign is not None and args.arms is None:
        message = N_("--assign needs --arms A,B[,C] (the arms in the order the rule uses)")
        raise UsageError(Said(message))
    _, orders = _load(args)
    trial = read_arms(
        Path(args.orders),
        orders,
        name=args.orders,
        strategies=[s.name for s in scenario.strategies],
        encoding=args.encoding,
        arm_column=args.arm_column,
        assignment=Path(args.assignment) if args.assignment else None,
        rule=args.assign,
        rule_arms=args.arms,
        first_day=args.trial_start,
    )
    log = None
    if args.reminders is not None:
        ids = trial.ids or order_ids(Path(args.orders), trial.orders, args.orders, args.encoding)
        log = read_log(Path(args.reminders), ids, trial.orders.start)
    fit = fit_trial(scenario, trial, args.orders, log, args.by)
    out = out_folder(args.out)
    command = "ordersim trial fit " + " ".join(shlex.quote(a) for a in _given(args))
    note = f"trial fit of {Path(args.orders).name}, arms {', '.join(trial.names)}"
    text = trial_scenario(scenario, fit.estimates, fit.window, command, note)
    write_json(trial_json(fit, args.scenario, args.orders), out)
    from sim.output.atomic import atomic_write_text

    atomic_write_text(out / "scenario.toml", text)
    lang = get_lang(args.lang)
    write_html(fit, fit.whole.data, fit.whole.rho_vector, out, args.orders, lang)
    _print_fit(fit, lang)
    print(f"-> {out / 'trial.json'}, {out / 'scenario.toml'}, {out / 'trial.html'}")
    return 0


def _given(args: argparse.Namespace) -> list[str]:
    """The command's arguments as given (for the scenario's header)."""
    out = [args.scenario, args.orders]
    for option in ("arm_column", "assignment", "assign", "arms", "trial_start", "reminders",
                   "by", "columns", "date_format", "encoding", "timezone", "out"):  # fmt: skip
        value = getattr(args, option, None)
        if value is not None:
            text = ",".join(value) if isinstance(value, list) else str(value)
            out += ["--" + option.replace("_", "-"), text.replace("T00:00:00", "")]
    return out


_TOKENS = re.compile(
    r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|\s+"
)


def wrap_cells(line: str, width: int = 80) -> list[str]:
    """A line wrapped to ``width`` terminal cells (a Chinese character takes two and may end a
    line; other text breaks at spaces), continuation lines indented under their first."""
    lead = line[: len(line) - len(line.lstrip(" "))]
    out: list[str] = []
    current = lead
    for token in _TOKENS.findall(line.lstrip(" ")):
        if current.strip() and cell_len((current + token).rstrip()) > width:
            out.append(current.rstrip())
            current = lead + "  "
            if token.isspace():
                continue
        current += token
    out.append(current.rstrip())
    return out


def _wrap(lines: list[str]) -> None:
    """Print at 80 columns."""
    for line in lines:
        print("\n".join(wrap_cells(line)))


def _interval(e, percent: bool) -> str:
    if percent:
        return f"{e.value:.1%} [{e.low:.1%}, {e.high:.1%}]"
    return f"{e.value:.2f} [{e.low:.2f}, {e.high:.2f}]"


def _measured_lines(m, lang: Lang, indent: str = "") -> list[str]:
    lines = [
        indent
        + lang.tr(
            "response to {channel}: {value} (n={n})",
            channel=channel,
            value=_interval(e, True),
            n=f"{e.n:,}",
        )
        for channel, e in m.rho.items()
    ]
    lines.append(
        indent
        + lang.tr(
            "hours from a winning reminder to payment: mean {value}",
            value=_interval(m.mean_hours, False),
        )
    )
    return lines


def _print_fit(fit, lang: Lang) -> None:
    from .tool import tool_text

    lines = []
    for a in fit.arms:
        median = a.quartiles.get("median")
        role = lang.tr(" (control)") if a.control else ""
        text = lang.tr(
            "{arm}: {orders} orders, paid {paid}",
            arm=a.name + role,
            orders=f"{a.orders:,}",
            paid=_interval(a.paid, True),
        )
        if median:
            text += lang.tr(", median pay {hours} h", hours=f"{median.value:.2f}")
        lines.append(text)
    lines += _measured_lines(fit.whole, lang)
    for g in fit.groups:
        where = lang.tr(", ").join(segment_name(s, lang) for s in g.segments)
        lines.append(
            lang.tr(
                "{group} ({orders} orders; {segments}):",
                group=said(g.name, lang),
                orders=f"{g.orders:,}",
                segments=where or lang.tr("reported only"),
            )
        )
        if g.measured is not None:
            lines += _measured_lines(g.measured, lang, "  ")
    lines += [note.say(lang) for note in fit.notes]
    if fit.whole.tools:
        lines.append(
            lang.tr(
                "What your reminder tool would report, and what the reminders really caused "
                "(against {control}, orders whose auto-close fell inside the export):",
                control=next(a.name for a in fit.arms if a.control),
            )
        )
        for tool in fit.whole.tools:
            lines += ["  " + x for x in tool_text(tool, lang)]
    _wrap(lines)


def said(text: str, lang: Lang) -> str:
    """A group's name (or any text) in ``lang`` where it is a catalogue text."""
    return text.say(lang) if isinstance(text, Said) else text


def segment_name(key: str, lang: Lang) -> str:
    """A scenario segment the numbers are written to (``segments.NAME`` as --set spells it)."""
    name = key.removeprefix("segments.")
    return lang.tr(N_("segments.{name}"), name=name)


@speaking
def cmd_trial_design(args: argparse.Namespace) -> int:
    """Print the design; write design.json (and assignment.csv) with --out."""
    from .design import run_design

    args.arms = arms_option(args.arms)
    return run_design(args)


_SCENARIO_HELP = "scenario TOML file, or a bundled scenario's name (as run takes it)"


def _date(text: str):
    from sim.fit.window import moment

    return moment(text)


def add_trial_command(subparsers) -> None:
    parser = add_subcommand(
        subparsers,
        "trial",
        "design a reminder trial, and measure the response from its export",
        "How buyers answer a reminder cannot be seen in an order export: only a randomised "
        "trial shows it. 'trial design' says how many orders and days each arm needs and how "
        "to split the orders with the tools a seller has; 'trial fit' reads the trial's export "
        "and measures the response numbers, written into a scenario whose [sources] table "
        "marks them measured.",
        "ordersim trial design shop.toml --arms as-observed,sms-2h --detect paid_rate=0.02",
    )
    sub = parser.add_subparsers(dest="trial_command", metavar="STEP", required=True)
    _add_design(sub)
    _add_fit(sub)


def _add_design(sub) -> None:
    from sim.fit.cli import _reading_options

    p = add_subcommand(
        sub,
        "design",
        "orders, days and an assignment rule for a reminder trial",
        "The orders (and days, from the scenario's arrivals) each arm needs to detect a "
        "difference in the paid share with a two-sided test, found by simulating the trial "
        "from the scenario and checked against the two-proportion formula; the assignment "
        "rule in the seller's words, and with --export a CSV of order number -> arm.",
        "ordersim trial design shop.toml --arms as-observed,sms-2h --detect paid_rate=0.02",
    )
    p.add_argument("scenario", metavar="SCENARIO", help=_SCENARIO_HELP)
    p.add_argument("--arms", required=True, metavar="A,B[,C]", help="strategies")
    p.add_argument(
        "--detect",
        required=True,
        metavar="paid_rate=EFFECT",
        help="the smallest difference in the paid share worth finding, e.g. paid_rate=0.02",
    )
    p.add_argument("--power", type=float, default=0.8, help="chance to find it (default 0.8)")
    p.add_argument("--alpha", type=float, default=0.05, help="two-sided level (default 0.05)")
    p.add_argument("--assign", choices=RULES, default="last-digit", help="how orders get arms")
    p.add_argument("--out", metavar="DIR", help="write DIR/design.json (and assignment.csv)")
    p.add_argument("--export", metavar="ORDERS.csv", help="write the arm of each of its orders")
    p.add_argument("--trial-start", type=_date, metavar="DATE", help="first day (day rules)")
    p.add_argument("--seed", type=int, default=1, help="seed of the simulated trials")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the rule")
    _reading_options(p)
    p.set_defaults(func=cmd_trial_design, since=None, until=None)


def _add_fit(sub) -> None:
    from sim.fit.cli import _reading_options

    p = add_subcommand(
        sub,
        "fit",
        "measure the reminder response from a trial's order export",
        "Each arm is a strategy of the scenario (one arm sends no reminder: the control). The "
        "unprompted behaviour comes from the control arm; the chance a reminder of each channel "
        "wins a buyer and the hours from it to payment are estimated by maximum likelihood "
        "from the arms' pay times. Writes DIR/trial.json, DIR/scenario.toml (the numbers "
        "with a [sources] entry each: measured, interval, n, the trial's dates) and "
        "DIR/trial.html.",
        "ordersim trial fit shop.toml trial.csv --assign last-digit --arms as-observed,sms-2h "
        "--out trial",
    )
    p.add_argument("scenario", metavar="SCENARIO", help=_SCENARIO_HELP)
    p.add_argument("orders", metavar="EXPORT.csv")
    p.add_argument("--arm-column", metavar="COL", help="the export's column naming the arm")
    p.add_argument("--assignment", metavar="ARMS.csv", help="CSV of order number, arm")
    p.add_argument("--assign", choices=RULES, help="the rule the trial was run with")
    p.add_argument("--arms", metavar="A,B[,C]", help="arms in the rule's order")
    p.add_argument("--trial-start", type=_date, metavar="DATE", help="first day (day rules)")
    p.add_argument(
        "--reminders", metavar="LOG.csv", help="the reminder tool's log: order number, time sent"
    )
    p.add_argument(
        "--by",
        metavar="buyer|price=B1[,B2]",
        help="measure each group the export tells apart on its own: new and returning buyers "
        "(the buyer column), or price bands of the amount",
    )
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the output")
    p.add_argument("--out", required=True, metavar="DIR")
    _reading_options(p)
    p.set_defaults(func=cmd_trial_fit, since=None, until=None)

"""The `ordersim fit` and `ordersim check` commands (registered by sim/cli.py)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from sim.cli_parsers import add_lang_option, add_subcommand, whole_number
from sim.errors import Said, UsageError
from sim.output.i18n import N_, get_lang

from .columns import ROLES, parse_columns_option
from .errors import speaking

__all__ = ["add_check_command", "add_fit_command", "cmd_check", "cmd_fit"]


def _segments(text: str) -> int | None:
    if text == "auto":
        return None
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"use a whole number or auto (got {text!r})") from None
    if not 1 <= value <= 6:
        raise argparse.ArgumentTypeError(f"use 1 to 6 or auto (got {value})")
    return value


def _reading_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--columns",
        metavar="ROLE=COLUMN,...",
        help="which column plays which role; roles: " + ", ".join(ROLES) + " (placed is "
        "required; Taobao/Tmall exports are recognised without this)",
    )
    parser.add_argument("--date-format", metavar="FMT", help="strptime format of the dates")
    parser.add_argument("--encoding", help="the file's encoding (default: detect UTF-8 or GBK)")
    parser.add_argument(
        "--timezone",
        metavar="TZ",
        help="the shop's time zone, e.g. Asia/Shanghai: timestamps with an offset are "
        "converted to it (those without one are taken as local time)",
    )


def moment(text: str):
    """A --since/--until value (``window.moment``, imported when a date is given: the window
    module reads exports with pandas, which a plain ``ordersim run`` need not import)."""
    from .window import moment as parse

    return parse(text)


def _window_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--since",
        type=moment,
        metavar="DATE",
        help=f"{what} only orders placed at or after DATE (YYYY-MM-DD or 'YYYY-MM-DD HH:MM')",
    )
    parser.add_argument(
        "--until",
        type=moment,
        metavar="DATE",
        help=f"{what} only orders placed before DATE (the day itself excluded, so fit --until D "
        "and check --since D split the export without overlap)",
    )


def _load(args: argparse.Namespace):
    from .orders import load_orders
    from .window import in_window

    if args.timezone is not None:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(args.timezone)
        except (ValueError, KeyError, OSError) as exc:
            message = N_("--timezone: unknown time zone (got {zone}); e.g. Asia/Shanghai")
            raise UsageError(Said(message, zone=repr(args.timezone))) from exc

    orders = load_orders(
        Path(args.orders),
        columns=parse_columns_option(args.columns),
        date_format=args.date_format,
        encoding=args.encoding,
        timezone=args.timezone,
        name=args.orders,
    )
    repeated = orders.repeated
    if repeated:
        print(
            get_lang(getattr(args, "lang", None)).tr(
                "warning: {file}: {n:,} rows repeat an order id with the same times and "
                "status; each order is counted once",
                file=args.orders,
                n=repeated,
            ),
            file=sys.stderr,
        )
    return orders, in_window(orders, args.since, args.until)


@speaking
def cmd_fit(args: argparse.Namespace) -> int:
    """Fit, write the scenario (only when everything worked) and, if asked, the report."""
    from sim.output.atomic import atomic_write_text

    from .fitting import fit_orders
    from .window import recent
    from .write import scenario_toml

    if args.name is not None:
        _check_name(args.name)
    lang = get_lang(args.lang)
    whole, orders = _load(args)
    if args.recent_days is not None:
        orders = recent(orders, args.recent_days)
    fit = fit_orders(orders, args.segments)
    command = "ordersim fit " + " ".join(shlex.quote(a) for a in _fit_argv(args))
    check = "ordersim check " + " ".join(
        shlex.quote(a) for a in [args.out, *_fit_argv(args, reading_only=True)]
    )
    text = scenario_toml(fit, command, args.name, check=check)
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(out, text)
    except OSError as exc:
        message = N_("--out: cannot write {out} ({reason})")
        raise UsageError(Said(message, out=str(out), reason=exc.strerror or exc)) from exc
    print(  # wrapped at 80 columns between words (a long path would break a word)
        wrap_line(
            lang.trn(
                "{file}: {n:,} orders, paid share {share:.1%}, {k} pay-delay segment -> {out}",
                "{file}: {n:,} orders, paid share {share:.1%}, {k} pay-delay segments -> {out}",
                len(fit.segments),
                file=args.orders,
                n=orders.n,
                share=fit.paid.share,
                k=len(fit.segments),
                out=out,
            )
        )
    )
    drift = _recent_vs_all(args, whole, fit.auto_close)
    if args.report:
        from .report import write_report

        try:
            page = write_report(fit, Path(args.report), out.name, check, drift, lang)
        except OSError as exc:  # a write error rarely names its file: name the report folder
            from sim.errors import FaultError
            from sim.output.diskfull import DISK_FULL, disk_full_line

            if exc.errno not in DISK_FULL:
                raise
            raise FaultError(disk_full_line(exc, Path(args.report))) from exc
        print(lang.tr("fit report: {page}", page=page))
    return 0


def wrap_line(text: str) -> str:
    """A printed line wrapped at 80 terminal columns (Chinese characters take two) between
    words, never inside a word, a name or a number and its unit."""
    from sim.output.wrap import fill_cells

    return "\n".join(fill_cells(text, 80, ""))


def _check_name(name: str) -> None:
    """--name becomes [scenario] name: refused now by the rule the scenario will be held to
    (no '/', '..', control characters, at most 200 characters), not after the fit."""
    from pydantic import ValidationError

    from sim.scenario.models import ScenarioMeta

    try:
        ScenarioMeta.model_validate({"name": name})
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise UsageError(f"--name: {reason} (got {name!r})") from None


def _recent_vs_all(args: argparse.Namespace, whole, auto_close: float):
    """Print (and return) the last weeks against the whole export, by the measures of check."""
    from rich.console import Console

    from .drift import compare_recent
    from .table import check_table, measure_name
    from .window import recent

    lang = get_lang(args.lang)
    days = args.recent_days or 14
    span = float(whole.end) - float(whole.placed.min())
    if span < 2 * days * 24:  # too short to hold the last weeks against the rest
        return None
    last = recent(whole, days)
    rows = compare_recent(whole, last, auto_close)
    title = lang.tr(
        "last {days:g} days ({recent:,} orders) vs the whole export ({n:,} orders)",
        days=days,
        recent=last.n,
        n=whole.n,
    )
    sides = (lang.tr("all"), lang.tr("last {days:g} d", days=days))
    console = Console(width=80)
    console.print(check_table(rows, title, sides, lang, recent=True))
    changed = [measure_name(r.measure, lang) for r in rows if not r.passed]
    if changed:
        advice = (
            lang.tr("fitted on the last days only (--recent-days)")
            if args.recent_days
            else lang.tr("the shop changed: consider --recent-days")
        )
        console.print(
            lang.tr(
                "{k} of {n} differ ({advice}): {measures}",
                k=len(changed),
                n=len(rows),
                advice=advice,
                measures=lang.tr(", ").join(changed),
            )
        )
    else:
        console.print(
            lang.tr(
                "the last {days:g} days match the whole export on all {n} measures",
                days=days,
                n=len(rows),
            )
        )
    return title, rows, sides


def add_fit_command(subparsers) -> None:
    parser = add_subcommand(
        subparsers,
        "fit",
        "fit a scenario to a shop's order export",
        "Fit a scenario to a shop's own order export: arrivals by hour and weekday, the paid "
        "share and pay delays (a lognormal mixture, one buyer segment per component), the "
        "auto-close, cancellations, ship and delivery times and prices. Every fitted number is "
        "commented with its column, sample size and goodness of fit. Taobao/Tmall seller-centre "
        "exports are recognised as they are; other exports name their columns with --columns. "
        "Bad input exits with status 2 and FILE: row N, column C: problem (got VALUE).",
        "ordersim fit orders.csv --out shop.toml --report fit-report",
    )
    parser.add_argument("orders", metavar="ORDERS.csv", help="the order export")
    parser.add_argument("--out", required=True, metavar="SCENARIO.toml", help="scenario to write")
    _reading_options(parser)
    parser.add_argument(
        "--segments",
        type=_segments,
        default=None,
        metavar="N|auto",
        help="pay-delay mixture components (1-6; default auto: chosen by BIC)",
    )
    _window_options(parser, "fit")
    parser.add_argument(
        "--recent-days",
        type=_days,
        metavar="N",
        help="fit only the last N days before the export's end (for a shop that changed); the "
        "fit prints how the last N days (default 14) differ from the whole export",
    )
    parser.add_argument("--name", help="scenario name (default: from the file name)")
    parser.add_argument("--report", metavar="DIR", help="also write a fit report (HTML + PNGs)")
    add_lang_option(parser, "the printed lines, tables and the fit report")
    parser.set_defaults(func=cmd_fit)


@speaking
def cmd_check(args: argparse.Namespace) -> int:
    """Exit 0 when every measure passes, 1 when some fail (2: bad input, as everywhere)."""
    from rich.console import Console

    from sim.scenario import load_scenario

    from .check import compare
    from .fitting import require_pay_times
    from .simulated import simulate_orders
    from .table import check_table, measure_name
    from .window import sample_of

    lang = get_lang(args.lang)
    scenario = load_scenario(args.scenario)  # a bad scenario: its own messages, exit 2
    _, orders = _load(args)
    require_pay_times(orders)  # the same message as fit, before minutes of simulation
    sample = sample_of(Path(args.scenario).read_text(encoding="utf-8"), orders, lang)
    runs = simulate_orders(
        scenario, Path(args.scenario), replications=args.replications, seed=args.seed
    )
    rows = compare(orders, float(scenario.platform.unpaid_auto_close_hours), runs)
    console = Console(width=80)
    console.print(sample.text, style="bold" if sample.kind == "in-sample" else None)
    n_sim = sum(r.placed.size for r in runs)
    title = lang.tr(
        "{scenario} vs {export}: {n:,} orders observed,\n{simulated:,} simulated in {r}",
        scenario=Path(args.scenario).name,
        export=Path(args.orders).name,
        n=orders.n,
        simulated=n_sim,
        r=lang.replications(len(runs)),
    )
    console.print(check_table(rows, title, lang=lang))
    console.print(
        lang.tr(
            "observed ± 95% interval of the export's sample; simulated = mean over "
            "replications ± Student-t 95% interval (times: ± as a share of the value)"
        ),
        style="dim",
        width=80,
    )
    failed = [measure_name(r.measure, lang) for r in rows if not r.passed]
    if failed:
        console.print(
            "[bold red]"
            + lang.tr("{k} of {n} failed:", k=len(failed), n=len(rows))
            + "[/] "
            + lang.tr(", ").join(failed)
        )
        return 1
    console.print("[green]" + lang.tr("all {n} measures pass", n=len(rows)) + "[/]")
    return 0


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"use a number of days (got {text!r})") from None
    if not value >= 1:
        raise argparse.ArgumentTypeError(f"use at least 1 day (got {text})")
    return value


_positive = whole_number(2, "use at least 2")


def add_check_command(subparsers) -> None:
    parser = add_subcommand(
        subparsers,
        "check",
        "backtest a scenario against a shop's order export",
        "Simulate a scenario's baseline and hold it against the order export: paid share "
        "(within 1 point), pay-delay quartiles and 90th percentile (within 25%), hourly and "
        "weekday profiles (total variation <= 0.05), ship and delivery medians (within 25%). "
        "Exit status 0 when all pass, 1 when some fail, 2 for bad input.",
        "ordersim check shop.toml orders.csv",
    )
    parser.add_argument("scenario", metavar="SCENARIO.toml", help="the scenario to check")
    parser.add_argument("orders", metavar="ORDERS.csv", help="the order export")
    _reading_options(parser)
    _window_options(parser, "check")
    parser.add_argument(
        "--replications",
        type=_positive,
        default=5,
        metavar="N",
        help="simulated replications (default 5; each has 20,000 to 50,000 orders)",
    )
    parser.add_argument("--seed", type=int, default=None, help="override the scenario's seed")
    add_lang_option(parser, "the printed lines and table")
    parser.set_defaults(func=cmd_check)


def _fit_argv(args: argparse.Namespace, reading_only: bool = False) -> list[str]:
    """The fit command as given (or the export and its reading options), for the header."""
    out = [args.orders] if reading_only else [args.orders, "--out", args.out]
    options = ("columns", "date_format", "encoding", "timezone")
    fitting = ("since", "until", "recent_days", "segments", "name")
    for option in options if reading_only else (*options, *fitting):
        value = getattr(args, option)
        if value is not None:
            text = str(value).replace("T00:00:00", "").replace("T", " ")
            out += ["--" + option.replace("_", "-"), text]
    return out

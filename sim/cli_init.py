"""``ordersim init``: write a commented starter scenario that validates as it is.

The starter is the shortest useful file: a question, two buyer segments, a baseline and one
reminder strategy, each key with a comment saying what it means; the platform preset fills in
the platform's rules. Everything else keeps its default (docs/format.md lists every key).
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_init_command", "cmd_init", "starter_text"]

_AUTO_CLOSE = {"taobao": 24, "tmall": 24, "aliexpress": 480}
_REMINDER_AT = {"taobao": 2, "tmall": 2, "aliexpress": 24}
# The seller articles give AliExpress none of these numbers, so its preset leaves them unset and
# a starter must state the ones a run uses (docs/rules.md, Rules of this round).
_PLATFORM_EXTRA = {
    "aliexpress": """\
# The articles give AliExpress no compensation, confirmation or fee numbers: the preset leaves
# them unset. These are assumptions (Taobao's rules where it has one): put your own.
stockout_compensation_rate = 0.30  # out-of-stock compensation, share of the price
stockout_compensation_cap = 30     # ... at most this much per order
late_shipment_rate = 0.05          # late-shipment compensation, share of the paid amount
late_shipment_min = 1              # ... at least
late_shipment_max = 30             # ... at most
auto_confirm_days = 30             # delivered orders complete after this many days
dispute_fee = 0                    # charged per dispute lost, beyond the refund
""",
}

# The shop's freight: a domestic bulk shipper's, or a cross-border parcel's on AliExpress.
_FREIGHT = {"taobao": (4, 12), "tmall": (4, 12), "aliexpress": (20, 20)}
_FREIGHT_NOTE = {
    "taobao": "a bulk shipper's 3-5 out; a return travels singly, 10-15",
    "tmall": "a bulk shipper's 3-5 out; a return travels singly, 10-15",
    "aliexpress": "a cross-border parcel each way (a domestic bulk shipper: 3-5)",
}

_TEMPLATE = """\
# {name}: a starter scenario written by `ordersim init --preset {preset}`.
#
# Run it:       ordersim run {file}
# Change a key: ordersim run {file} --set strategies.sms-reminder.reminders.0.at=6
# Every key, its unit and default: docs/format.md; the model's rules: docs/rules.md.
# Durations are hours, money is yuan. Behaviour numbers marked ASSUMPTION are guesses: put your
# shop's.

[scenario]
name = "{name}"{name_pad}# names the output folder results/{name}/
description = \"\"\"Does an SMS reminder {at} h after an unpaid order pay for itself?\"\"\"
seed = 1                           # same seed -> identical results
replications = 10                  # independent repetitions of every strategy
baseline = "no-reminder"           # every strategy is compared with this one
arrival_days = 7                   # orders arrive during this many days

[platform]
preset = "{preset}"{preset_pad}# taobao | tmall | aliexpress: the platform's rules
# unpaid_auto_close_hours = {auto_close}     # the preset's value; uncomment to change it
{platform_extra}
[shop]
# ASSUMPTION: freight per parcel, yuan: {freight_note}
freight = {freight}{freight_pad}# outbound
return_freight = {return_freight}{return_pad}# the way back (a refused or returned parcel)
stockout_probability = 0.003       # ASSUMPTION: paid orders found out of stock (sellers: 0.2-0.5%)
# ASSUMPTION: hours from payment to shipment: about 1.5% after the 48 h promise (sellers: 1-2%)
ship_hours = {{ dist = "lognormal", median = 20, sigma = 0.4 }}

[channels]
phone_reach = "daytime"            # few buyers pick up a call at night
phone_callable = 0.5               # ASSUMPTION: numbers are masked; half the buyers can be called

[arrivals]
orders_per_day = 300               # mean orders placed per day

# Buyer behaviour. Every number marked ASSUMPTION is a guess to replace with your shop's
# (from `ordersim fit` on an order export, or from a trial); `ordersim robust {file}` shows
# which of them decide the answer. A channel a strategy sends must have its response and
# annoyance stated for every segment (there is no default): all four are stated here, so a
# strategy you add can use any of them.
[[segments]]
name = "pays-anyway"               # buyers who pay without being reminded
share = 0.85                       # share of orders; the shares of all segments sum to 1
pays_unprompted = 0.97             # ASSUMPTION: chance of paying with no reminder
pay_hours = {{ dist = "lognormal", median = 1, sigma = 1.0 }}   # ASSUMPTION: hours until they pay
cancels = 0.05                     # ASSUMPTION: chance a buyer who will not pay unprompted cancels
# ASSUMPTION: chance one reminder that reaches the buyer wins them, by channel (sellers: a text
# wins 3-8% of the unpaid buyers it reaches, a call 20-30%)
response = {{ phone = 0.25, im = 0.12, sms = 0.05, auto = 0.03 }}
response_hours = {{ dist = "exponential", mean = 1 }}          # ASSUMPTION: hours to pay once won
# ASSUMPTION: chance one reminder earns a low rating (sellers: under 1% of reminded buyers)
annoyance = {{ phone = 0.008, im = 0.003, sms = 0.003, auto = 0.002 }}

[[segments]]
name = "short-of-balance"          # must top up first; pays the same evening if reminded
share = 0.15
pays_unprompted = 0.6              # ASSUMPTION
pay_hours = {{ dist = "lognormal", median = 8, sigma = 0.7 }}   # ASSUMPTION
cancels = 0.1                      # ASSUMPTION
response = {{ phone = 0.3, im = 0.15, sms = 0.08, auto = 0.03 }}  # ASSUMPTION
response_hours = {{ dist = "exponential", mean = 3 }}          # ASSUMPTION: a top-up takes hours
annoyance = {{ phone = 0.01, im = 0.005, sms = 0.005, auto = 0.003 }}  # ASSUMPTION

[[strategies]]
name = "no-reminder"               # do nothing: the baseline

[[strategies]]
name = "sms-reminder"
[[strategies.reminders]]
at = {at}                             # hours after the order (or "next_day_same_hour")
channel = "sms"                    # phone | im | sms | auto | by_segment
"""


def starter_text(name: str, preset: str, file: str) -> str:
    """The starter scenario for a platform preset."""
    return _TEMPLATE.format(
        name=name,
        preset=preset,
        preset_pad=" " * max(1, 35 - len(f'preset = "{preset}"')),
        name_pad=" " * max(1, 35 - len(f'name = "{name}"')),
        auto_close=_AUTO_CLOSE[preset],
        platform_extra=_PLATFORM_EXTRA.get(preset, ""),
        at=_REMINDER_AT[preset],
        freight=_FREIGHT[preset][0],
        freight_pad=" " * max(1, 35 - len(f"freight = {_FREIGHT[preset][0]}")),
        freight_note=_FREIGHT_NOTE[preset],
        return_freight=_FREIGHT[preset][1],
        return_pad=" " * max(1, 35 - len(f"return_freight = {_FREIGHT[preset][1]}")),
        file=file,
    )


def cmd_init(args: argparse.Namespace) -> int:
    """Write the starter file; refuses to overwrite one unless --force."""
    from sim.errors import UsageError

    path = Path(args.file)
    if path.exists() and not args.force:
        raise UsageError(f"init: {path} already exists; choose another FILE or add --force")
    name = path.stem.replace(" ", "-") or "my-shop"
    text = starter_text(name, args.preset, str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"init: cannot write {path} ({exc.strerror or exc})") from exc
    from sim.output.i18n import get_lang
    from sim.output.swept import value_label

    words = get_lang(args.lang)
    platform = value_label("platform.preset", args.preset, words.code)
    print(words.tr("wrote {path}: a starter on {platform}'s rules", path=path, platform=platform))
    # a line of its own, to copy (and within 80 columns)
    print(words.tr("run it: {command}", command=f"ordersim run {path}"))
    return 0


def add_init_command(subparsers) -> None:
    from sim.cli_parsers import add_lang_option

    parser = subparsers.add_parser(
        "init",
        help="write a commented starter scenario",
        description="Write a short, commented scenario file that validates as it is: two buyer "
        "segments, a baseline and an SMS reminder, on a platform preset. Every other key keeps "
        "its default (docs/format.md lists them all).",
        epilog="example:\n  ordersim init my-shop.toml --preset tmall",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", nargs="?", default="scenario.toml", metavar="FILE", help="default scenario.toml"
    )
    parser.add_argument(
        "--preset",
        choices=tuple(_AUTO_CLOSE),
        default="taobao",
        help="platform rules to start from (default taobao)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    add_lang_option(parser, "the printed lines (the file's comments stay in English)")
    parser.set_defaults(func=cmd_init)

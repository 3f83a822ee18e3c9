"""The fitted scenario as commented TOML: every fitted number says where it came from.

A comment after each number gives the column it was fitted from, the sample size n and a
goodness-of-fit figure (KS = largest gap between observed and fitted CDFs; TV = total
variation between shares). What an export cannot show (reminder response, annoyance, cancel
timing) is written as an ASSUMPTION, so the seller knows which numbers are guesses.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from pathlib import Path

import numpy as np

from .fitting import Fit, Lognormal
from .observed import weekday_of
from .window import fit_window_line

__all__ = ["scenario_name", "scenario_toml"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_COMMENT_AT = 40


def num(x: float, digits: int = 4) -> str:
    """A plain decimal with ``digits`` significant digits (never an exponent)."""
    if x == 0 or not math.isfinite(x):
        return "0"
    text = np.format_float_positional(x, precision=digits, unique=False, fractional=False, trim="-")
    return text.rstrip(".")


def _line(key: str, value: str, comment: str = "") -> str:
    """``key = value  # comment``; a comment that would run past 100 columns goes above."""
    text = f"{key} = {value}"
    if not comment:
        return text
    inline = text.ljust(_COMMENT_AT) + f"  # {comment}"
    if len(inline) <= 100:
        return inline
    return "\n".join(
        [*textwrap.wrap(comment, 96, initial_indent="# ", subsequent_indent="# "), text]
    )


def _array(key: str, values: np.ndarray, per_line: int = 12) -> list[str]:
    items = [num(float(x), 3) for x in values]
    if len(items) <= per_line:
        return [f"{key} = [{', '.join(items)}]"]
    rows = [items[i : i + per_line] for i in range(0, len(items), per_line)]
    return [f"{key} = [", *("    " + ", ".join(r) + "," for r in rows), "]"]


def _lognormal(d: Lognormal | None, digits: int = 3) -> str:
    assert d is not None
    return f'{{ dist = "lognormal", median = {num(d.median, digits)}, sigma = {num(d.sigma, 3)} }}'


def scenario_name(path: str) -> str:
    """A scenario name from the export's file name (usable as a folder name)."""
    stem = Path(path).stem or "shop"
    clean = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-")
    return (clean or "shop") + "-fitted"


def _header(fit: Fit, command: str, check: str | None) -> list[str]:
    o = fit.orders
    first = o.start.astype("datetime64[D]").astype(dt.date)
    last = (o.start + np.timedelta64(int(o.end * 3600), "s")).astype(dt.datetime)
    return [
        f"# FITTED -- the shop as its order export shows it ({Path(o.name).name})",
        "#",
        *textwrap.wrap(
            command,
            92,
            initial_indent="# Made by:  ",
            subsequent_indent="#   ",
            break_on_hyphens=False,
            break_long_words=False,
        ),
        *textwrap.wrap(
            check or "ordersim check THIS_FILE " + Path(o.name).name,
            92,
            initial_indent="# Check:    ",
            subsequent_indent="#   ",
            break_on_hyphens=False,
            break_long_words=False,
        ),
        f"# Export:   {o.n:,} orders, {first.isoformat()} to {last:%Y-%m-%d %H:%M} "
        f"(read as {o.encoding})",
        fit_window_line(o),
        "#",
        "# Every fitted number is followed by its source column, its sample size n and a",
        "# goodness-of-fit figure: KS = the largest gap between the observed and the fitted",
        "# distribution functions (0 = perfect); TV = total variation between two sets of shares.",
        "# Numbers an export cannot show (reminder response, annoyance, cancel timing) are marked",
        "# ASSUMPTION: they only matter for strategies that send reminders, so treat their",
        "# answers as what-ifs until you have measured them.",
        "",
    ]


def _first_orders_per_day(fit: Fit) -> float:
    """Orders per day, without observed re-orders when the simulation makes its own."""
    if fit.reorder is None or not format_has_reorders():
        return fit.orders_per_day
    return fit.orders_per_day * (1.0 - fit.reorder[3] / fit.orders.n)


def _arrivals(fit: Fit) -> list[str]:
    placed = fit.orders.roles["placed"]
    return [
        "[arrivals]",
        _line(
            "orders_per_day",
            num(_first_orders_per_day(fit)),
            f"from {placed}: n={fit.orders.n}; daily counts vs fitted: chi-square/df "
            f"{fit.daily_dispersion:.2f} (1 = Poisson noise; more = trends or campaigns)",
        ),
        f"# hour 0 first; from {placed}, n={fit.orders.n}; hour x weekday table vs the fitted",
        f"# product (hour rate x weekday rate): TV {fit.arrivals_tv:.3f}",
        *_array("hourly_weights", fit.hourly),
        f"# Monday first; rates per weekday against the days the export covers, n={fit.orders.n}",
        *_array("weekday_weights", fit.weekday),
        "",
    ]


def _shop(fit: Fit) -> list[str]:
    r = fit.orders.roles
    out = ["[shop]"]
    if fit.price is not None:
        p = fit.price
        out.append(
            _line(
                "price", _lognormal(p), f"from {r['amount']} of paid orders: n={p.n}, KS {p.ks:.3f}"
            )
        )
    else:
        out.append("# price: the default (no amount column; name one with --columns amount=...)")
    if fit.quantity is not None:
        out.append(f"# items per order: mean {fit.quantity[0]:.2f} (n={fit.quantity[1]}), "
                   "not modelled: one price per order")  # fmt: skip
    if fit.stockout is not None:
        share, n = fit.stockout
        out.append(
            _line(
                "stockout_probability",
                num(share, 3),
                f"paid, closed, never shipped ({r['status']}): n={n}, ±{_half(share, n):.4f}",
            )
        )
    if fit.ship is not None:
        s = fit.ship
        out.append(
            _line(
                "ship_hours",
                _lognormal(s),
                f"{r.get('paid')} -> {r.get('shipped')}: n={s.n}, KS {s.ks:.3f}",
            )
        )
    else:
        out.append("# ship_hours: the default (no payment and shipment times to fit it from)")
    if fit.delivery is not None:
        d = fit.delivery
        role = fit.orders.delivery_role
        extra = (
            " (the buyer's confirmation of receipt, an upper bound)" if role == "completed" else ""
        )
        out.append(
            _line(
                "delivery_hours",
                _lognormal(d),
                f"{r.get('shipped')} -> {r.get(role or '')}{extra}: n={d.n}, KS {d.ks:.3f}",
            )
        )
    else:
        out.append("# delivery_hours: the default (no shipment and delivery times to fit it from)")
    out.append(
        _line("promised_ship_hours", "48", "ASSUMPTION: the listing's promise (48 h common)")
    )
    if fit.late is not None:
        out.append(
            f"# late against {r['promised']}: {fit.late[0]:.1%} of n={fit.late[1]} orders "
            "arrived after the promised time"
        )
    dropped = fit.orders.dropped
    if dropped:
        text = ", ".join(f"{k}: {v}" for k, v in dropped.items())
        out.append(f"# left out as inconsistent timestamps: {text}")
    out.append("")
    return out


def _segments(fit: Fit) -> list[str]:
    r = fit.orders.roles
    mix, paid = fit.mixture, fit.paid
    bics = ", ".join(f"{k}: {v:,.0f}" for k, v in mix.bics.items())
    text = (
        f"Paid share {paid.share:.4f} (±{_half(paid.share, paid.n):.4f}, 95%) of n={paid.n} "
        f"orders ({paid.paid} paid; {paid.censored} still open at the export's end, "
        "counted by their chance to pay; "
        f"{paid.timed_out} open past the auto-close, unpaid). Pay delay ({r['placed']} -> "
        f"{r.get('paid')}): a mixture of {mix.k} lognormal(s): BIC by components ({bics}); "
        "the fewest components within 0.005 KS of the BIC choice are kept, "
        f"n={mix.n:.0f} payers, KS {fit.delay_ks:.3f}. One segment per component: share = its "
        "weight, pays_unprompted = the paid share over the component's chance to pay within "
        "the auto-close."
    )
    out = [
        "# ----------------------------------------------------------------- buyers ----",
        *textwrap.wrap(text, 92, initial_indent="# ", subsequent_indent="# "),
        *_reorder_note(fit),
    ]
    if fit.buyer_cancel_share is None:
        cancels_note = "ASSUMPTION: the export does not tell buyer cancellations from time-outs"
    else:
        b = fit.buyer_cancel_share
        cancels_note = (
            f"buyer cancellations are {b:.1%} (±{_half(b, fit.cancel_told):.1%}) of "
            f"n={fit.cancel_told} told closes"
        )
    shares = _shares([seg.share for seg in fit.segments])
    for k, seg in enumerate(fit.segments):
        n_k = mix.weights[k] * mix.n
        pay = (
            f'{{ dist = "lognormal", median = {num(seg.median, 4)}, sigma = {num(seg.sigma, 3)} }}'
        )
        out += [
            "",
            "[[segments]]",
            _line("name", f'"{seg.name}"'),
            _line("share", shares[k], f"mixture weight, ~{n_k:.0f} payers"),
            _line("pays_unprompted", num(seg.pays_unprompted, 4), "fitted paid share, see above"),
            _line("pay_hours", pay, f"component {k + 1} of {mix.k}"),
            _line("cancels", num(seg.cancels, 3), cancels_note),
            _line(
                "cancel_hours",
                '{ dist = "exponential", mean = 10 }',
                "ASSUMPTION: no close time in the export",
            ),
            "# ASSUMPTION (reminders are invisible in an export): response, response_hours,",
            "# annoyance and annoyance_growth are the defaults; measure them before trusting",
            "# a strategy that reminds.",
            _line("response", "{ phone = 0.5, im = 0.4, sms = 0.3, auto = 0.1 }", "ASSUMPTION"),
            _line("response_hours", '{ dist = "exponential", mean = 2 }', "ASSUMPTION"),
            _line("annoyance", "{ phone = 0.03, im = 0.01, sms = 0.01 }", "ASSUMPTION"),
            _line("annoyance_growth", "2.0", "ASSUMPTION"),
            *_reorder_keys(fit),
        ]
    out.append("")
    return out


def _half(share: float, n: int) -> float:
    """Half width of a 95% normal interval of a share (the fit figure of a share)."""
    return 1.96 * math.sqrt(max(share * (1.0 - share), 0.0) / max(n, 1))


def _shares(values: list[float]) -> list[str]:
    """Shares with 4 decimals that sum to exactly 1 (the largest absorbs the rounding)."""
    units = [round(v * 10_000) for v in values]
    units[int(np.argmax(units))] += 10_000 - sum(units)
    return [f"{u / 10_000:.4f}".rstrip("0").rstrip(".") for u in units]


def format_has_reorders() -> bool:
    """Whether this version of the scenario format has the segment keys for re-orders."""
    from sim.scenario.buyers import Segment

    return {"reorders", "reorder_hours"} <= set(Segment.model_fields)


def _reorder_note(fit: Fit) -> list[str]:
    if fit.reorder is None:
        return []
    share, n, delay, count = fit.reorder
    text = (
        f"Re-orders ({fit.orders.roles['buyer']}): {share:.1%} (±{_half(share, n):.1%}) of n={n} "
        "unpaid closes were followed by another order of the same buyer; the delay counts from "
        "the close (a time-out closes at the auto-close; other closes have no time in the "
        "export, so theirs counts from placement)"
        + (f", n={delay.n}, KS {delay.ks:.3f}." if delay is not None else ".")
    )
    if format_has_reorders():
        text += (
            f" orders_per_day leaves out the {count} observed re-orders: the simulation adds "
            "its own."
        )
    else:
        text += (
            " The scenario format has no re-order rule yet: write these two keys under each "
            "segment once it does."
        )
    return textwrap.wrap(text, 92, initial_indent="# ", subsequent_indent="# ")


def _reorder_keys(fit: Fit) -> list[str]:
    """``reorders`` and ``reorder_hours`` as keys (format has them) or as comments."""
    if fit.reorder is None:
        return []
    share, _, delay, _ = fit.reorder
    lines = [_line("reorders", num(share, 3), "fitted, see the note on re-orders above")]
    if delay is not None:
        lines.append(_line("reorder_hours", _lognormal(delay)))
    return lines if format_has_reorders() else ["# " + line for line in lines]


def _strategies() -> list[str]:
    return [
        "# --------------------------------------------------------------- strategies ----",
        "[[strategies]]",
        'name = "as-observed"                     # the shop as it works today: whatever it does',
        "# now is already inside the fitted numbers, so this strategy sends no reminders",
        "",
        "# An example to edit: uncomment, then `ordersim run` compares it with as-observed.",
        "# [[strategies]]",
        '# name = "sms-after-2h"',
        "# [[strategies.reminders]]",
        "# at = 2                                 # hours after the order",
        '# channel = "sms"',
        "",
    ]


def scenario_toml(fit: Fit, command: str, name: str | None = None, check: str | None = None) -> str:
    """The whole scenario file as text."""
    o = fit.orders
    start = o.start.astype("datetime64[D]").astype(dt.date)
    days = fit.arrival_days
    lines = [
        *_header(fit, command, check),
        "[scenario]",
        _line("name", f'"{name or scenario_name(o.name)}"'),
        f'description = "The shop as its order export shows it: {o.n:,} orders fitted by '
        'ordersim fit."',
        "seed = 1",
        "replications = 10",
        'baseline = "as-observed"',
        _line(
            "start",
            f'"{start.isoformat()}"',
            f"the export's first day, a {_WEEKDAYS[weekday_of(o.start)]}",
        ),
        _line("arrival_days", repr(round(days, 6)), "the days the export covers"),
        "",
        "[platform]",
        'preset = "taobao"',
        _line(
            "unpaid_auto_close_hours",
            num(fit.auto_close, 6),
            f"longest of n={fit.delays.size} observed pay delays ({fit.longest_delay:.1f} h) "
            "fits within",
        ),
        "",
    ]
    lines += _shop(fit) + _arrivals(fit) + _segments(fit) + _strategies()
    return "\n".join(lines)

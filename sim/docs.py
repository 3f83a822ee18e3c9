"""Generate docs/format.md and docs/kpis.md from the code they describe, so they cannot drift.

`python -m sim.docs` rewrites both files; `python -m sim.docs --check` exits 1 when a committed
file differs from what the code gives (a test runs the same comparison). The format reference
walks the pydantic models of the scenario (every key, its type and bounds, default, unit and
meaning); the KPI reference reads the KPI vocabulary the tables and plots use.
"""

from __future__ import annotations

import argparse
import json
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import annotated_types as at
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

__all__ = ["format_markdown", "kpis_markdown", "main"]

DOCS = Path(__file__).resolve().parents[1] / "docs"

_MONEY_KEYS = {
    "price",
    "freight",
    "sms_cost",
    "freight_insurance_premium",
    "stockout_compensation_cap",
    "stockout_compensation_min",
    "late_shipment_min",
    "late_shipment_max",
    "cost",
    "cost_per_order",
}


def _unit(key: str, kind: str) -> str:
    """The unit of a key, read from its name the way the format names keys."""
    if key == "agent_cost_per_hour":
        return "yuan per hour"
    if key in _MONEY_KEYS:
        return "yuan"
    if key.endswith("_hours") or key in ("at", "on_duty", "before_close"):
        return "hours"
    if key.endswith("_minutes"):
        return "minutes"
    if key.endswith("_days") or key == "arrival_days":
        return "days"
    if key.endswith("_points"):
        return "points"
    if kind == "chance":
        return "share" if ("share" in key or "rate" in key) else "chance (0–1)"
    if key == "orders_per_day":
        return "orders per day"
    return ""


def _split(tp: Any) -> tuple[Any, list[Any]]:
    """The bare type and the constraints stacked on it by Annotated."""
    meta: list[Any] = []
    while typing.get_origin(tp) is Annotated:
        args = typing.get_args(tp)
        tp, meta = args[0], [*meta, *args[1:]]
    return tp, meta


def _bounds(meta: list[Any]) -> str:
    parts = []
    for item in meta:
        for c in [item, *getattr(item, "metadata", [])]:
            for cls, attr, sign in (
                (at.Ge, "ge", "≥"),
                (at.Gt, "gt", ">"),
                (at.Le, "le", "≤"),
                (at.Lt, "lt", "<"),
            ):
                if isinstance(c, cls):
                    value = getattr(c, attr)
                    value = int(value) if isinstance(value, float) and value.is_integer() else value
                    parts.append(f"{sign} {value}")
            if isinstance(c, at.MinLen) and c.min_length:
                parts.append("not empty" if c.min_length == 1 else f"≥ {c.min_length} items")
            if isinstance(c, at.MaxLen) and c.max_length is not None:
                parts.append(f"at most {c.max_length} characters")
    return ", ".join(dict.fromkeys(parts))


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _members(tp: Any) -> list[Any]:
    tp, _ = _split(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def _is_distribution(tp: Any) -> bool:
    return any(_is_model(m) and "dist" in m.model_fields for m in _members(tp))


def _type_text(tp: Any, field_meta: list[Any] | None = None) -> tuple[str, str]:
    """(how the value is written, a kind used for the unit: chance / number / ...)."""
    tp, meta = _split(tp)
    bounds = _bounds([*meta, *(field_meta or [])])
    members = _members(tp)
    if len(members) > 1:
        if _is_distribution(tp):
            return "distribution (see below)", "distribution"
        if all(_is_model(m) for m in members):
            tags = [next(iter(typing.get_args(m.model_fields["kind"].annotation))) for m in members]
            return "inline table, kind = " + " \\| ".join(f'"{t}"' for t in tags), "table"
        texts = [_type_text(m)[0] for m in members]
        return " or ".join(texts), "mixed"
    tp = members[0]
    if tp is not _split(tp)[0]:
        inner, more = _split(tp)
        text, kind = _type_text(inner)
        extra = _bounds(more)
        return (f"{text} ({extra})" if extra else text), kind
    origin = typing.get_origin(tp)
    if origin is Literal:
        words = (json.dumps(a, ensure_ascii=False) for a in typing.get_args(tp))
        return " \\| ".join(words), "choice"
    if origin in (tuple, list):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        if args and _is_model(_split(args[0])[0]):
            return "list of tables (see below)", "list"
        item = _type_text(args[0])[0] if args else "value"
        count = "" if Ellipsis in typing.get_args(tp) else f"{len(args)} "
        return f"list of {count}{item}".strip(), "list"
    if origin is dict:
        return f"table of {_type_text(typing.get_args(tp)[1])[0]}", "table"
    if _is_model(tp):
        return "table (see below)", "table"
    names = {float: "number", int: "whole number", bool: "true/false", str: "text", Any: "value"}
    name = getattr(tp, "__name__", str(tp))
    text = names.get(tp, "date" if name == "date" else name)
    kind = "chance" if ("≥ 0" in bounds and bounds.endswith("≤ 1")) else text
    return (f"{text} ({bounds})" if bounds else text), kind


def _default_text(field: Any) -> str:
    if field.is_required():
        return "**required**"
    value = field.default
    if value is PydanticUndefined:
        return "—"
    if value is None:
        return "not set"
    if isinstance(value, BaseModel):
        dumped = value.model_dump(exclude_defaults=False)
        if "dist" in dumped:
            inner = ", ".join(f"{k} = {v:g}" for k, v in dumped.items() if k != "dist")
            return f'`{{ dist = "{dumped["dist"]}", {inner} }}`'
        return "see below"
    if isinstance(value, (tuple, list)) and not value:
        return "none"
    return f"`{json.dumps(value, ensure_ascii=False, default=str)}`"


def _nested(tp: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model a field holds (a table) or lists (an array of tables), if any."""
    tp, _ = _split(tp)
    members = _members(tp)
    if len(members) == 1:
        tp = _split(members[0])[0]
        if _is_model(tp) and "dist" not in tp.model_fields:
            return tp, False
        if typing.get_origin(tp) in (tuple, list):
            args = typing.get_args(tp)
            if args and _is_model(_split(args[0])[0]):
                return _split(args[0])[0], True
    return None, False


def _sections(model: type[BaseModel], path: str, array: bool) -> Iterator[str]:
    title = f"[[{path}]]" if array else f"[{path}]"
    yield f"### `{title}`\n"
    doc = (model.__doc__ or "").strip().splitlines()[0]
    yield f"{doc}\n"
    yield "| key | type | unit | default | meaning |"
    yield "|---|---|---|---|---|"
    children = []
    for key, field in model.model_fields.items():
        text, kind = _type_text(field.annotation, list(field.metadata))
        meaning = (field.description or "").replace("|", "\\|").replace("\n", " ")
        yield (f"| `{key}` | {text} | {_unit(key, kind)} | {_default_text(field)} | {meaning} |")
        child, child_array = _nested(field.annotation)
        if child is not None:
            children.append((child, f"{path}.{key}", child_array))
    yield ""
    for child, child_path, child_array in children:
        yield from _sections(child, child_path, child_array)


def _distribution_section() -> Iterator[str]:
    from sim.scenario.distributions import Distribution

    yield "## Distributions\n"
    yield (
        "A key of type *distribution* takes an inline table whose `dist` names the shape; the "
        "unit is the key's own (hours for `*_hours`, yuan for `price`, days for `return_days`).\n"
    )
    yield "| dist | keys | meaning |"
    yield "|---|---|---|"
    for member in _members(Distribution):
        tag = next(iter(typing.get_args(member.model_fields["dist"].annotation)))
        keys = [f"`{k}` ({f.description})" for k, f in member.model_fields.items() if k != "dist"]
        doc = (member.__doc__ or "").strip().splitlines()[0]
        yield f'| `"{tag}"` | {"; ".join(keys)} | {doc} |'
    yield ""


def _order_kinds_section() -> Iterator[str]:
    from sim.scenario.kinds import USUAL_ORDER_KINDS

    yield "## Usual order kinds (assumptions)\n"
    yield (
        "What sellers' help pages and reminder tools give as the unpaid close of each kind of "
        "order, per platform preset: assumptions to copy into `[[order_kinds]]` "
        "(`unpaid_auto_close_hours`), not rules the presets apply; check your own back office. "
        "A presale balance payment (预售尾款) closes at a fixed date and hour instead "
        "(`closes_at`).\n"
    )
    yield "| preset | kind | unpaid close (hours) |"
    yield "|---|---|---|"
    for preset, kinds in USUAL_ORDER_KINDS.items():
        for kind, hours in kinds.items():
            yield f"| `{preset}` | `{kind}` | {hours:g} |"
    yield ""


def _sources_section() -> Iterator[str]:
    from sim.scenario.sources import Fitted, Measured, Stated

    yield "## Where behaviour numbers come from: `[sources]`\n"
    yield (
        "Every behaviour number a file states (a segment's `response`, `annoyance`, "
        "`pays_unprompted`, ...; an incentive's `uplift`) is an *assumption* unless `[sources]` "
        "says otherwise. Each entry is keyed by the number's dotted key, spelled as `--set` "
        'takes it with list items by name (`"segments.impulse.response.sms"`), and is an '
        "inline table whose `kind` says where the number came from. `ordersim fit` writes "
        "`fitted` entries and a trial `measured` ones; `validate` checks that each entry names a "
        "number the file states and that a measurement agrees with it. A distribution counts as "
        "sourced when each of its numbers has an entry (`segments.impulse.response_hours.mean` "
        "for an exponential `response_hours`). Answers count the assumptions they rest on "
        "(`assumptions` in summary.json; fitted and measured numbers under `sourced`).\n"
    )
    yield "```toml"
    yield "[sources]"
    yield '"segments.impulse.pays_unprompted" = { kind = "fitted", n = 1840, export = "o.csv" }'
    yield '"segments.impulse.response.phone" = { kind = "stated", note = "as sellers report it" }'
    yield ""
    yield '[sources."segments.impulse.response.sms"]   # a long entry as a table of its own'
    yield 'kind = "measured"'
    yield "value = 0.31"
    yield "low = 0.27"
    yield "high = 0.35"
    yield "n = 812"
    yield "window = [2026-06-01, 2026-06-14]"
    yield "```\n"
    yield "| kind | keys | meaning |"
    yield "|---|---|---|"
    for member in (Stated, Fitted, Measured):
        tag = next(iter(typing.get_args(member.model_fields["kind"].annotation)))
        keys = [f"`{k}` ({f.description})" for k, f in member.model_fields.items() if k != "kind"]
        doc = (member.__doc__ or "").strip().splitlines()[0]
        yield f'| `"{tag}"` | {"; ".join(keys)} | {doc} |'
    yield ""


def format_markdown() -> str:
    """docs/format.md: every key of the scenario format, from the pydantic models."""
    from sim.scenario.models import Scenario

    lines = [
        "# The scenario format",
        "",
        "<!-- generated by `python -m sim.docs` from sim/scenario/; do not edit by hand -->",
        "",
        "A scenario is one TOML file. Every key below is checked when the file is loaded "
        "(`ordersim validate FILE`); a key left out takes its default. Durations are in hours "
        "unless the key says otherwise, money in yuan. [reference.toml](reference.toml) shows "
        "every key in use; `ordersim init` writes a commented starter file; `ordersim schema` "
        "prints the same format as JSON Schema for editors.",
        "",
        "Every number has an upper bound (shown with its key): amounts, counts and factors at "
        "most 1e9, times in hours at most a leap year (8784 h), `arrival_days` and "
        "`warmup_days` at most ten years (3660), `orders_per_day` at most 1,000,000. A value "
        "past its bound is refused at load with exit status 2, before anything is allocated. "
        "Names (scenario, strategies, segments) are at most 200 characters and may not contain "
        "control or invisible characters (newline, bell, right-to-left override): they end up "
        "in folder names, tables and CSV cells. A file saved with a UTF-8 byte-order mark "
        "(Windows Notepad) is read like any other.",
        "",
        "## Tables",
        "",
    ]
    for key, field in Scenario.model_fields.items():
        model, array = _nested(field.annotation)
        if model is None:
            continue
        required = " (required)" if field.is_required() else " (optional)"
        lines.append(
            f"- `{'[[' + key + ']]' if array else '[' + key + ']'}`{required}: {field.description}"
        )
    lines.append("")
    for key, field in Scenario.model_fields.items():
        model, array = _nested(field.annotation)
        if model is not None:
            lines.extend(_sections(model, key, array))
    lines.extend(_distribution_section())
    lines.extend(_order_kinds_section())
    lines.extend(_sources_section())
    return "\n".join(lines).rstrip() + "\n"


def kpis_markdown() -> str:
    """docs/kpis.md: every KPI a run reports, with definition, unit and direction."""
    from sim.experiment.results import (
        DERIVED_KPIS,
        KPI_DIRECTIONS,
        KPI_NAMES,
        PAIRED_KPIS,
        kpi_kind,
        kpi_label,
    )
    from sim.output.i18n import get_lang
    from sim.output.kpi_credited_doc import CREDITED_SECTION
    from sim.output.kpidefs import KPI_DEFINITIONS, KPI_UNITS

    en, zh = get_lang("en"), get_lang("zh")
    direction = {1: "higher is better", -1: "lower is better", 0: "no judgement"}
    lines = [
        "# The KPIs",
        "",
        "<!-- generated by `python -m sim.docs` from the KPI vocabulary; do not edit by hand -->",
        "",
        "Every KPI is computed per replication (one strategy, one replication, one sweep value) "
        "and summarised over replications as a mean with a 95% Student-t interval; comparisons "
        "are paired differences against the baseline. Rates and per-order figures are per order "
        "*placed*: when strategies place different numbers of orders (a blacklist, lost sales) "
        "compare the totals `paid_orders` and `net_profit`. Tables show rates in %, "
        "differences of rates in percentage points, low ratings and penalty points per 1,000 "
        "orders; the table labels are the short ones below (`--lang zh` for the Chinese).",
        "",
        "| KPI | name | table label (en / zh) | unit | direction | definition |",
        "|---|---|---|---|---|---|",
    ]
    for name in (*KPI_NAMES, *DERIVED_KPIS, *PAIRED_KPIS):
        unit = KPI_UNITS.get(name, kpi_kind(name))
        definition = KPI_DEFINITIONS.get(name, "")
        short = f"{en.kpi(name)} / {zh.kpi(name)}"
        lines.append(
            f"| `{name}` | {kpi_label(name)} | {short} | {unit} | "
            f"{direction[KPI_DIRECTIONS.get(name, 0)]} | {definition} |"
        )
    lines.append(CREDITED_SECTION)
    return "\n".join(lines).rstrip() + "\n"


GENERATED = {"format.md": format_markdown, "kpis.md": kpis_markdown}


def main(argv: list[str] | None = None) -> int:
    """Write the generated docs, or with --check report those that are out of date."""
    parser = argparse.ArgumentParser(prog="python -m sim.docs", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--dir", type=Path, default=DOCS, help="the docs folder")
    args = parser.parse_args(argv)
    stale = []
    for name, make in GENERATED.items():
        path = args.dir / name
        text = make()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if args.check and stale:
        print(f"out of date: {', '.join(stale)}; run python -m sim.docs", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Reading and validating scenarios: the one gate between a TOML file and the engine.

Everything wrong with an input is collected and raised together as one ScenarioError, each
problem located by file and key path; nothing downstream ever sees an invalid scenario.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from sim.errors import PathError, Problem, ScenarioError
from sim.scenario.checks import cross_check
from sim.scenario.dotted import assign, resolve, thaw
from sim.scenario.fields import printable
from sim.scenario.models import Scenario
from sim.scenario.problems import problems_from_validation_error
from sim.scenario.sources import source_problems
from sim.scenario.stated import unstated_problems

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["load_scenario", "scenario_from_dict", "scenario_json_schema"]

_TOML_POSITION = re.compile(r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read, parse and validate one scenario file; ScenarioError lists every problem."""
    source = os.fspath(path)
    try:
        with open(source, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8").removeprefix("\ufeff")  # Notepad writes a byte-order mark
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ScenarioError([Problem(source, "(file)", f"cannot read: {reason}")]) from None
    except UnicodeDecodeError as exc:
        message = f"cannot read: not UTF-8 text (byte {exc.start})"
        raise ScenarioError([Problem(source, "(file)", message)]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem(source, "(toml)", _toml_message(exc))]) from None
    except RecursionError:  # tomllib parses nested arrays and tables by recursion
        raise ScenarioError([Problem(source, "(toml)", _TOO_DEEP)]) from None
    return scenario_from_dict(data, source)


_TOO_DEEP = "arrays or tables nested too deeply (a scenario needs at most a few levels)"


_TWICE = re.compile(r"^Cannot declare \((?P<table>.*?),?\) twice$")


def _toml_message(exc: ValueError) -> str:
    """ "line L, column C: message" from tomllib's "message (at line L, column C)"."""
    text = str(exc)
    match = _TOML_POSITION.match(text)
    if match is None:
        return text
    message = match["message"]
    twice = _TWICE.match(message)
    if twice:
        table = ".".join(part.strip(" '\"") for part in twice["table"].split(","))
        message = f"the table [{table}] appears twice; a scenario may have one [{table}]"
        if table == "sweep":
            message += (
                " (a sweep varies one key: to vary two, run the file once per value of the "
                "other with --set, or write the combinations as strategies)"
            )
        else:
            message += f" (a list of tables is written [[{table}]])"
    return f"line {match['line']}, column {match['col']}: {message}"


def scenario_from_dict(data: Mapping[str, Any], source: str = "<dict>") -> Scenario:
    """Validate plain data (as parsed from TOML or JSON) into a Scenario.

    Raises ScenarioError carrying every structural problem, or, if the structure is sound,
    every cross-field problem including sweep values that would make the scenario invalid.
    """
    try:
        return _build(data, source, check_sweep=True)
    except RecursionError:  # validation walks nested data (JSON or dicts given to the API)
        raise ScenarioError([Problem(source, "", _TOO_DEEP)]) from None


def _build(data: Any, source: str, *, check_sweep: bool) -> Scenario:
    if not isinstance(data, Mapping):
        raise ScenarioError([Problem(source, "", "a scenario must be a table of tables", data)])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc, Scenario, source)
        raise ScenarioError(_named(problems, data)) from None
    problems = cross_check(scenario, source)
    problems += unstated_problems(scenario, data, source)
    problems += source_problems(scenario.sources, data, source, named_path)
    if check_sweep and not problems:
        problems = _sweep_problems(scenario, data, source)
    if problems:
        raise ScenarioError(_named(problems, data))
    scenario._input = thaw(data)
    scenario._source = source
    return scenario


def named_path(data: Any, dotted: str) -> str:
    """The path with list indexes replaced by the item's name where it has a unique one
    ("segments.1.share" -> "segments.short-of-balance.share"); --set accepts both spellings."""
    node = data
    out = []
    for token in dotted.split("."):
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            item = node[int(token)]
            name = item.get("name") if isinstance(item, Mapping) else None
            names = [i.get("name") for i in node if isinstance(i, Mapping)]
            unique = isinstance(name, str) and 0 < len(name) <= 200 and printable(name)
            unique = unique and names.count(name) == 1
            out.append(name if unique and not name.isdigit() and "." not in name else token)
            node = item
        elif isinstance(node, Mapping) and token in node:
            out.append(token)
            node = node[token]
        else:
            out.append(token)
            node = None
    return ".".join(out)


def _named(problems: list[Problem], data: Any) -> list[Problem]:
    return [dataclasses.replace(p, path=named_path(data, p.path)) for p in problems]


def _sweep_problems(scenario: Scenario, data: Mapping[str, Any], source: str) -> list[Problem]:
    """The sweep must name an existing key and every value must give a valid scenario."""
    sweep = scenario.sweep
    if sweep is None:
        return []
    if sweep.is_grid:
        return _grid_problems(scenario, data, source)
    parameter = sweep.parameter
    if parameter.split(".")[0] == "sweep":
        return [Problem(source, "sweep.parameter", "a sweep cannot change itself", parameter)]
    full = scenario.model_dump()
    try:
        resolve(full, parameter)
    except PathError as exc:
        return [Problem(source, "sweep.parameter", f"no such key: {exc}", parameter)]
    problems = list(_repeated_values(sweep.values, "sweep.values", source))
    for index, value in enumerate(sweep.values):
        details = _variant_invalid(assign(data, parameter, value, fill=full), source)
        if details:
            message = f"with {parameter} = this value the scenario is invalid: {details}"
            problems.append(Problem(source, f"sweep.values.{index}", message, value))
    return problems


def _variant_invalid(variant: dict[str, Any], source: str) -> str:
    """What is wrong with the scenario at one sweep value (its sweep left out), or ""."""
    variant.pop("sweep", None)
    try:
        _build(variant, source, check_sweep=False)
    except ScenarioError as exc:
        return "; ".join(f"{p.path}: {p.message}" for p in exc.problems)
    return ""


def _grid_problems(scenario: Scenario, data: Mapping[str, Any], source: str) -> list[Problem]:
    """A grid: one list of values per parameter, each parameter a distinct existing key, and
    every combination a valid scenario."""
    sweep = scenario.sweep
    names, values = list(sweep.parameter), list(sweep.values)
    full = scenario.model_dump()
    problems = []
    if len(set(names)) != len(names):
        problems.append(Problem(source, "sweep.parameter", "names a key twice", list(names)))
    for index, name in enumerate(names):
        where = f"sweep.parameter.{index}"
        if name.split(".")[0] == "sweep":
            problems.append(Problem(source, where, "a sweep cannot change itself", name))
            continue
        try:
            resolve(full, name)
        except PathError as exc:
            problems.append(Problem(source, where, f"no such key: {exc}", name))
    if len(values) != len(names):
        message = f"needs one list of values per parameter ({len(names)})"
        problems.append(Problem(source, "sweep.values", message, len(values)))
    for index, axis in enumerate(values):
        if not isinstance(axis, list | tuple) or not axis:
            message = "must be a non-empty list of values for parameter " + str(index + 1)
            problems.append(Problem(source, f"sweep.values.{index}", message, axis))
        else:
            problems.extend(_repeated_values(axis, f"sweep.values.{index}", source))
    if problems:
        return problems
    for point in sweep.points:
        variant = dict(data)
        for name, value in zip(names, point, strict=True):
            variant = assign(variant, name, value, fill=full)
        details = _variant_invalid(variant, source)
        if details:
            setting = ", ".join(f"{n} = {v!r}" for n, v in zip(names, point, strict=True))
            message = f"with {setting} the scenario is invalid: {details}"
            problems.append(Problem(source, "sweep.values", message, list(point)))
    return problems


def _repeated_values(values: Any, where: str, source: str) -> list[Problem]:
    """A sweep value given twice would run (and name) the same candidate twice."""
    problems, seen = [], []
    for index, value in enumerate(values):
        earlier = next((i for i, v in enumerate(seen) if v == value), None)
        if earlier is not None:
            message = f"repeats {where}.{earlier}; give each value once"
            problems.append(Problem(source, f"{where}.{index}", message, value))
        seen.append(value)
    return problems


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format, with the meaning of every key."""
    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "ordersim scenario",
    }

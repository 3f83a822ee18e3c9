"""Finding and changing a scenario from the command line: `run NAME`, `--set KEY=VALUE`.

`ordersim run how-many-agents` finds scenarios/how-many-agents.toml (in the current folder, else
next to the installed package); a path that does not exist gets the nearest bundled scenario as
a suggestion. `--set` values are read as TOML values (a bare word is a string), applied to the
scenario as written and validated like the file itself, every problem reported at once.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Any

from sim.errors import PathError, Problem, ScenarioError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["bundled_scenarios", "find_scenario", "load_with_overrides", "parse_set"]

_PROJECT = Path(__file__).resolve().parents[1]
_BUNDLED = Path(__file__).resolve().parent / "bundled"


def bundled_scenarios() -> list[Path]:
    """The scenario files that come with ordersim (cwd's scenarios/ first)."""
    seen: dict[str, Path] = {}
    # cwd, then the project (a source checkout), then the copies a wheel carries in the package
    for folder in (Path("scenarios"), _PROJECT / "scenarios", _BUNDLED / "scenarios"):
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                seen.setdefault(path.stem, path)
    return list(seen.values())


def find_scenario(text: str) -> Path:
    """The file `text` names: a path, or the name of a bundled scenario.

    A missing file raises ScenarioError suggesting the nearest bundled scenario."""
    path = Path(text)
    if path.is_file():
        return path
    bundled = bundled_scenarios()
    by_name = {p.stem: p for p in bundled}
    name = path.name.removesuffix(".toml")
    if path.parent == Path(".") and name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.5)
    if close:
        hint = f"; did you mean {by_name[close[0]]}?"
    elif bundled:
        hint = f"; bundled scenarios: {', '.join(sorted(by_name))}"
    else:
        hint = ""
    what = "no such file" if not path.exists() else "not a file"
    raise ScenarioError([Problem(text, "(file)", f"cannot read: {what}{hint}")])


def parse_set(text: str) -> tuple[str, Any]:
    """argparse type of --set: KEY=VALUE, VALUE as TOML (6, 0.5, true, [1, 2], "x") or a word."""
    key, sep, raw = text.partition("=")
    key, raw = key.strip(), raw.strip()
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"use KEY=VALUE, e.g. staff.agents=3 (got {text!r})")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word: platform.preset=tmall
    return key, value


def load_with_overrides(path: str | Path, sets: list[tuple[str, Any]] | None) -> Any:
    """Load and validate `path` with every --set applied; ScenarioError lists all problems."""
    from sim.scenario.dotted import assign, resolve
    from sim.scenario.load import load_scenario, scenario_from_dict
    from sim.scenario.paths import scenario_input

    scenario = load_scenario(path)
    if not sets:
        return scenario
    source = str(path)
    full = scenario.model_dump()
    data = scenario_input(scenario)
    problems = []
    for key, value in sets:
        try:
            resolve(full, key)
            data = assign(data, key, value, fill=full)
        except PathError as exc:
            problems.append(Problem(source, f"--set {key}", f"no such key: {exc}", value))
    try:
        checked = scenario_from_dict(data, source)
    except ScenarioError as exc:
        problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return checked

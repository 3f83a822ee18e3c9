"""The project stands on its own: generated docs are current, nothing points outside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.docs import GENERATED

REPO = Path(__file__).parents[1]


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_doc_is_current(name: str) -> None:
    """docs/format.md and docs/kpis.md are what `python -m sim.docs` writes today."""
    committed = (REPO / "docs" / name).read_text(encoding="utf-8")
    assert committed == GENERATED[name](), f"docs/{name} is stale: run python -m sim.docs"


def test_format_reference_lists_every_key_of_every_table() -> None:
    from sim.scenario.buyers import Segment
    from sim.scenario.models import Scenario, Shop, Staff
    from sim.scenario.strategies import Policy, ReminderStep

    text = GENERATED["format.md"]()
    for model in (Scenario, Shop, Staff, Segment, Policy, ReminderStep):
        for key in model.model_fields:
            assert f"| `{key}` |" in text or f"`[{key}]`" in text or f"[[{key}]]" in text, key


def test_kpi_reference_defines_every_kpi() -> None:
    from sim.experiment.results import DERIVED_KPIS, KPI_NAMES

    text = GENERATED["kpis.md"]()
    for name in (*KPI_NAMES, *DERIVED_KPIS):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        assert row.rstrip("| ").split("|")[-1].strip(), f"{name} has no definition"


def _project_text_files() -> list[Path]:
    patterns = ("*.md", "*.toml", "*.py", "run")
    skip = {".git", ".ci", "results", "node_modules"}
    files = []
    for pattern in patterns:
        for path in REPO.rglob(pattern):
            parts = set(path.relative_to(REPO).parts)
            if parts & skip or any(p.startswith(".") or "venv" in p for p in parts):
                continue
            files.append(path)
    return files


# What no project file may name: the team's brief beside the checkout and the machine's paths.
# Spelt from pieces, so that this file names none of them and is checked like every other.
_OUTSIDE = (
    ("..", "/shared"),
    ("shared", "/spec"),
    ("DOMAIN", ".md"),
    ("CONTRACT", ".md"),
    ("/wo", "rk/"),
)


def test_nothing_points_outside_the_project() -> None:
    outside = re.compile("|".join(re.escape(a + b) for a, b in _OUTSIDE))
    bad = [
        str(path.relative_to(REPO))
        for path in _project_text_files()
        if outside.search(path.read_text(encoding="utf-8"))
    ]
    assert not bad, f"these files point outside the project: {bad}"


def test_the_reference_scenario_is_in_the_project_and_validates() -> None:
    from sim.scenario import load_scenario

    scenario = load_scenario(REPO / "docs" / "reference.toml")
    assert scenario.scenario.name == "reference"


def _slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.M)}


@pytest.mark.parametrize(
    "page", ["README.md", *sorted(f"docs/{p.name}" for p in (REPO / "docs").glob("*.md"))]
)
def test_every_link_of_the_readme_and_docs_resolves(page: str) -> None:
    """A relative link names a file of the project, and its #anchor a heading of that file."""
    path = REPO / page
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        name, _, anchor = target.partition("#")
        linked = (path.parent / name).resolve() if name else path
        if not linked.exists() or (
            anchor and linked.suffix == ".md" and anchor not in _anchors(linked)
        ):
            broken.append(target)
    assert not broken, f"{page}: links that do not resolve: {broken}"

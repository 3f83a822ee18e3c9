"""Completed work units kept on disk, so ``--resume`` finishes an interrupted run.

Each finished unit is written atomically as JSON (floats round-trip exactly through ``repr``),
under a folder named by a fingerprint of everything that decides the numbers (scenario, seed,
replications, engine), so a changed scenario never reuses stale units.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from pathlib import Path
from typing import Any

from ..output.atomic import atomic_write_text
from .plan import WorkUnit
from .results import UnitResult

__all__ = ["UnitStore", "fingerprint", "scenario_key"]


def fingerprint(
    scenario: Any,
    *,
    replications: int,
    engine: str,
    events: str | None,
    extra: dict | None = None,
) -> str:
    """A short hash of the validated scenario and the settings that change results (``extra``:
    what decides which replications are added, e.g. a selection's KPI and delta)."""
    payload = json.dumps(
        {
            "scenario": scenario.model_dump(mode="json"),
            "r": replications,
            "engine": engine,
            "events": events,
            **({"extra": extra} if extra else {}),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def scenario_key(scenario: Any) -> str:
    """A short hash of the validated scenario alone, its replications left out (how precisely
    it is run, not what it is): robust.json carries it, so a run of the same scenario can tell
    that a robustness check beside its folder is about it."""
    dump = scenario.model_dump(mode="json")
    dump["scenario"].pop("replications", None)
    payload = json.dumps(dump, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _encode(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"float"}:
        return float(value["float"])
    return value


class UnitStore:
    """A folder of finished units for one fingerprint."""

    def __init__(self, root: Path, key: str) -> None:
        self.root = Path(root)
        self.dir = self.root / key
        self.events_dir = self.dir / "events"

    def reset(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.events_dir.mkdir(parents=True, exist_ok=True)

    def open(self) -> None:
        self.events_dir.mkdir(parents=True, exist_ok=True)

    def save(self, unit: WorkUnit, result: UnitResult) -> None:
        record = {
            "strategy": result.strategy,
            "replication": result.replication,
            "sweep_value": result.sweep_value,
            "kpis": {k: _encode(v) for k, v in result.kpis.items()},
            "curves": result.curves,
        }
        # no fsync: a unit a power cut loses is unreadable and runs again
        atomic_write_text(self.dir / f"{unit.file_stem}.json", json.dumps(record), durable=False)

    def load(self, units: list[WorkUnit]) -> dict[int, UnitResult]:
        """The units already finished (unreadable leftovers are simply run again)."""
        done = {}
        for unit in units:
            path = self.dir / f"{unit.file_stem}.json"
            try:
                record = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if (record["strategy"], record["replication"]) != (unit.strategy, unit.replication):
                continue
            kpis = {k: _decode(v) for k, v in record["kpis"].items()}
            done[unit.index] = UnitResult(
                unit.strategy,
                unit.replication,
                unit.sweep_value,  # as planned: JSON turns a grid point's tuple into a list
                kpis,
                record["curves"],
            )
        return done

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

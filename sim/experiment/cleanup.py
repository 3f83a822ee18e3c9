"""What a run does when a fault stops it while units run or outputs are written.

Event parts of units that did not finish are removed (finished units stay for --resume), and a
full disk becomes one line naming the folder and about how much space the run needs there.
"""

from __future__ import annotations

from pathlib import Path

from ..output.diskfull import DISK_FULL, DiskFull, folder_bytes
from ..output.folder import OutputFolder
from .runner import RunSettings
from .store import UnitStore

__all__ = ["fault_in_units", "outputs_bytes"]


def fault_in_units(exc: BaseException, store: UnitStore, settings: RunSettings, todo) -> None:
    """After a stop or a failure while units ran: event parts of unfinished units are removed
    (finished units stay for --resume), and a full disk becomes its one-line DiskFull."""
    finished = set(store.load(todo))
    per_unit = _unit_bytes(store, settings, todo, finished)
    if not finished:  # only half-written parts to go by: a lower bound
        per_unit = max(per_unit, getattr(exc, "part_bytes", 0))
    needed = per_unit * len(todo)
    if settings.events is not None:
        for unit in todo:
            if unit.index not in finished:
                settings.events.part_path(unit.file_stem).unlink(missing_ok=True)
    if isinstance(exc, OSError) and exc.errno in DISK_FULL:
        raise DiskFull(exc, store.dir, needed) from None


def _unit_bytes(store: UnitStore, settings: RunSettings, todo, finished: set[int]) -> int:
    """About what one unit writes into the work folder: the mean of the finished ones (event
    part and record), else the largest unfinished event part (a lower bound)."""

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0

    sizes = {
        u.index: size(store.dir / f"{u.file_stem}.json")
        + (size(settings.events.part_path(u.file_stem)) if settings.events is not None else 0)
        for u in todo
    }
    done = [sizes[i] for i in finished if i in sizes]
    if done:
        return int(sum(done) / len(done))
    return max((sizes[u.index] for u in todo), default=0)


def outputs_bytes(folder: OutputFolder, parts: list[Path] | None) -> int:
    """About what a run's outputs take: the event parts (merged as they are) and, for the rest,
    what the previous results took (at least 2 MB)."""
    events = sum(p.stat().st_size for p in parts or [] if p.exists())
    rest = folder_bytes(folder.path) - folder_bytes(folder.work)
    return events + max(rest, 2_000_000)

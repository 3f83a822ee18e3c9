"""The execute step of a run: units on the chosen executor, each finished one kept on disk.

`run` and `robust` both hand their units here, so both show the same progress bar, keep every
finished unit in a `UnitStore` (when they write an output folder) and so finish an
interrupted run with ``--resume`` on the same numbers, whatever the executor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .cleanup import fault_in_units
from .executors import execute
from .plan import WorkUnit
from .progress import RunProgress
from .results import UnitResult
from .runner import RunSettings
from .store import UnitStore

__all__ = ["Execution", "open_store"]


@dataclass
class Execution:
    """Where and how units run; ``store`` keeps finished units, ``resume`` reuses them."""

    settings: RunSettings
    executor: str = "serial"
    workers: int | None = None
    scheduler: str | None = None
    progress: bool | None = False
    store: UnitStore | None = None
    resume: bool = False

    def __call__(
        self,
        variants: Sequence[Any],
        todo: list[WorkUnit],
        title: str,
        label: Callable[[WorkUnit], str] | None = None,
    ) -> dict[int, UnitResult]:
        """Every unit of ``todo`` (each on ``variants[unit.sweep_index]``) with its result;
        units the store already holds are loaded instead of run when resuming. The progress
        bar shows ``title`` and each finished unit as ``label`` names it (its key by default)."""
        store = self.store
        done = store.load(todo) if (store is not None and self.resume) else {}
        with RunProgress(len(todo), enabled=self.progress, title=title) as bar:
            for _ in done:
                bar.advance()

            def finished(unit: WorkUnit, result: UnitResult) -> None:
                if store is not None:
                    store.save(unit, result)
                bar.advance(label(unit) if label is not None else unit.label)

            try:
                done.update(
                    execute(
                        list(variants),
                        [u for u in todo if u.index not in done],
                        self.settings,
                        executor=self.executor,
                        workers=self.workers,
                        scheduler=self.scheduler,
                        on_done=finished,
                    )
                )
            except BaseException as exc:
                if store is not None:
                    fault_in_units(exc, store, self.settings, todo)
                raise
        return done


def open_store(
    store: UnitStore,
    first: list[WorkUnit],
    resume: bool,
    words: Any,
    say: Callable[[str], None],
    where: Any,
) -> None:
    """Open the store of a run: with ``resume`` say how many of the ``first`` units it keeps;
    without, say that finished units of an interrupted run are being dropped, and drop them."""
    if resume:
        store.open()
        kept = len(store.load(first))
        rest = (
            words.tr("nothing left to run") if kept == len(first) else words.tr("running the rest")
        )
        say(
            words.trn(
                "--resume: kept {n} finished unit of {total}; {rest}",
                "--resume: kept {n} finished units of {total}; {rest}",
                kept,
                n=kept,
                total=len(first),
                rest=rest,
            )
        )
        return
    left = len(store.load(first))
    if left:
        say(
            words.trn(
                "note: {out} held {n} finished unit of an interrupted run of this "
                "scenario; starting afresh (--resume would have kept them)",
                "note: {out} held {n} finished units of an interrupted run of this "
                "scenario; starting afresh (--resume would have kept them)",
                left,
                out=where,
                n=left,
            )
        )
    store.reset()

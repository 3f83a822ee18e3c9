"""A progress bar on stderr for runs longer than a second (rich), silent otherwise."""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

__all__ = ["RunProgress"]


class RunProgress:
    """Counts finished units; shows a bar only once the run has lasted a second."""

    def __init__(
        self, total: int, *, enabled: bool | None = None, title: str = "simulating"
    ) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty()
        self.enabled, self.total, self.title = enabled, total, title
        self.done = 0
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> RunProgress:
        return self

    def advance(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        if self._bar is None and time.monotonic() - self._started > 1.0:
            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[last]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(
                self.title, total=self.total, completed=self.done, last=label
            )
        elif self._bar is not None:
            self._bar.update(self._task, completed=self.done, last=label)

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

"""The write step of a run: outputs staged in a hidden sibling, then swapped in whole.

`run` and `robust` both publish this way, so a stop or a full disk while writing leaves the
previous results in place and no staging folder behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..experiment.cleanup import outputs_bytes
from ..experiment.progress import RunProgress
from .diskfull import DISK_FULL, DiskFull
from .folder import OutputFolder

__all__ = ["publish"]


def publish(
    folder: OutputFolder,
    write: Callable[[Path, Callable[[Path], None]], list[Path]],
    *,
    total: int,
    progress: bool | None,
    title: str,
    parts: list[Path] | None = None,
) -> list[Path]:
    """Call ``write(stage, on_file)`` into a staging folder, then swap it in for
    ``folder.path``; returns the written files at their final place. A full disk becomes
    its one-line `DiskFull` (``parts``: event parts the outputs merge, for the space needed)."""
    try:
        with (
            RunProgress(total, enabled=progress, title=title) as bar,
            folder.staging() as stage,
        ):
            written = write(stage, lambda path: bar.advance(path.name))
    except OSError as exc:
        if exc.errno not in DISK_FULL:
            raise
        raise DiskFull(exc, folder.path, outputs_bytes(folder, parts)) from None
    folder.commit()
    return [folder.path / path.name for path in written]

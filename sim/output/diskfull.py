"""A full disk said in one line: which path, and about how much more space the run needs.

Writes fail with ENOSPC (no space), EDQUOT (quota) or EFBIG (a file size limit). The run layer
turns them into `DiskFull` with the folder it was writing and its estimate of the space needed;
anything else that meets one (fit --report, fit --out) gets the same line from the command
line, naming the file the system names.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

from sim.errors import FaultError

__all__ = ["DISK_FULL", "DiskFull", "disk_full_line", "folder_bytes", "megabytes"]

DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def megabytes(n: float) -> str:
    return f"{max(n, 0) / 1e6:,.1f} MB"


def folder_bytes(folder: Path) -> int:
    """Bytes in the files under ``folder`` (0 when it is missing)."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_size
    return total


def _free(path: Path) -> int | None:
    for place in (path, *path.parents):
        try:
            return shutil.disk_usage(place).free
        except OSError:
            continue
    return None


def disk_full_line(exc: OSError, path: Path | None = None, needed: int | None = None) -> str:
    """``disk full writing PATH: N MB free there, the run needs about M MB; ...``."""
    where = Path(path) if path is not None else Path(exc.filename or ".")
    reason = exc.strerror or "no space left on device"
    text = f"{where}: cannot write ({reason.lower()})"
    free = _free(where)
    if needed is not None:
        text += f": the run needs about {megabytes(needed)} there"
        if free is not None:
            text += f", {megabytes(free)} free"
    elif free is not None:
        text += f": {megabytes(free)} free there"
    return text + "; nothing half-written was left and the previous results are kept"


class DiskFull(FaultError):
    """A run that met a full disk: its one line (exit status 1)."""

    def __init__(self, exc: OSError, path: Path, needed: int | None) -> None:
        super().__init__(disk_full_line(exc, path, needed))

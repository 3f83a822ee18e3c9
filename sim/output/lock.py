"""One run at a time per output folder: a lock file beside the folder, held for the whole run.

Two runs on one `--out` used to race: one died in the other's work folder, or the second
silently replaced the first. The lock is `fcntl.flock` on `.NAME.ordersim-lock` next to the
folder (not inside it: the folder itself is swapped out when a run completes). The operating
system releases it when the process ends, however it ends (kill -9 included), so a stale lock
never blocks a later run; the file holds the owner's process id for the message, and is removed
by its owner on the way out.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sim.errors import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock, as before
    fcntl = None  # type: ignore[assignment]

__all__ = ["folder_lock", "lock_path"]


def lock_path(folder: Path) -> Path:
    """Where the lock of ``folder`` lives: a hidden file beside it."""
    target = Path(folder).resolve()
    return target.with_name(f".{target.name}.ordersim-lock")


def _owner(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return "unknown"
    return text if text.isdigit() else "unknown"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the lock of ``folder`` for the block; UsageError (exit 2) naming the other run's
    process id when another run holds it."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = lock_path(folder)
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            reason = exc.strerror or exc
            raise UsageError(f"--out: cannot write next to {folder} ({reason})") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise UsageError(
                f"--out: {folder} is being written by another ordersim run (process "
                f"{_owner(path)}); wait for it to finish or choose another folder with --out DIR"
            ) from None
        try:  # the owner before us may have removed the file between our open and our lock
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        with contextlib.suppress(OSError):  # a full disk: the lock holds without the pid
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)

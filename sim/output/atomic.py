"""Write files all-or-nothing, so an interrupted run (Ctrl-C) leaves no half-written output.

Everything goes to a hidden temporary file in the target's directory (same file system, so the
final `os.replace` is atomic) and replaces the target only once complete. On any exception,
KeyboardInterrupt included, the temporary file is removed and the old target, if any, is kept.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_open", "atomic_write_bytes", "atomic_write_text"]

_NEW_FILE_MODE = 0o644


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike[str], mode: str = "w", *, durable: bool = True, **kwargs: Any
) -> Iterator[IO[Any]]:
    """Open a temporary file for a streaming writer; it becomes `path` when the block succeeds.

    `mode` is "w" (text; `encoding` defaults to utf-8) or "wb"; `kwargs` go to `open`.
    `durable=False` skips the fsync: for files a power cut may lose without harm (a unit of
    --resume that is lost or left empty is unreadable and simply runs again), where a sync per
    file would cost more than the simulation of a small unit.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes whole files only, mode 'w' or 'wb' (got {mode!r})")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        try:
            file_mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            file_mode = _NEW_FILE_MODE
        os.chmod(tmp, file_mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write_text(
    path: str | os.PathLike[str], text: str, encoding: str = "utf-8", *, durable: bool = True
) -> Path:
    """Write `text` to `path` atomically; returns the path (`durable`: see `atomic_open`)."""
    with atomic_open(path, "w", durable=durable, encoding=encoding, newline="") as handle:
        handle.write(text)
    return Path(path)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` atomically; returns the path."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)
    return Path(path)

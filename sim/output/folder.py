"""The output folder of a run: written whole into a hidden sibling, then swapped in.

Why: a run writes a dozen files, the slowest (plots) last. Writing them straight into the
folder would leave a mix of old and new files after a Ctrl-C, and files of an earlier run that
this run does not write (an old sweep.png) would linger. So the outputs go to a hidden staging
folder next to the target and replace it with two renames, during which Ctrl-C is held back.
The unit store of `--resume` lives inside the target (`DIR/.ordersim-work/`), so it survives
an interrupted run and goes away with the old folder once a run completes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from sim.errors import Terminated, UsageError

__all__ = ["OUTPUT_NAMES", "WORK_DIR", "OutputFolder", "sigint_deferred"]

WORK_DIR = ".ordersim-work"
# What ordersim writes into a folder; a folder holding anything else is not replaced.
OUTPUT_NAMES = frozenset(
    {
        "summary.json",
        "replications.csv",
        "events.csv",
        "events.parquet",
        "report.html",
        "results.xlsx",
        "robust.json",
    }
)


def _ours(name: str) -> bool:
    return name in OUTPUT_NAMES or name.endswith(".png") or name.startswith(".ordersim")


@contextlib.contextmanager
def sigint_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back for the duration of the block, then deliver them as the
    exception they raise (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    wanted = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda sig, frame: caught.append(sig)) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if signal.SIGTERM in caught:
            raise Terminated
        if caught:
            raise KeyboardInterrupt


class OutputFolder:
    """The folder a run's outputs end up in, checked before the run and swapped in after it."""

    def __init__(self, path: str | os.PathLike[str], scenario: str) -> None:
        self.path = Path(path)
        self.scenario = scenario
        self.stage: Path | None = None

    @property
    def work(self) -> Path:
        """Where the unit store of --resume lives."""
        return self.path / WORK_DIR

    def check(self) -> None:
        """Refuse a folder that holds another scenario's results or files ordersim did not write.

        Raises UsageError naming --out; creates the folder when it is missing.
        """
        if self.path.exists() and not self.path.is_dir():
            raise UsageError(f"--out: {self.path} is a file, not a folder")
        if self.path.is_dir():
            names = sorted(os.listdir(self.path))
            owner = self._owner()
            if owner is not None and owner != self.scenario:
                raise UsageError(
                    f"--out: {self.path} holds the results of scenario {owner!r}, not "
                    f"{self.scenario!r}; choose another folder with --out DIR (or delete it)"
                )
            foreign = [n for n in names if not _ours(n)]
            if foreign:
                shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
                raise UsageError(
                    f"--out: {self.path} holds files ordersim did not write ({shown}); a run "
                    "replaces the whole folder, so choose another one with --out DIR"
                )
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            probe = self.path / ".ordersim-write-test"
            probe.write_text("")
            probe.unlink()
        except OSError as exc:
            raise UsageError(f"--out: cannot write to {self.path} ({exc.strerror or exc})") from exc

    def _owner(self) -> str | None:
        """The scenario whose summary.json is in the folder, if any."""
        try:
            data = json.loads((self.path / "summary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        name = data.get("scenario") if isinstance(data, dict) else None
        return str(name) if name is not None else None

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh hidden sibling folder to write into; removed if the block fails."""
        parent = self.path.resolve().parent
        try:
            stage = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.new-", dir=parent))
        except OSError as exc:
            raise UsageError(f"--out: cannot write next to {self.path} ({exc})") from exc
        self.stage = stage
        try:
            yield stage
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            self.stage = None
            raise

    def commit(self) -> None:
        """Swap the staged folder in for the old one (and its unit store), Ctrl-C held back."""
        if self.stage is None:
            raise RuntimeError("commit() without a staged folder")
        os.chmod(self.stage, 0o755)
        target = self.path.resolve()
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if getattr(signal.getsignal(signal.SIGTERM), "requested", False):
            shutil.rmtree(self.stage, ignore_errors=True)  # a stop Python swallowed (cli.stop)
            self.stage = None
            raise Terminated
        with sigint_deferred():
            if target.exists():
                os.rename(target, old)
            os.rename(self.stage, target)
            self.stage = None
        shutil.rmtree(old, ignore_errors=True)

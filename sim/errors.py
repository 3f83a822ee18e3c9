"""The one small error hierarchy of ordersim.

Library code raises these; the command line catches `OrdersimError` once and turns it into
one-line messages and exit status 2, so bad input never shows a traceback.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

__all__ = [
    "MISSING",
    "FaultError",
    "OrdersimError",
    "PathError",
    "Problem",
    "Said",
    "ScenarioError",
    "Terminated",
    "UsageError",
    "said_in",
    "short_repr",
]

_MAX_VALUE_CHARS = 60


class _Missing(enum.Enum):
    """A sentinel that survives pickling (problems travel between processes)."""

    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing.MISSING


def short_repr(value: object, limit: int = _MAX_VALUE_CHARS) -> str:
    """repr() cut to `limit` characters, so one huge value cannot flood the terminal."""
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Said(str):
    """A message kept as its catalogue text (marked with ``N_``) and values, so that a command
    can say it in the reader's language (``say(lang)``); as a str it is the English text."""

    text: str
    values: dict

    def __new__(cls, text: str, /, **values: object) -> Said:
        self = super().__new__(cls, text.format(**values) if values else text)
        self.text, self.values = text, values
        return self

    def __reduce__(self):
        return (_said, (self.text, self.values))

    def say(self, lang) -> str:
        """The text in ``lang`` (a `sim.output.i18n.Lang`), Said values said in it too."""
        values = {k: v.say(lang) if isinstance(v, Said) else v for k, v in self.values.items()}
        return lang.tr(self.text, **values)


def _said(text: str, values: dict) -> Said:
    return Said(text, **values)


def said_in(error: Exception, lang) -> str:
    """An error's lines in ``lang``: its Said lines translated, any other line as it is."""
    lines = getattr(error, "lines", None)
    if lines is None:  # a UsageError said once, or an error of other words (a scenario's)
        first = error.args[0] if error.args else None
        lines = [first] if isinstance(first, Said) else [str(error)]
    return "\n".join(x.say(lang) if isinstance(x, Said) else str(x) for x in lines)


class OrdersimError(Exception):
    """Anything ordersim reports as bad input (exit status 2)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located by file and dotted key path."""

    file: str
    path: str
    message: str
    value: object = MISSING

    def __str__(self) -> str:
        text = f"{self.file}: {self.path or '(root)'}: {self.message}"
        if self.value is not MISSING:
            text += f" (got {short_repr(self.value)})"
        return text


class ScenarioError(OrdersimError, ValueError):
    """A scenario that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(list(problems))
        self.problems: list[Problem] = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class UsageError(OrdersimError, ValueError):
    """A bad command-line option or argument."""


class PathError(OrdersimError, LookupError):
    """A dotted key path (sweep parameter, override) that names nothing in the scenario."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class FaultError(Exception):
    """A run stopped by something outside its input (a worker process killed by the system, a
    full disk): the command line prints its one line and exits with status 1."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, systemd, a container stopping), raised where Ctrl-C would be so that the
    same clean-up runs; the command line exits with status 143 (128 + 15)."""

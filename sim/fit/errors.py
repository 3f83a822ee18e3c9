"""Bad order exports: every problem located as ``FILE: row N, column C: problem (got VALUE)``.

Rows are counted as a spreadsheet shows them: the header is row 1, the first order row 2.
"""

from __future__ import annotations

import argparse

from sim.errors import OrdersimError, Said, UsageError, said_in, short_repr
from sim.output.i18n import N_, get_lang

__all__ = ["ExportError", "located", "speaking"]


def located(
    file: str,
    problem: str,
    *,
    row: int | None = None,
    column: str | None = None,
    got: object = None,
    got_text: str | None = None,
) -> str:
    """One message line in the agreed shape (parts that do not apply are left out); ``got_text``
    is shown as it is (a list of headers; a ``Said`` is said in the reader's language), ``got``
    as a short repr. A ``Said`` problem gives a line that can be said in the reader's language
    (`Located`)."""
    shown = got_text if got_text is not None else None if got is None else short_repr(got)
    if isinstance(problem, Said):
        return Located(file, problem, row, column, shown)
    return _english(file, problem, row, column, shown)


def _english(file: str, problem: str, row: object, column: object, shown: object) -> str:
    """The line in English: ``FILE: row N, column C: problem (got VALUE)``."""
    where = []
    if row is not None:
        where.append(f"row {row}")
    if column is not None:
        where.append(f"column {column}")
    text = f"{file}: " + (", ".join(where) + ": " if where else "") + problem
    return text if shown is None else f"{text} (got {shown})"


class ExportError(OrdersimError, ValueError):
    """An order export that cannot be fitted or checked; carries every problem found."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(list(lines))
        self.lines = list(lines)

    def __str__(self) -> str:
        return "\n".join(self.lines)


class Located(Said):
    """A located line whose problem is a ``Said``: ``say(lang)`` says all its words in it."""

    def __new__(cls, file, problem: Said, row=None, column=None, got=None) -> Located:
        text = _english(file, problem, row, column, got)
        self = str.__new__(cls, text)
        self.text, self.values = text, {}
        self.parts = (file, problem, row, column, got)
        return self

    def __reduce__(self):
        return (Located, self.parts)

    def say(self, lang) -> str:
        file, problem, row, column, got = (_said(x, lang) for x in self.parts)
        where = []
        if row is not None:
            where.append(lang.tr(N_("row {row}"), row=row))
        if column is not None:
            where.append(lang.tr(N_("column {column}"), column=column))
        text = f"{file}: " + (lang.tr(", ").join(where) + ": " if where else "") + problem
        if got is not None:
            text += lang.tr(N_(" (got {value})"), value=got)
        return text


def _said(part: object, lang) -> object:
    return part.say(lang) if isinstance(part, Said) else part


def speaking(run):
    """The command ``run`` with its errors said in its --lang (English stays as raised)."""

    def command(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except OrdersimError as exc:
            lang = get_lang(args.lang)
            if lang.code == "en":
                raise
            raise UsageError(said_in(exc, lang)) from None

    command.__doc__ = run.__doc__
    return command

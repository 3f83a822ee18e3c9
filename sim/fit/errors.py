"""Bad order exports: every problem located as ``FILE: row N, column C: problem (got VALUE)``.

Rows are counted as a spreadsheet shows them: the header is row 1, the first order row 2.
"""

from __future__ import annotations

from sim.errors import OrdersimError, short_repr

__all__ = ["ExportError", "located"]


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
    is shown as it is (a list of headers), ``got`` as a short repr."""
    where = []
    if row is not None:
        where.append(f"row {row}")
    if column is not None:
        where.append(f"column {column}")
    text = f"{file}: " + (", ".join(where) + ": " if where else "") + problem
    if got_text is not None:
        text += f" (got {got_text})"
    elif got is not None:
        text += f" (got {short_repr(got)})"
    return text


class ExportError(OrdersimError, ValueError):
    """An order export that cannot be fitted or checked; carries every problem found."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(list(lines))
        self.lines = list(lines)

    def __str__(self) -> str:
        return "\n".join(self.lines)

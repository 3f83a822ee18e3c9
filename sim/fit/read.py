"""Read an order export into a table of text cells, whatever its encoding.

Chinese seller-centre exports come in GBK (GB18030 is read, a superset) or UTF-8 with or without
a byte-order mark; a file whose rows mix the two is refused with the first row that differs.
Cells written as ``="3100..."`` (so spreadsheets keep long numbers) are read as plain values.
Parsing is pyarrow's CSV reader: a million rows take a second or two.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .errors import ExportError, located

__all__ = ["Export", "decode", "read_export"]

_FORMULA = r'^\s*="?(.*?)"?\s*$'


@dataclass
class Export:
    """The export as text: header names (cleaned) and one pyarrow string column per header."""

    name: str  # the file as the user named it, for messages
    encoding: str
    table: pa.Table

    @property
    def headers(self) -> list[str]:
        return list(self.table.column_names)

    @property
    def rows(self) -> int:
        return self.table.num_rows


def _row_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _mixed(raw: bytes, name: str) -> None:
    """Refuse a file some of whose rows are UTF-8 and others GBK (a concatenation gone wrong)."""
    first_kind: str | None = None
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            kind = "UTF-8"
        except UnicodeDecodeError:
            kind = "GBK"
        if first_kind is None:
            first_kind = kind
        elif kind != first_kind:
            text = line.decode("utf-8" if kind == "UTF-8" else "gb18030", errors="replace")
            raise ExportError(
                [
                    located(
                        name,
                        f"mixed encodings: earlier rows are {first_kind}, this row is {kind}; "
                        "save the whole file in one encoding",
                        row=number,
                        got=text.strip()[:40],
                    )
                ]
            )


def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and the encoding it was read with (given, or detected)."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise ExportError(
                [located(name, "--encoding: unknown encoding", got=encoding)]
            ) from exc
        try:
            return raw.decode(encoding).removeprefix("\ufeff"), encoding
        except UnicodeDecodeError as exc:
            row = _row_of(raw, exc.start)
            bad = raw[exc.start : exc.start + 4]
            raise ExportError(
                [located(name, f"not valid {encoding} text", row=row, got=bad)]
            ) from exc
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        try:
            return raw.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            _mixed(raw, name)
            raise
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    _mixed(raw, name)
    try:
        return raw.decode("gb18030"), "gbk"
    except UnicodeDecodeError as exc:
        row = _row_of(raw, exc.start)
        bad = raw[exc.start : exc.start + 4]
        raise ExportError(
            [located(name, "neither UTF-8 nor GBK text; give --encoding", row=row, got=bad)]
        ) from exc


def _clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Strip blanks and the ="..." spreadsheet guard; empty cells stay empty strings."""
    return pc.replace_substring_regex(column, pattern=_FORMULA, replacement=r"\1")


def read_export(path: Path, name: str, encoding: str | None = None) -> Export:
    """Read the whole file; every column is text (typed later, role by role)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ExportError([located(name, f"cannot read the file ({exc.strerror or exc})")]) from exc
    if not raw.strip() or not raw.replace(codecs.BOM_UTF8, b"").strip():
        raise ExportError([located(name, "the file is empty", row=1, got=f"{len(raw)} bytes")])
    text, used = decode(raw, name, encoding)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    data = text.encode("utf-8")
    raw_names = next(csv.reader([first.rstrip("\r")], delimiter=delimiter))
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(
                column_names=[f"c{i}" for i in range(len(raw_names))], skip_rows=1
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(len(raw_names))},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        message = str(exc).split("\n", 1)[0]
        raise ExportError([located(name, f"not a readable CSV table: {message}")]) from exc
    names = [n.strip().strip('="').strip() for n in raw_names]
    columns = [_clean(table.column(i)) for i in range(table.num_columns)]
    return Export(name, used, pa.Table.from_arrays(columns, names=_unique(names)))


def _unique(names: list[str]) -> list[str]:
    """Header names made unique (a repeated header gets ' (2)'), so columns stay addressable."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out

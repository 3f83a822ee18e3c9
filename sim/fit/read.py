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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sim.errors import Said
from sim.output.i18n import N_

from .errors import ExportError, located

__all__ = ["Export", "clean", "decode", "read_export"]

_FORMULA = r'^\s*="?(.*?)"?\s*$'


@dataclass
class Export:
    """The export as text: header names (cleaned) and one pyarrow string column per header
    (raw cells: `column` cleans the ones a fit uses)."""

    name: str  # the file as the user named it, for messages
    encoding: str
    table: pa.Table

    @property
    def headers(self) -> list[str]:
        return list(self.table.column_names)

    @property
    def rows(self) -> int:
        return self.table.num_rows

    def column(self, header: str) -> pa.ChunkedArray:
        """One column's cells, blanks and ="..." guards removed."""
        return clean(self.table.column(header))


def _row_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _line_kinds(chunk: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Per line of ``chunk``: has a byte >= 0x80, and is not valid UTF-8 (numpy, no loop)."""
    b = np.frombuffer(chunk, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(b == 0x0A) + 1))
    starts = starts[starts < b.size]
    high = np.maximum.reduceat(b, starts) >= 0x80
    if not high.any():
        return high, np.zeros_like(high)
    cont = (b & 0xC0) == 0x80
    lead = b >= 0xC0
    need = np.zeros(b.size + 3, dtype=bool)
    need[1 : b.size + 1] = lead
    need[2 : b.size + 2] |= b >= 0xE0
    need[3 : b.size + 3] |= b >= 0xF0
    bad = (cont != need[: b.size]) | (b >= 0xF8)
    return high, np.logical_or.reduceat(bad, starts)


def _mixed(raw: bytes, name: str, block: int = 1 << 22) -> None:
    """Refuse a file some of whose rows are UTF-8 and others GBK (a concatenation gone wrong)."""
    first_kind: str | None = None
    offset, first_line = 0, 1
    while offset < len(raw):
        stop = raw.find(b"\n", offset + block)
        stop = len(raw) if stop < 0 else stop + 1
        chunk = raw[offset:stop]
        high, invalid = _line_kinds(chunk)
        kinds = np.where(invalid, 2, np.where(high, 1, 0))  # 0 ascii, 1 UTF-8, 2 GBK
        named = np.flatnonzero(kinds)
        if named.size:
            if first_kind is None:
                first_kind = int(kinds[named[0]])
            other = np.flatnonzero((kinds != 0) & (kinds != first_kind))
            if other.size:
                index = int(other[0])
                kind, was = ("UTF-8", "GBK") if kinds[index] == 1 else ("GBK", "UTF-8")
                line = chunk.split(b"\n")[index]
                text = line.decode("utf-8" if kind == "UTF-8" else "gb18030", errors="replace")
                raise ExportError(
                    [
                        located(
                            name,
                            Said(
                                N_(
                                    "mixed encodings: earlier rows are {was}, this row is "
                                    "{kind}; save the whole file in one encoding"
                                ),
                                was=was,
                                kind=kind,
                            ),
                            row=first_line + index,
                            got=text.strip()[:40],
                        )
                    ]
                )
        first_line += chunk.count(b"\n")
        offset = stop


def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and the encoding it was read with (given, or detected)."""
    if encoding is not None:
        try:
            known = codecs.lookup(encoding)
        except LookupError as exc:
            raise ExportError(
                [located(name, Said(N_("--encoding: unknown encoding")), got=encoding)]
            ) from exc
        if not getattr(known, "_is_text_encoding", True):  # rot13, base64: not text codecs
            raise ExportError(
                [
                    located(
                        name,
                        Said(N_("--encoding: not a text encoding (e.g. utf-8, gbk)")),
                        got=encoding,
                    )
                ]
            )
        try:
            return raw.decode(encoding).removeprefix("\ufeff"), encoding
        except UnicodeDecodeError as exc:
            row = _row_of(raw, exc.start)
            bad = raw[exc.start : exc.start + 4]
            raise ExportError(
                [
                    located(
                        name,
                        Said(N_("not valid {encoding} text"), encoding=encoding),
                        row=row,
                        got=bad,
                    )
                ]
            ) from exc
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        try:
            return raw.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            _mixed(raw, name)
            raise ExportError(
                [
                    located(
                        name,
                        Said(
                            N_(
                                "starts with a UTF-8 byte-order mark but is not UTF-8 text; "
                                "give --encoding"
                            )
                        ),
                        row=_row_of(raw, exc.start),
                        got=raw[exc.start : exc.start + 4],
                    )
                ]
            ) from exc
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
            [
                located(
                    name, Said(N_("neither UTF-8 nor GBK text; give --encoding")), row=row, got=bad
                )
            ]
        ) from exc


def clean(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Strip blanks and the ="..." spreadsheet guard; empty cells stay empty strings."""
    column = pc.utf8_trim_whitespace(column)
    if not pc.any(pc.starts_with(column, "=")).as_py():
        return column
    guarded = pc.and_(pc.starts_with(column, '="'), pc.ends_with(column, '"'))
    if pc.all(pc.or_(guarded, pc.equal(column, ""))).as_py():  # the usual case: all ="..."
        return pc.if_else(guarded, pc.utf8_slice_codeunits(column, 2, -1), column)
    return pc.replace_substring_regex(column, pattern=_FORMULA, replacement=r"\1")


def read_export(path: Path, name: str, encoding: str | None = None) -> Export:
    """Read the whole file; every column is text (typed later, role by role)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        problem = Said(N_("cannot read the file ({reason})"), reason=exc.strerror or exc)
        raise ExportError([located(name, problem)]) from exc
    if not raw[:65536].strip(b" \t\r\n\xef\xbb\xbf") and not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        size = Said(N_("'{n} bytes'"), n=len(raw))  # quoted, as a got value is
        raise ExportError([located(name, Said(N_("the file is empty")), row=1, got_text=size)])
    text, used = decode(raw, name, encoding)
    if "\n" not in text and "\r" in text:  # classic Mac line endings: CR alone
        text = text.replace("\r", "\n")
    newline = text.find("\n")
    first = text if newline < 0 else text[:newline]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    data = text.encode("utf-8")
    try:
        raw_names = next(csv.reader([first.rstrip("\r")], delimiter=delimiter))
    except csv.Error as exc:  # e.g. a header cell over the csv module's 128 KiB field limit
        raise ExportError(
            [
                located(
                    name,
                    Said(N_("the header row cannot be read ({reason})"), reason=exc),
                    row=1,
                    got=first[:40],
                )
            ]
        ) from exc
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
        problem = Said(N_("not a readable CSV table: {reason}"), reason=message)
        raise ExportError([located(name, problem)]) from exc
    names = [n.strip().strip('="').strip() for n in raw_names]
    return Export(name, used, table.rename_columns(_unique(names)))


def _unique(names: list[str]) -> list[str]:
    """Header names made unique (a repeated header gets ' (2)'), so columns stay addressable."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out

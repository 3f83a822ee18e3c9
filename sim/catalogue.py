"""The message catalogue: texts extracted from the code with Babel, Chinese in a .po file.

`python -m sim.catalogue` extracts every text marked in `sim/` and `fsm/` (`lang.tr("...")`,
`lang.trn("...", "...", n)`, `N_("...")`), merges them into
`sim/locale/zh/LC_MESSAGES/ordersim.po` (new texts get an empty translation to fill in; texts
gone from the code become obsolete) and compiles `ordersim.mo`, which `sim.output.i18n` reads.
`--check` changes nothing and lists what is missing: `problems()` is also what the test runs.

Babel is needed only here (the `test` extra); a run reads the compiled .mo with `gettext`.
The .po keeps file names but not line numbers, sorted by text, so that two people adding texts
at once rarely touch the same lines.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from sim.output.i18n import DOMAIN, LANGS, LOCALE_DIR

__all__ = ["KEYWORDS", "compiled", "extract", "main", "po_path", "problems", "update"]

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("sim", "fsm")
KEYWORDS = {"tr": None, "trn": (1, 2), "N_": None}
_FIELD = re.compile(r"{(\w*)")
_CALL = re.compile(r"""(?:\.trn?|\bN_)\(\s*(?P<literal>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')""")


def po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every marked text of the code, as a template catalogue."""
    template = Catalog(domain=DOMAIN, project="ordersim", fuzzy=False)
    for source in SOURCES:
        for filename, _line, message, comments, context in extract_from_dir(
            ROOT / source,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            template.add(
                message,
                None,
                [(f"{source}/{filename}", None)],
                auto_comments=comments,
                context=context,
            )
    return template


def _read(code: str) -> Catalog:
    path = po_path(code)
    if not path.exists():
        return Catalog(locale=code, domain=DOMAIN, project="ordersim", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False)
    return out.getvalue()


def compiled(catalog: Catalog) -> bytes:
    """The .mo file of a catalogue (fuzzy translations are left out, as msgfmt does)."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _text(po: bytes) -> list[str]:
    """A .po file's lines but the one naming the Babel version that wrote it."""
    return [line for line in po.decode("utf-8").splitlines() if "Generated-By" not in line]


def _messages(mo: bytes) -> dict:
    """A compiled catalogue's translations (its header left out)."""
    catalog = read_mo(io.BytesIO(mo))
    return {str(message.id): str(message.string) for message in catalog if message.id}


def _merged(code: str, template: Catalog) -> Catalog:
    catalog = _read(code)
    catalog.update(template, update_creation_date=False)
    catalog.obsolete.clear()  # texts gone from the code: their translations go with them
    return catalog


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def unextracted(template: Catalog) -> list[str]:
    """Texts marked in the source that Babel did not extract (e.g. inside an f-string's braces,
    which Python before 3.12 tokenizes as one string): they would never be translated."""
    ids = [i for message in template if message.id for i in _ids(message)]
    missed = []
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            for match in _CALL.finditer(path.read_text(encoding="utf-8")):
                text = ast.literal_eval(match.group("literal"))
                if text != "..." and not any(i.startswith(text) for i in ids):
                    where = f"{path.relative_to(ROOT)}:{match.group(0)[:60]}"
                    missed.append(f"{where}: not extracted: take it out of the f-string")
    return missed


def problems(codes: Iterable[str] = LANGS[1:]) -> list[str]:
    """What keeps the catalogue from being complete and current (empty when it is)."""
    template = extract()
    found = unextracted(template)
    for code in codes:
        path = po_path(code)
        merged = _merged(code, template)
        for message in merged:
            if not message.id:
                continue
            text = _ids(message)[0]
            where = ", ".join(sorted({f for f, _ in message.locations})) or "?"
            if message.fuzzy:
                found.append(f"{code}: {text!r} ({where}): translation marked fuzzy, check it")
            elif not all(_strings(message)):
                found.append(f"{code}: {text!r} ({where}): no translation")
            else:
                wanted = {f for i in _ids(message) for f in _FIELD.findall(i)}
                given = {f for s in _strings(message) for f in _FIELD.findall(s)}
                if wanted != given:
                    found.append(
                        f"{code}: {text!r}: the translation's fields {sorted(given)} are not "
                        f"the text's {sorted(wanted)}"
                    )
        if not path.exists() or _text(path.read_bytes()) != _text(_po_bytes(merged)):
            found.append(f"{path.relative_to(ROOT)}: not current: run python -m sim.catalogue")
        mo = path.with_suffix(".mo")
        if not mo.exists() or _messages(mo.read_bytes()) != _messages(compiled(merged)):
            found.append(f"{mo.relative_to(ROOT)}: not compiled: run python -m sim.catalogue")
    return found


def update(codes: Iterable[str] = LANGS[1:]) -> list[Path]:
    """Merge the code's texts into each language's .po and compile its .mo."""
    template = extract()
    written = []
    for code in codes:
        path = po_path(code)
        merged = _merged(code, template)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_po_bytes(merged))
        path.with_suffix(".mo").write_bytes(compiled(merged))
        written += [path, path.with_suffix(".mo")]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.catalogue",
        description="Extract the texts of the code into the .po catalogues and compile them.",
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; list texts left to translate"
    )
    args = parser.parse_args(argv)
    if not args.check:
        for path in update():
            print(f"wrote {path.relative_to(ROOT)}")
    left = problems()
    for line in left:
        print(line)
    return 1 if left else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Build the Chinese font ordersim ships: a subset of Noto Sans CJK SC (SIL OFL 1.1).

A machine without a Chinese font would draw `--lang zh` plots as boxes. So the package carries
`sim/fonts/OrdersimCJKSC-Regular.otf`: the glyphs of every Chinese text in the message
catalogue, the 3,755 most common characters (GB 2312 level 1, for Chinese strategy names) and
ASCII, cut from Noto Sans CJK SC Regular and renamed (the OFL lets a modified font travel only
under another name). About 1.5 MB; `sim.output.fonts` falls back to it when no system font is
found. Re-run after adding Chinese texts with new characters (a test names them):

    python -m sim.output.font_subset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

(Debian's fonts-noto-cjk; any Noto Sans CJK SC .otf or .ttc works.)
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["BUNDLED", "FAMILY", "build", "catalogue_characters", "common_characters"]

FONTS = Path(__file__).resolve().parents[1] / "fonts"
BUNDLED = FONTS / "OrdersimCJKSC-Regular.otf"
FAMILY = "Ordersim CJK SC"
_PUNCTUATION = "，。、：；？！（）《》“”‘’—…·％￥【】「」～"


def catalogue_characters() -> set[str]:
    """Every non-ASCII character of the Chinese catalogue."""
    from sim.output.i18n import LOCALE_DIR

    texts = [p.read_text(encoding="utf-8") for p in LOCALE_DIR.glob("*/LC_MESSAGES/*.po")]
    return {char for text in texts for char in text if ord(char) > 0x7F and char.isprintable()}


def common_characters() -> set[str]:
    """The 3,755 characters of GB 2312 level 1 (the most common simplified characters)."""
    chars = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def _source_font(path: Path):
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() == ".ttc":
        fonts = TTCollection(str(path)).fonts
        return next(f for f in fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")
    return TTFont(str(path))


def build(source: Path, target: Path = BUNDLED) -> Path:
    """Cut the subset from `source` and write it, renamed, to `target`."""
    from fontTools import subset

    font = _source_font(source)
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    ascii_ = "".join(chr(code) for code in range(0x20, 0x7F))
    wanted = catalogue_characters() | common_characters() | set(_PUNCTUATION)
    subsetter.populate(text=ascii_ + "".join(sorted(wanted)))
    subsetter.subset(font)
    names = font["name"]
    postscript = FAMILY.replace(" ", "") + "-Regular"
    for name_id, value in {
        1: FAMILY,
        3: f"{postscript};subset of Noto Sans CJK SC 2.004",
        4: f"{FAMILY} Regular",
        6: postscript,
        16: FAMILY,
        17: "Regular",
    }.items():
        for record in list(names.names):
            if record.nameID == name_id:
                names.setName(value, name_id, record.platformID, record.platEncID, record.langID)
    if "CFF " in font:
        font["CFF "].cff.fontNames = [postscript]
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.output.font_subset", description=__doc__)
    parser.add_argument("source", type=Path, help="Noto Sans CJK SC (.otf, or the CJK .ttc)")
    args = parser.parse_args(argv)
    path = build(args.source)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

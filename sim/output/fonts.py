"""Chinese text in plots: find a CJK font on the system and use it as a fallback.

Matplotlib's default font has no Chinese glyphs, so a Chinese strategy name or `--lang zh`
would draw empty boxes with one warning per glyph. Here the first installed font of a fallback
list is put behind the default font (matplotlib >= 3.6 falls back glyph by glyph), inside a
context, so nothing global changes. Without any such font the caller prints one line on how to
install one, and the glyph warnings are silenced.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Iterable, Iterator

__all__ = ["CJK_FONTS", "cjk_font", "has_cjk", "plot_fonts"]

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)


@functools.cache
def cjk_font() -> str | None:
    """The first font of CJK_FONTS that matplotlib can find, or None.

    Matplotlib caches its font list on first use, so a font installed afterwards is missing
    from it; such files are looked up by name on disk and registered."""
    from matplotlib import font_manager

    manager = font_manager.fontManager

    def first() -> str | None:
        installed = {entry.name for entry in manager.ttflist}
        return next((name for name in CJK_FONTS if name in installed), None)

    found = first()
    if found is None:
        hints = ("cjk", "wqy", "sourcehan", "simhei", "msyh", "pingfang")
        for path in font_manager.findSystemFonts():
            if any(hint in path.lower().replace("-", "") for hint in hints):
                with contextlib.suppress(Exception):  # an unreadable file is just skipped
                    manager.addfont(path)
        found = first()
    return found


def has_cjk(texts: Iterable[object]) -> bool:
    """Whether any text holds a CJK character (which the default font cannot draw)."""
    return any(
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"
        for text in texts
        for char in str(text)
    )


@contextlib.contextmanager
def plot_fonts() -> Iterator[str | None]:
    """Draw with the default font, falling back to a CJK font where one is installed; without
    one, glyph warnings are silenced (the caller says once how to install a font)."""
    import matplotlib

    font = cjk_font()
    family = ["DejaVu Sans", font] if font else ["DejaVu Sans"]
    with matplotlib.rc_context({"font.family": family}), warnings.catch_warnings():
        if font is None:
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield font

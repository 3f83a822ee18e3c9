"""Chinese text in plots: a CJK font behind the default one, the bundled one if need be.

Matplotlib's default font has no Chinese glyphs, so a Chinese strategy name or `--lang zh`
would draw empty boxes. The first installed font of CJK_FONTS is put behind the default font
(matplotlib >= 3.6 falls back glyph by glyph), inside a context, so nothing global changes.
Without one, the font the package ships is used (`sim/fonts/OrdersimCJKSC-Regular.otf`, a
subset of Noto Sans CJK SC holding every Chinese text of the catalogue and the 3,755 most
common characters; see `sim.output.font_subset`). `cannot_draw` names the characters no font
here has, so that the caller writes no plot with boxes and says why instead.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import warnings
from collections.abc import Iterable, Iterator

from sim.output.font_subset import BUNDLED, FAMILY

__all__ = ["CJK_FONTS", "cannot_draw", "cjk_font", "has_cjk", "is_cjk", "plot_fonts"]

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
def system_cjk_font() -> str | None:
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


@functools.cache
def _bundled() -> frozenset[str] | None:
    """Register the shipped subset with matplotlib; the characters it draws (None if absent)."""
    if not BUNDLED.is_file():
        return None
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(BUNDLED))
    return frozenset(chr(code) for code in TTFont(str(BUNDLED)).getBestCmap())


def cjk_font() -> str | None:
    """The font Chinese text is drawn in: an installed one, else the shipped subset."""
    found = system_cjk_font()
    if found is None and _bundled() is not None:
        found = FAMILY
    return found


def is_cjk(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"
    )


def has_cjk(texts: Iterable[object]) -> bool:
    """Whether any text holds a CJK character (which the default font cannot draw)."""
    return any(is_cjk(char) for text in texts for char in str(text))


def cannot_draw(texts: Iterable[object]) -> list[str]:
    """The CJK characters of `texts` that no font here draws (sorted, each once)."""
    wanted = {char for text in texts for char in str(text) if is_cjk(char)}
    if not wanted or system_cjk_font() is not None:
        return []
    drawn = _bundled() or frozenset()
    return sorted(wanted - drawn)


@contextlib.contextmanager
def plot_fonts() -> Iterator[str | None]:
    """Draw with the default font, falling back to the CJK font for Chinese glyphs."""
    import matplotlib

    font = cjk_font()
    family = ["DejaVu Sans", font] if font else ["DejaVu Sans"]
    # the shipped font has no bold face: matplotlib would log that for every bold title
    log = logging.getLogger("matplotlib.font_manager")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context({"font.family": family}), warnings.catch_warnings():
            if font is None:
                warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
            yield font
    finally:
        log.setLevel(level)

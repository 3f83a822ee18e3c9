"""Terminal text wrapped to a width in cells, in English and in Chinese.

A line may break at a space, and in Chinese also between two Chinese characters (Chinese
puts no spaces between words), but never inside a Latin word, a number or a name, never
before a closing mark (，。；：、) or after an opening one, and in a Chinese text never between
a number and its unit ("72 h", "15 分钟", "3 次重复" stay on one line) nor inside a unit
(小时, 个百分点). Chinese characters take two cells.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from sim.output.fonts import is_cjk

__all__ = ["fill_cells", "pieces", "wrap_name"]

_NUMBER = re.compile(r"[+\-−±]?[\d.,]*\d%?")
# Chinese units that follow a number; the longest one that starts the next word stays whole
_UNITS = sorted(
    ("个百分点", "百分点", "小时", "分钟", "名客服", "次重复", "个点", "个", "次", "元", "天",
     "周", "单", "名", "点", "项", "倍", "分", "秒"),
    key=len,
    reverse=True,
)  # fmt: skip
_NO_BREAK_BEFORE = set("，。；：、！？）》」』】”’,.;:!?)]%")
_NO_BREAK_AFTER = set("（《「『【“‘([")
_ORPHAN = 4  # cells: a word's first one or two characters move down with the rest of it


def _glued(words: list[str]) -> list[str]:
    """Words with a number and the word after it (its unit) joined by a space into one."""
    out: list[str] = []
    for word in words:
        first = word[:1]
        if out and _NUMBER.fullmatch(out[-1]) and first and (first.isalpha() or is_cjk(first)):
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def _unit_end(word: str) -> int:
    """Where the unit after a word's leading "number " ends (0 when it has none)."""
    match = re.match(r"[+\-−±]?[\d.,]*\d%? ", word)
    if not match:
        return 0
    rest = word[match.end() :]
    unit = next((u for u in _UNITS if rest.startswith(u)), rest[:1] if rest else "")
    if unit and not is_cjk(unit[0]):  # a Latin unit: the whole word ("h", "min")
        unit = re.match(r"[A-Za-z]+", rest).group(0)
    return match.end() + len(unit)


def _split(word: str) -> list[str]:
    """A word cut where Chinese allows a line break inside it: between two Chinese
    characters, not before a closing mark or after an opening one, not inside a unit."""
    parts, current = [], ""
    keep = _unit_end(word)
    inside = {  # the places inside a unit of two or more characters, wherever it stands
        start + k
        for unit in _UNITS
        if len(unit) > 1
        for start in (m.start() for m in re.finditer(re.escape(unit), word))
        for k in range(1, len(unit))
    }
    for i, char in enumerate(word):
        before = word[i - 1] if i else ""
        breakable = (
            i > keep
            and i not in inside
            and is_cjk(before)
            and is_cjk(char)
            and char not in _NO_BREAK_BEFORE
            and before not in _NO_BREAK_AFTER
        )
        if breakable and current:
            parts.append(current)
            current = ""
        current += char
    return [*parts, current] if current else parts


def pieces(text: str) -> list[tuple[str, bool]]:
    """The unbreakable pieces of a text, each with whether a space stands before it."""
    out: list[tuple[str, bool]] = []
    words = [w for w in text.split(" ") if w]
    chinese = any(is_cjk(char) for char in text)  # English keeps its breaks at every space
    for word in _glued(words) if chinese else words:
        for k, part in enumerate(_split(word)):
            out.append((part, k == 0 and bool(out)))
    return out


def fill_cells(text: str, width: int, indent: str = "  ") -> list[str]:
    """Wrap a sentence to `width` terminal cells, continuation lines indented (the text's own
    leading spaces kept on its first line). A piece wider than a whole line stays whole."""
    lead = text[: len(text) - len(text.lstrip(" "))]
    lines: list[str] = []
    line = lead
    word = len(line)  # where the word being placed starts on the line
    for piece, spaced in pieces(text.strip(" ")):
        if spaced or not line.strip():
            word = len(line) + (1 if spaced and line.strip() else 0)
        joined = line + (" " if spaced else "") + piece
        if line.strip() and cell_len(joined) > width:
            head, tail = line, ""
            if not spaced and cell_len(line[word:]) <= _ORPHAN and line[:word].strip():
                head, tail = line[:word].rstrip(), line[word:]  # no 1-2 characters left alone
            lines.append(head)
            line = indent + tail + piece
            word = len(indent)
        else:
            line = joined if line.strip() else line + piece
    lines.append(line)
    return lines


def wrap_name(name: str, width: int) -> list[str]:
    """A name split into lines of at most `width` cells, breaking after hyphens, spaces,
    underscores or the "@" of a sweep value only (a piece longer than `width` stays whole); in
    a Chinese name a number keeps its unit ("sms-once @ 15 分钟, 72 小时")."""
    parts: list[str] = []
    current = ""
    chinese = any(is_cjk(char) for char in name)
    for i, char in enumerate(name):
        current += char
        unit = (
            chinese and char == " " and i and name[i - 1].isdigit() and is_cjk(name[i + 1 : i + 2])
        )
        if char in "- _@" and not unit:
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    lines: list[str] = []
    line = ""
    for part in parts:
        if line and cell_len(line + part.rstrip()) > width:
            lines.append(line.rstrip())
            line = part
        else:
            line += part
    if line:
        lines.append(line.rstrip())
    return lines

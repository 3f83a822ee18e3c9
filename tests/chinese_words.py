"""The English words a `--lang zh` output still holds, for the tests of Chinese runs."""

from __future__ import annotations

import re

# Names and symbols that stay as they are in Chinese text: methods' and authors' names, units'
# symbols, file names and command-line options the reader types.
ALLOWED = {
    "KN", "MCB", "Hsu", "Kim", "Nelson", "Student", "Bonferroni", "summary", "json",
    "TOML", "Mermaid", "resume", "replications", "max", "apt", "get", "install", "fonts",
    "noto", "cjk", "pp", "docs", "format", "md", "ordersim", "robust", "KS", "BIC",
}  # fmt: skip


def english_words(text: str, names: set[str]) -> set[str]:
    """Latin-letter words of `text` once the scenario's own names are taken out (a name may
    wrap over two lines at its hyphens, so its words are taken out one by one too)."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    own = {word for name in names for word in re.findall(r"[A-Za-z]+", name)}
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED | own}

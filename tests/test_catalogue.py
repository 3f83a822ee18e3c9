"""The message catalogue: every text a seller reads has its Chinese translation, compiled."""

from __future__ import annotations

from sim.catalogue import extract, problems
from sim.output.i18n import KPI_LABELS, get_lang


def test_every_text_of_the_code_has_a_current_chinese_translation() -> None:
    """Fails on any text marked in the code (lang.tr, lang.trn, N_) without a Chinese one, on
    a fuzzy or field-changing translation, and on a .po or .mo not regenerated since."""
    assert problems() == []


def test_extraction_finds_the_texts_of_tables_report_plots_and_kpi_labels() -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    assert {"Answer", "Results", "How fast do orders get paid?", "{n} replication"} <= ids
    assert set(KPI_LABELS.values()) <= ids


def test_the_compiled_catalogue_is_what_a_run_reads() -> None:
    zh, en = get_lang("zh"), get_lang("en")
    assert zh.tr("Answer") == "结论" and en.tr("Answer") == "Answer"
    assert zh.replications(1) == "1 次重复" and en.replications(1) == "1 replication"
    assert en.replications(20) == "20 replications" and zh.replications(20) == "20 次重复"
    assert zh.tr("wrote {n} files to {out}/", n=3, out="x") == "已写入 3 个文件到 x/"
    assert zh.tr("a text nobody marked") == "a text nobody marked"  # gettext falls back


def test_the_shipped_font_draws_every_chinese_text_of_the_catalogue() -> None:
    """Without a system font the plots fall back to sim/fonts/: it must hold every character
    of the Chinese texts (python -m sim.output.font_subset rebuilds it when one is missing)."""
    from fontTools.ttLib import TTFont

    from sim.output.font_subset import BUNDLED, catalogue_characters

    drawn = {chr(code) for code in TTFont(str(BUNDLED)).getBestCmap()}
    from sim.output.fonts import is_cjk

    missing = sorted(c for c in catalogue_characters() if is_cjk(c) and c not in drawn)
    assert not missing, f"rebuild the font (python -m sim.output.font_subset): {missing}"

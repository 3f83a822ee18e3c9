"""The answer comes first and is right; the terminal tables fit 80 columns without cutting."""

from __future__ import annotations

import copy
import re
from dataclasses import replace

import pytest
from rich.cells import cell_len
from rich.console import Console
from synthetic_runs import make_summary, make_units

from sim.experiment.stats import summarize
from sim.output.answer import answer_lines, find_answer, format_interval
from sim.output.i18n import Lang, get_lang
from sim.output.keys import choose_kpis, display_groups, parameter_label, uses_totals
from sim.output.terminal import diff_tables, fill_cells, mean_tables, wrap_name


def _render(tables, width: int = 80) -> str:
    console = Console(width=width, record=True, force_terminal=False, color_system=None)
    for table in tables:
        console.print(table)
    return console.export_text()


def _best_by_means(summary: dict, kpi: str) -> str:
    stats = summary["strategies"]
    return max(stats, key=lambda k: stats[k][kpi]["mean"])


def test_answer_names_the_best_strategy_on_net_profit(summary, units) -> None:
    ans = find_answer(summary, units)
    assert ans.kpi == "net_profit_per_order"  # same orders for every strategy
    assert ans.best == _best_by_means(summary, "net_profit_per_order")
    comp = summary["comparisons"][ans.best]["net_profit_per_order"]
    assert ans.gain["mean"] == comp["diff"]
    ranked = sorted(summary["strategies"], key=lambda k: -summary["strategies"][k][ans.kpi]["mean"])
    assert ans.runner_up == ranked[1]
    low, high = ans.vs_runner_up["ci_low"], ans.vs_runner_up["ci_high"]
    assert ans.distinguishable == (low > 0 or high < 0)
    text = "\n".join(answer_lines(ans, Lang()))
    assert ans.best in text and "reminders per order" in text


def test_answer_uses_the_experiment_layers_comparison_when_given(summary, units) -> None:
    given = copy.deepcopy(summary)
    best = _best_by_means(summary, "net_profit_per_order")
    given["best_vs_runner_up"] = {
        "kpi": "net_profit_per_order", "best": best, "runner_up": "no-reminder",
        "mean": 1.0, "ci_low": -0.5, "ci_high": 2.5, "distinguishable": False,
    }  # fmt: skip
    ans = find_answer(given, units)
    assert ans.runner_up == "no-reminder" and ans.distinguishable is False
    assert "cannot be told apart" in "\n".join(answer_lines(ans, Lang()))


def test_a_strategy_that_needs_hidden_types_is_never_the_answer(units) -> None:
    # the best strategy by means is declared to need each buyer's hidden type (by_segment):
    # the answer is the best of the rest, and the oracle's margin over it is shown beside
    plain = make_summary(units)
    oracle = _best_by_means(plain, "net_profit_per_order")
    summary = summarize(
        units, "no-reminder", scenario="synthetic", seed=7,
        replications=max(u.replication for u in units) + 1, hidden_type=[oracle],
    )  # fmt: skip
    assert summary["hidden_type"] == [oracle]
    assert summary["best_vs_runner_up"]["best"] != oracle
    ans = find_answer(summary, units)
    rest = {k: v for k, v in summary["strategies"].items() if k != oracle}
    assert ans.best == max(rest, key=lambda k: rest[k]["net_profit_per_order"]["mean"])
    assert ans.oracle == oracle
    means = {k: v["net_profit_per_order"]["mean"] for k, v in summary["strategies"].items()}
    assert ans.oracle_gain["mean"] == pytest.approx(means[oracle] - means[ans.best])
    text = "\n".join(answer_lines(ans, Lang()))
    assert f"as {oracle} assumes (by_segment)" in text and "not the answer" in text
    zh = "\n".join(answer_lines(ans, Lang("zh")))
    assert "卖家看不到它" in zh


def test_totals_are_compared_when_strategies_place_different_numbers_of_orders(units) -> None:
    for unit in units:
        if unit.strategy == "sms-30min":
            unit.kpis["orders"] *= 0.9  # a blacklist turns buyers away
        unit.kpis["net_profit"] = unit.kpis["net_profit_per_order"] * unit.kpis["orders"]
        unit.kpis["paid_orders"] = unit.kpis["paid_rate"] * unit.kpis["orders"]
    summary = make_summary(units)
    assert uses_totals(summary)
    assert choose_kpis(summary)[:2] == ["net_profit", "paid_orders"]
    ans = find_answer(summary, units)
    assert ans.kpi == "net_profit" and ans.best == _best_by_means(summary, "net_profit")
    assert ans.paid is not None and ans.paid[0] == "paid_orders"


@pytest.mark.parametrize(
    ("kpi", "stat", "text"),
    [
        ("net_profit", (614751.2, 610687.0, 618816.4), "+615,000 yuan [+611,000, +619,000]"),
        ("net_profit", (7837.0, 3909.0, 11765.0), "+7,800 yuan [+3,900, +11,800]"),
        ("paid_orders", (14060.0, 13986.0, 14134.0), "+14,100 [+14,000, +14,100]"),
        ("net_profit", (42.4, 40.1, 44.9), "+42.4 yuan [+40.1, +44.9]"),
    ],
)
def test_totals_are_printed_to_three_significant_figures(kpi, stat, text) -> None:
    mean, low, high = stat
    assert format_interval(kpi, {"mean": mean, "ci_low": low, "ci_high": high}, Lang()) == text


def test_a_kpi_the_question_turns_on_is_shown_when_it_varies(summary) -> None:
    assert "reminder_wait_hours" not in choose_kpis(summary) or True
    varied = copy.deepcopy(summary)
    for key, stats in varied["strategies"].items():
        stats["reminder_wait_hours"] = {
            "mean": None if key == "no-reminder" else 0.5, "ci_low": None, "ci_high": None,
        }  # fmt: skip
    assert "reminder_wait_hours" in choose_kpis(varied)


LONG = ("no-reminder", "channel-by-type-no-discount", "phone-for-everyone-at-once",
        "im-first-then-sms-with-gift", "sms-30min", "auto-then-two-sms-and-a-call")  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("case", ["three", "six-long-names", "sweep"])
def test_tables_fit_80_columns_and_cut_no_label(case: str, lang: str) -> None:
    from sim.output.keys import value_shown

    if case == "three":
        units = make_units()
        summary = make_summary(units)
    elif case == "six-long-names":
        base = make_units()
        old = ("no-reminder", "sms-30min", "phone-next-day")
        names = [dict(zip(old, LONG[i:i + 3], strict=True)) for i in (0, 3)]  # fmt: skip
        names[1]["no-reminder"] = "no-reminder"
        units = [
            replace(u, strategy=n[u.strategy]) for n in names for u in base
            if not (n is names[1] and u.strategy == "no-reminder")
        ]  # fmt: skip
        summary = make_summary(units)
    else:
        units = make_units(replications=4, sweep=[0.25, 6, 12, "next_day_same_hour"])
        summary = make_summary(units, "strategies.phone-next-day.reminders.0.at")
    words = get_lang(lang)
    kpis = choose_kpis(summary)
    text = _render(mean_tables(summary, kpis, words) + diff_tables(summary, kpis, words))
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert "…" not in text
    flat = re.sub(r"\s+", "", text)
    for kpi in kpis:
        assert re.sub(r"\s+", "", words.kpi(kpi)) in flat
    for group in display_groups(summary):
        for label in group.labels:  # as the reader sees it (次日同一时刻 in Chinese)
            shown = value_shown(summary, label, lang, group.parameters or None)
            assert all(piece in text for piece in re.split(r"[-_@]", shown)), shown


def test_a_strategy_the_sweep_does_not_change_is_shown_once() -> None:
    units = make_units(replications=3, sweep=[1, 6, 12])
    for unit in units:  # the baseline does not depend on the swept reminder time
        if unit.strategy == "no-reminder":
            first = next(u for u in units if u.strategy == "no-reminder"
                         and u.replication == unit.replication)  # fmt: skip
            unit.kpis.update(first.kpis)
            unit.curves.update(first.curves)
    summary = make_summary(units, "strategies.phone-next-day.reminders.0.at")
    groups = display_groups(summary)
    assert groups[0].labels == ["no-reminder"]
    assert [g.title for g in groups[1:]] == ["sms-30min", "phone-next-day"]
    text = _render(mean_tables(summary, choose_kpis(summary), Lang()))
    assert text.count("no-reminder") == 1


def test_readable_parameter_names() -> None:
    assert (
        parameter_label("strategies.sms.reminders.0.at")
        == "first reminder time (h after the order)"
    )
    assert parameter_label("staff.agents") == "agents on duty"


def test_wrapping_keeps_names_whole_and_counts_chinese_as_two_cells() -> None:
    assert wrap_name("channel-by-type-no-discount", 12) == ["channel-by-", "type-no-", "discount"]
    lines = fill_cells("  领先第二名 auto-then-sms +0.75 元 [+0.60, +0.89]: 两者可以区分", 30)
    assert all(cell_len(line) <= 30 for line in lines) and lines[0].startswith("  ")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_begins_with_the_answer(tmp_path, summary, units, lang: str) -> None:
    from sim.output.report import write_report

    path = write_report(
        tmp_path / "report.html", summary, units, [], title="t", description="q?",
        diagram_mermaid="", lang=lang,
    )  # fmt: skip
    page = path.read_text(encoding="utf-8")
    assert page.index('id="answer"') < page.index("<table")
    best = find_answer(summary, units).best
    assert best in page[page.index('id="answer"') : page.index("<table")]
    assert ('lang="zh-CN"' in page) == (lang == "zh")
    assert "overflow-x:auto" in page and "@media" in page  # tables scroll on a phone
    assert "http://" not in page and "https://" not in page  # self-contained, offline


@pytest.mark.parametrize("system_font", [True, False])
def test_a_chinese_strategy_name_renders_with_real_glyphs(tmp_path, monkeypatch, system_font):
    """With an installed CJK font, or without any (the shipped subset then draws): no glyph
    is missing (matplotlib warns for each one it would draw as a box)."""
    import warnings

    import sim.output.fonts as fonts
    from sim.output.plots import _draw, plot_kpis

    if system_font and fonts.system_cjk_font() is None:
        pytest.skip("no CJK font installed (e.g. apt-get install fonts-noto-cjk)")
    if not system_font:
        monkeypatch.setattr(fonts, "system_cjk_font", lambda: None)
        assert fonts.cjk_font() == "Ordersim CJK SC"
    units = [replace(u, strategy={"sms-30min": "短信催付"}.get(u.strategy, u.strategy))
             for u in make_units()]  # fmt: skip
    summary = make_summary(units)
    assert fonts.cannot_draw(summary["strategies"]) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        path = _draw(plot_kpis, summary, units, tmp_path, {"lang": "zh"})
    assert path.read_bytes().startswith(b"\x89PNG")


def _write_with_names(tmp_path, monkeypatch, name: str) -> tuple[list[str], list[str]]:
    """write_outputs of a run with a strategy called `name`: the notes, the plots drawn."""
    from sim.output.writers import write_outputs

    units = [replace(u, strategy={"sms-30min": name}.get(u.strategy, u.strategy))
             for u in make_units(replications=2)]  # fmt: skip

    class Run:
        summary = make_summary(units)
        scenario = None

    Run.units = units
    notes: list[str] = []
    drawn: list[str] = []
    monkeypatch.setattr("sim.output.plots.plot_all", lambda *a, **k: drawn.append("all") or [])
    monkeypatch.setattr("sim.output.writers._report", lambda *a, **k: tmp_path / "report.html")
    monkeypatch.setattr("sim.output.writers._plot_meta", lambda sc: {})
    write_outputs(Run, source=None, plots=True, event_parts=None, out_dir=tmp_path,
                  notify=notes.append, lang="zh")  # fmt: skip
    return notes, drawn


def test_without_any_font_for_a_character_no_plot_is_drawn_and_the_run_says_why(
    tmp_path, monkeypatch
) -> None:
    import sim.output.fonts as fonts

    monkeypatch.setattr(fonts, "system_cjk_font", lambda: None)
    notes, drawn = _write_with_names(tmp_path, monkeypatch, "短信催付")
    assert notes == [] and drawn == ["all"]  # the shipped font draws these
    rare = "龘"  # not among the 3,755 common characters the shipped font holds
    notes, drawn = _write_with_names(tmp_path, monkeypatch, f"短信{rare}")
    assert drawn == [] and len(notes) == 1
    assert rare in notes[0] and "apt-get install fonts-noto-cjk" in notes[0]
    monkeypatch.setattr(fonts, "_bundled", lambda: None)  # a package without its font
    notes, drawn = _write_with_names(tmp_path, monkeypatch, "短信催付")
    assert drawn == [] and len(notes) == 1 and "fonts-noto-cjk" in notes[0]


def test_every_kpi_has_a_label_in_both_languages() -> None:
    from sim.experiment.results import DERIVED_KPIS, KPI_NAMES
    from sim.output import i18n

    assert set(i18n.KPI_LABELS) >= set(KPI_NAMES) | set(DERIVED_KPIS)
    zh = get_lang("zh")
    for name, label in i18n.KPI_LABELS.items():
        assert zh.kpi(name) != label and zh.kpi(name), name
    assert zh.kpi("paid_rate", diff=True) == "付款率 (百分点)"
    with pytest.raises(ValueError, match="--lang"):
        get_lang("fr")


def test_a_summary_where_the_unchanged_strategy_ran_once_reads_the_same(tmp_path) -> None:
    """The experiment layer may run a strategy the sweep does not touch once, under its bare
    name: tables, answer and plots show it once all the same."""
    from sim.output.plots import plot_all

    units = make_units(replications=3, sweep=[1, 6, 12])
    summary = make_summary(units, "strategies.phone-next-day.reminders.0.at")
    stats = summary["strategies"]
    first = stats["no-reminder@1"]
    for key in [k for k in stats if k.startswith("no-reminder@")]:
        del stats[key]
    summary["strategies"] = {"no-reminder": first, **stats}
    units = [u for u in units if u.strategy != "no-reminder" or u.sweep_value == 1]
    units = [replace(u, sweep_value=None) if u.strategy == "no-reminder" else u for u in units]
    groups = display_groups(summary)
    assert groups[0].labels == ["no-reminder"]
    text = _render(mean_tables(summary, choose_kpis(summary), Lang()))
    assert text.count("no-reminder") == 1 and "…" not in text
    assert find_answer(summary, units).best in summary["strategies"]
    paths = plot_all(summary, units, tmp_path, sweep_parameter="x.at", auto_close_hours=24)
    assert {p.name for p in paths} >= {"kpis.png", "sweep.png", "payment_curve.png"}


def test_the_experiment_layers_selection_names_the_best(summary, units) -> None:
    given = copy.deepcopy(summary)
    given["selection"] = {"best": "sms-30min", "kpi": "net_profit_per_order", "delta": 0.1,
                          "confidence": 0.95, "procedure": "KN"}  # fmt: skip
    ans = find_answer(given, units)
    text = "\n".join(answer_lines(ans, Lang()))
    assert ans.best == "sms-30min" and "selected by KN (95% confidence, within 0.1)" in text


def test_sweep_values_are_shown_with_their_unit() -> None:
    from sim.output.keys import value_label

    at = "strategies.sms-once.reminders.0.at"
    assert value_label(at, "0.25") == "15 min" and value_label(at, "0.25", "zh") == "15 分钟"
    assert value_label(at, "23") == "23 h" and value_label(at, "next_day_same_hour") == (
        "next_day_same_hour"
    )
    assert value_label("staff.agents", "1") == "1 agent"
    assert value_label("staff.agents", "3") == "3 agents"
    assert value_label("staff.agents", "3", "zh") == "3 名客服"
    assert value_label("platform.preset", "tmall") == "tmall"


def test_the_answer_names_orders_lost_to_ratings_only_when_some_are(summary, units) -> None:
    ans = find_answer(summary, units)
    if ans.best_is_baseline:
        pytest.skip("the synthetic summary's best is the baseline")
    ans.costs = {"reminders_per_order": {"mean": 1.0}, "traffic_lost_rate": {"mean": 0.012}}
    text = "\n".join(answer_lines(ans, Lang()))
    assert "1.2% of would-be orders lost to ratings and complaints" in text
    assert "因差评与投诉流失 +1.2% 的潜在订单" in "\n".join(answer_lines(ans, get_lang("zh")))
    ans.costs["traffic_lost_rate"] = {"mean": 0.0}
    assert "lost to ratings" not in "\n".join(answer_lines(ans, Lang()))


def test_a_grid_sweep_names_each_axis_and_shows_a_baseline_once_per_value_it_depends_on() -> None:
    from sim.output.keys import display_groups, display_name, value_shown

    grid = [
        {"parameter": "strategies.sms.reminders.0.at", "values": [0.25, "next_day_same_hour"]},
        {"parameter": "platform.unpaid_auto_close_hours", "values": [24, 72]},
    ]
    values = ["0.25,24", "0.25,72", "next_day_same_hour,24", "next_day_same_hour,72"]
    close = {"24": 0.5, "72": 0.6}  # the baseline depends on the auto-close only
    strategies, comparisons = {}, {}
    for v in values:
        moment, hours = v.split(",")
        strategies[f"none@{v}"] = {"paid_rate": {"mean": close[hours]}}
        strategies[f"sms@{v}"] = {"paid_rate": {"mean": close[hours] + len(moment) / 100}}
        comparisons[f"sms@{v}"] = {"paid_rate": {"diff": len(moment) / 100}}
    summary = {
        "strategies": strategies,
        "comparisons": comparisons,
        "baseline": "none",
        "sweep": {"parameter": " × ".join(a["parameter"] for a in grid), "grid": grid},
    }
    groups = {g.title: g for g in display_groups(summary)}
    assert groups["none"].keys == ["none@0.25,24", "none@0.25,72"]
    assert groups["none"].labels == ["24", "72"]
    assert groups["none"].parameters == ["platform.unpaid_auto_close_hours"]
    assert groups["sms"].keys == [f"sms@{v}" for v in values]
    assert value_shown(summary, "next_day_same_hour,72", "zh") == "次日同一时刻, 72"
    assert display_name(summary, "sms@0.25,72") == "sms @ 15 min, 72 h"
    assert display_name(summary, "none@0.25,72") == "none @ 72 h"
    assert display_name(summary, "none@next_day_same_hour,72") == "none @ 72 h"  # a repeat
    from sim.output.swept import parameter_label

    assert parameter_label(summary["sweep"]["parameter"]) == (
        "first reminder time (h after the order) × auto-close (h)"
    )
    assert display_name(summary, "sms@next_day_same_hour,24", "zh") == "sms @ 次日同一时刻, 24 小时"

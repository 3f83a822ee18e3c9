"""Write every output of a finished run into its folder (each file atomically)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .events import merge_event_parts
from .phone import phone_path
from .summary import write_replications_csv, write_summary

__all__ = ["count_outputs", "write_outputs"]


def _plot_meta(scenario: Any) -> dict[str, Any]:
    return {
        "auto_close_hours": float(scenario.platform.unpaid_auto_close_hours),
        "agents": int(scenario.staff.agents),
        "on_duty": tuple(scenario.staff.on_duty),
        "sweep_parameter": scenario.sweep.label if scenario.sweep else None,
    }


def count_outputs(results: Any, *, plots: bool, events: bool) -> int:
    """How many steps `write_outputs` reports through `on_file` (for a progress bar)."""
    if not plots:  # (the plots module imports matplotlib: not for a run without plots)
        return 2 + int(events)
    from .plots import PLOTTERS

    return 2 + int(events) + len(PLOTTERS) + 1


def write_outputs(
    results: Any,
    *,
    source: Path | None,
    plots: bool,
    event_parts: list[Path] | None,
    excel: bool = False,
    events_format: str = "csv",
    out_dir: Path | None = None,
    on_file: Callable[[Path], None] | None = None,
    lang: str = "en",
    notify: Callable[[str], None] | None = None,
) -> list[Path]:
    """summary.json, replications.csv, [results.xlsx], [events], plots and report.html; returns
    their paths.

    They go to `out_dir` (default: the results' folder); `on_file` hears of each step done (a
    plot that does not apply to the run counts as a step, with its would-be path).
    """
    out: Path = Path(out_dir) if out_dir is not None else results.out_dir
    sc = results.scenario
    done = on_file or (lambda path: None)
    files = [write_summary(out / "summary.json", results.summary)]
    done(files[-1])
    files.append(write_replications_csv(out / "replications.csv", results.units))
    done(files[-1])
    if excel:
        from .excel import write_excel

        files.append(write_excel(out / "results.xlsx", results.summary, results.units))
        done(files[-1])
    if event_parts is not None:
        target = out / f"events.{'parquet' if events_format == 'parquet' else 'csv'}"
        _merge_atomically(event_parts, target, events_format)
        files.append(target)
        done(target)
    plot_paths: list[Path] = []
    if plots:
        from .plots import plot_all

        if _fonts_can_draw(results, lang, notify or (lambda text: None)):
            plot_paths = plot_all(
                results.summary, results.units, out, on_done=done, lang=lang, **_plot_meta(sc)
            )
        files.extend(plot_paths)
        files.append(_report(results, out, plot_paths, source, lang))
        done(files[-1])
        for plot in plot_paths:  # the phone drawings live on inside report.html only
            phone_path(plot).unlink(missing_ok=True)
    return files


def _fonts_can_draw(results: Any, lang: str, notify: Callable[[str], None]) -> bool:
    """Whether a font here draws every Chinese character the plots need; if not, say why (the
    plots are then not written, rather than drawn with boxes; the report is, without them)."""
    from .fonts import cannot_draw, cjk_font, has_cjk
    from .i18n import get_lang

    names = [results.summary.get("scenario", ""), *results.summary["strategies"]]
    if lang != "zh" and not has_cjk(names):
        return True
    missing = cannot_draw(names)
    if cjk_font() is not None and not missing:
        return True
    shown = "".join(missing[:10]) + ("…" if len(missing) > 10 else "")
    notify(
        get_lang(lang).tr(
            "plots not written: no font here draws {chars}; install a Chinese font "
            "(e.g. `apt-get install fonts-noto-cjk`) and run again",
            chars=shown or get_lang(lang).tr("Chinese"),
        )
    )
    return False


def _merge_atomically(parts: list[Path], target: Path, fmt: str) -> None:
    tmp = target.with_name(f".{target.name}.part")
    merge_event_parts(parts, tmp, fmt)
    tmp.replace(target)


def _report(
    results: Any, out: Path, plot_paths: list[Path], source: Path | None, lang: str = "en"
) -> Path:
    from fsm.diagram import render
    from fsm.table import compiled_table

    from .report import write_report

    sc = results.scenario
    text = source.read_text(encoding="utf-8") if source is not None else None
    return write_report(
        out / "report.html",
        results.summary,
        results.units,
        plot_paths,
        title=sc.scenario.name,
        description=sc.scenario.description,
        diagram_mermaid=render("mermaid"),
        diagram_edges=None
        if any(p.stem == "lifecycle" for p in plot_paths)
        else compiled_table().edges(),
        scenario_text=text,
        lang=lang,
        scenario=sc,
    )

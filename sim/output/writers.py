"""Write every output of a finished run into its folder (each file atomically)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .events import merge_event_parts
from .summary import write_replications_csv, write_summary

__all__ = ["write_outputs"]


def _plot_meta(scenario: Any) -> dict[str, Any]:
    return {
        "auto_close_hours": float(scenario.platform.unpaid_auto_close_hours),
        "agents": int(scenario.staff.agents),
        "on_duty": tuple(scenario.staff.on_duty),
        "sweep_parameter": scenario.sweep.label if scenario.sweep else None,
    }


def write_outputs(
    results: Any,
    *,
    source: Path | None,
    plots: bool,
    event_parts: list[Path] | None,
    events_format: str = "csv",
) -> list[Path]:
    """summary.json, replications.csv, [events], plots and report.html; returns their paths."""
    out: Path = results.out_dir
    sc = results.scenario
    files = [
        write_summary(out / "summary.json", results.summary),
        write_replications_csv(out / "replications.csv", results.units),
    ]
    if event_parts is not None:
        target = out / f"events.{'parquet' if events_format == 'parquet' else 'csv'}"
        _merge_atomically(event_parts, target, events_format)
        files.append(target)
    plot_paths: list[Path] = []
    if plots:
        from .plots import plot_all

        plot_paths = plot_all(results.summary, results.units, out, **_plot_meta(sc))
        files.extend(plot_paths)
        files.append(_report(results, out, plot_paths, source))
    return files


def _merge_atomically(parts: list[Path], target: Path, fmt: str) -> None:
    tmp = target.with_name(f".{target.name}.part")
    merge_event_parts(parts, tmp, fmt)
    tmp.replace(target)


def _report(results: Any, out: Path, plot_paths: list[Path], source: Path | None) -> Path:
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
        diagram_edges=compiled_table().edges(),
        scenario_text=text,
    )

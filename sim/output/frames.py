"""The results as a notebook shows them: a short repr and one tidy frame of the summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["results_repr", "summary_frame"]

_COLUMNS = [
    "strategy", "kpi", "mean", "ci_low", "ci_high", "n", "diff", "diff_ci_low", "diff_ci_high",
    "significant",
]  # fmt: skip


def summary_frame(summary: Mapping) -> Any:
    """One row per strategy (× sweep value) × KPI: its mean and 95% interval, and the paired
    difference to the baseline with its interval (adjusted as the tables print it) and whether
    that interval excludes 0. The baseline's difference columns are empty."""
    import pandas as pd

    rows = []
    comparisons = summary.get("comparisons", {})
    for key, kpis in summary["strategies"].items():
        for kpi, stat in kpis.items():
            comp = comparisons.get(key, {}).get(kpi) or {}
            rows.append(
                [
                    key,
                    kpi,
                    stat.get("mean"),
                    stat.get("ci_low"),
                    stat.get("ci_high"),
                    stat.get("n"),
                    comp.get("diff"),
                    comp.get("ci_low"),
                    comp.get("ci_high"),
                    comp.get("significant"),
                ]
            )
    return pd.DataFrame(rows, columns=_COLUMNS)


def results_repr(results: Any) -> str:
    """A few lines: scenario, strategies, replications, the answer (not the whole summary)."""
    from sim.output.answer import answer_lines, find_answer
    from sim.output.i18n import get_lang

    summary = results.summary
    keys = list(summary["strategies"])
    sweep = summary.get("sweep")
    swept = f", sweep of {sweep['parameter']}" if sweep else ""
    lines = [
        f"<Results {summary.get('scenario')!r}: {len(keys)} strategies{swept}, "
        f"{summary.get('replications')} replications, baseline {summary.get('baseline')!r}"
    ]
    if keys:
        answer = answer_lines(find_answer(summary, results.units), get_lang("en"))
        lines += [f"  {line.strip()}" for line in answer[:3]]
    if results.out_dir is not None:
        lines.append(f"  written to {results.out_dir}")
    lines.append("  .summary (dict), .summary_frame(), .to_pandas() (one row per replication)>")
    return "\n".join(lines)

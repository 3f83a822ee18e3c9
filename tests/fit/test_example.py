"""The bundled example export is what the generator makes, and the bundled scenario is what
`ordersim fit` makes of it (so neither can drift from the code). When the scenario format or
the fit changes, regenerate the scenario with the command in its header."""

from __future__ import annotations

from pathlib import Path

from sim.cli import main
from sim.fit.synthetic import example_truth, write_taobao
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
EXPORT = "examples/taobao-orders.csv"
SCENARIO = "examples/taobao-orders.toml"
EARLY = "examples/taobao-orders-early.toml"  # the README's out-of-sample check


def test_bundled_export_is_the_generators_output(tmp_path):
    fresh = tmp_path / "orders.csv"
    write_taobao(example_truth(), fresh)
    assert fresh.read_bytes() == (ROOT / EXPORT).read_bytes()


def test_bundled_scenario_is_what_fit_writes(monkeypatch, tmp_path, capsys):
    (tmp_path / "examples").mkdir()
    (tmp_path / EXPORT).write_bytes((ROOT / EXPORT).read_bytes())
    monkeypatch.chdir(tmp_path)  # the same relative paths as the README's command
    assert main(["fit", EXPORT, "--out", SCENARIO]) == 0
    assert main(["fit", EXPORT, "--until", "2026-03-23", "--out", EARLY]) == 0
    capsys.readouterr()
    for name in (SCENARIO, EARLY):
        written = (tmp_path / name).read_text(encoding="utf-8")
        regenerate = f"stale example: run the command in the header of {name} from the project"
        assert written == (ROOT / name).read_text(encoding="utf-8"), regenerate
    assert load_scenario(ROOT / SCENARIO).baseline == "as-observed"

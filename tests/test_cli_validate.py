"""`ordersim validate` and friends: every kind of bad input gives exit 2 and KEY.PATH lines.

Each variant edits the reference scenario in one way, writes it with tomli-w and validates it
in-process; a few run `python -m sim validate` in a subprocess to prove no traceback escapes.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from sim.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).parents[1]
REFERENCE = REPO / "docs/reference.toml"
STATES = ("placed", "unpaid", "reminded", "paid", "cancelled", "shipped", "delivered",
          "refused", "disputed", "completed", "refunded")  # fmt: skip


def _zero_shares(data: dict[str, Any]) -> None:
    for segment in data["segments"]:
        segment["share"] = 0.0


def reference_data() -> dict[str, Any]:
    """The reference as data, shares made to sum to 1 (its example shares 0.30 + 0.02 don't)."""
    data = tomllib.loads(REFERENCE.read_text(encoding="utf-8"))
    data["segments"][0]["share"] = 1.0 - sum(s["share"] for s in data["segments"][1:])
    return data


def write(tmp_path: Path, data: dict[str, Any], name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _set(*keys: Any, value: Any) -> Callable[[dict[str, Any]], None]:
    """An edit that sets data[k0][k1]...[kn] = value."""

    def edit(data: dict[str, Any]) -> None:
        node = data
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return edit


def _drop(*keys: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return edit


def _many(*edits: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for one in edits:
            one(data)

    return edit


STEP = ("strategies", 1, "reminders", 0)

# (id, edit, key paths that must appear, further text that must appear)
VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], list[str], list[str]]] = [
    ("wrong-type", _set("scenario", "replications", value="many"),
     ["scenario.replications"], ["must be a whole number", "(got 'many')"]),
    ("unknown-key", _set("shop", "prise", value=3),
     ["shop.prise"], ["unknown key", "did you mean 'price'?"]),
    ("unknown-section", _set("shoop", value={}), ["shoop"], ["did you mean 'shop'?"]),
    ("missing-name", _drop("scenario", "name"), ["scenario.name"], ["required key is missing"]),
    ("probability-out-of-range", _set("segments", 0, "pays_unprompted", value=1.5),
     ["segments.short-of-balance.pays_unprompted"], ["must be at most 1", "(got 1.5)"]),
    ("negative-duration", _set("shop", "ship_hours", value={"dist": "exponential", "mean": -4}),
     ["shop.ship_hours.mean"], ["must be greater than 0"]),
    ("shares-all-zero", _zero_shares, ["segments"], ["must not all be 0"]),
    ("duplicate-segment", _set("segments", 1, "name", value="short-of-balance"),
     ["segments.1.name"], ["duplicate"]),
    ("duplicate-strategy", _set("strategies", 1, "name", value="no-reminder"),
     ["strategies.1.name"], ["duplicate"]),
    ("unknown-baseline", _set("scenario", "baseline", value="no-remindr"),
     ["scenario.baseline"], ["did you mean 'no-reminder'?"]),
    ("by-segment-unknown-segment", _set(*STEP, "by_segment", "ghost", value="sms"),
     ["strategies.next-day-by-segment.reminders.0.by_segment.ghost"], ["unknown segment"]),
    ("by-segment-missing", _many(_set(*STEP, "channel", value="by_segment"),
                                 _drop(*STEP, "by_segment")),
     ["strategies.next-day-by-segment.reminders.0.by_segment"], ["required"]),
    ("hourly-weights-length", _set("arrivals", "hourly_weights", value=[1.0] * 23),
     ["arrivals.hourly_weights"], ["24"]),
    ("weekday-weights-all-zero", _set("arrivals", "weekday_weights", value=[0] * 7),
     ["arrivals.weekday_weights"], ["zero"]),
    ("on-duty-out-of-range", _set("staff", "on_duty", value=[9, 25]),
     ["staff.on_duty.1"], ["at most 24"]),
    ("on-duty-backwards", _set("staff", "on_duty", value=[20, 8]), ["staff.on_duty"], []),
    ("unknown-distribution", _set("shop", "price", "dist", value="lognorm"),
     ["shop.price.dist"], ["did you mean 'lognormal'?"]),
    ("distribution-not-a-table", _set("shop", "price", value=120),
     ["shop.price"], ["dist ="]),
    ("unknown-preset", _set("platform", "preset", value="tmal"),
     ["platform.preset"], ["did you mean 'tmall'?"]),
    ("unknown-channel", _set(*STEP, "channel", value="fax"),
     ["strategies.next-day-by-segment.reminders.0.channel"], ["must be one of"]),
    ("bad-reminder-time", _set(*STEP, "at", value="tomorrow"),
     ["strategies.next-day-by-segment.reminders.0.at"], ["next_peak"]),
    ("unknown-incentive", _set(*STEP, "incentive", "kind", value="coupon"),
     ["strategies.next-day-by-segment.reminders.0.incentive.kind"], ["unknown kind"]),
    ("dispute-causes-sum", _set("quality", "dispute_causes", "service", value=0.5),
     ["quality.dispute_causes"], ["sum to 1"]),
    ("lever-unknown-cause", _set("strategies", 1, "levers", "dispute_multipliers",
                                 value={"logistic": 0.5}),
     ["strategies.next-day-by-segment.levers.dispute_multipliers.logistic"],
     ["did you mean 'logistics'?"]),
    ("late-shipment-min-above-max", _set("platform", "late_shipment_min", value=50),
     ["platform.late_shipment_min"], []),
    ("bad-start-date", _set("scenario", "start", value="June"), ["scenario.start"], ["date"]),
    ("sweep-path-missing", _set("sweep", value={"parameter": "strategies.next-day.reminders.0.at",
                                                "values": [1, 6]}),
     ["sweep.parameter"], ["no item named 'next-day'"]),
    ("sweep-value-invalid", _set("sweep", value={"parameter": "strategies.1.reminders.0.at",
                                                 "values": [1, -6]}),
     ["sweep.values.1"], ["strategies.1.reminders.0.at"]),
    ("several-at-once", _many(_set("scenario", "replications", value=0),
                              _set("segments", 0, "cancels", value=-0.1),
                              _set("staff", "agents", value="two"),
                              _set("channels", "phone_reech", value="always")),
     ["scenario.replications", "segments.short-of-balance.cancels", "staff.agents",
      "channels.phone_reech"],
     ["did you mean 'phone_reach'?"]),
]  # fmt: skip


def test_the_reference_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, reference_data())
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"{path}: ok (2 segments, 2 strategies)"
    assert err == ""


@pytest.mark.parametrize(("edit", "paths", "texts"), [v[1:] for v in VARIANTS],
                         ids=[v[0] for v in VARIANTS])  # fmt: skip
def test_bad_scenario_exits_2_with_key_paths(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[dict[str, Any]], None],
    paths: list[str],
    texts: list[str],
) -> None:
    data = copy.deepcopy(reference_data())
    edit(data)
    path = write(tmp_path, data)
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    for key in paths:
        assert any(line.startswith(f"{path}: {key}: ") for line in lines), err
    for text in texts:
        assert text in err
    assert "Traceback" not in err


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.toml"
    assert main(["validate", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"{missing}: (file): cannot read: ")


def test_invalid_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[scenario]\nname = "x"\nseed = = 3\n', encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: (toml): line 3, column ")
    assert "Traceback" not in err


def test_good_and_bad_files_together(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, reference_data(), "good.toml")
    bad_data = reference_data()
    bad_data["scenario"]["seed"] = -1
    bad = write(tmp_path, bad_data, "bad.toml")
    assert main(["validate", str(good), str(bad)]) == 2
    out, err = capsys.readouterr()
    assert f"{good}: ok" in out
    assert f"{bad}: scenario.seed: must be at least 0 (got -1)" in err


@pytest.mark.parametrize(
    ("name", "edit", "key"),
    [
        ("unknown-key", _set("shop", "prise", value=3), "shop.prise"),
        ("shares", _zero_shares, "segments"),
        ("preset", _set("platform", "preset", value="ebay"), "platform.preset"),
        ("sweep", _set("sweep", value={"parameter": "nowhere", "values": [1]}), "sweep.parameter"),
    ],
)
def test_python_m_sim_prints_no_traceback(
    tmp_path: Path, name: str, edit: Callable[[dict[str, Any]], None], key: str
) -> None:
    data = reference_data()
    edit(data)
    path = write(tmp_path, data, f"{name}.toml")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path), str(tmp_path / "missing.toml")],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 2
    assert f"{path}: {key}: " in done.stderr
    assert f"{tmp_path / 'missing.toml'}: (file): cannot read" in done.stderr
    assert "Traceback" not in done.stderr


def test_schema_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"scenario", "segments", "strategies"} <= set(schema["properties"])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("ordersim ")


@pytest.mark.parametrize("command", ["validate", "schema", "diagram"])
def test_every_command_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--help"]) == 0
    assert "example:" in capsys.readouterr().out


def test_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "--format", "png"]) == 2
    assert main(["frobnicate"]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_diagram_mentions_every_state(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("fsm.diagram")
    assert main(["diagram", "--format", fmt]) == 0
    out = capsys.readouterr().out
    missing = [state for state in STATES if state not in out]
    assert not missing


def test_reference_validates_with_a_warning_about_its_shares(capsys) -> None:
    """The reference lists two example segments (0.30 + 0.02): usable, as relative weights."""
    assert main(["validate", str(REFERENCE)]) == 0
    out, err = capsys.readouterr()
    assert ": ok (2 segments, 2 strategies)" in out
    assert "segments: warning: the shares do not sum to 1" in err and "(got 0.32)" in err


def test_shares_not_summing_to_1_warn_but_validate(tmp_path: Path, capsys) -> None:
    data = reference_data()
    data["segments"][1]["share"] = 0.5
    path = write(tmp_path, data)
    assert main(["validate", str(path)]) == 0
    assert "relative weights" in capsys.readouterr().err

"""Scenarios a careless or hostile user may hand over: each ends in one located message and exit
status 2 through the command line, never a traceback (and never terabytes allocated)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sim.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
TIMING = str(SCENARIOS / "first-reminder-timing.toml")


def _validate(capsys, *argv: str) -> tuple[int, str]:
    status = main(["validate", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.err


@pytest.mark.parametrize(
    ("key", "value", "bound"),
    [
        ("arrivals.orders_per_day", "1e15", "at most 1000000"),
        ("scenario.arrival_days", "1e9", "at most 3660"),
        ("platform.unpaid_auto_close_hours", "1e18", "at most 8784"),
        ("shop.freight", "1e300", "at most 1000000000"),
        ("scenario.replications", "1000000000", "at most 100000"),
        ("shop.price.sigma", "1e5", "at most 10"),
    ],
)
def test_magnitudes_past_their_bound_are_refused_naming_the_key(capsys, key, value, bound):
    status, err = _validate(capsys, TIMING, "--set", f"{key}={value}")
    assert status == 2
    assert f"{key}: must be {bound}" in err


def test_a_reminder_a_year_after_placement_is_refused(capsys, tmp_path):
    status, err = _validate(capsys, "how-many-agents", "--set", "strategies.0.reminders.0.at=1e300")
    assert status == 2
    assert "reminders.0.at: must be at most 8784 hours" in err


@pytest.mark.parametrize(
    "name",
    ["two\\nlines", "bell\\u0007", "abc\\u202etxt.exe", "zero\\u200bwidth", "x" * 201],
)
def test_names_with_control_characters_or_too_long_are_refused(capsys, name):
    status, err = _validate(capsys, TIMING, "--set", f'scenario.name="{name}"')
    assert status == 2
    assert "scenario.name: " in err
    assert ("control or invisible" in err) or ("at most 200 characters" in err)


def test_a_strategy_name_with_a_newline_is_refused_naming_the_key(capsys):
    status, err = _validate(capsys, TIMING, "--set", 'strategies.0.name="a\\nb"')
    assert status == 2
    assert "strategies.0.name: must not contain control or invisible characters" in err


def test_a_file_with_a_utf8_byte_order_mark_loads(capsys, tmp_path):
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + Path(TIMING).read_bytes())
    status, err = _validate(capsys, str(path))
    assert status == 0, err


@pytest.mark.parametrize(("open_", "close"), [("[", "]"), ("{b=", "}")])
def test_deeply_nested_values_are_refused(capsys, tmp_path, open_, close):
    path = tmp_path / "deep.toml"
    path.write_text(f'[scenario]\nname = "x"\na = {open_ * 3000}1{close * 3000}\n')
    status, err = _validate(capsys, str(path))
    assert status == 2
    assert "nested too deeply" in err


def _many(path: Path, n: int) -> Path:
    head = (
        '[scenario]\nname = "many"\n[[segments]]\nname = "a"\nshare = 1.0\n'
        'pays_unprompted = 0.5\npay_hours = { dist = "exponential", mean = 2 }\n'
        "response = { sms = 0.3 }\nannoyance = { sms = 0.01 }\n"
    )
    body = "".join(
        f'[[strategies]]\nname = "s{i}"\n[[strategies.reminders]]\nat = {1 + i % 20}\n'
        'channel = "sms"\n'
        for i in range(n)
    )
    path.write_text(head + body)
    return path


def test_validation_time_grows_linearly_with_the_strategies(capsys, tmp_path):
    """Quadratic checks (16k strategies took 21 s) show as a ratio far above 4 for 4x the
    strategies; linear ones stay near it. CPU time of this process, best of two."""

    def cost(n: int) -> float:
        path = _many(tmp_path / f"many{n}.toml", n)
        best = float("inf")
        for _ in range(2):
            start = time.process_time()
            assert _validate(capsys, str(path))[0] == 0
            best = min(best, time.process_time() - start)
        return best

    small, large = cost(500), cost(2000)
    assert large / small < 7.0, (small, large)


KINDS = """\
[scenario]
name = "kinds"
[[segments]]
name = "a"
share = 1.0
pays_unprompted = 0.5
[[order_kinds]]
name = "presale"
share = 0.5
closes_at = {closes_at}
[[order_kinds]]
name = "flash"
share = 0.5
unpaid_auto_close_hours = {hours}
[[strategies]]
name = "none"
"""


@pytest.mark.parametrize(
    ("closes_at", "hours", "expected"),
    [
        (
            "2026-06-09T00:00:00",
            "1e9",
            "order_kinds.flash.unpaid_auto_close_hours: must be at most",
        ),
        ("9999-06-08T23:59:00", "2.0", "order_kinds.presale.closes_at: must come at most a year"),
    ],
)
def test_order_kinds_cannot_close_past_a_year(capsys, tmp_path, closes_at, hours, expected):
    """The longest wait sizes a histogram of hours: a close in year 9999 would allocate GBs."""
    path = tmp_path / "kinds.toml"
    path.write_text(KINDS.format(closes_at=closes_at, hours=hours))
    status, err = _validate(capsys, str(path))
    assert status == 2
    assert expected in err


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            [
                'sweep.parameter="strategies.sms-once.reminders.0.at"',
                "sweep.values=[0.25, 0.5, 0.5, 1]",
            ],
            "sweep.values.2: repeats sweep.values.1; give each value once (got 0.5)",
        ),
        (
            ["sweep.values=[[0.25, 0.5, 0.5, 1], [24, 72]]"],
            "sweep.values.0.2: repeats sweep.values.0.1; give each value once (got 0.5)",
        ),
    ],
)
def test_a_sweep_value_given_twice_is_refused(capsys, settings, expected):
    """It ran the same candidate twice and ended in 'duplicate unit' (found by the fuzz test)."""
    args = [arg for setting in settings for arg in ("--set", setting)]
    status, err = _validate(capsys, TIMING, *args)
    assert status == 2
    assert expected in err

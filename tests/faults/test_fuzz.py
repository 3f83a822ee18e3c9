"""Fuzzing: bundled scenarios and the example export, mutated (types, magnitudes, encodings,
truncation, structure), through the command line. Every example ends with exit status 0, 1 or
2, no exception (no traceback) and no NumPy RuntimeWarning; a scenario that validates is also
run, shrunk to a few hours of orders so every example stays small.

CI runs a few examples of each (ORDERSIM_FUZZ_EXAMPLES raises it: a few thousand were run once
outside CI, see docs/faults.md). No example database is kept, so CI never grows one.
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = [*sorted((ROOT / "scenarios").glob("*.toml")), ROOT / "examples" / "taobao-orders.toml"]
EXPORT = (ROOT / "examples" / "taobao-orders.csv").read_bytes().split(b"\r\n")[:300]
EXAMPLES = int(os.environ.get("ORDERSIM_FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EXTREMES = st.sampled_from(
    [0, -1, -1e300, 1e300, 10**30, 2**63, 1e-320, 0.5, 24, 1e9, 1e9 + 1, True, "", "x", [], {}]
)
TEXT_CELLS = st.sampled_from(
    [
        "", "=1+1", "-1", "1e300", "-47.3", "2026-02-30 10:00:00", "1026-03-02 00:00:00",
        "9999-12-31 23:59:59", "0000-00-00", "NaN", "inf", "\x00", "\u202e", '"', '""', "a\nb",
        "x" * 5000, "¥1,299.00", "交易关闭", "2026/03/02", "20260302",
    ]
)  # fmt: skip


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path


def _set(node, path, value):
    for key in path[:-1]:
        node = node[key]
    if path:
        node[path[-1]] = value


def _clean(value):
    """What tomli_w can write: no NaN-free floats it rejects, no None."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


@st.composite
def scenario_bytes(draw) -> bytes:
    source = draw(st.sampled_from(SCENARIOS))
    text = source.read_bytes()
    how = draw(st.sampled_from(["leaf", "leaf", "drop", "bytes", "truncate", "encode", "nest"]))
    if how in ("leaf", "drop"):
        data = tomllib.loads(text.decode("utf-8"))
        paths = list(_leaves(data))
        for _ in range(draw(st.integers(1, 3))):
            path = draw(st.sampled_from(paths))
            if how == "drop" and path:
                parent = data
                for key in path[:-1]:
                    parent = parent[key]
                parent.pop(path[-1])
                paths = list(_leaves(data))
                if not paths:
                    break
            else:
                _set(data, path, _clean(draw(st.one_of(EXTREMES, TEXT_CELLS))))
        return tomli_w.dumps(data).encode("utf-8")
    if how == "bytes":
        at = draw(st.integers(0, len(text)))
        junk = draw(st.binary(min_size=1, max_size=8))
        return text[:at] + junk + text[at:]
    if how == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if how == "encode":
        codec = draw(st.sampled_from(["utf-16", "gb18030", "latin-1", "utf-8-sig"]))
        return text.decode("utf-8").encode(codec, errors="replace")
    depth = draw(st.integers(50, 3000))
    return text + b"\nnested = " + b"[" * depth + b"]" * depth + b"\n"


@st.composite
def export_bytes(draw) -> bytes:
    rows = [row.split(b",") for row in EXPORT]
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cell", "cell", "column", "header", "row", "cr", "encode"]))
        if how == "cell":
            r = draw(st.integers(0, len(rows) - 1))
            c = draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = draw(TEXT_CELLS).encode("gb18030", errors="replace")
        elif how == "column":
            c = draw(st.integers(0, len(rows[0]) - 1))
            rows = [row[:c] + row[c + 1 :] for row in rows]
        elif how == "header":
            c = draw(st.integers(0, len(rows[0]) - 1))
            rows[0][c] = rows[0][draw(st.integers(0, len(rows[0]) - 1))]
        elif how == "row":
            r = draw(st.integers(1, len(rows) - 1))
            rows.insert(r, list(rows[draw(st.integers(1, len(rows) - 1))]))
    text = b"\r\n".join(b",".join(row) for row in rows)
    last = draw(st.sampled_from(["keep", "cr", "truncate", "utf-16", "bom"]))
    if last == "cr":
        text = text.replace(b"\r\n", b"\r")
    elif last == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif last == "utf-16":
        text = text.decode("gb18030", errors="replace").encode("utf-16")
    elif last == "bom":
        text = b"\xef\xbb\xbf" + text.decode("gb18030", errors="replace").encode("utf-8")
    return text


def _no_crash(argv: list[str]) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        status = main(argv)
    numpy = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not numpy, [str(w.message) for w in numpy]
    assert status in (0, 1, 2)
    return status


SMALL = ["--replications", "1", "--executor", "serial", "--no-plots", "--quiet"]
SMALL += ["--set", "scenario.arrival_days=0.1", "--set", "scenario.warmup_days=0"]


@FUZZ
@given(data=scenario_bytes())
def test_mutated_scenarios_end_in_a_status_not_a_traceback(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "mutated.toml"
    path.write_bytes(data)
    if _no_crash(["validate", str(path)]) == 0:
        _no_crash(["run", str(path), "--out", str(folder / "out"), *SMALL])


@FUZZ
@given(data=export_bytes())
def test_mutated_exports_end_in_a_status_not_a_traceback(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "orders.csv"
    path.write_bytes(data)
    status = _no_crash(["fit", str(path), "--out", str(folder / "fitted.toml")])
    if status == 0:
        assert _no_crash(["validate", str(folder / "fitted.toml")]) == 0


@pytest.fixture(autouse=True)
def _quiet(capsys):
    yield
    capsys.readouterr()

"""``python -m benchmarks.robust_cost [NAME ...]``: the cost of ``ordersim robust`` (default design)
against one plain run of the same bundled scenario, in wall time and in simulated units.

Each measurement runs in this process, one after the other (a plain run, then the robustness
check), with the executor given (default serial); nothing asserts on times. The figures in the
README were taken with this script on a shared two-core machine.
"""

from __future__ import annotations

import argparse
import time

DEFAULT = ("first-reminder-timing", "im-first-phone-if-unread", "incentive-choice")


def measure(name: str, executor: str, answers: dict[str, list[str]]) -> dict[str, float]:
    """Seconds and units of a plain run and of the default robustness check of `name` (its
    answer goes into ``answers``)."""
    import sim
    from sim.cli_scenario import find_scenario
    from sim.robust.cli import robust

    scenario = sim.load_scenario(find_scenario(name))
    start = time.perf_counter()
    plain = sim.run(scenario, executor=executor)
    plain_s = time.perf_counter() - start
    start = time.perf_counter()
    result = robust(scenario, executor=executor)
    robust_s = time.perf_counter() - start
    from sim.output.i18n import get_lang
    from sim.robust.answer import answer_lines

    answers[name] = answer_lines(result, scenario, get_lang("en"))
    return {
        "plain_s": plain_s,
        "plain_units": len(plain.units),
        "robust_s": robust_s,
        "robust_units": result.units,
        "keys": len(result.assumptions),
        "replications": result.replications,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.robust_cost", description=__doc__)
    parser.add_argument("names", nargs="*", default=list(DEFAULT), help="bundled scenarios")
    parser.add_argument("--executor", default="serial")
    args = parser.parse_args(argv)
    header = "scenario | varied keys | r per point | plain run | robust | time ratio | unit ratio"
    print(f"| {header} |")
    print("|---|---|---|---|---|---|---|")
    answers: dict[str, list[str]] = {}
    for name in args.names:
        m = measure(name, args.executor, answers)
        print(
            f"| {name} | {m['keys']} | {m['replications']} | {m['plain_s']:.1f} s "
            f"({m['plain_units']} units) | {m['robust_s']:.1f} s ({m['robust_units']} units) | "
            f"{m['robust_s'] / m['plain_s']:.1f}x | {m['robust_units'] / m['plain_units']:.1f}x |"
        )
    for name, lines in answers.items():
        print(f"\n$ ordersim robust {name}")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

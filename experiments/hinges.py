"""Are the verdicts that no single input moves more often history's? The screen over the library.

A diagnostic, not a rule. ``summit screen`` (sim.screening) pins each random input of a scenario
at the 5th and the 95th percentile of its sourced range and says whether the verdict changes at
either end. A verdict that changes at one end of some input rests on where the truth lies inside
a source's range; one that no single input moves does not. If the screen says something about how
far to trust a verdict, robust verdicts should agree with history more often than fragile ones.
This script screens every scenario with a history block and counts, held out and built with apart,
how often each kind agreed with history (as docs/validation.md counts it).

    python experiments/hinges.py [--runs 2000]      # a few minutes: two replays per random input
"""

from __future__ import annotations

import argparse

from sim.library import known_scenarios
from sim.loader import load
from sim.screening import screen
from sim.spec import compile_scenario
from sim.validation import SEED, ahead_agrees
from sim.verdict import TOO_CLOSE


def row(name: str, scenario, runs: int) -> dict:
    screened = screen(compile_scenario(scenario), runs, SEED)
    verdict, inputs = screened["verdict"], screened["inputs"]
    moving = [r["path"] for r in inputs if r["moves"]]
    said = verdict["winner"] or (TOO_CLOSE if verdict["outcome"] == TOO_CLOSE else "none")
    return {"scenario": name, "held_out": bool(scenario.history.held_out), "history": scenario.history.ahead,
            "verdict": said, "agrees": ahead_agrees(verdict["winner"], scenario.history),
            "inputs": len(inputs), "moving": moving}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    scenarios = {name: load(name) for name in known_scenarios()}
    rows = [row(name, s, args.runs) for name, s in scenarios.items() if s.history is not None]
    print(f"{args.runs:,} replays per setting, seed {SEED}; each random input at the 5th and 95th percentile.\n")
    print("| scenario | history | verdict | agrees | inputs that move it (of all random inputs) |")
    print("|---|---|---|---|---|")
    for r in rows:
        mark = " (held out)" if r["held_out"] else ""
        shown = ", ".join(r["moving"][:3]) + (f" and {len(r['moving']) - 3} more" if len(r["moving"]) > 3 else "")
        print(f"| {r['scenario']}{mark} | {r['history']} | {r['verdict']} | {'yes' if r['agrees'] else 'no'} | "
              f"{len(r['moving'])} of {r['inputs']}{': ' + shown if shown else ''} |")
    for label, held_out in (("held out", True), ("built with", False)):
        group = [r for r in rows if r["held_out"] == held_out]
        robust = [r for r in group if not r["moving"]]
        fragile = [r for r in group if r["moving"]]
        print(f"\n{label}: verdicts no single input moves agree with history in "
              f"{sum(r['agrees'] for r in robust)} of {len(robust)}; verdicts that hinge on some input in "
              f"{sum(r['agrees'] for r in fragile)} of {len(fragile)}")


if __name__ == "__main__":
    main()

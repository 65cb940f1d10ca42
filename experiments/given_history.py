"""Is it the deal or the gains? The verdict over the replays that ended as history did.

A diagnostic, not a rule (the verdict's rule was fixed before any result under it was seen;
docs/model.md). Where the model's "who came out ahead" disagrees with history, two things can be
wrong: how often the summit ends as it did (a deal where history had none, or none where it had
one), or who gains what once it has ended that way. This script applies the verdict's own rule
(``sim.verdict.decide``, 95% intervals and all) twice per scenario: to every replay, as
docs/validation.md does, and to the replays whose end matches the record (held or not, and where
held, a deal or not). A row that agrees only under the second lens fails on the ending; a row
that disagrees under both fails on the gains.

    python experiments/given_history.py [--runs 10000]      # a few seconds; the runs and seed of docs/validation.md
"""

from __future__ import annotations

import argparse

import numpy as np

from sim.library import known_scenarios
from sim.loader import load
from sim.replay import replay
from sim.spec import compile_scenario
from sim.validation import RUNS, SEED, ahead_agrees
from sim.verdict import NO_WINNER, TOO_CLOSE, decide


def as_history(held: np.ndarray, deal: np.ndarray, history) -> np.ndarray:
    """The replays that ended as the record did: held or not, and where it was held, a deal or not."""
    same = held == history.held
    return same & (deal == history.deal) if history.held else same


def named(verdict: dict | None) -> str:
    """The verdict as history's block writes it: a leader's key, 'none', or 'too close to call'."""
    if verdict is None:
        return "no such replay"
    if verdict["winner"]:
        return verdict["winner"]
    return TOO_CLOSE if verdict["outcome"] == TOO_CLOSE else "none"


def agrees(verdict: dict | None, history) -> bool:
    """As docs/validation.md counts it (``sim.validation.ahead_agrees``); no replay, no agreement."""
    return verdict is not None and ahead_agrees(verdict["winner"], history)


def row(name: str, scenario, runs: int) -> dict:
    history = scenario.history
    out = replay(compile_scenario(scenario), runs, SEED)
    gain, keys = out.gain, list(out.leaders)
    ended = as_history(out.held, out.deal, history)
    everything, as_recorded = decide(gain, keys), decide(gain[:, ended], keys) if ended.any() else None
    return {"scenario": name, "held_out": bool(history.held_out), "history": history.ahead,
            "all": named(everything), "share": float(ended.mean()), "as_history": named(as_recorded),
            "all_agrees": agrees(everything, history), "as_history_agrees": agrees(as_recorded, history)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    scenarios = {name: load(name) for name in known_scenarios()}
    rows = [row(name, scenario, args.runs) for name, scenario in scenarios.items() if scenario.history is not None]
    print(f"{args.runs:,} replays per scenario, seed {SEED}; the verdict's rule over all replays and over those "
          "that ended as history did.\n")
    print("| scenario | history | all replays | ended as history did (share) | agrees: all / as history |")
    print("|---|---|---|---|---|")
    for r in rows:
        mark = "(held out) " if r["held_out"] else ""
        print(f"| {r['scenario']} {mark}| {r['history']} | {r['all']} | {r['as_history']} ({r['share']:.0%}) | "
              f"{_yes(r['all_agrees'])} / {_yes(r['as_history_agrees'])} |")
    for label, held_out in (("held out", True), ("built with", False)):
        group = [r for r in rows if r["held_out"] == held_out]
        print(f"\n{label}: all replays {sum(r['all_agrees'] for r in group)} of {len(group)}; ended as "
              f"history did {sum(r['as_history_agrees'] for r in group)} of {len(group)}; always "
              f"'{NO_WINNER}' {sum(r['history'] == 'none' for r in group)} of {len(group)}")


def _yes(agrees: bool) -> str:
    return "yes" if agrees else "no"


if __name__ == "__main__":
    main()

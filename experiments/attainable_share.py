"""Would judging leaders by the share of their attainable gain agree with history more often?

An exploratory check, run after Moscow 2002's first replay and not a rule (the verdict's rule
was fixed before any result under it was seen; docs/model.md). Each leader's substantive gain
is divided by what moving every non-symbolic issue from the status quo to its ideal would bring
it, the normalisation of Kalai & Smorodinsky (1975, *Econometrica* 43(3)), which makes gains
comparable whatever each side's stakes. The leader whose mean share is higher by more than the
verdict's delta is named; otherwise no clear winner. No intervals: a rough comparison only.

    python experiments/attainable_share.py            # a few seconds
"""

from __future__ import annotations

import argparse

import numpy as np

from sim import rng
from sim.library import known_scenarios
from sim.loader import load
from sim.protocol import closeness, issue_sum
from sim.replay import replay
from sim.spec import compile_scenario, draw, vector
from sim.verdict import EQUIVALENCE


def shares(name: str, runs: int, seed: int) -> dict[str, float]:
    """Each leader's mean share of its attainable substantive gain."""
    spec = compile_scenario(load(name))
    out = replay(spec, runs, seed)
    values = draw(spec, rng.Streams(seed, out.run_ids))
    sq = np.stack([values[f"issues.{k}.status_quo"] for k in spec.issues])
    symbolic = spec.symbolic[:, None]
    result = {}
    for i, key in enumerate(out.leaders):
        ideal = vector(values, f"leaders.{key}.ideal", spec.issues, runs)
        weight = np.nan_to_num(vector(values, f"leaders.{key}.salience", spec.issues, runs))
        room = issue_sum(np.where(symbolic, 0.0, weight / weight.sum(axis=0) * (1.0 - closeness(sq, ideal))))
        result[key] = float(np.mean(out.parts[i, 0] / np.maximum(room, 1e-9)))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    agree = {True: 0, False: 0}
    count = {True: 0, False: 0}
    for name in sorted(known_scenarios()):
        history = load(name).history
        mean = shares(name, args.runs, args.seed)
        best = max(mean, key=mean.get)
        named = best if mean[best] - max(v for k, v in mean.items() if k != best) > EQUIVALENCE else "none"
        held_out = bool(history.held_out)
        count[held_out] += 1
        agree[held_out] += named == history.ahead
        shown = " ".join(f"{k} {v:+.2f}" for k, v in mean.items())
        print(f"{name:20} history {history.ahead:5} share {named:5} {'held out' if held_out else '':8} {shown}")
    print(f"agrees with history in {agree[False] + agree[True]} of {count[False] + count[True]}, "
          f"{agree[True]} of the {count[True]} held out")


if __name__ == "__main__":
    main()

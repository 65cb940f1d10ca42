"""What learning from offers and preparation do on a textbook three-issue table (docs/model.md,
"Learning, walk-outs, standing, sides, texts and votes"). Run:

    python experiments/learning.py [--runs 4000]

Prints A's mean gain by its preparation with learning on and off; the loss of an unprepared A
against a fully prepared one by the number of rounds; and, against a fully prepared B, how far
A's belief about B's weights ends from the truth.
"""

from __future__ import annotations

import argparse

import numpy as np

from sim.loader import validate
from sim.model import SummitModel
from sim.replay import replay
from sim.spec import compile_scenario

SRC = "t: a textbook table"


def fixed(value: float) -> dict:
    return {"value": value, "source": SRC}


def leader(name: str, ideal: float, weights: dict[str, float], preparation: float, tactic: str) -> dict:
    doc = {"name": name, "tactic": tactic, "ideal": {k: fixed(ideal) for k in weights},
           "salience": {k: fixed(w) for k, w in weights.items()}}
    for key in ("status_value", "meeting_cost", "persuasion", "flattery_susceptibility", "resolve", "credibility",
                "narrative_control", "audience_cost", "rival_fracture_value"):
        doc[key] = fixed(0.0)
    doc.update(consultation=fixed(1.0), patience=fixed(0.9), preparation=fixed(preparation))
    return doc


def table(prep_a: float, prep_b: float = 0.5, rounds: int = 8, tactic: str = "linear", learns: bool = True):
    """A and B pull every issue apart but weigh them differently: x for y is the cheap trade."""
    protocol = {"rounds": rounds, "rounds_source": SRC, "first_proposer": "a", "perception_noise": fixed(0.6),
                "joint_statement": fixed(0.0), "ratification_failure_cost": fixed(0.0), "backlash_cost": fixed(0.0),
                "sanctions_ally_share": fixed(0.0), "firmness_reward": fixed(0.0)}
    if not learns:
        protocol.update(learning="none", learning_source=SRC)
    doc = {"name": "three", "title": "Three issues", "year": 2000, "description": "a textbook table",
           "sources": {"t": "a textbook table built by experiments/learning.py"}, "protocol": protocol,
           "issues": {k: {"label": k, "status_quo": fixed(0.5)} for k in "xyz"},
           "leaders": {"a": leader("A", 1.0, {"x": 0.15, "y": 0.6, "z": 0.25}, prep_a, tactic),
                       "b": leader("B", 0.0, {"x": 0.6, "y": 0.15, "z": 0.25}, prep_b, tactic)}}
    return compile_scenario(validate(doc, "the textbook table"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=4000)
    runs = ap.parse_args().runs
    preps = (0.0, 0.25, 0.5, 0.75, 1.0)
    print(f"A's mean gain by A's preparation (B's 0.5), {runs:,} replays, seed 7")
    print(f"{'tactic':<12}{'learning':<10}" + "".join(f"{p:>9}" for p in preps))
    for tactic in ("linear", "boulware", "conceder", "tit_for_tat"):
        for learns in (True, False):
            gains = [replay(table(p, tactic=tactic, learns=learns), runs, 7).gain[0].mean() for p in preps]
            print(f"{tactic:<12}{'offers' if learns else 'none':<10}" + "".join(f"{g:>+9.3f}" for g in gains))
    rounds = (2, 4, 8, 16, 32)
    print("\nloss of an unprepared A against a fully prepared A, by rounds (linear)")
    print(f"{'learning':<10}" + "".join(f"{t:>9}" for t in rounds))
    for learns in (True, False):
        loss = [replay(table(1.0, rounds=t, learns=learns), runs, 7).gain[0].mean()
                - replay(table(0.0, rounds=t, learns=learns), runs, 7).gain[0].mean() for t in rounds]
        print(f"{'offers' if learns else 'none':<10}" + "".join(f"{x:>+9.3f}" for x in loss))
    print("\nerror of an unprepared A's belief about a fully prepared B's weights (L1), by rounds (linear)")
    print(f"{'learning':<10}" + "".join(f"{t:>9}" for t in rounds[:4]))
    for learns in (True, False):
        errors = []
        for t in rounds[:4]:
            model = SummitModel(table(0.0, 1.0, rounds=t, learns=learns), np.arange(runs, dtype=np.uint64), 7)
            model.replay()
            a, b = model.order
            errors.append(np.abs(a.believed_salience - b.salience).sum(axis=0).mean())
        print(f"{'offers' if learns else 'none':<10}" + "".join(f"{e:>9.3f}" for e in errors))


if __name__ == "__main__":
    main()

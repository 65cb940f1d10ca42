"""Does how finely an author lists the issues change a replay? (docs/model.md, "Known limitations").
Run:

    python experiments/issue_granularity.py [--tables 100] [--runs 1000]

Utilities add up over issues, so an issue and two halves of it, each where the issue stood and
weighing half as much, are the same bargain. Between prepared leaders the model replays the two
alike, run by run (tests/test_invariance.py). Two of its pieces read the list of issues itself:
the perception noise is drawn per listed issue, with the same spread whatever the issue's weight,
and learning (sim/learning.py) reads an offer as a ranking of the listed issues and hands out the
observer's weights in that order. On random textbook tables of two and three leaders, this
splits one issue in two and prints, for each setting, how many tables replay differently at all,
how far a leader's mean gain moves and how often the verdict changes, beside how far the same
table moves on other random numbers.
"""

from __future__ import annotations

import argparse
import copy

import numpy as np

from sim.loader import validate
from sim.replay import replay
from sim.spec import compile_scenario
from sim.verdict import decide, text

SRC = "t: a textbook table"
ZERO = ("status_value", "meeting_cost", "persuasion", "flattery_susceptibility", "resolve", "credibility",
        "narrative_control", "audience_cost", "rival_fracture_value")


def fixed(value: float) -> dict:
    return {"value": value, "source": SRC}


SETTINGS = {  # name: (preparation, perception noise, learning)
    "prepared": (1.0, 0.6, "offers"),
    "unprepared, no noise, no learning": (0.0, 0.0, "none"),
    "unprepared, no noise, learning": (0.0, 0.0, "offers"),
    "unprepared, noise 0.6, no learning": (0.0, 0.6, "none"),
    "unprepared, noise 0.6, learning": (0.0, 0.6, "offers"),
}


def split_issue(doc: dict, issue: str) -> tuple[dict, tuple[str, str]]:
    """``doc`` with ``issue`` written as two issues, each where it stood and weighing half as much
    (a table whose only per-issue fields are the issues, ideals and saliences)."""
    halves = (f"{issue}-1", f"{issue}-2")
    out = copy.deepcopy(doc)

    def split(entries: dict, half) -> dict:
        return {key: value for name, entry in entries.items()
                for key, value in ([(h, half(entry)) for h in halves] if name == issue else [(name, entry)])}

    out["issues"] = split(out["issues"], copy.deepcopy)
    for each in out["leaders"].values():
        each["ideal"] = split(each["ideal"], copy.deepcopy)
        each["salience"] = split(each["salience"], lambda w: fixed(w["value"] / 2))
    return out, halves


def random_table(rng: np.random.Generator, leaders: int, setting: tuple[float, float, str]) -> dict:
    """Four issues; each leader's ideals, weights and tactic drawn; the first proposer opens."""
    preparation, noise, learning = setting
    issues = ("w", "x", "y", "z")
    keys = [f"l{i}" for i in range(leaders)]
    tactics = ["linear", "boulware", "conceder", "tit_for_tat"]
    doc = {"name": "cut", "title": "Four issues", "year": 2000, "description": "a textbook table",
           "sources": {"t": "a textbook table built by experiments/issue_granularity.py"},
           "protocol": {"rounds": int(rng.integers(3, 9)), "rounds_source": "t: drawn", "first_proposer": keys[0],
                        "perception_noise": fixed(noise), "joint_statement": fixed(0.0),
                        "ratification_failure_cost": fixed(0.0), "backlash_cost": fixed(0.0),
                        "sanctions_ally_share": fixed(0.0), "firmness_reward": fixed(0.0),
                        "learning": learning, "learning_source": "t: the setting measured"},
           "issues": {i: {"label": i, "status_quo": fixed(float(rng.random()))} for i in issues},
           "leaders": {}}
    tactic = str(rng.choice(tactics))
    for key in keys:
        weights = rng.uniform(0.05, 1.0, len(issues))
        doc["leaders"][key] = {
            "name": key.upper(), "tactic": tactic, "ideal": {i: fixed(float(rng.random())) for i in issues},
            "salience": {i: fixed(float(w)) for i, w in zip(issues, weights / weights.sum(), strict=True)},
            **{field: fixed(0.0) for field in ZERO},
            "consultation": fixed(1.0), "patience": fixed(0.9), "preparation": fixed(preparation)}
    return doc


def measure(setting: tuple[float, float, str], tables: int, runs: int, seed: int = 7) -> dict:
    """Per setting: tables whose replays changed at all; the median and largest move of a leader's
    mean gain; verdicts changed. Beside them, as a
    yardstick, the mean gain's move and the verdicts changed by replaying the table as written on
    other random numbers (seed + 1): where the split also redraws the noise, a move no larger than
    that is chance."""
    rng = np.random.default_rng(seed)
    changed, moved, chance, verdicts, by_chance = 0, [], [], 0, 0
    for t in range(tables):
        doc = random_table(rng, 2 + t % 2, setting)
        split, _ = split_issue(doc, str(rng.choice(list(doc["issues"]))))
        spec = compile_scenario(validate(doc, "a textbook table"))
        a, b = replay(spec, runs, seed), replay(compile_scenario(validate(split, "a textbook table")), runs, seed)
        again = replay(spec, runs, seed + 1)
        changed += bool(np.abs(a.gain - b.gain).max() > 1e-9)
        moved.append(float(np.abs(a.gain.mean(axis=1) - b.gain.mean(axis=1)).max()))
        chance.append(float(np.abs(a.gain.mean(axis=1) - again.gain.mean(axis=1)).max()))
        names = {k: k for k in a.leaders}
        verdict = text(decide(a.gain, a.leaders), names)
        verdicts += verdict != text(decide(b.gain, b.leaders), names)
        by_chance += verdict != text(decide(again.gain, again.leaders), names)
    return {"changed": changed, "median": float(np.median(moved)), "max": max(moved),
            "verdicts": verdicts, "chance": float(np.median(chance)),
            "by_chance": by_chance}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, default=100)
    ap.add_argument("--runs", type=int, default=1000)
    args = ap.parse_args()
    print(f"one of four issues split in two, {args.tables} random tables (half of two leaders, half of three), "
          f"{args.runs:,} replays each, seed 7")
    print(f"{'setting':<36}{'tables changed':>15}{'median |gain moved|':>21}{'max':>7}"
          f"{'verdicts changed':>18}{'  by chance: median':>20}{'verdicts':>10}")
    for name, setting in SETTINGS.items():
        m = measure(setting, args.tables, args.runs)
        print(f"{name:<36}{m['changed']:>15}{m['median']:>21.4f}{m['max']:>7.3f}"
              f"{m['verdicts']:>18}{m['chance']:>20.4f}{m['by_chance']:>10}")

if __name__ == "__main__":
    main()

"""Small textbook scenarios for tests, built as documents exactly as a user would write them."""

from __future__ import annotations

import copy

from sim.library import known_scenarios
from sim.loader import parse, read, validate
from sim.spec import Spec, compile_scenario

SRC = "t: textbook setting for a test"


def p(value: float) -> dict:
    return {"value": value, "source": SRC}


def leader(name: str, ideal: float, tactic: str, patience: float, **over) -> dict:
    doc = {
        "name": name, "tactic": tactic,
        "ideal": {"pie": p(ideal)}, "salience": {"pie": p(1.0)},
        "status_value": p(0.0), "meeting_cost": p(0.0), "preparation": p(1.0), "persuasion": p(0.0),
        "flattery_susceptibility": p(0.0), "resolve": p(0.0), "credibility": p(0.0),
        "narrative_control": p(0.0), "audience_cost": p(0.0), "consultation": p(1.0),
        "rival_fracture_value": p(0.0), "patience": p(patience),
    }
    for key, value in over.items():
        doc[key] = value if isinstance(value, dict | str) else p(value)
    return doc


def one_issue(d1: float, d2: float, rounds: int, sq: float = 0.0, tactic: str = "rational",
              disagreement: float | None = 0.0, **extra) -> dict:
    """Two leaders split one issue: x is A's share (A's ideal 1, B's ideal 0)."""
    a_over, b_over = extra.pop("a", {}), extra.pop("b", {})
    if disagreement is not None:
        a_over.setdefault("disagreement_utility", disagreement)
        b_over.setdefault("disagreement_utility", disagreement)
    doc = {
        "name": "pie", "title": "One issue", "year": 1982, "description": "a textbook split",
        "sources": {"t": "textbook setting built by the test suite"},
        "protocol": {"rounds": rounds, "rounds_source": SRC, "first_proposer": "a",
                     "perception_noise": p(0.0), "joint_statement": p(0.0),
                     "ratification_failure_cost": p(0.0), "backlash_cost": p(0.0),
                     "sanctions_ally_share": p(0.0), "firmness_reward": p(0.0),
                     "loss_aversion": p(1.0)},  # textbook results are for linear utilities
        "issues": {"pie": {"label": "Pie", "status_quo": p(sq)}},
        "leaders": {"a": leader("A", 1.0, a_over.pop("tactic", tactic), d1, **a_over),
                    "b": leader("B", 0.0, b_over.pop("tactic", tactic), d2, **b_over)},
    }
    doc.update(copy.deepcopy(extra))
    return doc


def shipped_document(name: str) -> dict:
    """A shipped scenario's document as its file holds it, a fresh copy for the caller to change."""
    path = known_scenarios()[name]
    return parse(read(path), path)


def spec_of(doc: dict) -> Spec:
    return compile_scenario(validate(doc, "test document"))


def table(ideals: dict[str, dict[str, float]], saliences: dict[str, dict[str, float]], rounds: int,
          sq: dict[str, float], tactic: str = "linear", **extra) -> dict:
    """A table of any number of leaders over several issues, every leader perfectly prepared."""
    first = next(iter(ideals))
    doc = one_issue(0.9, 0.9, rounds, tactic=tactic, disagreement=None)
    doc["issues"] = {k: {"label": k.title(), "status_quo": p(v)} for k, v in sq.items()}
    doc["protocol"]["first_proposer"] = first
    doc["leaders"] = {}
    for key, ideal in ideals.items():
        lead = leader(key.upper(), 0.0, tactic, 0.9)
        lead["ideal"] = {k: p(v) for k, v in ideal.items()}
        lead["salience"] = {k: p(v) for k, v in saliences[key].items()}
        doc["leaders"][key] = lead
    doc.update(copy.deepcopy(extra))
    return doc


def drawn_table(draw, leaders: int, rounds, tactics, issues=("x", "y", "z")) -> dict:
    """A ``table`` of ``leaders`` whose ideals, saliences (summing to one), number of rounds (from the
    strategy ``rounds``), status quo, tactic (from ``tactics``) and loss aversion (none, the
    default's, or up to 3) hypothesis's ``draw`` picks."""
    from hypothesis import strategies as st

    unit = st.floats(0.0, 1.0)
    keys = [f"l{i}" for i in range(leaders)]
    ideals = {k: {i: draw(unit) for i in issues} for k in keys}
    saliences = {}
    for k in keys:
        w = [draw(st.floats(0.05, 1.0)) for _ in issues]
        saliences[k] = {i: x / sum(w) for i, x in zip(issues, w, strict=True)}
    doc = table(ideals, saliences, draw(rounds), {i: draw(unit) for i in issues}, tactic=draw(tactics))
    doc["protocol"]["loss_aversion"] = p(draw(st.sampled_from([1.0, 1.96]) | st.floats(1.0, 3.0)))
    return doc


def seated_alike(spec: Spec, runs: int, seed: int):
    """``runs`` run ids that sit in one order of turns (``sim.seating``: at a table of three or
    more each run draws its own), for a test that traces many runs or builds a model by hand."""
    import numpy as np

    from sim import rng, seating

    ids = np.arange(max(64, 8 * runs) * len(seating.orders(spec)), dtype=np.uint64)
    index = seating.drawn(spec, rng.Streams(seed, ids))
    return ids[index == index[0]][:runs]

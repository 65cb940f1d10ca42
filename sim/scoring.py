"""Who comes out ahead: each leader's net gain in four parts, and the verdict over replays.

The common scale is the leader's own stakes: 1.0 is the value of moving every issue on the
table from the far end of its scale to the leader's ideal (saliences sum to 1). Status value,
meeting and audience costs and alliance weights are given by scenarios on that same scale.
"""

from __future__ import annotations

import math

import numpy as np

from sim.protocol import closeness, issue_sum

Z95 = 1.959963984540054


def score(model, final: np.ndarray, warmth: np.ndarray, failed: dict, backlash: dict) -> np.ndarray:
    """Per-run parts ``(leaders, 4, runs)``: substantive, status, domestic, alliance."""
    sq, symbolic = model.status_quo, model.spec.symbolic[:, None]
    parts = np.zeros((len(model.order), 4, model.runs))
    for i, leader in enumerate(model.order):
        moved = leader.salience * (closeness(final, leader.ideal) - closeness(sq, leader.ideal))
        substantive = issue_sum(np.where(symbolic, 0.0, moved))
        if model.mediator:
            substantive = substantive + model.side_payment
        symbolic_gain = issue_sum(np.where(symbolic, moved, 0.0))
        own_backlash = np.zeros(model.runs, dtype=bool)
        for legislature in leader.legislatures:
            own_backlash |= backlash[legislature.key]
        exposure = (warmth[i]
                    + failed[leader.key] * model.protocol["ratification_failure_cost"]
                    + own_backlash * model.protocol["backlash_cost"]
                    + np.maximum(-substantive, 0.0))
        domestic = (-(model.held * leader.meeting_cost)
                    - (1.0 - leader.narrative_control) * leader.audience_cost * exposure)
        alliance = np.zeros(model.runs)
        for ally in leader.allies:
            alliance += ally.weight * (ally.cohesion - ally.baseline_cohesion)
        for other in leader.others:
            for ally in other.allies:
                alliance += leader.rival_fracture_value * ally.weight * (ally.baseline_cohesion - ally.cohesion)
        parts[i] = (substantive, model.held * leader.status_value + symbolic_gain, domestic, alliance)
    return parts


def mean_ci(x: np.ndarray) -> dict:
    """Mean with a normal-approximation 95% interval (exact for one run: a zero-width interval)."""
    n = x.size
    m = float(x.mean())
    half = Z95 * float(x.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return {"mean": m, "low": m - half, "high": m + half}


def wilson(successes: float, n: int) -> tuple[float, float]:
    """Wilson score 95% interval for a proportion: sound near 0 and 1, unlike the normal one."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def top_share(gain: np.ndarray) -> np.ndarray:
    """Per leader and run, 1 if its gain is the highest of all; a tie shares the run."""
    top = gain == gain.max(axis=0)
    return top / top.sum(axis=0)


def margin_of(gain: np.ndarray, lead: int) -> np.ndarray:
    """Per run, leader ``lead``'s gain less the best of the others' gains."""
    return gain[lead] - np.delete(gain, lead, axis=0).max(axis=0)


def summarize(outcome, spec) -> dict:
    """Plain numbers for the report and for ``--json``: the verdict, its reasons, its certainty.

    A leader comes out ahead when, against every other leader, the 95% interval of the chance of
    a higher gain lies above one half. The headline probability is that of the highest gain of all
    (for two leaders, simply of beating the other): the winner's, or with no clear winner the first
    proposer's at a bilateral table and the likeliest leader's at a larger one."""
    keys = outcome.leaders
    n = outcome.run_ids.size
    gain = outcome.gain
    pairwise = {}
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            if i != j:
                d = gain[i] - gain[j]
                wins = float((d > 0).sum() + 0.5 * (d == 0).sum())
                pairwise[f"{a}>{b}"] = {"p": wins / n, **dict(zip(("low", "high"), wilson(wins, n), strict=True))}
    winner = next((a for a in keys if all(pairwise[f"{a}>{b}"]["low"] > 0.5 for b in keys if b != a)), None)
    tops = top_share(gain).sum(axis=1)
    lead = keys.index(winner) if winner else (0 if len(keys) == 2 else int(np.argmax(tops)))
    margin = margin_of(gain, lead)
    ahead = float(tops[lead])
    p = ahead / n
    lo, hi = wilson(ahead, n)
    verdict = f"{spec.leaders[winner]['name']} comes out ahead" if winner else "no clear winner"
    leaders = {}
    for i, key in enumerate(outcome.leaders):
        leaders[key] = {
            "name": spec.leaders[key]["name"],
            "gain": mean_ci(gain[i]),
            "parts": {name: mean_ci(outcome.parts[i, j]) for j, name in enumerate(outcome.PART_NAMES)},
            "wanted_meeting": float(outcome.wants_meeting[i].mean()),
            "sanctions_imposed": float((outcome.sanctions[i] > 0).mean()),
        }
    issues = {}
    for k, issue in enumerate(spec.issues):
        issues[issue] = {
            "label": spec.issue_labels[k],
            "status_quo": float(outcome.status_quo[k].mean()),
            "outcome": mean_ci(outcome.final[k]),
            "moved": float((np.abs(outcome.final[k] - outcome.status_quo[k]) > 1e-9).mean()),
            **{name: _mean_or_none(outcome.baselines[name][k]) for name in BASELINES if outcome.baselines},
        }
    deals = outcome.deal.sum()
    return {
        "scenario": spec.name,
        "title": spec.title,
        "runs": int(n),
        "verdict": verdict,
        "winner": winner,
        "margin": mean_ci(margin),
        "p_ahead": {"leader": keys[lead], "p": p, "low": lo, "high": hi},
        "pairwise": pairwise,
        "mediated": float(outcome.mediated.mean()),
        "leaders": leaders,
        "held": float(outcome.held.mean()),
        "deal": float(outcome.deal.mean()),
        "deal_round": float(outcome.deal_round[outcome.deal].mean()) if deals else None,
        "joint_statement": float(outcome.joint_statement.mean()),
        "ratification_failed": {k: float((~v & outcome.deal).sum() / deals) if deals else 0.0
                                for k, v in outcome.ratified.items()},
        "backlash": {k: float(v.mean()) for k, v in outcome.backlash.items()},
        "cohesion": {k: {"start": float(outcome.cohesion_start[k].mean()),
                         "end": float(outcome.cohesion_end[k].mean())} for k in outcome.cohesion_end},
        "events": {k: float(v.mean()) for k, v in outcome.events_fired.items()},
        "issues": issues,
        "baselines": None if not outcome.baselines else {
            "distance": {name: _mean_or_none(np.abs(outcome.final - outcome.baselines[name]).mean(axis=0))
                         for name in BASELINES},
            "pareto_gap": None if np.isnan(outcome.baselines["pareto_gap"]).all()
            else mean_ci(outcome.baselines["pareto_gap"]),
            "nash_gap": _mean_or_none(outcome.baselines["nash_gap"]),
        },
    }


BASELINES = ("compromise", "median", "nash")


def _mean_or_none(x: np.ndarray) -> float | None:
    """The mean, or None where a baseline is not defined (NaN: the Nash solution at a larger table)."""
    return None if np.isnan(x).all() else float(x.mean())

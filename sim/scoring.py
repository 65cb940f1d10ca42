"""Each leader's net gain in one replay, in four parts, and the part of it set directly by the scenario.

The common scale is the leader's own stakes: 1.0 is the value of moving every issue on the
table from the far end of its scale to the leader's ideal (saliences sum to 1). Status value,
meeting and audience costs and alliance weights are given by scenarios on that same scale.
"""

from __future__ import annotations

import numpy as np

from sim.protocol import closeness, issue_sum


def score(model, final: np.ndarray, warmth: np.ndarray, failed: dict, backlash: dict) -> tuple[np.ndarray, np.ndarray]:
    """Per-run parts ``(leaders, 4, runs)`` (substantive, status, domestic, alliance) and the
    directly set share of the net gain ``(leaders, runs)``.

    Directly set terms are numbers a scenario gives on the score's own scale rather than ones
    that follow from issues moved: the status value of the meeting, the cost of holding it, the
    reward allies give for a protest cancellation, and symbolic issues. The verdict reports how
    much of a margin they make, so that a verdict that is mostly an input says so."""
    sq, symbolic = model.status_quo, model.spec.symbolic[:, None]
    parts = np.zeros((len(model.order), 4, model.runs))
    direct = np.zeros((len(model.order), model.runs))
    for i, leader in enumerate(model.order):
        moved = leader.salience * (closeness(final, leader.ideal) - closeness(sq, leader.ideal))
        substantive = issue_sum(np.where(symbolic, 0.0, moved))
        if model.mediator:
            substantive = substantive + model.side_payment[i]
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
        for other in rivals(leader):
            for ally in other.allies:
                alliance += leader.rival_fracture_value * ally.weight * (ally.baseline_cohesion - ally.cohesion)
        status = model.ended_without_rupture * leader.meeting_status() + symbolic_gain
        parts[i] = (substantive, status, domestic, alliance)
        direct[i] = parts[i, 1] - model.held * leader.meeting_cost + _firmness(leader)
    return parts, direct


def rivals(leader) -> list:
    """The other leaders on another side: only their allies' drift is a gain to ``leader``."""
    return [other for other in leader.others if other.side != leader.side]


def _firmness(leader) -> np.ndarray:
    """What the allies' reward for a protest (a cancellation or a walk-out) adds to the leader's alliance part."""
    own = sum((a.weight * a.firmness_effect for a in leader.allies), np.zeros(leader.model.runs))
    theirs = sum((a.weight * a.firmness_effect for o in rivals(leader) for a in o.allies), np.zeros(leader.model.runs))
    return own - leader.rival_fracture_value * theirs

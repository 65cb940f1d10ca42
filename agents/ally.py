"""An ally in a leader's bloc, whose cohesion answers to what its leader gives away and how."""

from __future__ import annotations

import numpy as np

from agents.actor import Actor
from sim.protocol import concession, issue_sum


class Ally(Actor):
    group = "allies"

    def __init__(self, model, key: str, spec: dict, values: dict, vec, leader):
        super().__init__(model, key, spec)
        self.touches = spec["touches"]
        self.load(values, ("cohesion", "weight", "wariness"))
        self.baseline_cohesion = self.cohesion.copy()
        self.interest = self.issue_vector(vec, "interest", model.status_quo)
        self.leader = leader
        leader.allies.append(self)

    def react(self, outcome: np.ndarray, warmth: np.ndarray, protest_by_own: np.ndarray,
              firmness_reward: np.ndarray) -> None:
        """Unconsulted losses on its issues and warmth toward the rival cost cohesion; a protest by
        its own leader (cancelling the meeting, or walking out of it) earns some back.
        ``firmness_effect`` keeps what that reward alone added, since the reward is a directly set
        term the verdict must be able to set aside."""
        moved = concession(outcome, self.interest, self.model.status_quo) * self.touches[:, None]
        loss = issue_sum(moved) if moved.shape[0] else np.zeros_like(self.cohesion)
        change = -(1.0 - self.leader.consultation) * loss - self.wariness * warmth
        without_reward = np.clip(self.cohesion + change, 0.0, 1.0)
        reward = self.wariness * firmness_reward * protest_by_own
        self.cohesion = np.clip(self.cohesion + (change + reward), 0.0, 1.0)
        self.firmness_effect = self.cohesion - without_reward

"""A legislature: its win-set bounds what its leader can sign; it votes, and it can hit back."""

from __future__ import annotations

import numpy as np

from agents.actor import Actor
from sim.protocol import ceiling_interval


class Legislature(Actor):
    group = "legislatures"

    def __init__(self, model, key: str, spec: dict, values: dict, vec, leader):
        super().__init__(model, key, spec)
        self.ratifies = spec["ratifies"]
        self.load(values, ("tolerance", "noise", "hostility", "backlash"))
        self.ideal = self.issue_vector(vec, "ideal", model.status_quo)
        self.leader = leader
        leader.legislatures.append(self)

    def win_set(self) -> tuple[np.ndarray, np.ndarray]:
        """Putnam's win-set as known before the summit: per ratified issue, the tolerated interval."""
        lo, hi = ceiling_interval(self.ideal, self.model.status_quo, self.tolerance[None, :])
        return np.where(self.ratifies[:, None], lo, -np.inf), np.where(self.ratifies[:, None], hi, np.inf)

    def ratify(self, deal: np.ndarray, z: np.ndarray) -> np.ndarray:
        """The vote: the chamber's tolerance on the day is the known one plus noise (Putnam's
        involuntary defection is a win-set misjudged). A deal that leaves its issues alone needs
        no vote. What is asked is signed, as the win-set is: a chamber with a negative tolerance
        passes only deals that gain at least that much over the status quo."""
        sq = self.model.status_quo
        worse = np.abs(deal - self.ideal) - np.abs(sq - self.ideal)
        asked = np.where(self.ratifies[:, None], worse, -np.inf).max(axis=0)
        touched = (self.ratifies[:, None] & (np.abs(deal - sq) > 1e-12)).any(axis=0)
        return ~touched | (asked <= self.tolerance + self.noise * z + 1e-12)

    def backlash_fires(self, warmth: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A leader seen as too warm to the counterpart provokes hostile measures."""
        return u < self.hostility * warmth

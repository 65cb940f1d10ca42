"""A legislature: its win-set bounds what its leader can sign; it votes, and it can hit back."""

from __future__ import annotations

import numpy as np

from agents.actor import Actor
from sim.protocol import ceiling_interval
from sim.ratification import margin


class Legislature(Actor):
    """A chamber that votes on what its leader signs. Where the file gives it no ideal on an issue
    it ratifies, it shares its leader's ideal there (change 23 of docs/model.md): in Putnam's
    two-level game the ratifiers weigh a deal against no deal by their own preferences, and the
    leader bargains as their agent, so absent a record of a different view the chamber wants
    what its government wants, and its ``tolerance`` (how far it lets that be given away) binds.
    A chamber that wants no change is a veto player whose view needs a source (Tsebelis 2002)."""

    group = "legislatures"

    def __init__(self, model, key: str, spec: dict, values: dict, vec, leader):
        super().__init__(model, key, spec)
        self.ratifies = spec["ratifies"]
        self.load(values, ("tolerance", "noise", "hostility", "backlash"))
        self.ideal = self.issue_vector(vec, "ideal", leader.ideal)
        self.leader = leader
        leader.legislatures.append(self)

    def win_set(self) -> tuple[np.ndarray, np.ndarray]:
        """Putnam's win-set as the leaders draw on it before the summit: per ratified issue, the
        interval the known tolerance allows, less the margin that the vote's noise makes worth
        keeping (sim.ratification)."""
        safe = self.tolerance - margin(self.tolerance, self.noise)
        lo, hi = ceiling_interval(self.ideal, self.model.status_quo, safe[None, :])
        return np.where(self.ratifies[:, None], lo, -np.inf), np.where(self.ratifies[:, None], hi, np.inf)

    def asked(self, deal: np.ndarray) -> np.ndarray:
        """What a deal asks of the chamber: the largest signed concession on its issues, measured
        from its ideal against the status quo (negative where the deal improves on it)."""
        worse = np.abs(deal - self.ideal) - np.abs(self.model.status_quo - self.ideal)
        return np.where(self.ratifies[:, None], worse, -np.inf).max(axis=0)

    def needs_vote(self, deal: np.ndarray) -> np.ndarray:
        return (self.ratifies[:, None] & (np.abs(deal - self.model.status_quo) > 1e-12)).any(axis=0)

    def ratify(self, deal: np.ndarray, z: np.ndarray) -> np.ndarray:
        """The vote: the chamber's tolerance on the day is the known one plus noise (Putnam's
        involuntary defection is a win-set misjudged). A deal that leaves its issues alone needs
        no vote. What is asked is signed, as the win-set is: a chamber with a negative tolerance
        passes only deals that gain at least that much over the status quo."""
        return ~self.needs_vote(deal) | (self.asked(deal) <= self.tolerance + self.noise * z + 1e-12)

    def withdrawn(self, deal: np.ndarray) -> np.ndarray:
        """Whether the leader pulls the treaty before the vote: it expects to lose it, because
        what happened since the summit (an event at ``when: vote``) has moved the chamber so that
        the deal now asks more than it tolerates, so the vote passes with a chance under one half.
        A withdrawn treaty does not take effect, as a rejected one does not, but the leader is
        spared the public defeat (Carter withdrew SALT II from the Senate in January 1980, after
        the Soviet invasion of Afghanistan). Without such an event a deal inside the known
        win-set never asks more than the chamber tolerates, so nothing is withdrawn."""
        return self.needs_vote(deal) & (self.asked(deal) > self.tolerance + 1e-12)

    def backlash_fires(self, warmth: np.ndarray, u: np.ndarray) -> np.ndarray:
        """A leader seen as too warm to the counterpart provokes hostile measures."""
        return u < self.hostility * warmth

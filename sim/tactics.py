"""Leader tactics: how far to concede by round, and what to accept.

Each tactic is a small class with classifier metadata (as Axelrod's strategies are), found by
name in :data:`TACTICS`. A tactic sees its leader's perceived utilities only. All targets are
own-utility levels; the leader turns a target into an offer with the knapsack builder.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from sim.claims import claimed_share
from sim.protocol import concede, margin_over


class Tactic:
    name: ClassVar[str]
    classifier: ClassVar[dict] = {}

    def prepare(self, leader) -> None:
        """Pre-summit planning, once the feasible box and beliefs are known."""

    def reservation(self, leader, best: np.ndarray) -> np.ndarray:
        """The least the leader holds out for at the deadline: walk-away value plus the share of what is
        left that its ``resolve`` claims at a table of this size (``sim.claims``: ``resolve`` itself at
        a table of two). Before the deadline an impatient leader may take a little less
        (``threshold``: what it would get next round, discounted by its patience), so deals just
        before the deadline can fall below it (docs/experiments.md, "Why is there no deal?")."""
        return leader.disagreement + self.claimed(leader) * np.maximum(best - leader.disagreement, 0.0)

    def claimed(self, leader) -> np.ndarray:
        """The share of its possible gain the leader holds out for at the deadline: the same share of
        any agreement it signs on its own at the close (``sim.partial_deals``)."""
        return claimed_share(leader.resolve, len(leader.model.order))

    def offer(self, leader, t: int) -> np.ndarray:
        """The knapsack offer that meets this round's target, softened by flattery."""
        return leader.offer_for(leader.soften(self.target(leader, t)))

    def target(self, leader, t: int) -> np.ndarray:
        raise NotImplementedError

    def threshold(self, leader, t: int, offer_value: np.ndarray) -> np.ndarray:
        """The least perceived utility this leader accepts at round ``t`` (AC_next, discounted)."""
        if t >= leader.model.rounds:
            return leader.reservation
        nxt = self.target(leader, t + 1)
        return leader.disagreement + leader.patience * (nxt - leader.disagreement)


class TimeDependent(Tactic):
    """Faratin, Sierra & Jennings (1998): concede from the best to the reservation by a power of time."""

    exponent: ClassVar[float]
    classifier: ClassVar[dict] = {"time_dependent": True, "reactive": False, "threatens": False, "strategic": False}

    def target(self, leader, t: int) -> np.ndarray:
        horizon = max(leader.model.rounds - 1, 1)
        progress = min(max(t - 1, 0) / horizon, 1.0) ** (1.0 / self.exponent)
        best, floor = leader.best_value(), leader.reservation
        return best - (best - floor) * progress


class Boulware(TimeDependent):
    name = "boulware"
    exponent = 0.3


class Conceder(TimeDependent):
    name = "conceder"
    exponent = 3.0


class Linear(TimeDependent):
    name = "linear"
    exponent = 1.0


class TitForTat(Tactic):
    """Relative tit-for-tat: give back what the counterpart gave, after a linear good-faith opening."""

    name = "tit_for_tat"
    classifier: ClassVar[dict] = {"time_dependent": False, "reactive": True, "threatens": False, "strategic": False}
    opening_rounds = 2

    def target(self, leader, t: int) -> np.ndarray:
        if t <= self.opening_rounds:
            return Linear().target(leader, t)
        level = Linear().target(leader, self.opening_rounds) - leader.reciprocity * leader.received_total
        return level.clip(leader.reservation, leader.best_value())


class TwoPart(Tactic):
    """Fried's two-part message: firm by default and a sanctions threat, better relations if the other moves."""

    name = "two_part"
    classifier: ClassVar[dict] = {"time_dependent": True, "reactive": True, "threatens": True, "strategic": False}

    def target(self, leader, t: int) -> np.ndarray:
        firm = Boulware().target(leader, t)
        rewarded = leader.best_value() - leader.reciprocity * leader.received_total
        return np.minimum(firm, rewarded).clip(leader.reservation, leader.best_value())


class Rational(Tactic):
    """Subgame-perfect play of the finite alternating-offers game, by backward induction.

    On one issue with a pie of 1 this is Rubinstein's (1982) bargaining solution for a finite
    horizon; on several issues each stage is the knapsack frontier. The leader plans with its
    own perceived utilities and its beliefs about the counterpart's.
    """

    name = "rational"
    classifier: ClassVar[dict] = {"time_dependent": True, "reactive": False, "threatens": False, "strategic": True}

    def prepare(self, leader) -> None:
        other, T = leader.counterpart, leader.model.rounds
        own_d, their_d = leader.disagreement, leader.believed_disagreement
        own_v, their_v = own_d.copy(), their_d.copy()
        self.continuation = [None] * (T + 2)
        self.demand = [None] * (T + 2)
        for t in range(T, 0, -1):
            own_c = own_d + leader.patience * (own_v - own_d)
            their_c = their_d + other.patience * (their_v - their_d)
            self.continuation[t] = own_c
            if leader.model.proposer_at(t) is leader:
                x = leader.offer_giving(their_c)
                got = leader.perceived_value(x)
                ok = leader.believed_value_to_other(x) >= their_c - 1e-12
                own_v = np.where(ok & (got >= own_c), got, own_c)
                their_v = their_c
            else:
                x = other_offer_giving(leader, own_c)
                got = leader.believed_value_to_other(x)
                ok = leader.perceived_value(x) >= own_c - 1e-12
                their_v = np.where(ok & (got >= their_c), got, their_c)
                own_v = own_c
            self.demand[t] = their_c

    def reservation(self, leader, best: np.ndarray) -> np.ndarray:
        return leader.disagreement

    def claimed(self, leader) -> np.ndarray:
        """Backward induction leaves the last proposer's counterpart its walk-away value: no share."""
        return np.zeros(leader.model.runs)

    def offer(self, leader, t: int) -> np.ndarray:
        return leader.offer_giving(self.demand[t])

    def threshold(self, leader, t: int, offer_value: np.ndarray) -> np.ndarray:
        return self.continuation[t]


def other_offer_giving(leader, value: np.ndarray) -> np.ndarray:
    """What the counterpart, as this leader models it, would offer to give this leader ``value``."""
    box_lo, box_hi = leader.model.box
    start = leader.counterpart_ideal.clip(box_lo, box_hi)
    toward = leader.position.clip(box_lo, box_hi)
    budget = value - leader.perceived_value(start)
    sq = leader.model.status_quo
    margins = (margin_over(start, leader.counterpart_ideal, sq), margin_over(start, leader.position, sq))
    return concede(start, toward, leader.believed_salience, leader.perceived_salience,
                   leader.reverse_order, budget, margins, leader.model.aversion, by_gain=True)


class Succession(Tactic):
    """A seat whose holder changed during the summit in some runs (an event that ``replaces`` a
    leader): the successor's tactic plays where the change happened, the predecessor's elsewhere.
    Not in the registry: no scenario chooses it. The state's threats outlive the leader who made
    them, so the classifier is the predecessor's."""

    name = "succession"

    def __init__(self, before: Tactic, after: Tactic, replaced: np.ndarray):
        self.before, self.after, self.replaced = before, after, replaced
        self.classifier = before.classifier

    def _either(self, method: str, *args) -> np.ndarray:
        return np.where(self.replaced, getattr(self.after, method)(*args), getattr(self.before, method)(*args))

    def prepare(self, leader) -> None:
        self.before.prepare(leader)
        self.after.prepare(leader)

    def reservation(self, leader, best: np.ndarray) -> np.ndarray:
        return self._either("reservation", leader, best)

    def claimed(self, leader) -> np.ndarray:
        return self._either("claimed", leader)

    def offer(self, leader, t: int) -> np.ndarray:
        return self._either("offer", leader, t)

    def target(self, leader, t: int) -> np.ndarray:
        return self._either("target", leader, t)

    def threshold(self, leader, t: int, offer_value: np.ndarray) -> np.ndarray:
        return self._either("threshold", leader, t, offer_value)


TACTICS: dict[str, type[Tactic]] = {
    cls.name: cls for cls in (Boulware, Conceder, Linear, TitForTat, TwoPart, Rational)
}

"""A leader at the table: perceives the issues, plans with a tactic, proposes and responds."""

from __future__ import annotations

import numpy as np

from agents.actor import Actor
from sim.protocol import concede, issue_sum, ordering, utility
from sim.tactics import TACTICS

SCALARS = ("status_value", "meeting_cost", "preparation", "persuasion", "flattery_susceptibility",
           "resolve", "credibility", "narrative_control", "audience_cost", "consultation",
           "rival_fracture_value", "patience")


class Leader(Actor):
    """Holds the true interests (``ideal``, ``salience``) that scoring uses, and the perceived
    ones (``perceived_salience``, ``believed_salience`` of the counterpart) that decisions use:
    a poorly prepared leader misjudges both, and so gives ground it did not have to give."""

    group = "leaders"

    def __init__(self, model, key: str, spec: dict, values: dict, vec):
        super().__init__(model, key, spec)
        self.tactic = TACTICS[spec["tactic"]]()
        self.sanctions_issue = spec["sanctions_issue"]
        p = self.prefix
        self.load(values, SCALARS)
        runs = model.runs
        self.reciprocity = values.get(f"{p}.reciprocity", np.ones(runs)).copy()
        self.threat = values.get(f"{p}.threat", np.zeros(runs)).copy()
        self.fixed_disagreement = values.get(f"{p}.disagreement_utility")
        self.ideal = vec(f"{p}.ideal")
        self.salience = _normalised(np.nan_to_num(vec(f"{p}.salience")))
        self.max_concession = self.issue_vector(vec, "max_concession", np.ones((1, 1)))
        self.position = self.ideal.copy()
        self.advisers, self.allies, self.legislatures = [], [], []
        self.counterpart: Leader | None = None
        self.offers: list[np.ndarray] = []
        self.last_received: np.ndarray | None = None
        self.received_total = np.zeros(runs)
        self.threat_cost = np.zeros(runs)

    # --- before the summit -------------------------------------------------------------------
    def perceive(self, own_noise: np.ndarray, other_noise: np.ndarray, noise_scale: np.ndarray) -> None:
        """Form perceived own and believed counterpart saliences; noise shrinks with preparation."""
        sigma = noise_scale * (1.0 - self.preparation)
        self.perceived_salience = _normalised(self.salience + sigma * own_noise)
        self.believed_salience = _normalised(self.counterpart.salience + sigma * other_noise)

    def prepare(self) -> None:
        self.order = ordering(self.believed_salience, self.perceived_salience)
        self.reverse_order = ordering(self.perceived_salience, self.believed_salience)
        sq = self.model.status_quo
        if self.fixed_disagreement is not None:
            self.disagreement = self.fixed_disagreement.copy()
            self.believed_disagreement = (self.counterpart.fixed_disagreement.copy()
                                          if self.counterpart.fixed_disagreement is not None
                                          else utility(sq, self.counterpart_ideal, self.believed_salience))
        else:
            self.disagreement = utility(sq, self.position, self.perceived_salience) - self.threat_cost
            self.believed_disagreement = utility(sq, self.counterpart_ideal, self.believed_salience)
        self.reservation = self.tactic.reservation(self, self.best_value())
        self.tactic.prepare(self)

    @property
    def counterpart_ideal(self) -> np.ndarray:
        """Positions are public: a leader knows where the counterpart stands, not how much it cares."""
        return self.counterpart.ideal

    @property
    def advisers_in_room(self) -> list:
        return [a for a in self.advisers if a.in_room]

    def anticipated_gain(self) -> np.ndarray:
        """What the leader expects from talks: the midpoint of the two opening positions, or
        nothing if that midpoint is worse than the status quo - a leader can always say no."""
        box_lo, box_hi = self.model.box
        focal = 0.5 * (np.clip(self.position, box_lo, box_hi) + np.clip(self.counterpart_ideal, box_lo, box_hi))
        sq = self.model.status_quo
        own = self.perceived_salience
        gain = utility(focal, self.position, own) - utility(sq, self.position, own)
        return np.maximum(gain, 0.0)

    def wants_meeting(self) -> np.ndarray:
        return self.status_value + self.anticipated_gain() - self.meeting_cost >= 0.0

    # --- at the table --------------------------------------------------------------------------
    def deliberate(self) -> None:
        """Friedkin-Johnsen: advisers in the room pull the working position; the ideal anchors it."""
        in_room = self.advisers_in_room
        if not in_room:
            return
        pull = sum(a.influence for a in in_room)
        heard = sum(a.influence[None, :] * a.ideal for a in in_room)
        susceptibility = np.minimum(pull, 1.0)
        social = (1.0 - susceptibility) * self.position + heard / np.maximum(pull, 1e-12) * susceptibility
        self.position = (1.0 - susceptibility) * self.ideal + susceptibility * social

    def start(self) -> np.ndarray:
        box_lo, box_hi = self.model.box
        return np.clip(self.position, box_lo, box_hi)

    def toward(self) -> np.ndarray:
        box_lo, box_hi = self.model.box
        return np.clip(self.counterpart_ideal, box_lo, box_hi)

    def best_value(self) -> np.ndarray:
        return utility(self.start(), self.position, self.perceived_salience)

    def believed_value_to_other(self, x: np.ndarray) -> np.ndarray:
        return utility(x, self.counterpart_ideal, self.believed_salience)

    def offer_giving(self, value: np.ndarray) -> np.ndarray:
        start = self.start()
        budget = value - self.believed_value_to_other(start)
        return concede(start, self.toward(), self.perceived_salience, self.believed_salience,
                       self.order, budget, by_gain=True)

    def offer_for(self, target: np.ndarray) -> np.ndarray:
        start = self.start()
        budget = self.best_value() - target
        return concede(start, self.toward(), self.perceived_salience, self.believed_salience,
                       self.order, budget)

    def soften(self, level: np.ndarray) -> np.ndarray:
        """Flattery: the counterpart's persuasion times own susceptibility pulls demands down."""
        s = self.counterpart.persuasion * self.flattery_susceptibility
        return self.reservation + (1.0 - s) * (level - self.reservation)

    def propose(self, t: int) -> np.ndarray:
        offer = self.tactic.offer(self, t)
        cap = self.concession_cap()
        if cap is not None:
            previous = self.offers[-1] if self.offers else self.start()
            offer = np.clip(offer, previous - cap, previous + cap)
        self.offers.append(offer)
        return offer

    def concession_cap(self) -> np.ndarray | None:
        """Advisers in the room limit how far the leader moves in one round."""
        in_room = self.advisers_in_room
        if not in_room:
            return None
        return np.maximum(1.0 - sum(a.influence for a in in_room), 0.05)

    def perceived_value(self, x: np.ndarray) -> np.ndarray:
        return utility(x, self.position, self.perceived_salience)

    def respond(self, t: int, offer: np.ndarray) -> np.ndarray:
        value = self.perceived_value(offer)
        if self.last_received is not None:
            self.received_total = self.received_total + np.maximum(value - self.last_received, 0.0)
        self.last_received = value
        threshold = self.soften(self.tactic.threshold(self, t, value))
        return value >= threshold - 1e-12


def _normalised(w: np.ndarray) -> np.ndarray:
    w = np.maximum(w, 0.0)
    return w / np.maximum(issue_sum(w), 1e-12)

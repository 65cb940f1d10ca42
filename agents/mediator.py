"""A mediator: holds no seat in the vote, but takes a turn in the rotation with a single text.

Fisher's single negotiating text, as Carter used it at Camp David: rather than answer the parties'
offers, the mediator drafts one text from what each has shown it can live with, leans it toward
its own view, and sweetens acceptance with side payments (aid, guarantees) of its own.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from agents.actor import Actor
from sim.protocol import weighted_median


class Mediator(Actor):
    group = "mediators"

    def __init__(self, model, key: str, spec: dict, values: dict, vec, leaders):
        super().__init__(model, key, spec)
        self.load(values, ("bias", "leverage", "skill"))
        middle = reduce(np.add, [leader.ideal for leader in leaders]) / len(leaders)
        leaning = {leader.key: leader for leader in leaders}.get(spec["leans_to"])
        # no stated view: the view of the leader it leans to, or else the table's middle
        self.ideal = self.issue_vector(vec, "ideal", middle if leaning is None else leaning.ideal)
        self.payments = self._per_leader(values, "payments", leaders)
        self.persuasion = self._per_leader(values, "persuasion", leaders)
        self.drafting = spec["drafting"]

    def _per_leader(self, values: dict, name: str, leaders) -> dict[str, np.ndarray]:
        paths = {leader.key: f"{self.prefix}.{name}.{leader.key}" for leader in leaders}
        return {key: values[path] for key, path in paths.items() if path in values}

    def persuasion_of(self, leader) -> np.ndarray | None:
        """How far the mediator talks ``leader`` down toward its reservation when it weighs the
        text (None: not at all)."""
        return self.persuasion.get(leader.key)

    def payment_to(self, leader) -> np.ndarray:
        """What signing this text earns ``leader``: its own side payment, or the mediator's leverage."""
        return self.payments.get(leader.key, self.leverage)

    def draft(self, leaders) -> np.ndarray:
        """Per issue, from the parties' latest offers weighted by how much each cares (read with
        ``skill``; an unskilled mediator weights them equally): their weighted middle, or with
        ``drafting: logroll`` their weighted median, which gives each issue to the parties who care
        most about it (Raiffa's logrolling; with linear utilities it maximises the weighted sum of
        the parties' gains, issue by issue). Then leaned toward the mediator's ideal, within the box."""
        equal = 1.0 / len(leaders)
        weights = [self.skill * leader.salience + (1.0 - self.skill) * equal for leader in leaders]
        shown = [leader.offers[-1] if leader.offers else leader.start() for leader in leaders]
        if self.drafting == "logroll":
            text = weighted_median(np.stack(shown), np.stack(weights))
        else:
            total = reduce(np.add, weights)
            text = reduce(np.add, [w * x for w, x in zip(weights, shown, strict=True)]) / np.maximum(total, 1e-12)
        box_lo, box_hi = self.model.box
        return np.clip(text + self.bias * (self.ideal - text), box_lo, box_hi)


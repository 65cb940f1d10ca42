"""A mediator: holds no seat in the vote, but takes a turn in the rotation with a single text.

Fisher's single negotiating text, as Carter used it at Camp David: rather than answer the parties'
offers, the mediator drafts one text from what each has shown it can live with, leans it toward
its own view, and sweetens acceptance with side payments (aid, guarantees) of its own.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from agents.actor import Actor


class Mediator(Actor):
    group = "mediators"

    def __init__(self, model, key: str, spec: dict, values: dict, vec, leaders):
        super().__init__(model, key, spec)
        self.load(values, ("bias", "leverage", "skill"))
        middle = reduce(np.add, [leader.ideal for leader in leaders]) / len(leaders)
        self.ideal = self.issue_vector(vec, "ideal", middle)  # no stated view: the table's middle

    def draft(self, leaders) -> np.ndarray:
        """Per issue, the parties' latest offers weighted by how much each cares (read with
        ``skill``; an unskilled mediator weights them equally), leaned toward the mediator's ideal."""
        equal = 1.0 / len(leaders)
        weights = [self.skill * leader.salience + (1.0 - self.skill) * equal for leader in leaders]
        shown = [leader.offers[-1] if leader.offers else leader.start() for leader in leaders]
        total = reduce(np.add, weights)
        text = reduce(np.add, [w * x for w, x in zip(weights, shown, strict=True)]) / np.maximum(total, 1e-12)
        box_lo, box_hi = self.model.box
        return np.clip(text + self.bias * (self.ideal - text), box_lo, box_hi)

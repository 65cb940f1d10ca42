"""What every summit actor shares: an identity, and attributes read from the per-run parameters."""

from __future__ import annotations

from collections.abc import Callable
from operator import is_

import mesa
import numpy as np


class Actor(mesa.Agent):
    group: str = ""

    def __init__(self, model, key: str, spec: dict):
        super().__init__(model)
        self.key, self.name = key, spec["name"]
        self.prefix = f"{self.group}.{key}"
        self._remembered: dict[str, tuple] = {}

    def load(self, values: dict, names: tuple[str, ...]) -> None:
        """Copy each named scalar parameter's per-run values onto the agent (events may change them)."""
        for name in names:
            setattr(self, name, values[f"{self.prefix}.{name}"].copy())

    def issue_vector(self, vec, name: str, default: np.ndarray) -> np.ndarray:
        """A per-issue attribute; issues the scenario leaves out take ``default``."""
        given = vec(f"{self.prefix}.{name}")
        return np.where(np.isnan(given), default, given)

    def remembered(self, name: str, inputs: tuple, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """``compute()``, kept until one of ``inputs`` is replaced. The engine never writes into an
        array it has handed out, it replaces it, so comparing the inputs by identity is enough; a
        leader asks for its opening offer and its value dozens of times a round, and they change
        only when its position, its beliefs or the others' ideals do."""
        kept = self._remembered.get(name)
        if kept is None or not all(map(is_, kept[0], inputs)):
            kept = self._remembered[name] = (inputs, compute())
        return kept[1]

    def change(self, attribute: str, value: np.ndarray) -> None:
        """An event sets an attribute to a new per-run value."""
        setattr(self, attribute, value)

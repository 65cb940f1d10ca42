"""What every summit actor shares: an identity, and attributes read from the per-run parameters."""

from __future__ import annotations

import mesa
import numpy as np


class Actor(mesa.Agent):
    group: str = ""

    def __init__(self, model, key: str, spec: dict):
        super().__init__(model)
        self.key, self.name = key, spec["name"]
        self.prefix = f"{self.group}.{key}"

    def load(self, values: dict, names: tuple[str, ...]) -> None:
        """Copy each named scalar parameter's per-run values onto the agent (events may change them)."""
        for name in names:
            setattr(self, name, values[f"{self.prefix}.{name}"].copy())

    def issue_vector(self, vec, name: str, default: np.ndarray) -> np.ndarray:
        """A per-issue attribute; issues the scenario leaves out take ``default``."""
        given = vec(f"{self.prefix}.{name}")
        return np.where(np.isnan(given), default, given)

    def change(self, attribute: str, value: np.ndarray) -> None:
        """An event sets an attribute to a new per-run value."""
        setattr(self, attribute, value)

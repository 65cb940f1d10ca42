"""An adviser: briefs the leader before the summit and, if in the room, pulls and restrains."""

from __future__ import annotations

import mesa
import numpy as np


class Adviser(mesa.Agent):
    def __init__(self, model, key: str, spec: dict, values: dict, vec, leader):
        super().__init__(model)
        self.key, self.name, self.in_room = key, spec["name"], spec["in_room"]
        p = f"advisers.{key}"
        self.influence = values[f"{p}.influence"].copy()
        self.briefing = values[f"{p}.briefing"].copy()
        ideal = vec(f"{p}.ideal")
        self.ideal = np.where(np.isnan(ideal), leader.ideal, ideal)
        self.leader = leader
        leader.advisers.append(self)

    def brief(self) -> None:
        """Close a share ``briefing`` of the leader's remaining preparation gap."""
        self.leader.preparation = 1.0 - (1.0 - self.leader.preparation) * (1.0 - self.briefing)

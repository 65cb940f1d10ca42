"""An adviser: briefs the leader before the summit and, if in the room, pulls and restrains."""

from __future__ import annotations

from agents.actor import Actor


class Adviser(Actor):
    group = "advisers"

    def __init__(self, model, key: str, spec: dict, values: dict, vec, leader):
        super().__init__(model, key, spec)
        self.in_room = spec["in_room"]
        self.load(values, ("influence", "briefing"))
        self.ideal = self.issue_vector(vec, "ideal", leader.ideal)
        self.leader = leader
        leader.advisers.append(self)

    def brief(self) -> None:
        """Close a share ``briefing`` of the leader's remaining preparation gap."""
        self.leader.preparation = 1.0 - (1.0 - self.leader.preparation) * (1.0 - self.briefing)

"""The actors of a summit as Mesa agents. Every attribute is an array over the runs of a batch."""

from agents.actor import Actor
from agents.adviser import Adviser
from agents.ally import Ally
from agents.leader import Leader
from agents.legislature import Legislature
from agents.mediator import Mediator

__all__ = ["Actor", "Adviser", "Ally", "Leader", "Legislature", "Mediator"]

"""summit: an agent-based simulation of diplomatic summit negotiation.

The engine (model, agents, tactics, protocol, scoring) takes plain data and returns plain data;
loading, the command line and reports sit at the edges and call it.
"""

from sim.replay import replay
from sim.scoring import summarize

__version__ = "0.1.0"
__all__ = ["__version__", "replay", "summarize"]

"""summit: an agent-based simulation of diplomatic summit negotiation.

The engine (model, agents, tactics, protocol, scoring) takes plain data and returns plain data;
loading, the command line and reports sit at the edges and call it. Importing the package loads
nothing heavy, so the command line can answer Ctrl-C even while its libraries load.
"""

__version__ = "0.1.0"

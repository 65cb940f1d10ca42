"""summit: an agent-based simulation of diplomatic summit negotiation.

``import sim`` is instant: the Python API (``sim.run``, ``sim.load``, ``sim.compare``,
``sim.screen``, ``sim.sweep``, ``sim.as_function``; see docs/api.md) loads the engine on first use. The engine
(model, agents, tactics, protocol, scoring) takes plain data and returns plain data; loading, the
command line and reports sit at the edges and call it. Importing the package loads nothing heavy,
so the command line can answer Ctrl-C even while its libraries load.
"""

__version__ = "0.1.0"

API = ("load", "run", "compare", "screen", "sweep", "as_function", "Result", "Screening", "SweepResult")
__all__ = ["__version__", *API]


def __getattr__(name: str):
    """Load ``sim.api`` when one of its names is first used (PEP 562), not when ``sim`` is imported."""
    if name in API:
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute '{name}'")

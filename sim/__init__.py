"""summit: an agent-based simulation of diplomatic summit negotiation.

``import sim`` is instant: the Python API (``sim.run``, ``sim.load``, ``sim.compare``,
``sim.screen``, ``sim.sweep``, ``sim.as_function``; see docs/api.md) loads the engine on first use. The engine
(model, agents, tactics, protocol, scoring) takes plain data and returns plain data; loading, the
command line and reports sit at the edges and call it. Importing the package loads nothing heavy,
so the command line can answer Ctrl-C even while its libraries load.

In a notebook or at the interactive prompt, ``import sim`` also starts loading the engine's
libraries (numpy, pydantic, Mesa with the pandas and SciPy it brings: about a second of CPU) on a
background thread, while the user writes the next cell; the first ``sim.run`` then waits only for
what is left. Only third-party libraries load there, never a module of ``sim``, so the thread
holds no lock the user's own imports could be waiting on in the other order.
"""

import sys
import threading

__version__ = "0.1.0"

API = ("load", "run", "compare", "screen", "sweep", "as_function", "Result", "Comparison", "Screening", "SweepResult")
__all__ = ["__version__", *API]
WARM_UP = ("numpy", "yaml", "pydantic", "mesa")  # what the first sim.run imports, heaviest last


def __getattr__(name: str):
    """Load ``sim.api`` when one of its names is first used (PEP 562), not when ``sim`` is imported."""
    if name in API:
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute '{name}'")


def _warm_up() -> None:
    import importlib

    for name in WARM_UP:
        try:
            importlib.import_module(name)
        except Exception:  # the first sim.run imports it again, and reports what is wrong
            return


def _interactive() -> bool:
    """A notebook's kernel, IPython or the plain interactive prompt: someone is about to type."""
    return "ipykernel" in sys.modules or "IPython" in sys.modules or hasattr(sys, "ps1")


if _interactive():
    threading.Thread(target=_warm_up, name="summit-warm-up", daemon=True).start()

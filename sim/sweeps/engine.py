"""Which engine wrote a results folder, so that a resumed sweep is finished by the same one.

Why. A sweep's rows are one experiment only if one engine replayed them all: a change to a
mechanism, even one that moves a single rule, changes the numbers of the runs it touches, and
numpy or scipy may move the last bits of a draw. Resuming a folder begun by another engine would
mix two experiments under one manifest, silently. The engine is identified by the source of the
packages that replay a run (``sim`` and ``agents``, every module, docstrings included: a strict
identity is the safe one) and the versions of the numerical libraries they call.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

import agents
import sim

LIBRARIES = ("numpy", "scipy", "mesa")


@cache
def engine_id() -> str:
    """A short hash of the engine's source files and its numerical libraries' versions."""
    digest = hashlib.sha256()
    for package in (sim, agents):
        root = Path(package.__file__).resolve().parent
        for path in sorted(root.rglob("*.py")):
            digest.update(f"{package.__name__}/{path.relative_to(root).as_posix()}\n".encode())
            digest.update(path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}\n".encode())
    return digest.hexdigest()[:16]

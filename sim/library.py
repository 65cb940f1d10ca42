"""Where scenario files are found: the shipped folder, after any folders ``SUMMIT_SCENARIOS``
names (a file there shadows a shipped file of the same name). Kept apart from the loader, which
brings YAML and pydantic, so that finding a file costs nothing."""

from __future__ import annotations

import os
from pathlib import Path

from sim.defaults import MAX_BYTES

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


def search_path() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("SUMMIT_SCENARIOS", "").split(os.pathsep) if p]
    return [*extra, SCENARIO_DIR]


def known_scenarios() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in reversed(search_path()):
        for f in sorted(folder.glob("*.yaml")):
            found[f.stem] = f
    return dict(sorted(found.items()))


def head(path: Path) -> bytes:
    """A file's bytes, up to one more than a summit file may hold: enough to tell that it is too
    large without reading it whole. Raises OSError where it cannot be read."""
    with path.open("rb") as f:
        return f.read(MAX_BYTES + 1)

"""Where a command may write: never over a file it did not make, never into summit's own code.

A report, a figure or a new scenario is written only to a path that does not exist yet, unless
the user says ``--force``; and never inside the installed package (``sim/``, ``agents/``),
``--force`` or not, so that a mistyped ``--out`` cannot replace the program or a user's work.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "agents")
FORMATS = (".png", ".svg", ".pdf")


def in_folder(out: str, name: str) -> Path:
    """``--out`` as the user meant it: a folder (one that exists, or any path written with a
    trailing slash, which is made) takes the file ``name`` inside it, the name the command gives
    when ``--out`` is left out; anything else is the file itself. (``Path`` drops a trailing
    slash, so that 'figs/' would otherwise write 'figs-ahead.png' beside the folder.)"""
    path = Path(out)
    if out.endswith(("/", os.sep)) or path.is_dir():
        return path / name
    return path


def figure_files(out: Path) -> list[Path]:
    """The files a figure saved to ``out`` is written as: that one, or all three formats beside it.
    Here, not beside the figures, so that a command refuses a path before it imports matplotlib."""
    return [out] if out.suffix in FORMATS else [out.with_name(out.name + f) for f in FORMATS]


def refusal(target: Path, force: bool = False) -> str | None:
    """Why ``target`` may not be written, or None when it may."""
    resolved = target.resolve()
    if any(resolved == d or d in resolved.parents for d in PACKAGE):
        return "is inside summit's own package; write reports, figures and scenarios elsewhere"
    if resolved.is_dir():
        return "is a folder; give a file name"
    if resolved.exists() and not force:
        return "exists already and is left as it is; choose another --out, or add --force to replace it"
    return None

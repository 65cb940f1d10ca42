"""Where a command may write: never over a file it did not make, never into summit's own code.

A report, a figure or a new scenario is written only to a path that does not exist yet, unless
the user says ``--force``; and never inside the installed package (``sim/``, ``agents/``),
``--force`` or not, so that a mistyped ``--out`` cannot replace the program or a user's work.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "agents")
FORMATS = (".png", ".svg", ".pdf")


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

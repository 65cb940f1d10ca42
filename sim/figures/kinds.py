"""Every figure by name, and how it is written: PNG, SVG and PDF unless a suffix says which."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt

from sim.figures.allies import allies
from sim.figures.dance import dance
from sim.figures.issues import issues
from sim.figures.twolevel import two_level
from sim.figures.verdict import ahead, margin
from sim.figures.whatif import what_if
from sim.figures.zone import zone
from sim.targets import figure_files

SCENARIO_KINDS = {"dance": dance, "ahead": ahead, "margin": margin, "issues": issues, "two-level": two_level,
                  "allies": allies, "what-if": what_if, "zone": zone}


def png(fig, dpi: int) -> bytes:
    """The figure as PNG bytes, for a page that embeds it (the report, the app); the figure is closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getvalue()


def save(fig, out: Path) -> list[Path]:
    """Write the figure to ``out`` (``sim.targets.figure_files``: one format, or all three)."""
    written = figure_files(out)
    for target in written:
        target.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(target)
    plt.close(fig)
    return written

"""Two looks: ``class`` for a projector (large type, thick lines) and ``paper`` for print.
Colours are Okabe and Ito's palette, which stays distinct under the common colour-blindnesses."""

from __future__ import annotations

import sys
import textwrap
from contextlib import contextmanager

import matplotlib

if "ipykernel" not in sys.modules:  # figures are files; in a notebook the kernel's inline backend shows them
    matplotlib.use("Agg")

import matplotlib.pyplot as plt

from sim import __version__

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
PART_COLOURS = {"substantive": "#0072B2", "status": "#E69F00", "domestic": "#CC79A7", "alliance": "#009E73"}
GREY = "#6E6E6E"

STYLES = {
    "class": {"figure.figsize": (13.33, 7.5), "font.size": 17, "axes.titlesize": 21, "axes.labelsize": 18,
              "xtick.labelsize": 15, "ytick.labelsize": 15, "legend.fontsize": 14, "lines.linewidth": 3.2,
              "lines.markersize": 10, "axes.linewidth": 1.4, "figure.dpi": 100, "savefig.dpi": 150},
    "paper": {"figure.figsize": (7.0, 4.3), "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9,
              "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8, "lines.linewidth": 1.4,
              "lines.markersize": 5, "axes.linewidth": 0.8, "figure.dpi": 100, "savefig.dpi": 300},
}
COMMON = {"axes.prop_cycle": plt.cycler(color=OKABE_ITO), "axes.spines.top": False, "axes.spines.right": False,
          "axes.titleweight": "bold", "axes.titlelocation": "left", "legend.frameon": False,
          "svg.fonttype": "none", "pdf.fonttype": 42, "font.family": "DejaVu Sans",
          # a file's names and labels are text, not TeX: "$24 billion ... $10 billion" must not turn
          # into mathematics, and "$\frac{1}$" must not stop the figure with a parser's error
          "text.parse_math": False}


@contextmanager
def styled(name: str):
    if name not in STYLES:
        raise ValueError(f"unknown style '{name}'; choose {' or '.join(STYLES)}")
    with plt.rc_context({**COMMON, **STYLES[name]}):
        yield


def colours(keys) -> dict[str, str]:
    return {k: OKABE_ITO[i % len(OKABE_ITO)] for i, k in enumerate(keys)}


def legend_below(fig, handles: list, labels: list[str], ncol: int, y: float) -> int:
    """A legend under the panels, its labels wrapped to fit a column of the figure's width (at a
    table of four, leaders' names ran off both edges). Returns the most lines any column holds,
    which the figure's bottom margin must leave room for; a legend fills its columns top to
    bottom."""
    size = plt.rcParams["legend.fontsize"]
    size = size if isinstance(size, int | float) else plt.rcParams["font.size"]
    room = int(0.95 * fig.get_figwidth() / ncol * 72 / (size * 0.6)) - 6   # less the handle's width
    wrapped = [textwrap.fill(label, max(16, room), break_on_hyphens=False) for label in labels]
    fig.legend(handles, wrapped, loc="lower center", ncol=ncol, bbox_to_anchor=(0.5, y))
    per_column = -(-len(wrapped) // ncol)
    return max(sum(w.count("\n") + 1 for w in wrapped[c * per_column:(c + 1) * per_column]) for c in range(ncol))


def fitted(label: str, fig, share: float, along: str = "x", lines: int = 3) -> str:
    """An axis label wrapped to ``share`` of the figure's width (``along="x"``) or height ("y"),
    at most ``lines`` lines: a sweep over an event's chance is labelled with the event's whole
    sentence, which ran off both edges of a heatmap on one line."""
    size = plt.rcParams["axes.labelsize"]
    size = size if isinstance(size, int | float) else plt.rcParams["font.size"]
    inches = (fig.get_figwidth() if along == "x" else fig.get_figheight()) * share
    return textwrap.fill(label, max(20, int(inches * 72 / (size * 0.6))), max_lines=lines, placeholder="...")


def finish(fig, title: str, source: str, bottom: float = 0.035) -> None:
    """The finding as the title (wrapped to the figure's width), the provenance as a small line
    at the foot."""
    size = plt.rcParams["axes.titlesize"]
    per_line = max(20, int(fig.get_figwidth() * 72 / (size * 0.62)))
    heading = fig.suptitle(textwrap.fill(title, per_line), x=0.01, ha="left", fontweight="bold", fontsize=size)
    renderer = fig.canvas.get_renderer()
    while per_line > 20 and heading.get_window_extent(renderer).x1 > fig.bbox.x1 * 0.99:
        per_line = int(per_line * 0.92)  # bold capitals run wider than the estimate: wrap until it fits
        heading.set_text(textwrap.fill(title, per_line))
    fig.text(0.01, 0.005, f"{source} · summit {__version__}", fontsize=plt.rcParams["font.size"] * 0.62,
             color=GREY, ha="left", va="bottom")
    fig.tight_layout(rect=(0, bottom, 1, 1))  # tight_layout makes room for the suptitle itself

"""The issues: where each one ended against the status quo and each side's ideal."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.font_manager import FontProperties

from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish, legend_below


def issues(r: Replayed):
    """One row per issue on its 0-1 scale: the status quo, each leader's ideal, the mean outcome."""
    spec, s = r.spec, r.summary
    colour = colours(spec.leaders)
    keys = list(spec.issues)
    fig, ax = plt.subplots()
    y = np.arange(len(keys))[::-1]
    for row, key in zip(y, keys, strict=True):
        ax.plot([0, 1], [row, row], color=GREY, lw=0.8, alpha=0.4)
        ax.plot(s["issues"][key]["status_quo"], row, marker="s", color=GREY, ls="none")
        for leader in spec.leaders:
            ideal = spec.draws[f"leaders.{leader}.ideal.{key}"].mean
            ax.plot(ideal, row, marker="*", color=colour[leader], ls="none",
                    markersize=plt.rcParams["lines.markersize"] * 1.6)
        ax.plot(s["issues"][key]["outcome"]["mean"], row, marker="D", color="black", ls="none")
    ax.set_yticks(y, [tick_label(label, fig, len(keys)) for label in spec.issue_labels])
    ax.set_xlim(-0.03, 1.03)
    ax.set_xlabel("position on the issue's scale (0 and 1 as the scenario defines them)")
    handles = [plt.Line2D([], [], color=GREY, marker="s", ls="none", label="status quo"),
               plt.Line2D([], [], color="black", marker="D", ls="none", label="outcome (mean)")]
    handles += [plt.Line2D([], [], color=colour[k], marker="*", ls="none", label=f"{v['name']}'s ideal")
                for k, v in spec.leaders.items()]
    lines = legend_below(fig, handles, [h.get_label() for h in handles], ncol=min(4, len(handles)), y=0.03)
    moved = max(keys, key=lambda k: abs(s["issues"][k]["outcome"]["mean"] - s["issues"][k]["status_quo"]))
    label = s["issues"][moved]["label"]
    shift = s["issues"][moved]["outcome"]["mean"] - s["issues"][moved]["status_quo"]
    finish(fig, f"The issues: {label} moves most, {shift:+z.2f} from the status quo on average", r.source,
           bottom=0.08 + 0.05 * lines)
    return fig


def tick_label(label: str, fig, rows: int, width: int = 34) -> str:
    """An issue's label in lines of ``width`` characters, as many as its row has room for (about
    three fifths of the figure's height is the axes), shortened only past that: a reader in class
    should see "A written pledge to end nuclear and long-range missile tests", not its first half."""
    size = FontProperties(size=plt.rcParams["ytick.labelsize"]).get_size_in_points()
    room = int(fig.get_figheight() * 0.6 * 72 / rows / (size * 1.3))
    return textwrap.fill(label, width, max_lines=max(1, room), placeholder="...")

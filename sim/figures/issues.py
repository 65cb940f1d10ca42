"""The issues: where each one ended against the status quo and each side's ideal.

A mean alone misleads here: an issue that a deal moves in a third of the replays and leaves at
the status quo in the rest has a mean no replay ever reached. So each row shows where the
middle 90% of the replays ended, and says in how many the issue moved at all. The markers are
drawn so that none hides another: ideals on top, the mean hollow, the status quo beneath."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.font_manager import FontProperties

from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish, legend_below
from sim.stats import percent

SPREAD = (5, 95)  # percentiles of the replays' outcomes the bar spans
BAR = {"color": "black", "alpha": 0.25, "solid_capstyle": "butt"}          # where the replays ended
MEAN = {"marker": "D", "mfc": "none", "mec": "black", "mew": 2, "ls": "none"}  # hollow: what lies under it shows


def issues(r: Replayed):
    """One row per issue on its 0-1 scale: the status quo, each leader's ideal, where the replays
    ended (the middle 90% and the mean), and the share of replays in which the issue moved."""
    spec, s = r.spec, r.summary
    colour = colours(spec.leaders)
    keys = list(spec.issues)
    fig, ax = plt.subplots()
    y = np.arange(len(keys))[::-1]
    size = plt.rcParams["lines.markersize"]
    low, high = np.percentile(r.outcome.final, SPREAD, axis=1)
    rows = [s["issues"][key] for key in keys]
    # one artist per kind of mark, not one per row: a figure the app redraws after every change
    ax.hlines(y, 0, 1, color=GREY, lw=0.8, alpha=0.4, zorder=1)
    ax.hlines(y, low, high, lw=size * 0.9, zorder=2, color=BAR["color"], alpha=BAR["alpha"], capstyle="butt")
    ax.plot([v["status_quo"] for v in rows], y, marker="s", color=GREY, ls="none", zorder=3)
    ax.plot([v["outcome"]["mean"] for v in rows], y, markersize=size * 1.1, zorder=4, **MEAN)
    for leader in spec.leaders:
        ideals = [spec.draws[f"leaders.{leader}.ideal.{key}"].mean for key in keys]
        ax.plot(ideals, y, marker="*", color=colour[leader], mec="white", mew=0.6, ls="none",
                markersize=size * 1.6, zorder=5)
    for row, v in zip(y, rows, strict=True):
        ax.annotate(moved_words(v["moved"]), (1, row), xycoords=("axes fraction", "data"),
                    xytext=(10, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=plt.rcParams["ytick.labelsize"], color=GREY)
    ax.set_yticks(y, [tick_label(label, fig, len(keys)) for label in spec.issue_labels])
    ax.set_xlim(-0.03, 1.03)
    ax.set_xlabel("position on the issue's scale (0 and 1 as the scenario defines them)")
    handles = [plt.Line2D([], [], color=GREY, marker="s", ls="none", label="status quo"),
               plt.Line2D([], [], lw=size * 0.9, label=f"where the middle {SPREAD[1] - SPREAD[0]}% of replays ended",
                          **BAR),
               plt.Line2D([], [], label="outcome, mean over replays", **MEAN)]
    handles += [plt.Line2D([], [], color=colour[k], marker="*", ls="none", label=f"{v['name']}'s ideal")
                for k, v in spec.leaders.items()]
    lines = legend_below(fig, handles, [h.get_label() for h in handles], ncol=min(3, len(handles)), y=0.03)
    moved = max(keys, key=lambda k: abs(s["issues"][k]["outcome"]["mean"] - s["issues"][k]["status_quo"]))
    label = s["issues"][moved]["label"]
    shift = s["issues"][moved]["outcome"]["mean"] - s["issues"][moved]["status_quo"]
    finish(fig, f"The issues: {label} moves most, {shift:+z.2f} from the status quo on average "
                f"(moved in {percent(s['issues'][moved]['moved'])} of replays)", r.source,
           bottom=0.08 + 0.05 * lines)
    return fig


def moved_words(share: float) -> str:
    """How often an issue left the status quo, for the end of its row."""
    return "never moved" if share == 0 else f"moved in {percent(share)}"


def tick_label(label: str, fig, rows: int, width: int = 34) -> str:
    """An issue's label in lines of ``width`` characters, as many as its row has room for (about
    three fifths of the figure's height is the axes), shortened only past that: a reader in class
    should see "A written pledge to end nuclear and long-range missile tests", not its first half."""
    size = FontProperties(size=plt.rcParams["ytick.labelsize"]).get_size_in_points()
    room = int(fig.get_figheight() * 0.6 * 72 / rows / (size * 1.3))
    return textwrap.fill(label, width, max_lines=max(1, room), placeholder="...")

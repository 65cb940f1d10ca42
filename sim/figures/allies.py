"""Allies: each bloc's cohesion before and after the summit, ally by ally."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np

from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish, legend_below
from sim.stats import mean_ci


def allies(r: Replayed):
    """Cohesion before and after, one row per ally, coloured by bloc; the legend sits under the axes."""
    spec, out = r.spec, r.outcome
    if not spec.allies:
        raise ValueError(f"{spec.name} has no allies to draw")
    colour = colours(spec.leaders)
    fig, ax = plt.subplots()
    keys = sorted(spec.allies, key=lambda k: list(spec.leaders).index(spec.allies[k]["bloc"]))
    y = np.arange(len(keys))[::-1]
    worst = None
    for row, key in zip(y, keys, strict=True):
        start, end = mean_ci(out.cohesion_start[key]), mean_ci(out.cohesion_end[key])
        bloc = spec.allies[key]["bloc"]
        ax.plot([start["mean"], end["mean"]], [row, row], color=colour[bloc], lw=plt.rcParams["lines.linewidth"])
        ax.plot(start["mean"], row, marker="o", color=GREY, ls="none")
        ax.errorbar(end["mean"], row, xerr=[[end["mean"] - end["low"]], [end["high"] - end["mean"]]], fmt="o",
                    color=colour[bloc], capsize=5)
        change = end["mean"] - start["mean"]
        ax.annotate(f"{change:+z.2f}", (max(start["mean"], end["mean"]), row), xytext=(10, 0),
                    textcoords="offset points", va="center")
        if worst is None or change < worst[1]:
            worst = (key, change)
    ax.set_yticks(y, [textwrap.fill(spec.allies[k]["name"], 22) for k in keys])
    ax.set_xlim(0, 1.12)
    ax.set_ylim(y.min() - 0.6, y.max() + 0.6)
    ax.set_xlabel("cohesion with the bloc leader (1 = unity)")
    blocs = list(dict.fromkeys(spec.allies[k]["bloc"] for k in keys))
    handles = [plt.Line2D([], [], color=GREY, marker="o", ls="none", label="before the summit")]
    handles += [plt.Line2D([], [], color=colour[b], marker="o", label=f"after, {spec.leaders[b]['name']}'s bloc "
                           "(mean, 95% interval)") for b in blocs]
    lines = legend_below(fig, handles, [h.get_label() for h in handles], ncol=min(2, len(handles)), y=0.04)
    name = spec.allies[worst[0]]["name"]
    finding = f"{name} moves most, cohesion {worst[1]:+z.2f}" if worst[1] < 0 else "every bloc holds together"
    finish(fig, f"Allies after the summit: {finding}", r.source, bottom=0.07 + 0.055 * lines)
    return fig

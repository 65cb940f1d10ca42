"""Allies: each bloc's cohesion before and after the summit, ally by ally."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np

from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish
from sim.stats import mean_ci


def allies(r: Replayed):
    spec, out = r.spec, r.outcome
    if not spec.allies:
        raise ValueError(f"{spec.name} has no allies to draw")
    colour = colours(spec.leaders)
    fig, ax = plt.subplots()
    keys = list(spec.allies)
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
        ax.annotate(f"{change:+.2f}", (max(start["mean"], end["mean"]), row), xytext=(8, 0),
                    textcoords="offset points", va="center")
        if worst is None or change < worst[1]:
            worst = (key, change)
    ax.set_yticks(y, [textwrap.fill(f"{spec.allies[k]['name']} ({spec.leaders[spec.allies[k]['bloc']]['name']})", 26)
                      for k in keys])
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("cohesion with the bloc leader (1 = unity)")
    ax.legend(handles=[plt.Line2D([], [], color=GREY, marker="o", ls="none", label="before the summit"),
                       plt.Line2D([], [], color="black", marker="o", label="after (mean, 95% interval)")],
              loc="lower right")
    name = spec.allies[worst[0]]["name"]
    finding = f"{name} moves most: cohesion {worst[1]:+.2f}" if worst[1] < 0 else "Every bloc holds together"
    finish(fig, f"Allies after the summit: {finding}", r.source)
    return fig

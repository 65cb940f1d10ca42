"""The negotiation dance: each side's offers round by round on every issue, for one replay."""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np

from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish


def dance(r: Replayed):
    spec, story = r.spec, r.story
    trace = [t for t in story.trace if t["active"][0]]
    keys, names = story.leaders, r.names
    colour = colours(spec.leaders)
    n = len(spec.issues)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, sharex=True, squeeze=False)
    rounds = [t["round"] for t in trace]
    deal_round = int(story.deal_round[0]) if story.deal[0] else None
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_visible(False)
            continue
        if trace:
            lo = np.array([t["box"][0][k, 0] for t in trace])
            hi = np.array([t["box"][1][k, 0] for t in trace])
            ax.fill_between(rounds, 0, lo, color=GREY, alpha=0.15, lw=0, step="mid")
            ax.fill_between(rounds, hi, 1, color=GREY, alpha=0.15, lw=0, step="mid",
                            label="ruled out by ceilings and win-sets")
        ax.axhline(story.status_quo[k, 0], color=GREY, ls=":", lw=plt.rcParams["lines.linewidth"] * 0.6,
                   label="status quo")
        for key in keys:
            ideal = _ideal(r, key, k)
            if ideal is not None:
                ax.axhline(ideal, color=colour[key], ls="--", lw=plt.rcParams["lines.linewidth"] * 0.5, alpha=0.7)
            held = [t["positions"][key][k, 0] for t in trace]
            if trace and np.ptp(held) > 1e-9:
                ax.plot(rounds, held, color=colour[key], lw=plt.rcParams["lines.linewidth"] * 0.35,
                        label="working position (advisers' pull)")
            mine = [(t["round"], t["offer"][k, 0]) for t in trace if t["proposer"] == key]
            if mine:
                x, y = zip(*mine, strict=True)
                ax.plot(x, y, marker="o", color=colour[key], label=f"{names[key]}'s offers")
        if deal_round is not None:
            ax.plot([deal_round], [story.agreed[k, 0]], marker="*", color="black",
                    markersize=plt.rcParams["lines.markersize"] * 2, ls="none", label="agreed")
        ax.set_ylim(-0.03, 1.03)
        room = fig.get_figwidth() / cols * 72 / (plt.rcParams["axes.labelsize"] * 0.7)
        ax.set_title(textwrap.fill(spec.issue_labels[k], max(12, int(room))), fontsize=plt.rcParams["axes.labelsize"],
                     fontweight="normal")
        if k % cols == 0:
            ax.set_ylabel("position")
        if k >= n - cols:
            ax.set_xlabel("round")
            ax.tick_params(labelbottom=True)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    for ax in axes.flat[1:n]:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(h)
                labels.append(label)
    handles.append(plt.Line2D([], [], color=GREY, ls="--"))
    labels.append("ideals (dashed)")
    ncol = 3 if len(labels) <= 6 else 4
    fig.legend(handles, labels, loc="lower center", ncol=ncol, bbox_to_anchor=(0.5, 0.04))
    outcome = (f"a deal in round {deal_round}" if deal_round else
               "no deal" if story.held[0] else "the meeting is cancelled")
    finish(fig, f"The negotiation dance of the median replay: {outcome}",
           f"{r.source}; replay {int(story.run_ids[0])}", bottom=0.035 + 0.05 * math.ceil(len(labels) / ncol))
    return fig


def _ideal(r: Replayed, key: str, k: int) -> float | None:
    dist = r.spec.draws.get(f"leaders.{key}.ideal.{r.spec.issues[k]}")
    return None if dist is None else dist.mean

"""Putnam's figure, drawn from the model: on the two issues that matter most, both leaders'
ideals and indifference curves through the status quo, each legislature's win-set, the zone of
agreement, and where the replays' deals landed."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish
from sim.linkage import moved
from sim.stats import percent

GRID = 301


def two_level(r: Replayed):
    spec, out = r.spec, r.outcome
    keys = list(spec.leaders)
    colour = colours(keys)
    mean = {p: d.mean for p, d in spec.draws.items()}
    salience = {k: np.array([mean.get(f"leaders.{k}.salience.{i}", 0.0) for i in spec.issues]) for k in keys}
    if len(spec.issues) < 2:
        raise ValueError(f"{spec.name} has one issue; the two-level picture needs two")
    i, j = np.argsort(-sum(salience.values()), kind="stable")[:2]
    sq = out.status_quo[[i, j], 0]
    x, y = np.meshgrid(np.linspace(0, 1, GRID), np.linspace(0, 1, GRID))
    fig, ax = plt.subplots(figsize=(plt.rcParams["figure.figsize"][1] * 1.45,) * 2)
    better_all = np.ones_like(x, dtype=bool)
    handles = []
    for k in keys:
        ideal = [mean.get(f"leaders.{k}.ideal.{spec.issues[n]}", sq[m]) for m, n in enumerate((i, j))]
        w = salience[k][[i, j]]
        u = -(w[0] * np.abs(x - ideal[0]) + w[1] * np.abs(y - ideal[1]))
        u_sq = -(w[0] * abs(sq[0] - ideal[0]) + w[1] * abs(sq[1] - ideal[1]))
        better_all &= u >= u_sq - 1e-12
        ax.contour(x, y, u, levels=[u_sq], colors=[colour[k]], linestyles="solid",
                   linewidths=plt.rcParams["lines.linewidth"] * 0.7)
        ax.plot(*ideal, marker="*", color=colour[k], markersize=plt.rcParams["lines.markersize"] * 2, ls="none",
                clip_on=False, zorder=5)
        handles.append(plt.Line2D([], [], color=colour[k], marker="*", label=f"{spec.leaders[k]['name']}'s ideal, and "
                                  "indifference through the status quo"))
    win = np.ones_like(x, dtype=bool)
    for key, leg in spec.legislatures.items():
        tolerance = spec.draws.get(f"legislatures.{key}.tolerance")
        tols = tolerance.quantile(np.array([0.05, 0.5, 0.95])) if tolerance is not None else np.zeros(3)
        sets = []
        for tol in tols:
            own = np.ones_like(x, dtype=bool)
            for axis, k in ((x, i), (y, j)):
                if leg["ratifies"][k]:
                    anchor = chamber_ideal(spec, key, spec.issues[k])
                    reach = abs(out.status_quo[k, 0] - anchor) + tol
                    own &= np.abs(axis - anchor) <= reach
            sets.append(own)
        narrow, middle, wide = sets
        if not wide.all():
            ax.contourf(x, y, wide, levels=[0.5, 1.5], colors=[colour[leg["of"]]], alpha=0.07)
            ax.contourf(x, y, narrow, levels=[0.5, 1.5], colors=[colour[leg["of"]]], alpha=0.10)
            ax.contour(x, y, middle, levels=[0.5], colors=[colour[leg["of"]]], linestyles="dashed",
                       linewidths=plt.rcParams["lines.linewidth"] * 0.5)
            handles.append(Patch(facecolor=colour[leg["of"]], alpha=0.25, edgecolor=colour[leg["of"]], ls="--",
                                 label=f"{leg['name']}'s win-set (median; shaded 5-95%)"))
            win &= middle
    zone = better_all & win
    if zone.any():
        ax.imshow(np.where(zone, 1.0, np.nan), origin="lower", extent=(0, 1, 0, 1), cmap="Greens", vmin=0, vmax=1.3,
                  alpha=0.7, interpolation="nearest", zorder=2)
        ax.contour(x, y, zone, levels=[0.5], colors=["#009E73"], linewidths=plt.rcParams["lines.linewidth"] * 0.6,
                   zorder=5)  # its outline above the deals, which may cover it
        handles.append(Patch(facecolor="#009E73", alpha=0.7, label="zone of agreement on these two issues"))
        if zone.mean() < 0.02:
            cy, cx = (np.mean(np.nonzero(zone)[0]) / (GRID - 1), np.mean(np.nonzero(zone)[1]) / (GRID - 1))
            ax.annotate("zone of agreement", (cx, cy), xytext=(0.55, 0.12), textcoords="axes fraction",
                        arrowprops={"arrowstyle": "->", "color": "#009E73", "lw": 1.5}, color="#006B4F")
    deal = out.deal
    if deal.any():
        passed = np.logical_and.reduce(list(out.ratified.values())) if out.ratified else np.ones_like(deal)
        size = plt.rcParams["lines.markersize"] ** 2 * 0.35
        alpha = min(0.6, 8 / deal.sum() ** 0.5)  # thousands of deals stack: the zone and the win-set show through
        kept, rejected = deal & passed, deal & ~passed
        ax.scatter(out.agreed[i, kept], out.agreed[j, kept], s=size, color="black", alpha=alpha, lw=0,
                   clip_on=False, zorder=4)
        ax.scatter(out.agreed[i, rejected], out.agreed[j, rejected], s=size, facecolors="none", edgecolors="black",
                   alpha=alpha, clip_on=False, zorder=4)
        handles.append(plt.Line2D([], [], color="black", marker="o", ls="none",
                                  label=f"deals signed and ratified ({percent(kept.mean())})"))
        if rejected.any():
            handles.append(plt.Line2D([], [], color="black", marker="o", mfc="none", ls="none",
                                      label=f"deals signed, then voted down ({percent(rejected.mean())})"))
    # hollow, so that the deals that leave both issues where they stood show inside it; they fall on
    # one point, one dot over another, so the legend says how many they are
    unmoved = unmoved_share(out, (i, j)) if deal.any() else 0.0
    there = f" ({percent(unmoved)} of the deals leave both issues there)" if unmoved > 0 else ""
    ax.plot(*sq, marker="s", color=GREY, mfc="none", mew=2.5, markersize=plt.rcParams["lines.markersize"] * 1.6,
            ls="none", zorder=5)
    handles.append(plt.Line2D([], [], color=GREY, marker="s", mfc="none", mew=2.5, ls="none",
                              label="status quo" + there))
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.set_xlabel(spec.issue_labels[i])
    ax.set_ylabel(spec.issue_labels[j])
    fig.legend(handles=handles, loc="lower center", ncol=1, bbox_to_anchor=(0.5, 0.03))
    share = zone.mean()
    covered = "under 1%" if share < 0.01 else f"{share:.0%}"
    finding = (f"the zone of agreement covers {covered} of this plane (other issues at the status quo)"
               if zone.any() else "no position on these two issues both leaders prefer that the legislatures allow")
    finish(fig, f"Two-level game on {spec.issue_labels[i]} and {spec.issue_labels[j]}: {finding}", r.source,
           bottom=0.06 + 0.036 * len(handles))
    return fig


def unmoved_share(out, pair: tuple[int, int]) -> float:
    """The share of the deals signed that leave both issues of the picture at the status quo: at
    Helsinki 2018 most partial deals settle other issues, and their dots all fall on one point."""
    changed = moved(out.agreed[list(pair)], out.status_quo[list(pair)]).any(axis=0)
    return float((out.deal & ~changed).sum() / out.deal.sum())


def chamber_ideal(spec, key: str, issue: str) -> float:
    """The mean ideal a chamber judges ``issue`` by: its own, or where the file gives it none, its
    leader's (agents.legislature.Legislature, change 23 of docs/model.md)."""
    drawn = spec.draws.get(f"legislatures.{key}.ideal.{issue}")
    if drawn is None:
        drawn = spec.draws[f"leaders.{spec.legislatures[key]['of']}.ideal.{issue}"]
    return drawn.mean

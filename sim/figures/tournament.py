"""Figures of a tournament, as Axelrod's result sets draw themselves: the tactics ranked by what
their leader gained, with how often it came out ahead beside it, and the payoff matrix of what
each tactic gained against each other one."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.figures.style import OKABE_ITO, finish, legend_below
from sim.stats import percent
from sim.sweeps.tournament import equally_often


def ranking(rows: list[dict], source: str):
    """The ranking ``sim.sweeps.tournament.ranking`` prints, drawn: mean gain with its 95% interval
    (left) and the share of summits the tactic's leader came out ahead, with Wilson's interval
    (right), best first."""
    fig, (gains, ahead) = plt.subplots(1, 2, sharey=True, width_ratios=[3, 2])
    y = np.arange(len(rows))[::-1]
    names = [r["tactic"] for r in rows]
    for ax, key, colour in ((gains, "gain", OKABE_ITO[0]), (ahead, "ahead", OKABE_ITO[1])):
        values = np.array([r[key] for r in rows])
        low, high = np.array([r[f"{key}_low"] for r in rows]), np.array([r[f"{key}_high"] for r in rows])
        ax.errorbar(values, y, xerr=[values - low, high - values], fmt="o", color=colour, ecolor="black",
                    capsize=5, ms=plt.rcParams["lines.markersize"] * 1.2)
    gains.axvline(0, color="black", lw=0.8)
    gains.set_yticks(y, names)
    gains.set_xlabel("mean net gain of the tactic's leader")
    ahead.set_xlim(0, 1)
    ahead.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"])
    ahead.set_xlabel("share of summits ahead by > 0.10")
    handles = [plt.Line2D([], [], color="black", marker="|", ls="none", ms=14, label="95% interval")]
    lines = legend_below(fig, handles, [h.get_label() for h in handles], ncol=1, y=0.02)
    best = rows[0]
    said = f"{best['tactic']} gains most, {best['gain']:+z.3f} [{best['gain_low']:+z.3f}, {best['gain_high']:+z.3f}]"
    tail = ("; every tactic is ahead about equally often, so the seat, not the tactic, decides who comes out ahead"
            if equally_often(rows) else f"; it comes out ahead in {percent(best['ahead'])} of its summits")
    finish(fig, f"Tournament: {said}{tail}", source, bottom=0.05 + 0.04 * lines)
    return fig


def matrix(pairs: pd.DataFrame, source: str):
    """Axelrod's payoff matrix: what the row tactic's leader gained against the column tactic,
    pooled over both seats and every scenario, each cell written in."""
    fig, ax = plt.subplots()
    values = pairs.to_numpy(dtype=float)
    image = ax.imshow(values, cmap="cividis", aspect="auto")
    ax.set_xticks(np.arange(len(pairs.columns)), list(pairs.columns), rotation=20, ha="right")
    ax.set_yticks(np.arange(len(pairs.index)), list(pairs.index))
    ax.set_xlabel("against (the other leader's tactic)")
    ax.set_ylabel("tactic")
    middle = (np.nanmin(values) + np.nanmax(values)) / 2
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v):
            ax.text(j, i, f"{v:+z.3f}", ha="center", va="center", color="black" if v > middle else "white",
                    fontsize=plt.rcParams["xtick.labelsize"])
    fig.colorbar(image, ax=ax).set_label("mean net gain of the row's leader")
    best = np.unravel_index(np.nanargmax(values), values.shape)
    finish(fig, f"What each tactic gains against each other: most for {pairs.index[best[0]]} against "
                f"{pairs.columns[best[1]]}, {values[best]:+z.3f}", source)
    return fig

"""Who comes out ahead, and by how much: each leader's net gain in its four parts, and the spread
of the margin over replays."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from sim.figures.data import Replayed
from sim.figures.style import GREY, PART_COLOURS, colours, finish, percent
from sim.model import Outcome
from sim.scoring import margin_of


def verdict_title(r: Replayed) -> str:
    s, p = r.summary, r.summary["p_ahead"]
    others = [r.names[k] for k in r.outcome.leaders if k != p["leader"]]
    than = f"a higher gain than {others[0]}" if len(others) == 1 else "the highest gain of all"
    if s["winner"]:
        return f"{s['verdict'][0].upper()}{s['verdict'][1:]}: {than} in {percent(p['p'])} of replays"
    return f"No clear winner: {r.names[p['leader']]} has {than} in {percent(p['p'])} of replays"


def ahead(r: Replayed):
    """Stacked parts (positive to the right, negative to the left), net gain with its interval."""
    s, keys = r.summary, r.outcome.leaders
    fig, ax = plt.subplots()
    y = np.arange(len(keys))[::-1]
    for row, key in zip(y, keys, strict=True):
        parts = s["leaders"][key]["parts"]
        left_pos, left_neg = 0.0, 0.0
        for name in Outcome.PART_NAMES:
            value = parts[name]["mean"]
            ax.barh(row, value, left=left_pos if value >= 0 else left_neg, height=0.55,
                    color=PART_COLOURS[name], label=name if row == y[0] else None)
            if value >= 0:
                left_pos += value
            else:
                left_neg += value
        gain = s["leaders"][key]["gain"]
        ax.errorbar(gain["mean"], row, xerr=[[gain["mean"] - gain["low"]], [gain["high"] - gain["mean"]]],
                    fmt="D", color="black", capsize=6, label="net gain (95% interval)" if row == y[0] else None)
        ax.annotate(f"net {gain['mean']:+.2f}", (gain["mean"], row + 0.36), ha="center", va="bottom")
    ax.axvline(0, color=GREY, lw=1)
    ax.margins(x=0.15)
    ax.set_yticks(y, [r.names[k] for k in keys])
    ax.set_ylim(y.min() - 0.6, y.max() + 0.8)
    ax.set_xlabel("gain, on the leader's own stakes (1 = every issue moved from its far end to the ideal)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0))
    finish(fig, verdict_title(r), r.source)
    return fig


def margin(r: Replayed):
    """The first-named leader's gain less the best of the others', replay by replay."""
    out, s = r.outcome, r.summary
    lead = out.leaders.index(s["p_ahead"]["leader"])
    d = margin_of(out.gain, lead)
    colour = colours(r.spec.leaders)
    fig, ax = plt.subplots()
    bins = np.linspace(min(d.min(), -1e-3), max(d.max(), 1e-3), 61)
    counts, edges = np.histogram(d, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    width = edges[1] - edges[0]
    lead_key = out.leaders[lead]
    others = [k for k in out.leaders if k != lead_key]
    other_label = r.names[others[0]] if len(others) == 1 else "the best of the others"
    ax.bar(centres[centres >= 0], counts[centres >= 0] / d.size, width=width, color=colour[lead_key],
           label=f"{r.names[lead_key]} ahead: {percent((d > 0).mean())}")
    ax.bar(centres[centres < 0], counts[centres < 0] / d.size, width=width,
           color=colour[others[0]] if len(others) == 1 else GREY,
           label=f"{other_label} ahead: {percent((d < 0).mean())}")
    ax.axvline(0, color="black", lw=1.2)
    ax.axvline(d.mean(), color="black", ls="--", lw=1.2, label=f"mean margin {d.mean():+.2f}")
    ax.set_xlabel(f"{r.names[lead_key]}'s gain minus {other_label}'s")
    ax.set_ylabel("share of replays")
    ax.legend(loc="upper left")
    finish(fig, f"{r.names[lead_key]}'s margin is {d.mean():+.2f} on average and positive in "
           f"{percent((d > 0).mean())} of replays", r.source)
    return fig

"""Who comes out ahead, and by how much: each leader's net gain in its four parts, and the spread
of the margin over replays."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from sim.figures.data import Replayed
from sim.figures.style import GREY, PART_COLOURS, colours, finish
from sim.model import Outcome
from sim.stats import percent
from sim.verdict import classes, even_label, margin_of


def verdict_title(r: Replayed) -> str:
    """The verdict rule's answer, with the class shares it rests on. Without a winner: the even
    share, then the (at most two) leaders ahead in the most replays, largest first; naming the
    leader with the highest mean gain instead read "George Bush more than 0.10 ahead in 0.0%" at
    Madrid 1991, where Gorbachev was ahead in 0.4%."""
    v = r.summary["verdict"]
    shares, beyond = v["shares"], f"more than {v['delta']:z.2f} ahead"
    head = f"{v['text'][0].upper()}{v['text'][1:]}"
    if v["winner"]:
        return f"{head}: {beyond} in {percent(shares[v['winner']]['p'])} of replays"
    glue = "; " if v["outcome"] == "too close to call" else ": "
    most = sorted(r.outcome.leaders, key=lambda k: -shares[k]["p"])
    named = [k for k in most if percent(shares[k]["p"]) != percent(0.0)][:2]  # as printed: 0.01% is 0.0%
    if named:
        who = f"{beyond}: " + ", ".join(f"{r.names[k]} in {percent(shares[k]['p'])}" for k in named)
    else:
        who = f"no one {beyond} in any" if all(shares[k]["p"] == 0 for k in most) else f"each {beyond} in under 0.05%"
    return f"{head}{glue}even in {percent(shares['even']['p'])} of replays; {who}"


DIRECT_LABEL = "of which directly set\n(status value, costs,\nfirmness, symbols)"


def ahead(r: Replayed):
    """Stacked parts (positive to the right, negative to the left), net gain with its interval.
    The axis spans at least the verdict's margin delta either side of zero: zoomed to gains of a
    few thousandths (a meeting never held), bars would look as large as Helsinki's.

    Beneath each leader a thin hatched bar shows how much of its net gain the directly set terms
    make (counted within the parts above), so a class sees what "what it rests on" says: at Yalta
    most of Stalin's status bar was set by hand. It is drawn only where a scenario sets any."""
    s, keys = r.summary, r.outcome.leaders
    direct = {key: s["leaders"][key]["directly_set"]["mean"] for key in keys}
    show_direct = any(abs(x) >= 0.0005 for x in direct.values())
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
        ax.annotate(f"net {gain['mean']:+z.2f}", (gain["mean"], row + 0.36), ha="center", va="bottom")
        if show_direct:
            ax.barh(row - 0.36, direct[key], height=0.12, facecolor="white", edgecolor="black", hatch="////",
                    lw=0.8, label=DIRECT_LABEL if row == y[0] else None)
    ax.axvline(0, color=GREY, lw=1)
    delta = s["verdict"]["delta"]
    ax.update_datalim([(-delta, y[0]), (delta, y[0])], updatey=False)
    ax.use_sticky_edges = False  # a part of zero width would otherwise pin the axis to the bar's end
    ax.margins(x=0.15)
    ax.set_yticks(y, [r.names[k] for k in keys])
    ax.set_ylim(y.min() - 0.6, y.max() + 0.8)
    ax.set_xlabel("gain, on the leader's own stakes\n(1 = every issue moved from its far end to the ideal)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0))
    finish(fig, verdict_title(r), r.source)
    return fig


def margin(r: Replayed):
    """The leading leader's gain less the best of the others', replay by replay, each replay
    coloured by the verdict rule's class: the leader ahead by more than delta, even, or another
    ahead. The bars are stacked by class rather than coloured by where they fall, and the legend's
    shares are the rule's: at a table of three a replay can fall past -delta (the best of the others
    more than delta above the leader) and still be even, because that leader is not more than delta
    above the third (two replays in a thousand at Tehran 1943)."""
    out, v = r.outcome, r.summary["verdict"]
    delta, lead_key = v["delta"], v["lead"]
    lead = out.leaders.index(lead_key)
    d = margin_of(out.gain, lead)
    cls = classes(out.gain, delta)
    colour = colours(r.spec.leaders)
    others = [k for k in out.leaders if k != lead_key]
    other_label = r.names[others[0]] if len(others) == 1 else "another leader"
    fig, ax = plt.subplots()
    bins = _bins_meeting(-delta, delta, min(d.min(), -2 * delta), max(d.max(), 2 * delta))
    ax.axvspan(-delta, delta, color=GREY, alpha=0.15, lw=0)
    regions = (
        (cls == lead, colour[lead_key], f"{r.names[lead_key]} ahead by more than {delta:z.2f}"),
        (cls == -1, GREY, even_label(delta, len(out.leaders))),
        ((cls != lead) & (cls != -1), colour[others[0]] if len(others) == 1 else "black",
         f"{other_label} ahead by more than {delta:z.2f}"),
    )
    bottom = np.zeros(bins.size - 1)
    for where, c, label in regions:  # one filled outline per class: sixty bars, each an artist, took 18 ms a class
        top = bottom + np.histogram(d[where], bins=bins)[0] / d.size
        ax.stairs(top, bins, baseline=bottom, fill=True, color=c, lw=0, label=f"{label}: {percent(where.mean())}")
        bottom = top
    ax.axvline(d.mean(), color="black", ls="--", lw=1.2, label=f"mean margin {d.mean():+z.3f}")
    ax.set_xlabel(f"{r.names[lead_key]}'s gain minus {'the best other leader' if len(others) > 1 else other_label}'s")
    ax.set_ylabel("share of replays")
    ax.set_ylim(0, max(bottom.max() * 1.45, 0.05))  # the stacks' tops
    ax.legend(loc="upper left", fontsize="small", frameon=True, framealpha=0.95, facecolor="white", edgecolor="none")
    finish(fig, verdict_title(r), r.source)
    return fig


def _bins_meeting(a: float, b: float, low: float, high: float, count: int = 60) -> np.ndarray:
    """About ``count`` equal bins over ``low``..``high`` with ``a`` and ``b`` among their edges, so
    that no bar straddles the band of the rule's delta."""
    width = (high - low) / count
    inside = max(1, round((b - a) / width))
    step = (b - a) / inside
    below = a - step * np.arange(max(1, math.ceil((a - low) / step)) + 1)[::-1]
    above = b + step * np.arange(max(1, math.ceil((high - b) / step)) + 1)
    return np.concatenate([below, np.linspace(a, b, inside + 1)[1:-1], above])

"""What if? The verdict under each variant first, then the paired change in each leader's gain
and chance of coming out ahead, variant by variant, with 95% intervals on common random numbers."""

from __future__ import annotations

import textwrap
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.font_manager import FontProperties

from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish


def what_if(r: Replayed):
    """Each axis spans at least the rule's delta either side of zero (the gains), or as many points
    of the share ahead (ten points for a delta of 0.10): a what-if that moves a gain by 0.003 is no
    difference under the rule, and zoomed to its own size it would fill the panel as if it were
    (Yalta's neutral chair moves Roosevelt's gain by +0.003)."""
    if not r.comparisons:
        raise ValueError(f"{r.spec.name}: name variants to compare (the scenario declares: "
                         f"{', '.join(r.variants) or 'none'})")
    keys = list(r.outcome.leaders)
    colour = colours(r.spec.leaders)
    names = list(r.comparisons)
    verdicts = {n: r.comparisons[n]["verdict"] for n in names}
    labels = [textwrap.fill(r.variants[n], 30) + (f"\n{textwrap.fill('verdict: ' + v['variant'], 30)}"
                                                   if v["changed"] else "")
              + ("\n(changed no replay)" if r.comparisons[n]["replays_changed"] == 0 else "")
              for n, v in verdicts.items()]
    width, height = plt.rcParams["figure.figsize"]
    lines = sum(label.count("\n") + 1 for label in labels) + len(labels)  # a blank line's room between
    line_height = FontProperties(size=plt.rcParams["ytick.labelsize"]).get_size_in_points() / 72 * 1.25
    fig, (gain_ax, ahead_ax) = plt.subplots(1, 2, sharey=True,
                                            figsize=(width, max(height, height * 0.45 + lines * line_height)))
    y = np.arange(len(names))[::-1]
    offset = np.linspace(-0.18, 0.18, len(keys)) if len(keys) > 1 else [0.0]
    for ax, measure, scale in ((gain_ax, "gain", 1.0), (ahead_ax, "p_ahead", 100.0)):
        for d, key in zip(offset, keys, strict=True):
            c = [r.comparisons[n]["leaders"][key][measure] for n in names]
            mean = np.array([v["mean"] for v in c]) * scale
            err = np.array([[v["mean"] - v["low"], v["high"] - v["mean"]] for v in c]).T * scale
            ax.errorbar(mean, y + d, xerr=err, fmt="o", color=colour[key], capsize=5,
                        label=r.names[key] if ax is gain_ax else None)
        ax.axvline(0, color=GREY, lw=1.2)
        span = r.summary["verdict"]["delta"] * scale
        ax.update_datalim([(-span, y[0]), (span, y[0])], updatey=False)
        ax.use_sticky_edges = False
        ax.autoscale_view(scaley=False)
    gain_ax.set_yticks(y, labels)
    for label, n in zip(gain_ax.get_yticklabels(), names, strict=True):
        if verdicts[n]["changed"]:
            label.set_fontweight("bold")
    gain_ax.set_xlabel("change in net gain")
    ahead_ax.set_xlabel("change in P(ahead), points")
    fig.legend(handles=gain_ax.get_legend_handles_labels()[0], loc="lower center", ncol=len(keys),
               bbox_to_anchor=(0.5, 0.04))
    finish(fig, _finding(r.summary["verdict"]["text"], list(verdicts.values())),
           f"{r.source}; paired on common random numbers; in bold, a variant that moves the verdict", bottom=0.1)
    return fig


def _finding(base: str, verdicts: list[dict]) -> str:
    """The title: does any variant move the verdict, and to what."""
    moved = Counter(v["variant"] for v in verdicts if v["changed"])
    if not moved:
        return f"What if? The verdict holds under every variant: {base}"
    under = "; ".join(f"{verdict} under " + ("every variant" if count == len(verdicts) else
                                             f"{count} of the {len(verdicts)} variants")
                      for verdict, count in moved.items())
    return f"What if? As written, {base}. {under[0].upper()}{under[1:]}"

"""What if? The paired change in each leader's gain and chance of coming out ahead, variant by
variant, with 95% intervals on common random numbers."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np

from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish


def what_if(r: Replayed):
    if not r.comparisons:
        raise ValueError(f"{r.spec.name}: name variants to compare (the scenario declares: "
                         f"{', '.join(r.variants) or 'none'})")
    keys = list(r.outcome.leaders)
    colour = colours(r.spec.leaders)
    names = list(r.comparisons)
    fig, (gain_ax, ahead_ax) = plt.subplots(1, 2, sharey=True)
    y = np.arange(len(names))[::-1]
    offset = np.linspace(-0.18, 0.18, len(keys)) if len(keys) > 1 else [0.0]
    best = None
    for ax, measure, scale in ((gain_ax, "gain", 1.0), (ahead_ax, "p_ahead", 100.0)):
        for d, key in zip(offset, keys, strict=True):
            c = [r.comparisons[n]["leaders"][key][measure] for n in names]
            mean = np.array([v["mean"] for v in c]) * scale
            err = np.array([[v["mean"] - v["low"], v["high"] - v["mean"]] for v in c]).T * scale
            ax.errorbar(mean, y + d, xerr=err, fmt="o", color=colour[key], capsize=5,
                        label=r.names[key] if ax is gain_ax else None)
            if measure == "gain":
                for n, m in zip(names, mean, strict=True):
                    if best is None or abs(m) > abs(best[2]):
                        best = (n, key, m)
        ax.axvline(0, color=GREY, lw=1.2)
    gain_ax.set_yticks(y, [textwrap.fill(r.variants[n], 30) for n in names])
    gain_ax.set_xlabel("change in net gain")
    ahead_ax.set_xlabel("change in P(ahead), points")
    fig.legend(handles=gain_ax.get_legend_handles_labels()[0], loc="lower center", ncol=len(keys),
               bbox_to_anchor=(0.5, 0.04))
    variant, key, change = best
    base = r.summary["verdict"]["text"]
    changed = [f"'{r.variants[n].rstrip('.')}' ({r.comparisons[n]['verdict']['variant']})" for n in names
               if r.comparisons[n]["verdict"]["changed"]]
    verdicts = "the verdict changes under " + ", ".join(changed) if changed else f"the verdict stays: {base}"
    finish(fig, f"What if? The largest change in a gain is {r.names[key]}'s, {change:+.3f} "
                f"('{r.variants[variant].rstrip('.')}'); {verdicts}",
           f"{r.source}; paired on common random numbers", bottom=0.1)
    return fig

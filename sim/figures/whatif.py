"""What if? The paired change in each leader's gain and chance of coming out ahead, variant by
variant, with 95% intervals on common random numbers."""

from __future__ import annotations

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
    gain_ax.set_yticks(y, names)
    gain_ax.set_xlabel("change in net gain")
    ahead_ax.set_xlabel("change in P(ahead), points")
    gain_ax.legend(loc="best")
    variant, key, change = best
    finish(fig, f"What if? '{variant}' moves {r.names[key]}'s gain most ({change:+.3f})",
           f"{r.source}; paired on common random numbers")
    return fig

"""Was a deal possible? The replays by what the leaders faced when they sat down (sim/zone.py),
each bar darkened by the share that ended in a deal."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from sim.figures.data import Replayed
from sim.figures.style import GREY, OKABE_ITO, finish
from sim.stats import percent
from sim.zone import NO_TEXT, NOT_HELD, TALKS, situation_shares

SIGN_NOTHING = (NOT_HELD, NO_TEXT, TALKS)  # no deal in these by construction: no need to say so


def zone(r: Replayed):
    """One bar per situation, as long as its share of the replays; its dark part, the deals."""
    shares = situation_shares(r.faced, r.spec.signing)
    fig, ax = plt.subplots()
    y = np.arange(len(shares))[::-1]
    for row, (label, share, deal) in zip(y, shares, strict=True):
        ax.barh(row, share, height=0.6, color=OKABE_ITO[5], alpha=0.45)
        ax.barh(row, share * (deal or 0.0), height=0.6, color=OKABE_ITO[0])
        met = deal is not None and label not in SIGN_NOTHING
        said = percent(share) + (f", a deal in {percent(deal)} of them" if met else "")
        inside = share > 0.55  # a long bar carries its note at its end, inside, so that it never runs off
        ax.annotate(said, (share, row), xytext=(-6 if inside else 6, 0), textcoords="offset points", va="center",
                    ha="right" if inside else "left",
                    bbox={"facecolor": "white", "alpha": 0.85, "lw": 0, "pad": 1} if inside else None)
    ax.set_yticks(y, [textwrap.fill(label, 30, break_on_hyphens=False) for label, _, _ in shares])
    ax.set_xlim(0, 1.45)  # room for the notes beside the shorter bars
    ax.set_xticks(np.linspace(0, 1, 5), [f"{t:.0%}" for t in np.linspace(0, 1, 5)])
    ax.spines["bottom"].set_bounds(0, 1)
    ax.set_ylim(y.min() - 0.6, y.max() + 0.6)
    ax.axvline(0, color=GREY, lw=1)
    n = r.faced["held"].size
    ax.set_xlabel(f"share of the first {n:,} replays, judged as the leaders saw it when they sat down")
    fig.legend(handles=[Patch(color=OKABE_ITO[5], alpha=0.45, label="replays"),
                        Patch(color=OKABE_ITO[0], label="of which a deal was signed, whole or in part")],
               loc="lower center", ncol=2, bbox_to_anchor=(0.5, 0.06))
    finding = _finding(shares, r.spec.signing)
    finish(fig, f"Was a deal possible? {finding[0].upper()}{finding[1:]}", r.source, bottom=0.14)
    return fig


def _finding(shares: list[tuple[str, float, float | None]], signing: bool) -> str:
    """How often a text met every reservation, and how often a deal came of it."""
    if not signing:
        return f"{TALKS}: nothing could be signed"
    _, share, deal = shares[-1]
    if share == 0:
        label, most, _ = max(shares, key=lambda s: s[1])
        return f"no text met every leader's reservation; most often ({percent(most)} of replays): {label}"
    return (f"a text met every leader's reservation in {percent(share)} of replays, and a deal came in "
            f"{percent(deal)} of those")

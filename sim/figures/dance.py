"""The negotiation dance: each side's offers, and any mediator's single texts, round by round on every issue,
for one replay."""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from sim import linkage
from sim.figures.data import Replayed
from sim.figures.style import GREY, colours, finish, legend_below

MAX_SHOWN = 4
RULED_OUT = 1e-9  # a bound this close to the scale's end rules nothing out
RULED_OUT_LABEL = "ruled out by ceilings and win-sets"
MEDIATOR = "#000000"  # no leader's colour: a mediator's text is no side's offer


def shown_issues(r: Replayed) -> list[int]:
    """The issues worth a strip on a projector, at most ``MAX_SHOWN``: those the deal moved first
    (a partial deal may sign an issue the offers hardly moved on, and the title names it), then
    those where the offers moved most over the rounds (or, with no movement, where the two sides'
    offers lie furthest apart)."""
    story = r.story
    trace = [t for t in story.trace if t["active"][0]]
    if not trace:
        return list(range(min(MAX_SHOWN, len(r.spec.issues))))
    offers = np.array([t["offer"][:, 0] for t in trace])           # rounds x issues
    moved = offers.max(axis=0) - offers.min(axis=0)
    spread = np.abs(offers[-1] - offers[-2]) if len(offers) > 1 else np.zeros_like(moved)
    order = np.lexsort((-spread, -moved, ~signed_issues(story)))
    return sorted(int(k) for k in order[:MAX_SHOWN])


def dance(r: Replayed):
    spec, story = r.spec, r.story
    trace = [t for t in story.trace if t["active"][0]]
    keys, names = story.leaders, r.names
    colour = colours(spec.leaders)
    shown = shown_issues(r)
    n = len(shown)
    cols = min(2, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, sharex=True, squeeze=False)
    rounds = [t["round"] for t in trace]
    deal_round = int(story.deal_round[0]) if story.deal[0] else None
    partial = bool(story.partial[0])  # signed issue by issue at the close: the issues left open have no star
    starred = signed_issues(story)
    for slot, ax in enumerate(axes.flat):
        if slot >= n:
            ax.set_visible(False)
            continue
        k = shown[slot]
        if trace:
            lo = np.array([t["box"][0][k, 0] for t in trace])
            hi = np.array([t["box"][1][k, 0] for t in trace])
            ruled_out = bool((lo > RULED_OUT).any() or (hi < 1 - RULED_OUT).any())  # else no legend entry
            ax.fill_between(rounds, 0, lo, color=GREY, alpha=0.15, lw=0, step="mid")
            ax.fill_between(rounds, hi, 1, color=GREY, alpha=0.15, lw=0, step="mid",
                            label=RULED_OUT_LABEL if ruled_out else None)
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
        for key, mediator in spec.mediators.items():  # at Camp David 1978 Carter's texts made the deal
            tabled = [(t["round"], t["offer"][k, 0]) for t in trace if t["proposer"] == key]
            if tabled:
                x, y = zip(*tabled, strict=True)
                ax.plot(x, y, marker="s", color=MEDIATOR, ls=":", label=f"{mediator['name']}'s single texts")
        if deal_round is not None and (not partial or starred[k]):
            ax.plot([deal_round], [story.agreed[k, 0]], marker="*", color="black",
                    markersize=plt.rcParams["lines.markersize"] * 2, ls="none", label="agreed")
        ax.set_ylim(-0.03, 1.03)
        ax.set_yticks([0, 0.5, 1])
        # the whole summit, first round to deadline, in whole rounds: a deal in round 1 of 6 shows as early
        ax.set_xlim(0.5, spec.rounds + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        # the panel's width less its tick labels, in characters of the title's size
        room = 0.8 * fig.get_figwidth() / cols * 72 / (plt.rcParams["axes.labelsize"] * 0.62)
        ax.set_title(textwrap.fill(spec.issue_labels[k], max(12, int(room))),
                     fontsize=plt.rcParams["axes.labelsize"], fontweight="normal")
        if slot % cols == 0:
            ax.set_ylabel("position")
        if slot >= n - cols:
            ax.set_xlabel("round")
            ax.tick_params(labelbottom=True)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    for ax in axes.flat[1:n]:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(h)
                labels.append(label)
    for key in keys:
        handles.append(plt.Line2D([], [], color=colour[key], ls="--", lw=plt.rcParams["lines.linewidth"] * 0.5))
        labels.append(f"{names[key]}'s ideal")
    lines = legend_below(fig, handles, labels, ncol=3, y=0.05)
    outcome = (partial_deal_words(spec.issue_labels, story) if partial else
               f"a deal in round {deal_round}" if deal_round else
               "no deal" if story.held[0] else "the meeting is cancelled")
    hidden = [spec.issue_labels[k] for k in range(len(spec.issues)) if k not in shown]
    source = f"{r.source}; replay {int(story.run_ids[0])}"
    if hidden:
        other = "the other issue" if len(hidden) == 1 else f"the {len(hidden)} other issues"
        source += f"; {other} ('summit run --trace') {'is' if len(hidden) == 1 else 'are'} not shown"
    title = f"The negotiation dance of the median replay: {outcome}"
    if n < len(spec.issues):
        first = "those signed, then " if starred[shown].any() else ""
        why = f": {first}where the offers moved most" if trace else ""  # a meeting not held has no offers
        title += f" ({n} of {len(spec.issues)} issues{why})"
    finish(fig, title, source, bottom=0.045 + 0.05 * lines)
    return fig


def signed_issues(story) -> np.ndarray:
    """Per issue, whether the story's replay signed a deal that moved it."""
    return bool(story.deal[0]) & linkage.moved(story.agreed[:, 0], story.status_quo[:, 0])


def partial_deal_words(labels: list[str], story) -> str:
    """What a partial deal signed, for the title: a partial deal leaves most issues where they
    were (Hanoi's median replay signs one of four), and a reader should not have to find the
    one star that says which."""
    signed = [labels[k] for k in np.flatnonzero(signed_issues(story))]
    if len(signed) > 2:
        return f"a partial deal at the close, on {len(signed)} of {len(labels)} issues"
    return f"a partial deal at the close, on {' and '.join(signed)} alone"


def _ideal(r: Replayed, key: str, k: int) -> float | None:
    dist = r.spec.draws.get(f"leaders.{key}.ideal.{r.spec.issues[k]}")
    return None if dist is None else dist.mean

"""Which input does the verdict hinge on? A tornado: the leading leader's mean margin with each
input pinned at either end of its range (sim.screening), widest swing on top."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from sim.figures.labels import for_spec
from sim.figures.style import GREY, OKABE_ITO, finish, legend_below
from sim.screening import leading
from sim.verdict import text

LOW, HIGH = OKABE_ITO[5], OKABE_ITO[1]  # sky blue and vermilion: the two ends


def two_lines(name: str, width: int = 34) -> str:
    """A name in at most two lines of ``width`` characters, cut with '...' where it runs longer (an
    issue's label can: "Kim Jong-un's ideal on A written pledge to end nuclear and ...")."""
    lines = textwrap.wrap(name, width, break_on_hyphens=False)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder=" ...")]
    return "\n".join(lines)


def tornado(screened: dict, spec, top: int = 12):
    """``screened`` is ``sim.screening.screen``'s result for ``spec``; ``top`` inputs are drawn, and
    every one at whose end the verdict changes, whatever its rank. Each is named as the file names
    it ("Kim Jong-un's status value", not leaders.nk.status_value): the figure is for a class; the
    text of ``summit screen`` keeps the paths, which ``--set`` takes."""
    names, scenario, label = spec.leader_names, spec.name, for_spec(spec)
    verdict, inputs = screened["verdict"], screened["inputs"]
    shown = leading(inputs, top)
    lead, base, delta = names[verdict["lead"]], screened["margin"]["mean"], screened["delta"]
    names_shown = [two_lines(label(row["path"])) + (" *" if row["moves"] else "") for row in shown]
    tallest = max((name.count("\n") + 1 for name in names_shown), default=1)  # rows evenly spaced: room for it
    width, height = plt.rcParams["figure.figsize"]
    rows = 0.32 * len(shown) * height / 4.3 * (1.0 if tallest == 1 else 1.7)
    fig, ax = plt.subplots(figsize=(width, max(height, height * 0.4 + rows)))
    y = np.arange(len(shown))[::-1]
    for row, at in zip(shown, y, strict=True):
        for end, colour in (("low", LOW), ("high", HIGH)):
            margin = row[end]["margin"]["mean"]
            ax.barh(at, margin - base, left=base, color=colour, height=0.6,
                    hatch="//" if row[end]["moves"] else None, edgecolor="black" if row[end]["moves"] else colour)
    ax.axvline(base, color="black", lw=plt.rcParams["lines.linewidth"] * 0.5)
    margins = [row[end]["margin"]["mean"] for row in shown for end in ("low", "high")] + [base]
    reach = max(max(margins) - min(margins), 0.02)
    near = min(margins) - 0.5 * reach <= delta <= max(margins) + 0.5 * reach
    if near:  # the margin a lead must pass, where the bars come near it; far off, it would squash them
        ax.axvline(delta, color=GREY, ls="--", lw=plt.rcParams["lines.linewidth"] * 0.5)
    ax.set_yticks(y, names_shown)
    others = [names[k] for k in names if k != verdict["lead"]]
    versus = others[0] if len(others) == 1 else "the best of the others"
    ax.set_xlabel(textwrap.fill(f"{lead}'s mean margin over {versus}, with the input at each end", 60))
    moving = sum(row["moves"] for row in inputs)
    said = text(verdict, names)
    title = (f"The verdict ({said}) hinges on {moving} of {len(inputs)} inputs: one end of each changes it"
             if moving else f"No single input moves the verdict: {said} at either end of each of "
                            f"{len(inputs)} inputs")
    low_pct, high_pct = (f"{round(e * 100)}th" for e in screened["ends"])
    handles = [Patch(color=LOW), Patch(color=HIGH), plt.Line2D([], [], color="black")]
    labels = [f"input at the {low_pct} percentile of its range", f"input at the {high_pct} percentile",
              f"as drawn: margin {base:+z.3f}"]
    if moving:
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="//"))
        labels.append("the verdict changes there (* on the input)")
    if near:
        handles.append(plt.Line2D([], [], color=GREY, ls="--"))
        labels.append(f"delta {delta:z.2f}: a lead smaller than this is no lead")
    lines = legend_below(fig, handles, labels, ncol=2, y=0.04)
    source = (f"{scenario}: {screened['runs']:,} replays per setting, seed {screened['seed']}; one input at a "
              "time, the others drawn as in the base replays")
    finish(fig, title, source, bottom=0.06 + 0.045 * lines)
    return fig

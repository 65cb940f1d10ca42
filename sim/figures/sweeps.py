"""Figures of a sweep: the chance of coming out ahead over two factors (a heatmap), an outcome
along one factor with its 95% band, and the ranked Sobol' indices with their intervals."""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.figures.style import OKABE_ITO, finish
from sim.stats import Z95, percent

BINS = 12
MAX_LEVELS = 25


def binned(points: pd.DataFrame, factors: list[str]) -> pd.DataFrame:
    """A sampled design (Latin, Sobol', Morris) has a value per point; its points are pooled into
    equal bins, each shown at its centre. A grid's levels are kept as they are."""
    out = points.copy()
    for f in factors:
        if out[f].nunique() > MAX_LEVELS:
            cut = pd.cut(out[f], BINS)
            out[f] = cut.map(lambda interval: interval.mid).astype(float)
    return out


def _plain(column: str) -> str:
    return column


def _value(outcome: str, v: float) -> str:
    return percent(v) if _is_chance(outcome) else f"{v:+z.2f}" if v < 0 else f"{v:z.2f}"


def _is_chance(outcome: str) -> bool:
    return outcome.split(".")[0] in ("p_ahead", "p_even", "deal", "held", "ratified")


def heatmap(points: pd.DataFrame, x: str, y: str, outcome: str, source: str,
            label: Callable[[str], str] = _plain):
    """One outcome over two factors. A chance is drawn on a fixed 0-100% scale, so that a range of
    two points looks like two points, with its 50% line wherever the chance crosses one half."""
    table = binned(points, [x, y]).groupby([y, x])[outcome].mean().unstack(x)
    chance = _is_chance(outcome)
    fig, ax = plt.subplots()
    mesh = ax.imshow(table.to_numpy(), origin="lower", aspect="auto", cmap="cividis",
                     extent=_extent(table.columns.to_numpy(float), table.index.to_numpy(float)),
                     **({"vmin": 0.0, "vmax": 1.0} if chance else {}))
    bar = fig.colorbar(mesh, ax=ax)
    bar.set_label(label(outcome))
    if chance:
        bar.set_ticks([0, 0.25, 0.5, 0.75, 1], labels=["0%", "25%", "50%", "75%", "100%"])
    values = table.to_numpy()
    crosses = chance and np.nanmin(values) < 0.5 < np.nanmax(values)
    if crosses:
        ax.contour(table.columns.to_numpy(float), table.index.to_numpy(float), values, levels=[0.5],
                   colors="white", linewidths=plt.rcParams["lines.linewidth"] * 0.7)
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(y))
    lo, hi = np.nanmin(values), np.nanmax(values)
    tail = "; the white line is 50%" if crosses else ""
    finish(fig, f"{label(outcome)} ranges from {_value(outcome, lo)} to {_value(outcome, hi)} over "
                f"{label(x)} and {label(y)}{tail}", source)
    return fig


def line(points: pd.DataFrame, x: str, outcomes: list[str], source: str,
         label: Callable[[str], str] = _plain):
    points = binned(points, [x])
    fig, ax = plt.subplots()
    for colour, outcome in zip(OKABE_ITO, outcomes, strict=False):
        g = points.groupby(x)
        mean = g[outcome].mean()
        xs = mean.index.to_numpy(float)
        ax.plot(xs, mean.to_numpy(), marker="o", color=colour, label=label(outcome))
        if f"{outcome}.sd" in points:
            n = g["runs"].sum()
            half = Z95 * g[f"{outcome}.sd"].mean() / np.sqrt(n)
            ax.fill_between(xs, mean - half, mean + half, color=colour, alpha=0.25, lw=0)
        elif _is_chance(outcome):
            n = g["runs"].sum()
            half = Z95 * np.sqrt(mean * (1 - mean) / n)
            ax.fill_between(xs, mean - half, mean + half, color=colour, alpha=0.25, lw=0)
    ax.set_xlabel(label(x))
    ax.set_ylabel("mean over replicates (95% band)")
    ax.legend(loc="best")
    first = outcomes[0]
    g = points.groupby(x)[first].mean()
    low, high = _value(first, g.iloc[0]), _value(first, g.iloc[-1])
    moves = f"goes from {low} to {high}" if low != high else f"stays at {low}"
    finish(fig, f"{label(first)} {moves} as {label(x)} rises", source)
    return fig


def sobol_bars(result: dict, source: str, label: Callable[[str], str] = _plain):
    rows = result["indices"]
    if not rows:
        raise ValueError(f"{result['outcome']}: {result.get('note', 'no indices')}")
    key = result["rank_by"]
    names = [label(r["factor"]) for r in rows][::-1]
    fig, ax = plt.subplots()
    y = np.arange(len(names))
    values = np.array([r[key] for r in rows][::-1])
    conf = np.array([r.get(f"{key}_conf", 0.0) for r in rows][::-1])
    share = key in ("S1", "ST")  # Sobol' and RBD-FAST indices are shares of variance; Morris mu* is not
    top = 1.0 if share else np.inf
    low, high = np.clip(values - conf, 0.0, top), np.clip(values + conf, 0.0, top)
    values = np.clip(values, 0.0, top)
    ax.barh(y, values, color=OKABE_ITO[0], label=f"{key} (95% interval" + (", within 0-1)" if share else ")"))
    ax.errorbar(values, y, xerr=[values - low, high - values], fmt="none", ecolor="black", capsize=5)
    if key == "ST":
        ax.scatter(np.clip([r["S1"] for r in rows][::-1], 0.0, 1.0), y, color=OKABE_ITO[1], zorder=3,
                   label="S1, first order")
    ax.set_yticks(y, names)
    if share:
        ax.set_xlim(0, 1.02)
        ax.set_xlabel(f"share of the variance of {label(result['outcome'])}")
    else:
        ax.set_xlabel(f"{key}: mean absolute elementary effect on {label(result['outcome'])}")
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=2, bbox_to_anchor=(0.5, 0.04))
    spread = result.get("spread")
    varies = f"; it varies from {spread['min']:.3g} to {spread['max']:.3g}" if spread else ""
    outcome, factor = label(result["outcome"]), label(rows[0]["factor"])
    owner = factor.split("'s ", 1)[0] + "'s " if "'s " in factor else None
    if owner and (outcome.startswith(owner) or f"({owner[:-3]} " in outcome):
        factor = factor[len(owner):]  # "Donald Trump's net gain: flattery susceptibility", not the name twice
    finish(fig, f"{outcome}: {factor} matters most ({key} {rows[0][key]:z.2f}){varies}", source, bottom=0.1)
    return fig


def _extent(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float, float, float]:
    def edges(v):
        step = (v[-1] - v[0]) / max(len(v) - 1, 1) if len(v) > 1 else 1.0
        return v[0] - step / 2, v[-1] + step / 2
    return (*edges(xs), *edges(ys))

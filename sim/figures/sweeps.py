"""Figures of a sweep: the chance of coming out ahead over two factors (a heatmap), an outcome
along one factor with its 95% band, and the ranked Sobol' indices with their intervals."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.figures.style import OKABE_ITO, finish, fitted
from sim.stats import Z95, percent, wilson

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


def _levels(points: pd.DataFrame, factor: str) -> tuple[list, bool]:
    """A factor's levels in the order to draw them, and whether they are names (a structural
    factor such as a tactic), drawn at evenly spaced places in the design's order, rather than
    numbers drawn at their values."""
    values = points[factor]
    named = not pd.api.types.is_numeric_dtype(values)
    return (list(pd.unique(values)) if named else sorted(values.unique())), named


def _at(levels: list, named: bool) -> np.ndarray:
    return np.arange(len(levels), dtype=float) if named else np.asarray(levels, dtype=float)


def _scenarios(points: pd.DataFrame, outcome: str) -> list:
    """The scenarios a sweep's rows belong to that have ``outcome`` (a leader's gain only where it
    sits), in the design's order; one unnamed group where the rows do not say."""
    if "scenario" not in points:
        return [None]
    return [sc for sc in pd.unique(points["scenario"]) if points.loc[points["scenario"] == sc, outcome].notna().any()]


def _rows(points: pd.DataFrame, scenario) -> pd.DataFrame:
    return points if scenario is None else points[points["scenario"] == scenario]


def heatmap(points: pd.DataFrame, x: str, y: str, outcome: str, source: str,
            label: Callable[[str], str] = _plain):
    """One outcome over two factors, a panel per scenario of the sweep (each on its own: pooling
    two summits' rows would average numbers that mean different things). A chance is drawn on a
    fixed 0-100% scale, so that a range of two points looks like two points, with its 50% line
    wherever the chance crosses one half; other outcomes share one scale across the panels."""
    points = binned(points, [x, y])
    (xl, x_named), (yl, y_named) = _levels(points, x), _levels(points, y)
    xs, ys = _at(xl, x_named), _at(yl, y_named)
    scenarios = _scenarios(points, outcome)
    tables = [_rows(points, sc).groupby([y, x])[outcome].mean().unstack(x).reindex(index=yl, columns=xl).to_numpy()
              for sc in scenarios]
    chance = _is_chance(outcome)
    lo, hi = min(np.nanmin(t) for t in tables), max(np.nanmax(t) for t in tables)
    scale = {"vmin": 0.0, "vmax": 1.0} if chance else {"vmin": lo, "vmax": hi}
    # the colour bar takes a narrow column of its own, so that panels keep equal widths
    fig, axes = plt.subplots(1, len(scenarios) + 1, width_ratios=[1] * len(scenarios) + [0.04])
    axes, bar_axes = axes[:-1], axes[-1]
    crosses = chance and lo < 0.5 < hi
    for ax, scenario, values in zip(axes, scenarios, tables, strict=True):
        mesh = ax.imshow(values, origin="lower", aspect="auto", cmap="cividis", extent=_extent(xs, ys), **scale)
        if crosses and np.nanmin(values) < 0.5 < np.nanmax(values):
            ax.contour(xs, ys, values, levels=[0.5], colors="white", linewidths=plt.rcParams["lines.linewidth"] * 0.7)
        ax.set_xlabel(fitted(label(x), fig, 0.8 / len(scenarios)))
        if x_named:
            ax.set_xticks(xs, [str(v) for v in xl])
        if len(scenarios) > 1:
            ax.set_title(str(scenario))
        if ax is not axes[0]:
            ax.sharey(axes[0])
            ax.tick_params(labelleft=False)
    axes[0].set_ylabel(fitted(label(y), fig, 0.6, along="y"))
    if y_named:
        axes[0].set_yticks(ys, [str(v) for v in yl])
    bar = fig.colorbar(mesh, cax=bar_axes)
    bar.set_label(fitted(label(outcome), fig, 0.6, along="y"))
    if chance:
        bar.set_ticks([0, 0.25, 0.5, 0.75, 1], labels=["0%", "25%", "50%", "75%", "100%"])
    tail = "; the white line is 50%" if crosses else ""
    low, high = _value(outcome, lo), _value(outcome, hi)
    spans = f"ranges from {low} to {high}" if low != high else f"is {low} everywhere"
    finish(fig, f"{label(outcome)} {spans} over {label(x)} and {label(y)}{tail}", source)
    return fig


def line(points: pd.DataFrame, x: str, outcomes: list[str], source: str,
         label: Callable[[str], str] = _plain):
    """Each outcome along one factor, averaged over the sweep's other factors, with its 95% band:
    a line per scenario where the sweep has several (pooled, two summits' gains would average
    numbers that mean different things). Names of levels (a tactic) are spaced evenly in the
    design's order."""
    points = binned(points, [x])
    levels, named = _levels(points, x)
    xs = _at(levels, named)
    fig, ax = plt.subplots()
    lines = [(sc, o) for o in outcomes for sc in _scenarios(points, o)]
    several = len({sc for sc, _ in lines}) > 1
    for colour, (scenario, outcome) in zip(itertools.cycle(OKABE_ITO), lines, strict=False):
        g = _rows(points, scenario).groupby(x)
        mean = g[outcome].mean().reindex(levels)
        ax.plot(xs, mean.to_numpy(), marker="o", color=colour,
                label=f"{scenario}: {label(outcome)}" if several else label(outcome))
        if f"{outcome}.sd" in points:
            n = g["runs"].sum().reindex(levels)
            half = Z95 * g[f"{outcome}.sd"].mean().reindex(levels) / np.sqrt(n)
            ax.fill_between(xs, mean - half, mean + half, color=colour, alpha=0.25, lw=0)
        elif _is_chance(outcome):  # Wilson's interval: a normal one ran below 0% near a chance of 0
            n = g["runs"].sum().reindex(levels)
            low, high = np.array([wilson(p * k, int(k)) if k > 0 and p == p else (np.nan, np.nan)  # p == p: not NaN
                                  for p, k in zip(mean, n, strict=True)]).T
            ax.fill_between(xs, low, high, color=colour, alpha=0.25, lw=0)
    if named:
        ax.set_xticks(xs, [str(v) for v in levels])
    ax.set_xlabel(fitted(label(x), fig, 0.8))
    ax.set_ylabel("mean over replicates (95% band)")
    ax.legend(loc="best")
    scenario, first = lines[0]
    g = _rows(points, scenario).groupby(x)[first].mean().reindex(levels)
    low, high = _value(first, g.iloc[0]), _value(first, g.iloc[-1])
    where = f"At {scenario}, " if several else ""
    if named:
        moves = f"is {low} at {levels[0]} and {high} at {levels[-1]}" if low != high else f"stays at {low}"
        finish(fig, f"{where}{label(first)} {moves} across {label(x)}", source)
    else:
        moves = f"goes from {low} to {high}" if low != high else f"stays at {low}"
        finish(fig, f"{where}{label(first)} {moves} as {label(x)} rises", source)
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

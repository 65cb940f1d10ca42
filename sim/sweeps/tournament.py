"""Tactics against tactics, Axelrod-style: every ordered pair of tactics in the two seats of every
scenario chosen, many replicates each on common random numbers, then a table of tactics ranked by
mean gain and by the share of summits where the tactic's leader comes out ahead."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd

from sim.loader import ScenarioError, set_path
from sim.schema import cross_problems
from sim.stats import Z95, wilson
from sim.sweeps.analyze import spread
from sim.tactics import TACTICS


def design(documents: dict[str, dict], tactics: list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """One point per scenario and ordered pair of tactics (seat A's, seat B's), and what was left
    out. A tactic plays a scenario only if both its leaders can play it (two_part needs a threat,
    for one), so that it meets every opponent in both seats. Tactics asked for by name must all
    play; by default every tactic plays where it can and the rest are listed with the reason."""
    chosen = tactics is not None
    tactics = list(TACTICS) if tactics is None else tactics
    unknown = [t for t in tactics if t not in TACTICS]
    if unknown:
        raise ScenarioError("--tactics", [f"unknown tactic {', '.join(unknown)}; known: {', '.join(TACTICS)}"])
    rows, left_out = [], []
    for label, doc in documents.items():
        leaders = list(doc["leaders"])
        if len(leaders) != 2:
            raise ScenarioError(label, [f"a tournament seats two leaders; this summit has {len(leaders)}"])
        why = {t: problems for t in dict.fromkeys(tactics) if (problems := _cannot_play(doc, t))}
        if chosen and why:
            raise ScenarioError("--tactics", [f"{t} cannot play {label}: {'; '.join(p)}. Leave it out of --tactics."
                                              for t, p in why.items()])
        left_out += [f"{t} in {label}: {'; '.join(p)}" for t, p in why.items()]
        playing = [t for t in dict.fromkeys(tactics) if t not in why]
        if len(playing) < 2:
            raise ScenarioError("--tactics", [f"a tournament needs at least two different tactics that can play "
                                              f"{label}; it has {', '.join(playing) or 'none'}"])
        first = doc["protocol"]["first_proposer"]
        seats = [first, *(k for k in leaders if k != first)]
        rows += [{"scenario": label, f"leaders.{seats[0]}.tactic": a, f"leaders.{seats[1]}.tactic": b}
                 for a in playing for b in playing]
    table = pd.DataFrame(rows)
    table.insert(0, "point", np.arange(len(table), dtype=np.int64))
    return table, left_out


def _cannot_play(document: dict, tactic: str) -> list[str]:
    """Why a tactic cannot play in this (valid) scenario, in either seat; empty when it can. Only
    the rules that tie a tactic to other fields can fail, and those are the cross-field checks."""
    problems = []
    for leader in document["leaders"]:
        seated = copy.deepcopy(document)
        set_path(seated, f"leaders.{leader}.tactic", tactic, "--tactics")
        problems += cross_problems(seated)
    return problems


def ranking(summary_sums: pd.DataFrame, design_table: pd.DataFrame) -> list[dict]:
    """Per tactic, over every seat it played in: the mean gain with a 95% interval, and the share
    of summits in which its leader was ahead by more than the verdict rule's delta, with a Wilson
    interval."""
    merged = design_table.merge(summary_sums, on="point")
    plays: dict[str, dict[str, float]] = {}
    for column in design_table.columns:
        if not (column.startswith("leaders.") and column.endswith(".tactic")):
            continue
        leader = column.split(".")[1]
        seated = merged[merged[column].notna()]
        for tactic, rows in seated.groupby(column):
            acc = plays.setdefault(tactic, {"n": 0.0, "sum": 0.0, "sumsq": 0.0, "ahead": 0.0})
            acc["n"] += rows["n"].sum()
            acc["sum"] += rows[f"gain.{leader}:sum"].sum()
            acc["sumsq"] += rows[f"gain.{leader}:sumsq"].sum()
            acc["ahead"] += rows[f"p_ahead.{leader}:sum"].sum()
    table = []
    for tactic, acc in plays.items():
        n = acc["n"]
        mean = acc["sum"] / n
        half = Z95 * float(spread(acc["sum"], acc["sumsq"], n)) / math.sqrt(n)
        low, high = wilson(acc["ahead"], int(n))
        table.append({"tactic": tactic, "runs": int(n), "gain": mean, "gain_low": mean - half,
                      "gain_high": mean + half, "ahead": acc["ahead"] / n, "ahead_low": low, "ahead_high": high})
    table.sort(key=lambda r: (-r["gain"], r["tactic"]))
    return table


def equally_often(rows: list[dict]) -> bool:
    """Whether every tactic's interval on the share of summits it came out ahead overlaps every
    other's (``ranking``'s rows): then the seat, not the tactic, decides who comes out ahead."""
    return max(r["ahead_low"] for r in rows) < min(r["ahead_high"] for r in rows)


def pairings(summary_sums: pd.DataFrame, design_table: pd.DataFrame) -> pd.DataFrame:
    """What each tactic's leader gained against each opponent tactic, pooled over both seats and
    every scenario (runs weigh alike): Axelrod's payoff matrix, a row per tactic, a column per
    opponent. A tactic meets itself too, on the diagonal."""
    merged = design_table.merge(summary_sums, on="point")
    seats = [c for c in design_table.columns if c.startswith("leaders.") and c.endswith(".tactic")]
    sums: dict[tuple[str, str], list[float]] = {}
    for own in seats:
        leader = own.split(".")[1]
        for other in (c for c in seats if c != own):
            seated = merged[merged[own].notna() & merged[other].notna()]
            for (tactic, opponent), rows in seated.groupby([own, other]):
                acc = sums.setdefault((tactic, opponent), [0.0, 0.0])
                acc[0] += rows[f"gain.{leader}:sum"].sum()
                acc[1] += rows["n"].sum()
    table = pd.Series({pair: total / n for pair, (total, n) in sums.items()}).unstack()
    order = [r["tactic"] for r in ranking(summary_sums, design_table)]
    return table.reindex(index=order, columns=order)

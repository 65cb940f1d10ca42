"""From a sweep's stored sums to answers: the summary per design point, and for sampled designs
the sensitivity indices SALib's analyzers give, with their intervals, ranked."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from SALib.analyze import morris, rbd_fast, sobol

from sim.sweeps.design import problem
from sim.sweeps.store import Store
from sim.sweeps.sweepfile import Sweep

RESAMPLES = 1000
BARELY = 0.02  # a range over the design this small (a fifth of the verdict's delta) barely varies


def points(store: Store) -> pd.DataFrame:
    """Per design point: its factor values, runs, and for every kept outcome the mean, the
    standard deviation, the mean over runs with a deal, and each leader's chance of being ahead of
    every other by more than the verdict rule's delta (``p_even``: of no one being). Only finished
    chunks count."""
    design = store.design()
    total = totals(store)
    if total.empty:
        return design.iloc[:0]
    total = total.set_index("point")
    n, n_deal = total["n"], total["n_deal"]
    columns = {"runs": n, "deals": n_deal}  # built apart and framed once: a column at a time fragments the frame
    for name in sorted({c.split(":")[0] for c in total.columns if ":" in c}, key=_order):
        columns[name] = total[f"{name}:sum"] / n
        if name.startswith("p_ahead.") or name == "p_even":
            continue
        columns[f"{name}.sd"] = spread(total[f"{name}:sum"], total[f"{name}:sumsq"], n).where(n > 1)
        columns[f"{name}.given_deal"] = (total[f"{name}:deal_sum"] / n_deal).where(n_deal > 0)
    summary = pd.DataFrame(columns, index=total.index).reset_index()
    return design.merge(summary, on="point", how="inner").dropna(axis=1, how="all")


def totals(store: Store) -> pd.DataFrame:
    """The finished chunks' sums added up per design point (a point may span chunks)."""
    sums = store.sums()
    return sums if sums.empty else sums.groupby("point", sort=True).sum(min_count=1).reset_index()


def spread(total, squares, n):
    """The standard deviation from a sum, a sum of squares and a count (n > 1)."""
    mean = total / n
    return np.sqrt(np.clip((squares - n * mean**2) / (n - 1), 0.0, None))


def _order(name: str) -> tuple:
    head = name.split(".")[0]
    rank = ["p_ahead", "p_even", "gain", "margin", "deal", "held", "deal_round", "walked_out",
            "walkout_round", "learned", "substantive", "status", "domestic",
            "alliance", "ratified", "withdrawn", "cohesion", "cohesion_change", "agreed", "final"]
    return (rank.index(head) if head in rank else len(rank), name)


def default_outcomes(summary: pd.DataFrame) -> list[str]:
    """What a researcher asks first: who comes out ahead, by how much, and whether there is a deal."""
    chosen = [c for c in summary.columns if c.startswith("p_ahead.")]
    chosen += [c for c in summary.columns if c.startswith("gain.") and c.count(".") == 1]
    chosen += [c for c in ("margin", "deal") if c in summary.columns]
    return chosen


def sensitivity(sweep: Sweep, summary: pd.DataFrame, outcomes: list[str]) -> list[dict]:
    """SALib's indices for each scenario and outcome, ranked: Sobol' first-order and total
    indices, Morris mu* and sigma, or RBD-FAST first-order indices for a Latin hypercube.
    Needs every design point of the scenario finished (the estimators assume the whole design)."""
    method = sweep.design.method
    if method == "grid":
        return []
    spec = problem(sweep.factors)
    names = list(sweep.factors)
    results = []
    for scenario, rows in summary.groupby("scenario", sort=False):
        for outcome in outcomes:
            y = rows[outcome].to_numpy(dtype=float)
            x = rows[names].to_numpy(dtype=float)
            if np.isnan(y).any():
                continue
            spread = {"mean": float(y.mean()), "sd": float(y.std(ddof=1)) if y.size > 1 else 0.0,
                      "min": float(y.min()), "max": float(y.max())}
            spread["barely_varies"] = spread["max"] - spread["min"] < BARELY
            if np.ptp(y) == 0:
                results.append({"scenario": scenario, "outcome": outcome, "method": method, "rank_by": None,
                                "indices": [], "spread": spread,
                                "note": "the same at every design point: no factor moves it"})
                continue
            if method == "sobol":
                si = sobol.analyze(spec, y, calc_second_order=sweep.design.second_order,
                                   num_resamples=RESAMPLES, seed=sweep.seed)
                table = [{"factor": f, "S1": si["S1"][i], "S1_conf": si["S1_conf"][i],
                          "ST": si["ST"][i], "ST_conf": si["ST_conf"][i]} for i, f in enumerate(names)]
                key = "ST"
            elif method == "morris":
                si = morris.analyze(spec, x, y, num_resamples=RESAMPLES, num_levels=sweep.design.levels,
                                    seed=sweep.seed)
                table = [{"factor": f, "mu_star": si["mu_star"][i], "mu_star_conf": si["mu_star_conf"][i],
                          "sigma": si["sigma"][i]} for i, f in enumerate(names)]
                key = "mu_star"
            else:
                harmonics = max(1, min(10, (len(y) - 1) // 4))  # its bootstrap halves the sample; needs N/2 > 2M
                si = rbd_fast.analyze(spec, x, y, M=harmonics, num_resamples=RESAMPLES, seed=sweep.seed)
                table = [{"factor": f, "S1": si["S1"][i], "S1_conf": si["S1_conf"][i]} for i, f in enumerate(names)]
                key = "S1"
            table = [{k: (float(v) if not isinstance(v, str) else v) for k, v in row.items()} for row in table]
            table.sort(key=lambda r: -r[key] if math.isfinite(r[key]) else math.inf)
            results.append({"scenario": scenario, "outcome": outcome, "method": method, "rank_by": key,
                            "indices": table, "spread": spread})
    return results


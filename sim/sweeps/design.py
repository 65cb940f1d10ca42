"""Design points: a full factorial grid, or SALib's samplers with the factors as a SALib problem.

The design is computed once, stored with the results, and read back from there for resuming and
replaying, so that a run's parameters never depend on a sampler's version.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from SALib.sample import latin, morris, sobol

from sim.schema import path_bounds
from sim.sweeps.sweepfile import Factor, Sweep


def problem(factors: dict[str, Factor]) -> dict:
    """The factors as SALib states a problem: names, bounds and distributions."""
    bounds, dists = [], []
    for factor in factors.values():
        if factor.range is not None:
            bounds.append(list(factor.range))
            dists.append("unif")
        elif factor.normal is not None:
            bounds.append(list(factor.normal))
            dists.append("norm")
        elif factor.truncnormal is not None:
            bounds.append(list(factor.truncnormal))
            dists.append("truncnorm")
        elif factor.triangular is not None:
            low, mode, high = factor.triangular
            bounds.append([low, high, (mode - low) / (high - low)])
            dists.append("triang")
        else:
            bounds.append(list(factor.loguniform))
            dists.append("logunif")
    return {"num_vars": len(factors), "names": list(factors), "bounds": bounds, "dists": dists}


def sample(sweep: Sweep, structural: set[str]) -> pd.DataFrame:
    """One row per design point (before crossing with scenarios), one column per factor.

    A grid lists structural factors (tactics, rounds: those that change a scenario's shape rather
    than a number drawn per run) slowest, so each shape's points are contiguous and a chunk needs
    one compiled scenario. Sampled values outside a parameter's range are clipped to it."""
    factors = sweep.factors
    names = list(factors)
    if sweep.design.method == "grid":
        order = sorted(names, key=lambda n: n not in structural)
        rows = itertools.product(*(factors[n].grid_levels() for n in order))
        table = pd.DataFrame(list(rows), columns=order)[names]
    else:
        spec = problem(factors)
        d = sweep.design
        if d.method == "latin":
            x = latin.sample(spec, d.samples, seed=sweep.seed)
        elif d.method == "sobol":
            x = sobol.sample(spec, d.samples, calc_second_order=d.second_order, seed=sweep.seed)
        else:
            x = morris.sample(spec, d.trajectories, num_levels=d.levels, seed=sweep.seed)
        table = pd.DataFrame(x, columns=names)
    for name in names:
        if name not in structural and pd.api.types.is_numeric_dtype(table[name]):
            table[name] = np.clip(table[name].astype(float), *path_bounds(name))
    return table


def cross(table: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    """The design for every scenario in turn: global point ids, scenario-major."""
    crossed = pd.concat([table.assign(scenario=s) for s in scenarios], ignore_index=True)
    crossed.insert(0, "point", np.arange(len(crossed), dtype=np.int64))
    return crossed[["point", "scenario", *table.columns]]

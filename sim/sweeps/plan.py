"""A sweep as work: design points x replicates, numbered as runs, cut into chunks a worker replays
as one vectorised batch.

Run ``point * replicates + replicate`` of a sweep is replicate ``replicate`` of the scenario with
the point's factor values, and its random streams are addressed by the replicate alone: every
point sees the same draws (common random numbers, the same as ``summit run --set`` would use), so
differences between points are the factors' doing, not noise.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.loader import set_path, validate
from sim.spec import Spec, compile_scenario
from sim.sweeps import evaluate

BASE_COLUMNS = {"run": "int", "point": "int", "replicate": "int", "scenario": "str"}


@dataclass(frozen=True)
class Job:
    """One chunk: all a worker needs, as plain data."""

    index: int
    scenario: str
    spec: Spec
    seed: int
    replicates: int
    start: int                        # first run (global id)
    stop: int                         # one past the last run
    first_point: int
    numeric: dict[str, np.ndarray]    # factor values per point, from first_point
    structural: dict[str, Any]        # factor values the whole chunk shares
    outcomes: tuple[str, ...]

    @property
    def runs(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class Plan:
    name: str
    seed: int
    replicates: int
    outcomes: tuple[str, ...]
    design: pd.DataFrame              # point, scenario, one column per factor (empty where n/a)
    columns: dict[str, str]           # every per-run column and its kind: int, float, bool, str
    jobs: tuple[Job, ...]

    @property
    def runs(self) -> int:
        return len(self.design) * self.replicates

    def locate(self, run: int) -> tuple[Job, int, int]:
        """The chunk, point and replicate of a run."""
        if not 0 <= run < self.runs:
            raise ValueError(f"run {run} is not in this sweep (runs 0 to {self.runs - 1})")
        job = next(j for j in self.jobs if j.start <= run < j.stop)
        return job, run // self.replicates, run % self.replicates


def build(name: str, documents: dict[str, dict], design: pd.DataFrame, replicates: int, seed: int,
          outcomes: tuple[str, ...], chunk_runs: int) -> Plan:
    """Compile one scenario per shape (scenario x structural factor values) and cut runs into
    chunks that never straddle two shapes."""
    factors = [c for c in design.columns if c not in ("point", "scenario")]
    specs: dict[tuple, Spec] = {}
    jobs: list[Job] = []
    columns = dict(BASE_COLUMNS)
    for scenario, rows in design.groupby("scenario", sort=False):
        base = compile_scenario(validate(documents[scenario], scenario, check_variants=False))
        used = [f for f in factors if rows[f].notna().all()]
        numeric = {f: design[f].to_numpy(dtype=float) for f in used if f in base.draws}
        structural = [f for f in used if f not in base.draws]
        for f in used:
            columns.setdefault(f, "float" if f in numeric else _kind(rows[f].iloc[0]))
        shape = rows[structural].apply(tuple, axis=1) if structural else pd.Series([()] * len(rows), index=rows.index)
        starts = np.flatnonzero(np.r_[True, shape.to_numpy()[1:] != shape.to_numpy()[:-1]])
        bounds = [*starts, len(rows)]
        for a, b in itertools.pairwise(bounds):
            fixed = {f: plain(rows[f].iloc[a]) for f in structural}
            key = (scenario, tuple(fixed.items()))
            if key not in specs:
                specs[key] = _shape(documents[scenario], scenario, fixed) if fixed else base
            spec = specs[key]
            for c, kind in evaluate.columns(spec, outcomes).items():
                columns.setdefault(c, kind)
            p0, p1 = int(rows["point"].iloc[a]), int(rows["point"].iloc[b - 1]) + 1
            for start in range(p0 * replicates, p1 * replicates, chunk_runs):
                stop = min(start + chunk_runs, p1 * replicates)
                first, last = start // replicates, (stop - 1) // replicates + 1
                values = {f: v[first:last] for f, v in numeric.items()}
                jobs.append(Job(len(jobs), scenario, spec, seed, replicates, start, stop, first, values, fixed,
                                tuple(outcomes)))
    return Plan(name, seed, replicates, tuple(outcomes), design, columns, tuple(jobs))


def _shape(document: dict, scenario: str, fixed: dict[str, Any]) -> Spec:
    changed = copy.deepcopy(document)
    for path, value in fixed.items():
        set_path(changed, path, value, f"factor {path}")
    where = f"{scenario} with " + ", ".join(f"{p}={v}" for p, v in fixed.items())
    return compile_scenario(validate(changed, where, check_variants=False))


def plain(value: Any) -> Any:
    """A pandas cell as the YAML value it stands for."""
    return value.item() if isinstance(value, np.generic) else value


def _kind(value: Any) -> str:
    value = plain(value)
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "float" if isinstance(value, float) else "str"

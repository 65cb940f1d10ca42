"""Replay a scenario many times: the entry point for the CLI, experiments and tests.

Large batches are cut into chunks that fit in cache; each chunk is one model replaying its runs
in lockstep. Runs are independent and their random numbers are addressed by run index, so the
chunk size changes the speed, never the numbers.
"""

from __future__ import annotations

import numpy as np

from sim.model import Outcome, SummitModel
from sim.spec import Spec

CHUNK = 8192


def replay(spec: Spec, runs: int, seed: int, first_run: int = 0, chunk: int = CHUNK,
           trace: bool = False, baselines: bool = False) -> Outcome:
    """Replay runs ``first_run .. first_run + runs - 1`` of ``spec`` under ``seed``; ``baselines``
    adds the forecasting baselines and efficiency measures (a fifth of the cost of a replay)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    return replay_runs(spec, np.arange(first_run, first_run + runs, dtype=np.uint64), seed,
                       chunk=chunk, trace=trace, baselines=baselines)


def replay_runs(spec: Spec, run_ids: np.ndarray, seed: int, overrides: dict[str, np.ndarray] | None = None,
                chunk: int = CHUNK, trace: bool = False, baselines: bool = False) -> Outcome:
    """Replay the runs ``run_ids`` (repeats allowed), with parameters fixed run by run where
    ``overrides`` says: a sweep's chunk of design points x replicates as one batch."""
    overrides = overrides or {}
    parts = [SummitModel(spec, run_ids[i:i + chunk], seed, trace=trace, with_baselines=baselines,
                         overrides={p: v[i:i + chunk] for p, v in overrides.items()}).replay()
             for i in range(0, len(run_ids), chunk)]
    return parts[0] if len(parts) == 1 else concatenate(parts)


def concatenate(outcomes: list[Outcome]) -> Outcome:
    first = outcomes[0]

    def join(values):
        if isinstance(values[0], dict):
            return {k: join([v[k] for v in values]) for k in values[0]}
        if isinstance(values[0], np.ndarray):
            return np.concatenate(values, axis=-1)
        return values[0]

    fields = {name: join([getattr(o, name) for o in outcomes])
              for name in first.__dataclass_fields__ if name != "trace"}
    return Outcome(**fields, trace=[])

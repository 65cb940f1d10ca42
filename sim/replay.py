"""Replay a scenario many times: the entry point for the CLI, experiments and tests.

Large batches are cut into chunks that fit in cache; each chunk is one model replaying its runs
in lockstep. Runs are independent and their random numbers are addressed by run index, so the
chunk size changes the speed, never the numbers.
"""

from __future__ import annotations

import numpy as np

from sim import heap
from sim.model import Outcome, SummitModel
from sim.protocol import STRETCHES
from sim.spec import Spec

CHUNK = 8192
ISSUE_ARRAY = 1 << 20  # bytes: the most one (stretches, runs) array of a chunk may take


def chunk_runs(spec: Spec) -> int:
    """Runs per chunk: ``CHUNK``, or fewer where the issues are many, so that a chunk's largest
    per-issue arrays, the knapsack's three stretches per issue (``sim.protocol.concede``), stay
    within 1 MiB. They then stay in cache, and glibc serves them from its heap rather than mapping
    each one on its own (``heap.LARGE``): a chunk whose arrays were mapped ran a third as fast,
    every temporary paying for fresh zeroed pages."""
    return max(256, min(CHUNK, ISSUE_ARRAY // (8 * STRETCHES * len(spec.issues))))


def replay(spec: Spec, runs: int, seed: int, first_run: int = 0, chunk: int | None = None,
           trace: bool = False, baselines: bool = False) -> Outcome:
    """Replay runs ``first_run .. first_run + runs - 1`` of ``spec`` under ``seed``; ``baselines``
    adds the forecasting baselines and efficiency measures (a fifth of the cost of a replay)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    return replay_runs(spec, np.arange(first_run, first_run + runs, dtype=np.uint64), seed,
                       chunk=chunk, trace=trace, baselines=baselines)


def replay_runs(spec: Spec, run_ids: np.ndarray, seed: int, overrides: dict[str, np.ndarray] | None = None,
                chunk: int | None = None, trace: bool = False, baselines: bool = False) -> Outcome:
    """Replay the runs ``run_ids`` (repeats allowed), with parameters fixed run by run where
    ``overrides`` says: a sweep's chunk of design points x replicates as one batch.

    Each chunk's outcome is copied into arrays allocated once for the whole batch and then let
    go, so memory holds the batch's outcome and one chunk's model, never a list of chunks and
    their concatenation beside it."""
    overrides = overrides or {}
    chunk = chunk or chunk_runs(spec)
    heap.keep_large_apart()  # also for one chunk: glibc's own thresholds trim the heap at every free

    def chunk_at(i: int) -> Outcome:
        model = SummitModel(spec, run_ids[i:i + chunk], seed, trace=trace, with_baselines=baselines,
                            overrides={p: v[i:i + chunk] for p, v in overrides.items()})
        outcome = model.replay()
        model.dismantle()
        return outcome

    if len(run_ids) <= chunk:
        return chunk_at(0)
    first = chunk_at(0)
    whole = Outcome(**{name: _allocate(getattr(first, name), len(run_ids))
                       for name in first.__dataclass_fields__ if name != "trace"}, trace=[])
    _fill(whole, first, 0)
    del first
    for i in range(chunk, len(run_ids), chunk):
        _fill(whole, chunk_at(i), i)
    heap.give_back()  # the chunks' freed temporaries, which glibc would otherwise keep resident
    return whole


def _allocate(value, runs: int):
    """An empty array shaped like ``value`` but with ``runs`` on its last axis (dicts of them alike)."""
    if isinstance(value, dict):
        return {k: _allocate(v, runs) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return np.empty((*value.shape[:-1], runs), dtype=value.dtype)
    return value


def _fill(whole: Outcome, part: Outcome, start: int) -> None:
    def put(target, value) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                put(target[k], v)
        elif isinstance(value, np.ndarray):
            target[..., start:start + value.shape[-1]] = value

    for name in part.__dataclass_fields__:
        if name != "trace":
            put(getattr(whole, name), getattr(part, name))

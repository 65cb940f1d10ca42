"""Replay a scenario many times: the entry point for the CLI, experiments and tests.

Large batches are cut into chunks that fit in cache; each chunk is one model replaying its runs
in lockstep. Runs are independent and their random numbers are addressed by run index, so the
chunk size changes the speed, never the numbers.
"""

from __future__ import annotations

import numpy as np

from sim import heap, seating
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

    def seated(ids: np.ndarray, fixed: dict[str, np.ndarray], seats: tuple[str, ...]) -> Outcome:
        model = SummitModel(spec, ids, seed, trace=trace, with_baselines=baselines, overrides=fixed, seats=seats)
        outcome = model.replay()
        model.dismantle()
        return outcome

    def chunk_at(i: int) -> Outcome:
        """One chunk's runs, a model for each order of turns they sit in (sim.seating)."""
        ids, fixed = run_ids[i:i + chunk], {p: v[i:i + chunk] for p, v in overrides.items()}
        groups = seating.groups(spec, ids, seed)
        if len(groups) == 1:
            return seated(ids, fixed, groups[0][1])
        if trace:
            raise ValueError("a trace follows one order of turns: trace one run at a time")
        parts = [(where, seated(ids[where], {p: v[where] for p, v in fixed.items()}, seats)) for where, seats in groups]
        return _gathered(parts, len(ids))

    if len(run_ids) <= chunk:
        return chunk_at(0)
    first = chunk_at(0)
    whole = _allocated(first, len(run_ids))
    _fill(whole, first, slice(0, first.run_ids.shape[-1]))
    del first
    for i in range(chunk, len(run_ids), chunk):
        part = chunk_at(i)
        _fill(whole, part, slice(i, i + part.run_ids.shape[-1]))
    heap.give_back()  # the chunks' freed temporaries, which glibc would otherwise keep resident
    return whole


def _allocated(template: Outcome, runs: int) -> Outcome:
    return Outcome(**{name: _allocate(getattr(template, name), runs)
                      for name in template.__dataclass_fields__ if name != "trace"}, trace=[])


def _gathered(parts: list[tuple[np.ndarray, Outcome]], runs: int) -> Outcome:
    """One outcome from the outcomes of disjoint sets of its runs, each at its places."""
    whole = _allocated(parts[0][1], runs)
    for where, part in parts:
        _fill(whole, part, where)
    return whole


def _allocate(value, runs: int):
    """An empty array shaped like ``value`` but with ``runs`` on its last axis (dicts of them alike)."""
    if isinstance(value, dict):
        return {k: _allocate(v, runs) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return np.empty((*value.shape[:-1], runs), dtype=value.dtype)
    return value


def _fill(whole: Outcome, part: Outcome, where: slice | np.ndarray) -> None:
    """Copy ``part``'s runs into ``whole`` at the places ``where``."""
    def put(target, value) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                put(target[k], v)
        elif isinstance(value, np.ndarray):
            target[..., where] = value

    for name in part.__dataclass_fields__:
        if name != "trace":
            put(getattr(whole, name), getattr(part, name))

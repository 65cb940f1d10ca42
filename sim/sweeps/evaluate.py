"""Replay one chunk and turn its outcome into per-run columns and per-point sums.

This is what a worker runs; it takes plain data and returns plain data (numpy arrays by column
name), so the same chunk gives the same numbers on a laptop and on any Dask worker.
"""

from __future__ import annotations

import numpy as np

from sim.model import Outcome
from sim.replay import replay_runs
from sim.spec import Spec
from sim.verdict import EQUIVALENCE, classes, margin_of

PARTS = Outcome.PART_NAMES


def columns(spec: Spec, outcomes: tuple[str, ...]) -> dict[str, str]:
    """The per-run columns a scenario gives for the outcomes kept, with their kinds."""
    leaders = list(spec.leaders)
    out: dict[str, str] = {}
    for name in outcomes:
        if name == "gain":
            out.update({f"gain.{k}": "float" for k in leaders})
        elif name == "parts":
            out.update({f"{part}.{k}": "float" for k in leaders for part in PARTS})
        elif name == "ahead":
            out["ahead"] = "str"
        elif name == "margin":
            out["margin"] = "float"
        elif name in ("deal", "held", "partial"):
            out[name] = "bool"
        elif name == "deal_round":
            out[name] = "int"
        elif name == "walkout":
            out.update({f"walked_out.{k}": "bool" for k in leaders})
            out["walkout_round"] = "int"
        elif name == "learned":
            out.update({f"learned.{k}": "float" for k in leaders})
        elif name == "ratified":
            out.update({f"ratified.{k}": "bool" for k in spec.legislatures})
            out.update({f"withdrawn.{k}": "bool" for k in spec.legislatures})
        elif name == "cohesion":
            out.update({f"cohesion.{k}": "float" for k in spec.allies})
            out.update({f"cohesion_change.{k}": "float" for k in spec.allies})
        elif name in ("agreed", "final"):
            out.update({f"{name}.{k}": "float" for k in spec.issues})
    return out


def outcome_columns(outcome: Outcome, outcomes: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per-run values of the kept outcomes. ``margin`` is the first proposer's gain less the best
    of the others'; ``ahead`` names the leader ahead of every other by more than the verdict rule's
    delta, or 'even'."""
    gain, keys = outcome.gain, outcome.leaders
    out: dict[str, np.ndarray] = {}
    for name in outcomes:
        if name == "gain":
            out.update({f"gain.{k}": gain[i] for i, k in enumerate(keys)})
        elif name == "parts":
            out.update({f"{part}.{k}": outcome.parts[i, j] for i, k in enumerate(keys) for j, part in enumerate(PARTS)})
        elif name == "ahead":
            cls = classes(gain, EQUIVALENCE)
            out["ahead"] = np.array([*keys, "even"], dtype=object)[cls]
        elif name == "margin":
            out["margin"] = margin_of(gain, 0)
        elif name in ("deal", "held", "deal_round", "partial"):
            out[name] = getattr(outcome, name)
        elif name == "walkout":
            out.update({f"walked_out.{k}": outcome.walked_out[i] for i, k in enumerate(keys)})
            out["walkout_round"] = outcome.walkout_round
        elif name == "learned":
            out.update({f"learned.{k}": outcome.learned[i] for i, k in enumerate(keys)})
        elif name == "ratified":
            out.update({f"ratified.{k}": v for k, v in outcome.ratified.items()})
            out.update({f"withdrawn.{k}": v for k, v in outcome.withdrawn.items()})
        elif name == "cohesion":
            out.update({f"cohesion.{k}": v for k, v in outcome.cohesion_end.items()})
            out.update({f"cohesion_change.{k}": v - outcome.cohesion_start[k] for k, v in outcome.cohesion_end.items()})
        elif name in ("agreed", "final"):
            values = getattr(outcome, name)
            out.update({f"{name}.{k}": values[i] for i, k in enumerate(outcome.issues)})
    return out


def run_chunk(job) -> tuple[int, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Replay a chunk: its index, its per-run columns, and its sums per design point."""
    runs = np.arange(job.start, job.stop, dtype=np.int64)
    point = runs // job.replicates
    replicate = runs % job.replicates
    local = point - job.first_point
    overrides = {path: values[local] for path, values in job.numeric.items()}
    outcome = replay_runs(job.spec, replicate.astype(np.uint64), job.seed, overrides)
    values = outcome_columns(outcome, job.outcomes)
    table = {"run": runs, "point": point, "replicate": replicate,
             "scenario": np.full(job.runs, job.scenario, dtype=object),
             **{path: overrides[path] for path in job.numeric},
             **{path: np.full(job.runs, v, dtype=object if isinstance(v, str) else None)
                for path, v in job.structural.items()},
             **values}
    cls = classes(outcome.gain, EQUIVALENCE)
    measured = {k: np.asarray(v, dtype=float) for k, v in values.items() if k != "ahead"}
    measured.update({f"p_ahead.{k}": (cls == i).astype(float) for i, k in enumerate(outcome.leaders)})
    measured["p_even"] = (cls == -1).astype(float)
    sums = point_sums(local, outcome.deal, measured, job.first_point)
    return job.index, table, sums


def point_sums(local: np.ndarray, deal: np.ndarray, measured: dict[str, np.ndarray], first_point: int) -> dict:
    """Sufficient statistics per design point: counts, sums, sums of squares and sums over runs
    with a deal, which add up across chunks to means, spreads and means given a deal."""
    points = int(local.max()) + 1
    sums = {"point": np.arange(points, dtype=np.int64) + first_point,
            "n": np.bincount(local, minlength=points).astype(np.int64),
            "n_deal": np.bincount(local, weights=deal, minlength=points).astype(np.int64)}
    for name, x in measured.items():
        sums[f"{name}:sum"] = np.bincount(local, weights=x, minlength=points)
        sums[f"{name}:sumsq"] = np.bincount(local, weights=x * x, minlength=points)
        sums[f"{name}:deal_sum"] = np.bincount(local, weights=np.where(deal, x, 0.0), minlength=points)
    keep = sums["n"] > 0
    return {k: v[keep] for k, v in sums.items()}

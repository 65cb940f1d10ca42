"""A sweep or a tournament from request to stored results, and back from the results folder to
any single run: one path builds the plan, whether starting, resuming or replaying."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim import __version__
from sim.loader import validate
from sim.replay import replay_runs
from sim.safe_yaml import load_yaml
from sim.spec import compile_scenario
from sim.sweeps import analyze, design, execute, tournament
from sim.sweeps.engine import engine_id
from sim.sweeps.evaluate import run_chunk
from sim.sweeps.plan import Job, Plan, build, plain
from sim.sweeps.store import Store, StoreError
from sim.sweeps.sweepfile import Sweep, SweepFile

TOURNAMENT_CHUNK = 50_000


def sweep_request(sweep_file: SweepFile) -> tuple[dict, pd.DataFrame]:
    """The manifest and design of a sweep file."""
    sweep = sweep_file.sweep
    first = next(iter(sweep_file.documents.values()))
    draws = compile_scenario(validate(first, sweep_file.path.name, check_variants=False)).draws
    structural = {f for f in sweep.factors if f not in draws}
    table = design.cross(design.sample(sweep, structural), list(sweep_file.documents))
    manifest = {"kind": "sweep", "name": sweep.name, "source": sweep_file.text, "source_file": str(sweep_file.path),
                "documents": sweep_file.documents, "seed": sweep.seed, "replicates": sweep.replicates,
                "outcomes": list(sweep.outcomes), "chunk_runs": sweep.chunk_runs, "method": sweep.design.method,
                "factors": list(sweep.factors), "summit": __version__, "engine": engine_id()}
    return manifest, table


def tournament_request(documents: dict[str, dict], tactics: list[str] | None, replicates: int,
                       seed: int) -> tuple[dict, pd.DataFrame]:
    """The manifest and design of a tournament; ``tactics`` None plays every tactic where it can."""
    table, left_out = tournament.design(documents, tactics)
    source = {"scenarios": list(documents), "tactics": tactics or "all", "replicates": replicates, "seed": seed}
    manifest = {"kind": "tournament", "name": "tournament", "source": source, "source_file": "summit tournament",
                "documents": documents, "seed": seed, "replicates": replicates, "outcomes": ["gain", "ahead", "deal"],
                "chunk_runs": TOURNAMENT_CHUNK, "method": "grid", "left_out": left_out, "summit": __version__,
                "engine": engine_id()}
    return manifest, table


def start(manifest: dict, table: pd.DataFrame, out: str, workers: int | None = None, scheduler: str | None = None,
          show_progress: bool = True) -> tuple[Plan, Store, execute.Progress]:
    """Open (or resume) the results folder, run what is left, and write the per-point summary."""
    store = Store.open(out, manifest, table)
    plan = plan_of(store)
    progress = execute.run(plan, store, workers=workers, scheduler=scheduler, show_progress=show_progress)
    missing = sorted({job.index for job in plan.jobs} - store.finished())
    if missing:
        raise StoreError(f"{store.folder}: chunks {missing[:10]} did not finish; run the same command to resume")
    store.write_points(analyze.points(store))
    return plan, store, progress


def plan_of(store: Store) -> Plan:
    """The plan a results folder was written by, from its manifest and stored design."""
    m = store.manifest()
    return build(m["name"], m["documents"], store.design(), m["replicates"], m["seed"], tuple(m["outcomes"]),
                 m["chunk_runs"])


def sweep_of(store: Store) -> Sweep | None:
    m = store.manifest()
    if m["kind"] != "sweep":
        return None
    return Sweep.model_validate(load_yaml(m["source"], str(store.manifest_path)))


def replay_run(store: Store, run: int, trace: bool = False) -> dict:
    """Replay one run of a stored sweep alone: its row recomputed, its row as stored, and (with
    ``trace``) the outcome with its round-by-round record."""
    plan = plan_of(store)
    try:
        job, point, replicate = plan.locate(run)
    except ValueError as err:
        raise StoreError(f"{store.folder}: {err}") from None
    local = point - job.first_point
    single = Job(job.index, job.scenario, job.spec, job.seed, job.replicates, run, run + 1, point,
                 {p: v[local:local + 1] for p, v in job.numeric.items()}, job.structural, job.outcomes)
    _, rows, _ = run_chunk(single)
    replayed = {k: plain(v[0]) for k, v in rows.items()}
    stored_rows = store.rows(filters=[("run", "==", run)]) if job.index in store.finished() else pd.DataFrame()
    stored = None if stored_rows.empty else {k: plain(v) for k, v in stored_rows.iloc[0].items()
                                               if k in replayed}
    result = {"run": run, "scenario": job.scenario, "point": point, "replicate": replicate,
              "replayed": replayed, "stored": stored, "spec": job.spec,
              "identical": stored is not None and all(_same(replayed[k], stored[k]) for k in replayed)}
    if trace:
        overrides = {p: v[local:local + 1] for p, v in job.numeric.items()}
        result["outcome"] = replay_runs(job.spec, np.array([replicate], dtype=np.uint64), job.seed, overrides,
                                        trace=True)
    return result


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    return a == b

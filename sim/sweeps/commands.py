"""The command line of sweeps: ``summit sweep``, ``replay``, ``analyze`` and ``tournament``."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path

from sim.defaults import TACTICS

SHOWN_POINTS = 30


def add_commands(sub, positive, seed) -> None:
    sw = sub.add_parser("sweep", help="run a sweep file: design points x replicates, resumable, local or on Dask")
    sw.add_argument("file", help="a sweep file (YAML); see experiments/ for examples")
    _execution(sw, positive)
    rp = sub.add_parser("replay", help="replay one run of a sweep or tournament alone and check it against its row")
    rp.add_argument("folder", help="the results folder of 'summit sweep' or 'summit tournament'")
    rp.add_argument("--run", type=int, required=True, metavar="ID", help="the run id (the 'run' column)")
    rp.add_argument("--trace", action="store_true", help="also tell the run's story, round by round")
    rp.add_argument("--json", action="store_true", help="print the numbers as JSON")
    an = sub.add_parser("analyze", help="summarise a sweep per design point, with sensitivity indices for "
                                        "sobol, morris and latin designs")
    an.add_argument("folder", help="the results folder of 'summit sweep'")
    an.add_argument("--outcome", action="append", default=[], metavar="NAME",
                    help="an outcome to analyse, e.g. p_ahead.us, gain.ru, margin, deal (repeatable)")
    an.add_argument("--points", default=str(SHOWN_POINTS), metavar="N|all", help="design points to print")
    an.add_argument("--json", action="store_true", help="print everything as JSON")
    tr = sub.add_parser("tournament", help="every tactic against every other in both seats, ranked (Axelrod-style)")
    tr.add_argument("scenarios", nargs="*", default=["helsinki-2018"],
                    help="bilateral scenarios (default helsinki-2018)")
    tr.add_argument("--tactics", help=f"comma-separated, from {','.join(TACTICS)} (default: every tactic both "
                    "leaders of each scenario can play)")
    tr.add_argument("--replicates", type=positive, default=1000, help="replays per pairing and scenario (default 1000)")
    tr.add_argument("--seed", type=seed, default=2018, help="random seed (default 2018)")
    _execution(tr, positive)


ADDRESS = re.compile(r"^(tcp|tls|ws|wss)://[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")


def _address(text: str) -> str:
    if not ADDRESS.match(text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a Dask scheduler address; write it as tcp://HOST:PORT "
                                         "(or tls://, ws://, wss://), as 'dask scheduler' prints it")
    return text


def _execution(p: argparse.ArgumentParser, positive) -> None:
    p.add_argument("--out", required=True, metavar="DIR", help="results folder; run again to resume")
    p.add_argument("--workers", type=positive, metavar="N", help=f"local worker processes (default: all cores, "
                   f"{len(os.sched_getaffinity(0))} here; 1 runs in this process)")
    p.add_argument("--scheduler", type=_address, metavar="tcp://HOST:PORT",
                   help="run on an existing Dask cluster instead")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def dispatch(args) -> int | None:
    """Run a sweep command; None when the command is not one of these."""
    handlers = {"sweep": _sweep, "replay": _replay, "analyze": _analyze, "tournament": _tournament}
    if args.command not in handlers:
        return None
    from sim.sweeps.execute import ForeignEngine, SchedulerError  # pandas, pyarrow and SALib load only when needed
    from sim.sweeps.store import StoreError
    try:
        return handlers[args.command](args)
    except (StoreError, SchedulerError, ForeignEngine) as err:
        print(f"summit: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.command not in ("sweep", "tournament"):
            raise
        # Every chunk is written whole or not at all, so whenever Ctrl-C comes, what is kept is sound.
        print(f"summit: stopped by Ctrl-C. Finished chunks are kept in {args.out}; run the same command "
              "to resume.", file=sys.stderr)
        return 130


def _sweep(args) -> int:
    from sim.sweeps import session
    from sim.sweeps.sweepfile import load_sweep

    sweep_file = load_sweep(args.file)
    manifest, table = session.sweep_request(sweep_file)
    plan, store, progress = session.start(manifest, table, args.out, args.workers, args.scheduler, not args.quiet)
    _finished(plan, store, progress, args.out)
    print(f"next: summit analyze {args.out}    or    summit replay {args.out} --run 0")
    return 0


def _tournament(args) -> int:
    from sim.sweeps import analyze, session, tournament
    from sim.sweeps.sweepfile import ScenarioRef, scenario_document

    documents = dict(scenario_document(ScenarioRef(scenario=name), Path.cwd(), {}) for name in args.scenarios)
    tactics = [t.strip() for t in args.tactics.split(",") if t.strip()] if args.tactics else None
    manifest, table = session.tournament_request(documents, tactics, args.replicates, args.seed)
    plan, store, progress = session.start(manifest, table, args.out, args.workers, args.scheduler, not args.quiet)
    _finished(plan, store, progress, args.out)
    print(_ranking(tournament.ranking(analyze.totals(store), store.design()), manifest))
    return 0


def _finished(plan, store, progress, out: str) -> None:
    resumed = f"; {progress.skipped_chunks} already done" if progress.skipped_chunks else ""
    if store.redone:
        resumed += (f"; {len(store.redone)} damaged since they were written (chunks "
                    f"{', '.join(map(str, store.redone[:10]))}) done again")
    print(f"{plan.name}: {plan.runs:,} runs in {progress.chunks} chunks{resumed}; "
          f"{progress.seconds:z.1f} s, {progress.rate:,.0f} runs/s. Results in {out}")


def _ranking(rows: list[dict], manifest: dict) -> str:
    from sim.sweeps.tournament import equally_often

    left_out = [f"left out: {note}" for note in manifest.get("left_out", [])]
    lines = [f"TOURNAMENT on {', '.join(manifest['documents'])}: {len(rows)} tactics, every ordered pairing in "
             f"both seats, {manifest['replicates']:,} replicates each, seed {manifest['seed']}", "",
             *left_out, *([""] if left_out else []),
             f"{'rank':>4}  {'tactic':<12} {'mean gain [95% CI]':<28} {'ahead by > 0.10 [95% CI]':<28} runs"]
    for i, r in enumerate(rows, 1):
        lines.append(f"{i:>4}  {r['tactic']:<12} {r['gain']:+z.3f} [{r['gain_low']:+z.3f}, {r['gain_high']:+z.3f}]"
                     f"{'':<5} {r['ahead']:6.1%} [{r['ahead_low']:.1%}, {r['ahead_high']:.1%}]{'':<5} {r['runs']:,}")
    if equally_often(rows):
        lines += ["", "Every tactic is ahead about equally often (all the intervals overlap): here the seat, not the "
                  "tactic, decides who comes out ahead;", "the tactics differ in how much their leader gains."]
    return "\n".join(lines)


def _replay(args) -> int:
    from sim.sweeps import session
    from sim.sweeps.store import Store

    store = Store(args.folder)
    result = session.replay_run(store, args.run, trace=args.trace)
    if args.json:
        out = {k: v for k, v in result.items() if k not in ("spec", "outcome")}
        print(json.dumps(out, indent=2, default=str))
    else:
        print(f"run {args.run}: scenario {result['scenario']}, design point {result['point']}, "
              f"replicate {result['replicate']}")
        stored = result["stored"] or {}
        width = max(map(len, result["replayed"]))
        print(f"  {'column':<{width}}  {'replayed':>14}  {'stored':>14}")
        for key, value in result["replayed"].items():
            print(f"  {key:<{width}}  {_cell(value):>14}  {_cell(stored.get(key, '(not yet run)')):>14}")
        verdict = ("identical to the stored row, bit for bit" if result["identical"]
                   else "NOT identical to the stored row" if result["stored"] else "its chunk has not run yet")
        print(f"replayed alone: {verdict}")
        if args.trace:
            from sim.report import story

            print("\n" + story(result["outcome"], result["spec"]))
    return 0 if result["identical"] or result["stored"] is None else 1


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _analyze(args) -> int:
    from sim.sweeps import analyze, session
    from sim.sweeps.store import Store, StoreError

    store = Store(args.folder)
    manifest = store.manifest()
    summary = analyze.points(store)
    if summary.empty:
        raise StoreError(f"{args.folder}: no chunk has finished yet; run 'summit sweep' (it resumes) first")
    outcomes = args.outcome or analyze.default_outcomes(summary)
    unknown = [o for o in outcomes if o not in summary.columns]
    if unknown:
        known = [c for c in summary.columns if c not in ("point", "scenario") and c not in manifest.get("factors", [])]
        raise StoreError(f"--outcome {', '.join(unknown)}: not an outcome of this sweep; it has: {', '.join(known)}")
    sweep = session.sweep_of(store)
    total = len(store.design()) * manifest["replicates"]
    complete = int(summary["runs"].sum()) == total
    indices = analyze.sensitivity(sweep, summary, outcomes) if sweep is not None and complete else []
    if args.json:
        print(json.dumps({"name": manifest["name"], "kind": manifest["kind"], "method": manifest["method"],
                          "complete": bool(complete), "points": _records(summary), "sensitivity": indices},
                         indent=2))
        return 0
    shown = len(summary) if args.points == "all" else int(args.points)
    print(_points_text(manifest, summary, outcomes, shown, total))
    for result in indices:
        print("\n" + _indices_text(result))
    if sweep is not None and sweep.design.method != "grid" and not complete:
        print("\nSensitivity indices need every design point finished; resume the sweep first.")
    return 0


def _records(frame) -> list[dict]:
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")]


def _points_text(manifest: dict, summary, outcomes: list[str], shown: int, total: int) -> str:
    factors = [c for c in summary.columns if c in manifest.get("factors", []) or c.endswith(".tactic")]
    done = int(summary["runs"].sum())
    state = "all finished" if done == total else f"{done:,} of {total:,} runs finished"
    lines = [f"{manifest['kind'].upper()} {manifest['name']}: {manifest['method']} design, {len(summary):,} points "
             f"x {manifest['replicates']:,} replicates ({state}), seed {manifest['seed']}", ""]
    table = summary[["point", "scenario", *factors, "runs", *outcomes]].head(shown)
    lines.append(table.to_string(index=False, float_format=lambda x: f"{x:z.3f}"))
    if len(summary) > shown:
        lines.append(f"... {len(summary) - shown} more points (--points all, or --json)")
    return "\n".join(lines)


def _indices_text(result: dict) -> str:
    names = {"sobol": "Sobol' first-order S1 and total ST", "morris": "Morris mu* (mean absolute elementary "
             "effect) and sigma", "latin": "RBD-FAST first-order S1"}
    spread = result.get("spread")
    varies = "" if spread is None else (
        f"  over the design: mean {spread['mean']:.4g}, sd {spread['sd']:.3g}, range {spread['min']:.4g} to "
        f"{spread['max']:.4g}" + ("; it BARELY VARIES, so the indices below split a very small spread"
                                  if spread["barely_varies"] and result["indices"] else ""))
    if not result["indices"]:
        return f"Sensitivity of {result['outcome']} in {result['scenario']}: {result['note']}" + (
            f"\n{varies}" if varies else "")
    lines = [f"Sensitivity of {result['outcome']} in {result['scenario']}: {names[result['method']]}, "
             f"95% intervals, ranked by {result['rank_by']}", *([varies] if varies else [])]
    keys = [k for k in result["indices"][0] if k != "factor" and not k.endswith("_conf")]
    width = max(len(r["factor"]) for r in result["indices"])
    lines.append(f"  {'factor':<{width}}  " + "  ".join(f"{k:>18}" for k in keys))
    for row in result["indices"]:
        cells = [f"{row[k]:z.3f} ± {row[k + '_conf']:z.3f}" if f"{k}_conf" in row else f"{row[k]:z.3f}" for k in keys]
        lines.append(f"  {row['factor']:<{width}}  " + "  ".join(f"{c:>18}" for c in cells))
    return "\n".join(lines)

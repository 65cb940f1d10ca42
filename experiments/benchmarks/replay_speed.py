"""Replays per CPU-second and peak memory for a scenario on one core, side by side with another
commit of the engine measured in the same run.

The machine is shared and its speed drifts by a fifth from hour to hour, so an absolute figure
from another day says little; a ratio measured in one run, the two engines taking turns, does.
Each measurement runs in a fresh process (glibc's malloc moves its mmap threshold with the
history of the heap, so a figure taken after other work in one process can be twice as slow or
fast) pinned to one core, and counts the process's CPU time, best of the repeats. The engine under
test is this working tree; ``--against REF`` extracts REF with ``git archive`` and measures it too,
``--mechanisms-off`` adds this tree with learning and walk-outs switched off (what they cost). Run:

    python experiments/benchmarks/replay_speed.py [--scenario helsinki-2018] [--against HEAD~1 ...]
        [--batches 1 1000 100000] [--one-at-a-time 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
from revisions import HERE, environment, extract

OFF = {"learning": "none", "learning_source": "model: off to measure its cost",
       "walkouts": "none", "walkouts_source": "model: off to measure its cost"}


def measure(scenario: str, batch: int, singly: bool, repeat: int, off: bool) -> dict:
    """Best CPU time of ``repeat`` tries, on one core, in this (fresh) process."""
    from sim.loader import load
    from sim.replay import replay
    from sim.spec import compile_scenario

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if off:
        from sim.loader import parse, read, resolve, validate

        path = resolve(scenario)
        document = parse(read(path), path)
        document["protocol"].update(OFF)
        spec = compile_scenario(validate(document, str(path)))
    else:
        spec = compile_scenario(load(scenario))
    replay(spec, min(batch, 1000), 0)  # warm the beta tables and imports

    def once() -> None:
        if singly:
            for i in range(batch):
                replay(spec, 1, 1, first_run=i)
        else:
            replay(spec, batch, 1)

    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        once()
        best = min(best, time.process_time() - t)
    tracemalloc.start()
    once()
    peak = tracemalloc.get_traced_memory()[1]
    return {"seconds": best, "peak": peak}


def child(tree: Path, scenario: str, batch: int, singly: bool, repeat: int, off: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--scenario", scenario, "--child", str(batch),
                          "1" if singly else "0", str(repeat), "1" if off else "0"],
                         capture_output=True, text=True, check=True, env=environment(tree), cwd=tree)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="helsinki-2018")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--turns", type=int, default=2, help="times each engine takes its turn per row")
    ap.add_argument("--batches", type=int, nargs="+", default=[1, 1_000, 100_000], help="batch sizes to measure")
    ap.add_argument("--one-at-a-time", type=int, default=1000, help="runs replayed singly (0: not measured)")
    ap.add_argument("--against", metavar="REF", action="append", default=[],
                    help="also measure the engine at this git revision (repeatable)")
    ap.add_argument("--mechanisms-off", action="store_true", help="also measure with learning and walk-outs off")
    ap.add_argument("--child", nargs=4, metavar=("BATCH", "SINGLY", "REPEAT", "OFF"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        batch, singly, repeat, off = int(args.child[0]), args.child[1] == "1", int(args.child[2]), args.child[3] == "1"
        print(json.dumps(measure(args.scenario, batch, singly, repeat, off)))
        return

    rows = [(f"batch of {b:,}", b, False, max(args.repeat, 50) if b == 1 else args.repeat) for b in args.batches]
    if args.one_at_a_time:
        rows.append((f"{args.one_at_a_time:,} runs one at a time", args.one_at_a_time, True, 1))
    with tempfile.TemporaryDirectory() as tmp:
        engines = [("this tree", HERE, False)]
        if args.mechanisms_off:
            engines.append(("this tree, learning and walk-outs off", HERE, True))
        engines += [(ref, extract(ref, Path(tmp)), False) for ref in args.against]
        print(f"scenario {args.scenario}; Python {platform.python_version()}, numpy {np.__version__}; one core, "
              f"CPU time, each figure the best of {args.turns} turns in fresh processes, engines taking turns")
        print(f"{'what':<28}{'engine':<40}{'runs':>9}{'CPU s':>10}{'replays/s':>12}{'ms/replay':>11}"
              f"{'peak MiB':>10}{'ratio':>7}")
        for label, runs, singly, repeat in rows:
            best: dict[str, dict] = {}
            for _ in range(args.turns):
                for name, tree, off in engines:
                    m = child(tree, args.scenario, runs, singly, repeat, off)
                    if name not in best or m["seconds"] < best[name]["seconds"]:
                        best[name] = m
            base = best["this tree"]["seconds"]
            for name, _, _ in engines:
                secs, peak = best[name]["seconds"], best[name]["peak"]
                print(f"{label:<28}{name:<40}{runs:>9,}{secs:>10.4f}{runs / secs:>12,.0f}{secs / runs * 1e3:>11.4f}"
                      f"{peak / 2**20:>10,.0f}{secs / base:>7.2f}")


if __name__ == "__main__":
    main()

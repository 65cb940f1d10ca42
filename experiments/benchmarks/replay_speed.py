"""Replays per second and peak memory for a scenario, on one core.

Targets (issue 2): at least 100,000 replays/s at batch 100,000; under 5 ms for a batch of one;
peak memory for a batch of 100,000 under 1 GiB. Each row runs in a fresh process: glibc's malloc
moves its mmap threshold with the history of the heap, so a measurement taken after others in the
same process can be twice as slow or fast for reasons that have nothing to do with the model. Run:

    python experiments/benchmarks/replay_speed.py [--scenario helsinki-2018] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc

import numpy as np


def measure(scenario: str, batch: int, singly: bool, repeat: int) -> dict:
    """Best wall time of ``repeat`` tries, on one core, in this (fresh) process."""
    from sim.loader import load
    from sim.replay import replay
    from sim.spec import compile_scenario

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
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
        t = time.perf_counter()
        once()
        best = min(best, time.perf_counter() - t)
    tracemalloc.start()
    once()
    peak = tracemalloc.get_traced_memory()[1]
    return {"seconds": best, "peak": peak}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="helsinki-2018")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one-at-a-time", type=int, default=1000, help="runs replayed singly")
    ap.add_argument("--child", nargs=3, metavar=("BATCH", "SINGLY", "REPEAT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        batch, singly, repeat = int(args.child[0]), args.child[1] == "1", int(args.child[2])
        print(json.dumps(measure(args.scenario, batch, singly, repeat)))
        return

    rows = [(f"batch of {b:,}", b, False, max(args.repeat, 50) if b == 1 else args.repeat) for b in (1, 1_000, 100_000)]
    rows.append((f"{args.one_at_a_time:,} runs one at a time", args.one_at_a_time, True, 1))
    print(f"scenario {args.scenario}; Python {platform.python_version()}, numpy {np.__version__}; "
          "one core, each row in a fresh process, best of repeats")
    print(f"{'what':<28}{'runs':>10}{'seconds':>12}{'replays/s':>14}{'ms/replay':>12}{'peak MiB':>10}")
    for label, runs, singly, repeat in rows:
        out = subprocess.run([sys.executable, __file__, "--scenario", args.scenario,
                              "--child", str(runs), "1" if singly else "0", str(repeat)],
                             capture_output=True, text=True, check=True)
        m = json.loads(out.stdout)
        secs = m["seconds"]
        print(f"{label:<28}{runs:>10,}{secs:>12.4f}{runs / secs:>14,.0f}{secs / runs * 1e3:>12.4f}"
              f"{m['peak'] / 2**20:>10,.0f}")


if __name__ == "__main__":
    main()

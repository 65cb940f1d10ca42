"""Replays per second and peak memory for a scenario, on one core.

Targets (issue 2): at least 100,000 replays/s at batch 100,000; under 5 ms for a batch of one;
peak memory for a batch of 100,000 under 1 GiB. Run:

    python experiments/benchmarks/replay_speed.py [--scenario helsinki-2018] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc

import numpy as np

from sim.loader import load
from sim.replay import replay
from sim.spec import compile_scenario


def best_seconds(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="helsinki-2018")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one-at-a-time", type=int, default=1000, help="runs replayed singly")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    spec = compile_scenario(load(args.scenario))
    replay(spec, 1000, 0)  # warm caches and tables

    rows = []
    for batch in (1, 1_000, 100_000):
        reps = args.repeat if batch > 1 else max(args.repeat, 50)
        s = best_seconds(lambda b=batch: replay(spec, b, 1), reps)
        rows.append((f"batch of {batch:,}", batch, s))
    n = args.one_at_a_time
    s = best_seconds(lambda: [replay(spec, 1, 1, first_run=i) for i in range(n)], 1)
    rows.append((f"{n:,} runs one at a time", n, s))

    tracemalloc.start()
    replay(spec, 100_000, 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    print(f"scenario {args.scenario}; Python {platform.python_version()}, numpy {np.__version__}, one core")
    print(f"{'what':<28}{'runs':>10}{'seconds':>12}{'replays/s':>14}{'ms/replay':>12}")
    for label, runs, secs in rows:
        print(f"{label:<28}{runs:>10,}{secs:>12.4f}{runs / secs:>14,.0f}{secs / runs * 1e3:>12.4f}")
    print(f"peak traced memory, batch of 100,000: {peak / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()

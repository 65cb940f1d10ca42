"""Resident memory of ``sim.run`` on a million replays, called three times in one process, beside
another commit of the engine measured in the same run.

Target (issue 14): under 1 GiB, and flat across repeated calls. Each engine runs in a fresh
process; the figures are the process's peak resident set (``ru_maxrss``) after each call and its
resident set once the call's result is dropped. Run:

    python experiments/benchmarks/run_memory.py [--runs 1000000] [--against fcae2e3]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from revisions import HERE, environment, extract


def rss() -> float:
    """This process's resident set now, in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def measure(scenario: str, runs: int, calls: int) -> dict:
    from sim.api import run

    out = {"peak": [], "after": [], "cpu": []}
    for _ in range(calls):
        t = time.process_time()
        result = run(scenario, runs=runs)
        result.verdict  # noqa: B018 - what a user asks for first
        out["cpu"].append(time.process_time() - t)
        out["peak"].append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        del result
        gc.collect()
        out["after"].append(rss())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="helsinki-2018")
    ap.add_argument("--runs", type=int, default=1_000_000)
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--against", metavar="REF", help="also measure the engine at this git revision")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.scenario, args.runs, args.calls)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        engines = [("this tree", HERE)]
        if args.against:
            engines.append((args.against, extract(args.against, Path(tmp))))
        print(f"sim.run('{args.scenario}', runs={args.runs:,}) called {args.calls} times in one fresh process")
        print(f"{'engine':<14}{'call':>5}{'CPU s':>8}{'peak RSS MiB':>14}{'RSS after, MiB':>16}")
        for name, tree in engines:
            done = subprocess.run([sys.executable, __file__, "--child", "--scenario", args.scenario,
                                   "--runs", str(args.runs), "--calls", str(args.calls)],
                                  capture_output=True, text=True, check=True, env=environment(tree), cwd=tree)
            m = json.loads(done.stdout)
            for i in range(args.calls):
                print(f"{name:<14}{i + 1:>5}{m['cpu'][i]:>8.1f}{m['peak'][i]:>14,.0f}{m['after'][i]:>16,.0f}")


if __name__ == "__main__":
    main()

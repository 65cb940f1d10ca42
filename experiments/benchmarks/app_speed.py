"""How long the classroom app takes to answer a slider: re-run 2,000 replays, pair them with the
file as written, and redraw the figure on screen. The target (issue 13) is 300 ms on the 2-core
machine. Times are CPU seconds of this process, measured beside a baseline in the same run (one
replay of 2,000 runs without the app's work), so a busy machine shows in both. Run:

    python experiments/benchmarks/app_speed.py [--scenario helsinki-2018] [--changes 20]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="helsinki-2018")
    ap.add_argument("--changes", type=int, default=20)
    args = ap.parse_args()

    from sim.api import load
    from sim.app.controls import controls, move
    from sim.app.results import RUNS, compute, figure
    from sim.replay import replay
    from sim.spec import compile_scenario

    scenario = load(args.scenario)
    sliders = [c for c in controls(scenario) if c.high > c.low]
    figure(compute(scenario, {}, []), "margin")  # the file as written is replayed once and kept
    rnd = random.Random(1)
    spent, baseline = [], []
    spec = compile_scenario(scenario)
    for _ in range(args.changes):
        c = rnd.choice(sliders)
        fixed = move(sliders, {}, c.path, rnd.uniform(c.low, c.high))  # as the page moves a slider
        t = time.process_time()
        figure(compute(scenario, fixed, []), "margin")
        spent.append(time.process_time() - t)
        t = time.process_time()
        replay(spec, RUNS, 1)
        baseline.append(time.process_time() - t)
    ms = sorted(1000 * s for s in spent)
    print(json.dumps({
        "scenario": args.scenario, "changes": args.changes, "runs_per_change": RUNS,
        "median_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
        "max_ms": round(ms[-1], 1), "baseline_replay_median_ms": round(1000 * statistics.median(baseline), 1),
    }, indent=1))


if __name__ == "__main__":
    main()

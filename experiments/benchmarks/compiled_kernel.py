"""Would a compiled kernel earn its place? What numba buys on the engine's hottest primitive, what
it costs at start-up, and the most that compiling every primitive could give a batch.

Issue 14 asks for twice the replays/s of filing day at batch 100,000 and a batch of one under
1 ms, "a compiled kernel only if a well-kept library earns its place". Three measurements decide:

1. **The ceiling.** The share of a 100,000-run batch's CPU time spent inside the vectorised
   primitives of ``sim.protocol`` and ``sim.learning`` (profiled). Compiling those and nothing
   else leaves the rest (the agents' array arithmetic, drawing, scoring) as it is: Amdahl's law.
2. **The kernel.** ``concede`` (the fractional knapsack, the single hottest primitive) written as
   one fused numba loop over runs and issues, checked bit for bit against ``sim.protocol.concede``
   and timed against it at one run and at a chunk of 8,192 runs.
3. **The price.** The CPU time of ``import numba`` in a fresh process, and of the kernel's first
   call there: compiled from scratch (a fresh clone's first replay) and loaded from numba's cache.

numba is not a dependency of summit. Install it where you run this (``pip install numba``); without
it, only the ceiling is measured. Run:

    python experiments/benchmarks/compiled_kernel.py
"""

from __future__ import annotations

import cProfile
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
PRIMITIVES = {("protocol.py", "concede"), ("protocol.py", "ranks"), ("protocol.py", "slots"),
              ("protocol.py", "utility"), ("protocol.py", "issue_sum"), ("protocol.py", "running_sum"),
              ("learning.py", "revealed_priorities"), ("learning.py", "update")}
KERNEL = '''
import numpy as np
from numba import njit


@njit(cache=True)
def concede(start, toward, cost_w, gain_w, place, budget, by_gain):
    """sim.protocol.concede, one run at a time: the same additions in the same order."""
    k, n = start.shape
    out = np.empty((k, n))
    order = np.empty(k, np.int64)
    for r in range(n):
        for i in range(k):
            order[place[i, r]] = i
        total = 0.0
        for j in range(k):
            i = order[j]
            room = abs(toward[i, r] - start[i, r])
            need = (gain_w[i, r] if by_gain else cost_w[i, r]) * room
            spent = (total + need) - need  # as running_sum(in_order) - in_order rounds it
            total = total + need
            if need > 0:
                share = min(max((budget[r] - spent) / need, 0.0), 1.0)
            elif by_gain:
                share = 0.0
            else:
                share = 1.0 if gain_w[i, r] * room > 0 and budget[r] > spent - 1e-12 else 0.0
            out[i, r] = start[i, r] + share * (toward[i, r] - start[i, r])
    return out
'''


def ceiling(runs: int, batches: int) -> tuple[float, float]:
    """CPU seconds per replay of Helsinki in ``batches`` batches of ``runs``, and the share of the
    time inside the primitives (their outermost calls only, so nothing is counted twice; under the
    profiler, whose overhead per call makes the share of many small calls look larger)."""
    from sim.loader import load
    from sim.replay import replay
    from sim.spec import compile_scenario

    spec = compile_scenario(load("helsinki-2018"))
    replay(spec, 1000, 0)

    def batch() -> None:
        for i in range(batches):
            replay(spec, runs, 1, first_run=i * runs)

    t = time.process_time()
    batch()
    seconds = time.process_time() - t
    profile = cProfile.Profile()
    profile.runcall(batch)
    stats = pstats.Stats(profile).stats
    inside = 0.0
    for (file, _, name), (*_, callers) in stats.items():
        if (Path(file).name, name) in PRIMITIVES:
            inside += sum(ct for c, (*_, ct) in callers.items() if (Path(c[0]).name, c[2]) not in PRIMITIVES)
    total = sum(v[2] for v in stats.values())
    return seconds / (runs * batches), inside / total


def fresh_cpu(code: str, cwd: Path) -> float:
    """CPU time (user + system) of a fresh Python process running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def kernel_figures(work: Path) -> dict[str, float]:
    from sim.protocol import concede, ranks, slots

    (work / "kernel.py").write_text(KERNEL)
    sys.path.insert(0, str(work))
    import kernel

    rng = np.random.default_rng(2018)
    figures: dict[str, float] = {}
    for runs, repeat in ((1, 20_000), (8192, 200)):
        start, toward, cost_w, gain_w = (rng.random((10, runs)) for _ in range(4))
        budget = rng.random(runs) * 0.3
        place = ranks(-(gain_w / cost_w))  # the order each takes is made once, as the engine does
        calls = {"numpy": partial(concede, start, toward, cost_w, gain_w, slots(place), budget),
                 "numba": partial(kernel.concede, start, toward, cost_w, gain_w, place.astype(np.int64), budget, False)}
        if not np.array_equal(calls["numpy"](), calls["numba"]()):
            raise SystemExit(f"the kernel differs from sim.protocol.concede at {runs} runs")
        for name, call in calls.items():
            t = time.process_time()
            for _ in range(repeat):
                call()
            figures[f"{name} {runs}"] = (time.process_time() - t) / repeat
    first_call = ("import numpy as np, kernel; a = np.ones((10, 1)); "
                  "kernel.concede(a, a, a, a, np.arange(10).reshape(10, 1), np.ones(1), False)")
    shutil.rmtree(work / "__pycache__", ignore_errors=True)
    figures["first call, compiling"] = fresh_cpu(first_call, work)
    figures["first call, cached"] = min(fresh_cpu(first_call, work) for _ in range(3))
    figures["import numpy"] = min(fresh_cpu("import numpy", work) for _ in range(3))
    figures["import numba"] = min(fresh_cpu("import numba", work) for _ in range(3))
    return figures


def main() -> None:
    for label, runs, batches in (("a batch of 100,000", 100_000, 1), ("1,000 batches of one", 1, 1000)):
        per_run, share = ceiling(runs, batches)
        print(f"Helsinki, {label}: {per_run * 1e3:.4f} ms per replay of CPU; "
              f"{share:.0%} of the time inside the primitives")
        for name, speedup in (("3x faster", 3.0), ("free", float("inf"))):
            bound = per_run * (1 - share + share / speedup)
            print(f"  every primitive {name}: at best {bound * 1e3:.4f} ms per replay ({1 / bound:,.0f}/s)")
    try:
        import numba
    except ImportError:
        print("numba is not installed: pip install numba, then run again for the kernel's figures")
        return
    with tempfile.TemporaryDirectory() as tmp:
        f = kernel_figures(Path(tmp))
    print(f"numba {numba.__version__}, numpy {np.__version__}; kernel bit for bit equal to sim.protocol.concede")
    for runs in (1, 8192):
        print(f"  concede on {runs:>5,} runs: numpy {f[f'numpy {runs}'] * 1e6:9.1f} us, "
              f"numba {f[f'numba {runs}'] * 1e6:9.1f} us ({f[f'numpy {runs}'] / f[f'numba {runs}']:.1f}x)")
    extra = f["import numba"] - f["import numpy"]
    print(f"  import numba: {f['import numba']:.2f} s of CPU ({extra:+.2f} s beside numpy)")
    print(f"  the kernel's first call in a fresh process: {f['first call, compiling']:.2f} s compiling, "
          f"{f['first call, cached']:.2f} s from the cache (import included)")


if __name__ == "__main__":
    main()

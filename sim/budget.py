"""What a batch of replays will need, checked before the work starts.

A replay's outcome keeps a few hundred bytes per run, and reporting on it briefly needs several
times that. A batch that cannot fit in the memory this machine has free is refused up front,
with the estimate and how to split it, instead of failing with a MemoryError (or being killed)
minutes later.
"""

from __future__ import annotations

import os

from sim.spec import Spec

OVERHEAD = 3   # measured: peak traced memory of replay + summary is 4.6-5.2 times the outcome kept
SHARE = 0.5    # of the memory available now


def bytes_per_run(spec: Spec) -> int:
    """A conservative estimate of the peak bytes one run needs while a batch is replayed and summarised."""
    floats = (9 * len(spec.issues) + 12 * len(spec.leaders) + 2 * len(spec.allies)
              + 2 * len(spec.legislatures) + len(spec.events) + 12)
    return 8 * floats * OVERHEAD


def available_memory() -> int:
    """Bytes of memory available to a new allocation now (Linux's MemAvailable, else all of RAM)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def too_big(spec: Spec, runs: int, copies: int = 1) -> str | None:
    """Why ``runs`` replays (``copies`` batches held at once) will not fit, or None when they will."""
    need = bytes_per_run(spec) * runs * copies
    have = int(available_memory() * SHARE)
    if need <= have:
        return None
    fits = max(have // (bytes_per_run(spec) * copies), 1)
    return (f"{runs:,} replays would need about {need / 2**30:,.1f} GiB of memory; this machine can spare "
            f"{have / 2**30:,.1f} GiB now, enough for about {fits:,}. Run fewer (--runs {fits}), or run a sweep "
            "('summit sweep'), which streams its replays to disk in chunks")

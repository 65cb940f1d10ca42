"""Give freed memory back to the system after a large batch.

glibc's malloc keeps freed heap pages for reuse, and raises its mmap threshold each time a large
block is freed (up to 32 MiB), after which a batch's per-run arrays come from the heap and stay
resident when freed: a process that called ``sim.run`` on a million runs three times held 732,
1,141 and then 1,522 MiB between calls, all of it free. Two calls keep it flat: ``keep_large_apart``
fixes the threshold at 4 MiB, so arrays that size or larger (a batch's outcome) are mapped on
their own and unmapped when freed, while a chunk's smaller temporaries (``sim.replay.chunk_runs``
keeps a per-issue array within 1 MiB, and a few leaders' stacked within 4) still come from the
fast heap; ``give_back`` (``malloc_trim``) returns the heap's free pages after a batch. Fixing the
mmap threshold also fixes glibc's trim threshold at 128 KiB, and a heap trimmed on every free is
grown again for the next chunk: batches of 100,000 ran a fifth slower. So the trim threshold is
set high, and the explicit ``give_back`` does the trimming once per batch of several chunks.
Both are fixed before any batch, even one of a single chunk: under glibc's own thresholds, how
often the heap is trimmed and grown again depended on where earlier allocations happened to lie,
and the same batch of 1,000 to 8,000 runs ran 10 to 30% slower from one checkout than from
another. What a single chunk leaves free on the heap (a few MiB) stays for the next batch. Other C
libraries return memory on their own, so elsewhere both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
LARGE = 4 << 20
KEEP = 256 << 20   # free heap glibc may keep between explicit trims


@functools.cache
def _glibc(function: str):
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), function) if name else None
    except (OSError, AttributeError):
        return None


@functools.cache
def keep_large_apart() -> None:
    """Map every block of 4 MiB or more on its own, for the rest of the process (once)."""
    mallopt = _glibc("mallopt")
    if mallopt is not None:
        mallopt(M_MMAP_THRESHOLD, LARGE)
        mallopt(M_TRIM_THRESHOLD, KEEP)


def give_back() -> None:
    """Return the heap's free pages to the system, where the C library can."""
    trim = _glibc("malloc_trim")
    if trim is not None:
        trim(0)

"""Counter-based random streams.

Every draw is a pure function of (seed, run index, stream, round, key), so run ``i`` gets the
same numbers whether it is replayed alone or inside any batch. NumPy's own ``Philox`` keys a whole
generator per stream, which would need one generator per run (a Python loop over runs); here the
Philox4x32-10 bijection of Salmon et al. (2011) is evaluated elementwise on arrays to give each
(run, stream, round) a 64-bit seed, and the draw for a key is SplitMix64's output number ``key``
from that seed (Steele, Lea and Flood 2014): nine array operations per draw instead of a hundred.
"""

from __future__ import annotations

import zlib
from functools import cache

import numpy as np

_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)
_TWO_POW_53 = 9007199254740992.0
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)

# Streams: one per purpose, so adding draws for one purpose never shifts another's numbers.
PARAMETERS = 1
PERCEPTION = 2
EVENTS = 3
RATIFICATION = 4
AFTERMATH = 5
_STREAMS = np.arange(1, AFTERMATH + 1, dtype=np.uint64)[None, :]


def philox4x32(counter: tuple, key: tuple, rounds: int = 10) -> tuple[np.ndarray, ...]:
    """Philox4x32 on broadcastable uint64 arrays holding 32-bit words; returns four words."""
    c0, c1, c2, c3 = (np.asarray(c, dtype=np.uint64) for c in counter)
    k0, k1 = (np.asarray(k, dtype=np.uint64) for k in key)
    for r in range(rounds):
        if r:
            k0 = (k0 + _W0) & _MASK32
            k1 = (k1 + _W1) & _MASK32
        p0 = _M0 * c0
        p1 = _M1 * c2
        c0, c1, c2, c3 = (
            (p1 >> _SHIFT32) ^ c1 ^ k0,
            p1 & _MASK32,
            (p0 >> _SHIFT32) ^ c3 ^ k1,
            p0 & _MASK32,
        )
    return c0, c1, c2, c3


@cache
def path_key(path: str) -> int:
    """A stable 32-bit key for a named draw (a parameter path), independent of declaration order;
    kept, since every replay asks again for the same few dozen paths."""
    return zlib.crc32(path.encode("utf-8"))


class Streams:
    """Uniform draws in (0, 1) for a set of runs, addressed by stream, key and round."""

    def __init__(self, seed: int, run_ids: np.ndarray):
        if not 0 <= int(seed) < 2**64:
            raise ValueError(f"seed must be an integer in [0, 2**64), got {seed}")
        seed = int(seed)
        self.seed = seed
        self.run_ids = np.asarray(run_ids, dtype=np.uint64)
        self._key = (np.uint64(seed & 0xFFFFFFFF), np.uint64(seed >> 32))
        self._run_lo = (self.run_ids & _MASK32)[:, None]
        self._run_hi = (self.run_ids >> _SHIFT32)[:, None]
        self._seeds: dict[int, np.ndarray] = {}

    def _seed(self, stream: int, round_: int) -> np.ndarray:
        """Each run's 64-bit seed for a stream and round, ``(runs, 1)``. The Philox bijection is
        evaluated once per round for every stream at once: every parameter, event and slot of a
        stream draws from the same seeds, and a replay of one run would otherwise spend a
        fifth of its time on Philox's forty array operations per call."""
        seeds = self._seeds.get(round_)
        if seeds is None:
            w0, w1, _, _ = philox4x32((self._run_lo, self._run_hi, _STREAMS, np.uint64(round_)), self._key)
            seeds = self._seeds[round_] = (w0 << _SHIFT32) | w1
        return seeds[:, stream - 1:stream]

    def uniforms(self, stream: int, keys: np.ndarray | int, round_: int = 0) -> np.ndarray:
        """One uniform per run and key: shape ``(runs, len(keys))``, 53-bit doubles centred in
        their cells so that 0 and 1 never occur."""
        keys = np.atleast_1d(np.asarray(keys, dtype=np.uint64))[None, :]
        z = self._seed(stream, round_) + keys * _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        z ^= z >> np.uint64(31)
        return ((z >> np.uint64(11)).astype(np.float64) + 0.5) / _TWO_POW_53

    def slots(self, stream: int, n: int, round_: int = 0) -> np.ndarray:
        """``n`` uniforms per run for a stream and round, keyed by slot number."""
        return self.uniforms(stream, np.arange(n, dtype=np.uint64), round_)

"""The numbers a user sets for a batch of replays, checked alike on the command line and in Python:
how many replays, the seed, and the verdict rule's delta.

Why here: ``sim.run(..., runs=2.5)`` had replayed three runs, ``seed=-1`` failed deep inside numpy
with a message that named no argument, and ``equivalence=float("nan")`` returned "no clear winner"
under a margin the rule cannot mean. A wrong value is refused before any work, with what is
allowed; the command line's messages and Python's are the same sentence.
"""

from __future__ import annotations

import numbers

MAX_SEED = 2**64 - 1  # numpy's SeedSequence takes any non-negative integer; the sweeps store seeds as uint64


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"must be a whole number, got {value!r}")
    return int(value)


def count(value: object) -> int:
    """A number of replays (or of anything counted): a whole number of at least 1."""
    n = _whole(value)
    if n < 1:
        raise ValueError(f"must be at least 1, got {n}")
    return n


def seed(value: object) -> int:
    """A random seed: a whole number from 0 to ``MAX_SEED``."""
    n = _whole(value)
    if not 0 <= n <= MAX_SEED:
        raise ValueError(f"must be between 0 and {MAX_SEED}, got {n}")
    return n


def equivalence(value: object) -> float:
    """The verdict rule's delta (for sensitivity analysis only): a share of a leader's whole stakes."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"must be between 0 and 1 (a share of a leader's whole stakes), got {value!r}")
    return float(value)  # NaN fails the range check: no comparison with it holds


def checked(**given: object) -> dict:
    """``checked(runs=..., seed=..., equivalence=...)``: each value by the check of its name, or a
    ValueError that names the argument and says what is allowed."""
    checks = {"runs": count, "seed": seed, "equivalence": equivalence}
    out = {}
    for name, value in given.items():
        try:
            out[name] = checks[name](value)
        except ValueError as err:
            raise ValueError(f"{name} {err}") from None
    return out


def batch(runs: object, seed: object, equivalence: object) -> tuple[int, int, float]:
    """``runs``, ``seed`` and ``equivalence`` checked (``checked``), in that order."""
    given = checked(runs=runs, seed=seed, equivalence=equivalence)
    return given["runs"], given["seed"], given["equivalence"]

"""Intervals for means and proportions over replays, shared by every report of the model."""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054


def percent(p: float) -> str:
    """A share as a reader wants it: whole percent, one decimal near 0 and 1 (so 99.7% is not 100%).
    The choice is made on what the reader would see to one decimal, so that 0.96% and 1.04% are
    both "1%", never "1.0%" beside "1%" in one column."""
    fine = f"{p:.1%}"
    return f"{p:.0%}" if 1.0 <= float(fine[:-1]) <= 99.0 else fine


def part_of(share: float) -> str:
    """A part's share of a whole, in whole per cent, signed where a part counts against the whole;
    a part that rounds to nothing is 0%, never -0%."""
    return f"{round(share * 100)}%"


def parts_of(shares) -> list[str]:
    """The shares of the parts of one whole (summing to 1), each in whole per cent, printed so that
    they add up to 100% as a reader adds them: each is rounded down and the points left over go to
    the largest remainders (Hamilton's method), so none is more than a point from its exact value.
    Rounded one by one, Beijing 1972's four parts of Mao's margin read 49, 30, 9 and 11: 99%."""
    exact = np.asarray(shares, dtype=float) * 100.0
    whole = np.floor(exact)
    short = min(max(round(100.0 - whole.sum()), 0), len(whole))
    whole[np.argsort(whole - exact, kind="stable")[:short]] += 1.0
    return [f"{int(w)}%" for w in whole]


def with_interval(d: dict, fmt: str = "+z.3f") -> str:
    """A ``mean_ci`` as every view writes it: +0.252 [+0.249, +0.255] (never -0.000)."""
    return f"{d['mean']:{fmt}} [{d['low']:{fmt}}, {d['high']:{fmt}}]"


def mean_ci(x: np.ndarray) -> dict:
    """Mean with a normal-approximation 95% interval (exact for one run: a zero-width interval)."""
    n = x.size
    m = float(x.mean())
    half = Z95 * float(x.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return {"mean": m, "low": m - half, "high": m + half}


def wilson(successes: float, n: int) -> tuple[float, float]:
    """Wilson score 95% interval for a proportion: sound near 0 and 1, unlike the normal one."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)

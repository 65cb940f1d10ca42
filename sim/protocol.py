"""The arithmetic of bargaining over several issues, vectorised over runs.

Per-issue arrays are issue-major, shape ``(issues, runs)``. Sums over issues run in a fixed
order (never pairwise or BLAS), so a run's numbers do not depend on the batch it is in.
"""

from __future__ import annotations

import numpy as np

TINY = 1e-12


def issue_sum(rows) -> np.ndarray:
    """Sum over the issue axis in declaration order: bit-identical for any batch size. ``rows`` is
    an (issues, runs) array or any iterable of per-issue rows."""
    rows = iter(rows)
    out = next(rows).copy()
    for row in rows:
        out += row
    return out


def running_sum(a: np.ndarray) -> np.ndarray:
    """Cumulative sums down the issue axis, the same additions in the same order as
    ``np.cumsum(a, axis=0)``, row by row: numpy accumulates along a leading axis one element at
    a time, and this is an order of magnitude faster on an (issues, runs) array."""
    out = np.empty_like(a)
    out[0] = a[0]
    for k in range(1, a.shape[0]):
        np.add(out[k - 1], a[k], out=out[k])
    return out


def closeness(x: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    """Per-issue value of position ``x`` to an actor whose ideal is ``ideal``: 1 at the ideal."""
    return 1.0 - np.abs(x - ideal)


def utility(x: np.ndarray, ideal: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Linear additive utility: salience-weighted closeness, 1 when every issue is at the ideal."""
    return issue_sum(weights * closeness(x, ideal))


def concession(x: np.ndarray, anchor: np.ndarray, sq: np.ndarray) -> np.ndarray:
    """How much farther from ``anchor`` than the status quo ``x`` lies, per issue (0 if closer)."""
    return np.maximum(np.abs(x - anchor) - np.abs(sq - anchor), 0.0)


def ceiling_interval(anchor: np.ndarray, sq: np.ndarray, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions an actor anchored at ``anchor`` tolerates: at most ``limit`` worse than the status quo."""
    reach = np.abs(sq - anchor) + limit
    return anchor - reach, anchor + reach


def ordering(gain_w: np.ndarray, cost_w: np.ndarray) -> np.ndarray:
    """Issues in the order a proposer should concede them: most counterpart gain per own cost first."""
    ratio = gain_w / np.maximum(cost_w, TINY)
    return np.argsort(-ratio, axis=0, kind="stable")


def concede(
    start: np.ndarray,
    toward: np.ndarray,
    cost_w: np.ndarray,
    gain_w: np.ndarray,
    order: np.ndarray,
    budget: np.ndarray,
    by_gain: bool = False,
) -> np.ndarray:
    """The fractional-knapsack offer: move issues from ``start`` toward ``toward`` in ``order``.

    With linear additive utilities, giving ground where the counterpart's salience is high
    relative to one's own is optimal. ``budget`` is the own utility the proposer is willing to
    give up (``by_gain=False``) or the utility it must deliver to the counterpart (``by_gain=True``).
    """
    room = np.abs(toward - start)
    unit = gain_w if by_gain else cost_w
    need = np.take_along_axis(unit * room, order, axis=0)
    spent_before = running_sum(need) - need
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = np.clip((budget - spent_before) / need, 0.0, 1.0)
    if by_gain:
        share = np.where(need > 0, share, 0.0)
    else:
        gives = np.take_along_axis(gain_w * room, order, axis=0) > 0
        share = np.where(need > 0, share, np.where(gives & (budget > spent_before - TINY), 1.0, 0.0))
    frac = np.empty_like(share)
    np.put_along_axis(frac, order, share, axis=0)
    return start + frac * (toward - start)


def mix(weight: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``weight * a + (1 - weight) * b`` elementwise."""
    return b + weight * (a - b)

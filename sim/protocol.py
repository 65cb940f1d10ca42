"""The arithmetic of bargaining over several issues, vectorised over runs.

Per-issue arrays are issue-major, shape ``(issues, runs)``. Sums over issues run in a fixed
order (never pairwise or BLAS), so a run's numbers do not depend on the batch it is in.
"""

from __future__ import annotations

import numpy as np

TINY = 1e-12
FEW_RUNS = 32  # up to this many runs, one numpy call over all issues beats a call per issue


def issue_sum(rows) -> np.ndarray:
    """Sum over the issue axis in declaration order: bit-identical for any batch size. ``rows`` is
    an (issues, runs) array or any iterable of per-issue rows. (``np.sum`` would add a short run's
    issues pairwise, in another order; ``np.add.accumulate`` adds in order, and is the fastest
    way for a few runs, the slowest for many.)"""
    if isinstance(rows, np.ndarray) and rows.shape[-1] <= FEW_RUNS:
        return np.add.accumulate(rows, axis=0)[-1]
    rows = iter(rows)
    out = next(rows).copy()
    for row in rows:
        out += row
    return out


def running_sum(a: np.ndarray) -> np.ndarray:
    """Cumulative sums down the issue axis, the same additions in the same order as
    ``np.cumsum(a, axis=0)``, row by row: numpy accumulates along a leading axis one element at
    a time, and this is an order of magnitude faster on an (issues, runs) array of many runs."""
    if a.shape[-1] <= FEW_RUNS:
        return np.add.accumulate(a, axis=0)
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
    """The positions an actor anchored at ``anchor`` tolerates: at most ``limit`` worse than the status quo.

    On the status quo's side the bound is ``sq -/+ limit`` itself, not ``anchor -/+ reach``: the two
    are equal in exact arithmetic, but the second rounds, and with a zero limit it could put the
    bound an ulp past the status quo, so that a leader who may give nothing saw a "deal" move the
    issue by 1e-17."""
    reach = np.abs(sq - anchor) + limit
    up = anchor >= sq
    return np.where(up, sq - limit, anchor - reach), np.where(up, anchor + reach, sq + limit)


PAIRWISE_UP_TO = 16  # issues; beyond this, ranks() sorts
PAIRWISE_FROM = 512  # runs; below this, a numpy call per issue costs ranks() more than a sort


def ranks(primary: np.ndarray, secondary: np.ndarray | None = None) -> np.ndarray:
    """Each issue's place in its run (0 first) when the issues are sorted by ``primary``, ties by
    ``secondary``, then by declaration order, ascending: a stable sort's inverse. Keys are never NaN.

    A summit has a handful of issues, and numpy sorts each run's short column with the overhead of
    a whole sort; counting, for every pair of issues, which comes first is three to four times
    faster at ten issues (k(k-1)/2 comparisons over all runs at once). Long issue lists, and a
    few runs, where a call per issue costs more than the sort, sort."""
    k, n = primary.shape
    if k > PAIRWISE_UP_TO or n < PAIRWISE_FROM:
        order = np.lexsort((primary,) if secondary is None else (secondary, primary), axis=0)
        return np.argsort(order, axis=0)  # a permutation's inverse
    place = np.zeros((k, n), dtype=np.int16)  # small integers keep the counting fast
    for i in range(k - 1):
        later, this = primary[i + 1:], primary[i]
        ahead = later < this
        if secondary is not None:
            ahead |= (later == this) & (secondary[i + 1:] < secondary[i])
        place[i] += ahead.sum(axis=0, dtype=np.int16)
        place[i + 1:] += ~ahead
    return place


def slots(place: np.ndarray) -> np.ndarray:
    """Flat indices that lay an (issues, runs) array out in sorted order: element (i, r) goes to
    (place[i, r], r). ``np.put`` and ``np.take`` with them are what take/put_along_axis do, at a
    third of the cost (``put`` as an assignment through a flat view)."""
    return place.astype(np.intp) * place.shape[1] + np.arange(place.shape[1])


def ordering(gain_w: np.ndarray, cost_w: np.ndarray) -> np.ndarray:
    """Where each issue falls in the order a proposer should concede them (most counterpart gain
    per own cost first, ties in declaration order), as ``slots`` for ``concede``."""
    ratio = gain_w / np.maximum(cost_w, TINY)
    return slots(ranks(-ratio))


def concede(
    start: np.ndarray,
    toward: np.ndarray,
    cost_w: np.ndarray,
    gain_w: np.ndarray,
    order: np.ndarray,
    budget: np.ndarray,
    by_gain: bool = False,
) -> np.ndarray:
    """The fractional-knapsack offer: move issues from ``start`` toward ``toward`` in ``order``
    (``ordering``'s slots).

    With linear additive utilities, giving ground where the counterpart's salience is high
    relative to one's own is optimal. ``budget`` is the own utility the proposer is willing to
    give up (``by_gain=False``) or the utility it must deliver to the counterpart (``by_gain=True``).
    """
    room = np.abs(toward - start)
    unit = gain_w if by_gain else cost_w
    need = unit * room
    in_order = np.empty(need.shape)  # C order, so its flat view is itself
    in_order.reshape(-1)[order] = need
    spent_before = np.take(running_sum(in_order) - in_order, order)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = ((budget - spent_before) / need).clip(0.0, 1.0)
    if by_gain:
        share = np.where(need > 0, share, 0.0)
    else:
        gives = gain_w * room > 0
        share = np.where(need > 0, share, np.where(gives & (budget > spent_before - TINY), 1.0, 0.0))
    return start + share * (toward - start)


def mix(weight: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``weight * a + (1 - weight) * b`` elementwise."""
    return b + weight * (a - b)

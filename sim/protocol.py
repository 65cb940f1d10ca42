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


def weighed_utility(x: np.ndarray, ideal: np.ndarray, weights: np.ndarray, sq: np.ndarray,
                    aversion: np.ndarray) -> np.ndarray:
    """The utility a loss-averse actor decides by: ``utility``, with every issue left worse than the
    status quo ``sq`` weighing ``aversion`` times as much per unit (Kahneman & Tversky 1979;
    Tversky & Kahneman 1991). It equals ``utility`` at the status quo, on every text no worse
    than it issue by issue, and everywhere when ``aversion`` is 1 (bit for bit: the loss term is
    then a signed zero)."""
    near = closeness(x, ideal)
    return issue_sum(weights * (near + (aversion - 1.0) * np.minimum(near - closeness(sq, ideal), 0.0)))


def margin_over(x: np.ndarray, ideal: np.ndarray, sq: np.ndarray) -> np.ndarray:
    """Per issue, how much nearer ``ideal`` the position ``x`` lies than the status quo does
    (negative where it lies farther: a loss)."""
    return np.abs(sq - ideal) - np.abs(x - ideal)


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


PAIRWISE_UP_TO = 48  # rows (16 issues of three stretches each); beyond this, ranks() sorts
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


STRETCHES = 3  # per issue: before the first status-quo crossing, between the two, after both (concede)


def ordering(gain_w: np.ndarray, cost_w: np.ndarray, aversion: np.ndarray) -> np.ndarray:
    """Where each stretch of each issue falls in the order a proposer should concede them (most
    counterpart gain per own cost first, ties in declaration order), as ``slots`` for ``concede``.

    Along an issue the way from the proposer to the counterpart crosses the status quo's value
    once for each of them (``concede``). Before both crossings the proposer gives up a gain and
    the counterpart recovers a loss: the counterpart's gain per own cost is ``aversion`` times the
    ratio of their weights; between the crossings both are in gains or both in losses: the ratio
    itself; after both the proposer takes a loss to give a gain: the ratio over ``aversion``. The
    ratios fall along an issue, so its stretches are taken in the order of the way, and the order
    depends on the weights and ``aversion`` only, not on where anyone stands. Rows are issue-major
    (issue i's stretches are rows 3i, 3i+1, 3i+2), so ties keep the way's order."""
    ratio = gain_w / np.maximum(cost_w, TINY)
    keys = np.stack([ratio * aversion, ratio, ratio / aversion], axis=1).reshape(-1, ratio.shape[-1])
    return slots(ranks(-keys))


def concede(
    start: np.ndarray,
    toward: np.ndarray,
    cost_w: np.ndarray,
    gain_w: np.ndarray,
    order: np.ndarray,
    budget: np.ndarray,
    margins: tuple[np.ndarray, np.ndarray],
    aversion: np.ndarray,
    by_gain: bool = False,
) -> np.ndarray:
    """The fractional-knapsack offer: move issues from ``start`` toward ``toward``, stretch by
    stretch in ``order`` (``ordering``'s slots).

    ``margins`` holds, per issue, how much better than the status quo ``start`` is for the proposer
    and for the counterpart (``margin_over``). The proposer's value falls one for one along the
    way and the counterpart's rises, so each crosses the status quo's value once: the proposer
    after its margin, the counterpart after minus its margin. Past its crossing, the proposer
    loses (at ``aversion`` times its weight); before its own, the counterpart recovers a loss (at
    ``aversion`` times its weight). With these weights utilities stay concave along each issue, so
    the greedy knapsack over stretches is exact. ``budget`` is the own utility the proposer is
    willing to give up (``by_gain=False``) or the utility it must deliver to the counterpart
    (``by_gain=True``), both as loss-averse actors weigh them (``weighed_utility``).
    """
    room = np.abs(toward - start)
    own_cross = np.minimum(np.maximum(margins[0], 0.0), room)
    their_cross = np.minimum(np.maximum(-margins[1], 0.0), room)
    length = np.empty((room.shape[0], STRETCHES, room.shape[1]))
    first, second = np.minimum(own_cross, their_cross, out=length[:, 0]), np.maximum(own_cross, their_cross)
    np.subtract(second, first, out=length[:, 1])
    np.subtract(room, second, out=length[:, 2])
    both_lose = own_cross < their_cross  # in the middle stretch both are in losses, or both in gains
    slope = np.empty(length.shape)
    if by_gain:
        np.multiply(gain_w, aversion, out=slope[:, 0])
        slope[:, 1] = np.where(both_lose, slope[:, 0], gain_w)
        slope[:, 2] = gain_w
    else:
        slope[:, 0] = cost_w
        np.multiply(cost_w, aversion, out=slope[:, 2])
        slope[:, 1] = np.where(both_lose, slope[:, 2], cost_w)
    need = (slope * length).reshape(-1, room.shape[-1])
    in_order = np.empty(need.shape)  # C order, so its flat view is itself
    in_order.reshape(-1)[order] = need
    spent_before = np.take(running_sum(in_order) - in_order, order)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = ((budget - spent_before) / need).clip(0.0, 1.0)
    if by_gain:
        share = np.where(need > 0, share, 0.0)
    else:
        gives = (gain_w[:, None] * length).reshape(need.shape) > 0
        share = np.where(need > 0, share, np.where(gives & (budget > spent_before - TINY), 1.0, 0.0))
    taken = share.reshape(length.shape) * length
    moved = taken[:, 0] + taken[:, 1] + taken[:, 2]  # in the way's order, for any batch
    step = start + np.sign(toward - start) * moved
    return step.clip(np.minimum(start, toward), np.maximum(start, toward))


def mix(weight: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``weight * a + (1 - weight) * b`` elementwise."""
    return b + weight * (a - b)

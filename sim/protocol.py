"""The arithmetic of bargaining over several issues, vectorised over runs.

Per-issue arrays are issue-major, shape ``(issues, runs)``. Sums over issues run in a fixed
order (never pairwise or BLAS), so a run's numbers do not depend on the batch it is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

TINY = 1e-12
ALIKE = 1e-12  # relative: values this close tie (a weight normalised by a sum in another order differs by an ulp)
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


def weighed_gains(x: np.ndarray, ideal: np.ndarray, weights: np.ndarray, sq: np.ndarray,
                  aversion: np.ndarray) -> np.ndarray:
    """Issue by issue, what ``x`` adds to the status quo's ``weighed_utility``: the terms that sum
    to their difference, each loss weighing ``aversion`` times a gain."""
    margin = margin_over(x, ideal, sq)
    return weights * (margin + (aversion - 1.0) * np.minimum(margin, 0.0))


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


@dataclass(frozen=True)
class Order:
    """The order a proposer concedes stretches in (``ordering``): ``slots`` lays the
    (stretches, runs) array out in that order; ``ties``, where stretches tie, holds per stretch
    the flat sorted places where its tie begins and ends (None where nothing ties)."""

    slots: np.ndarray
    ties: tuple[np.ndarray, np.ndarray] | None = None


def ordering(gain_w: np.ndarray, cost_w: np.ndarray, aversion: np.ndarray) -> Order:
    """Where each stretch of each issue falls in the order a proposer should concede them (most
    counterpart gain per own cost first), for ``concede``.

    Along an issue the way from the proposer to the counterpart crosses the status quo's value
    once for each of them (``concede``). Before both crossings the proposer gives up a gain and
    the counterpart recovers a loss: the counterpart's gain per own cost is ``aversion`` times the
    ratio of their weights; between the crossings both are in gains or both in losses: the ratio
    itself; after both the proposer takes a loss to give a gain: the ratio over ``aversion``. The
    ratios fall along an issue, so its stretches are taken in the order of the way, and the order
    depends on the weights and ``aversion`` only, not on where anyone stands.

    Stretches that tie (the same gain per cost at the same place along their ways: issues the
    proposer believes the counterpart does not care about, or weights written equal) are
    conceded together, each the same share of its length (``concede``). Any split of a tie is as
    good to the proposer; this one treats every member alike, so it does not depend on the order
    in which the scenario lists its issues. Rows are laid out place by place along the way (all first
    stretches, then all second, then all third), so equal gains per cost are taken in the way's
    order, and a tie never holds two stretches of one issue."""
    ratio = gain_w / np.maximum(cost_w, TINY)
    keys = np.stack([ratio * aversion, ratio, ratio / aversion]).reshape(-1, ratio.shape[-1])
    order = slots(ranks(-keys))
    tied = ties(order, keys, places_along(*ratio.shape))
    if tied is None:
        return Order(order)
    runs = keys.shape[1]
    column = np.arange(runs)
    return Order(order, tuple(np.take(place * runs + column, order) for place in tied))


@cache
def places_along(issues: int, runs: int) -> np.ndarray:
    """Each row's place along its issue's way (0, 1, 2) in ``ordering``'s layout, for every run."""
    return np.broadcast_to(np.repeat(np.arange(STRETCHES, dtype=np.int8), issues)[:, None], (issues * STRETCHES, runs))


def ties(order: np.ndarray, *keys: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Where rows laid out by ``order`` (``slots``) tie on every one of ``keys`` (integers equal,
    numbers within ``ALIKE`` of each other; infinities never): per sorted place, the first and
    the last place of its tie (its own place where it stands alone), or None where nothing ties."""
    rows, runs = keys[0].shape
    tied = None
    for key in keys:
        in_order = np.empty((rows, runs), dtype=key.dtype)
        in_order.reshape(-1)[order] = key
        after, before = in_order[1:], in_order[:-1]
        if key.dtype.kind != "f":
            same = after == before
        else:
            with np.errstate(invalid="ignore"):  # inf less inf: infinities (closed issues) never tie
                same = np.abs(after - before) <= ALIKE * np.abs(before)
        tied = same if tied is None else tied & same
        if not tied.any():
            return None
    place = np.arange(rows)[:, None]
    opens = np.where(tied, 0, place[1:])      # a place that does not continue a tie begins one
    closes = np.where(tied, rows, place[:-1])  # a place the next does not continue ends one
    if runs <= FEW_RUNS:
        begins = np.maximum.accumulate(np.vstack([np.zeros((1, runs), dtype=opens.dtype), opens]), axis=0)
        ends = np.minimum.accumulate(np.vstack([closes, np.full((1, runs), rows - 1)])[::-1], axis=0)[::-1]
        return begins, ends
    begins, ends = np.empty((rows, runs), dtype=np.intp), np.empty((rows, runs), dtype=np.intp)
    begins[0], ends[-1] = 0, rows - 1
    for p in range(1, rows):  # row by row: numpy accumulates down a leading axis element by element
        np.maximum(begins[p - 1], opens[p - 1], out=begins[p])
        np.minimum(ends[rows - p], closes[rows - p - 1], out=ends[rows - p - 1])
    return begins, ends


def concede(
    start: np.ndarray,
    toward: np.ndarray,
    cost_w: np.ndarray,
    gain_w: np.ndarray,
    order: Order,
    budget: np.ndarray,
    margins: tuple[np.ndarray, np.ndarray],
    aversion: np.ndarray,
    by_gain: bool = False,
) -> np.ndarray:
    """The fractional-knapsack offer: move issues from ``start`` toward ``toward``, stretch by
    stretch in ``order`` (``ordering``), tied stretches together.

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
    length = np.empty((STRETCHES, *room.shape))
    first, second = np.minimum(own_cross, their_cross, out=length[0]), np.maximum(own_cross, their_cross)
    np.subtract(second, first, out=length[1])
    np.subtract(room, second, out=length[2])
    both_lose = own_cross < their_cross  # in the middle stretch both are in losses, or both in gains
    slope = np.empty(length.shape)
    if by_gain:
        np.multiply(gain_w, aversion, out=slope[0])
        slope[1] = np.where(both_lose, slope[0], gain_w)
        slope[2] = gain_w
    else:
        slope[0] = cost_w
        np.multiply(cost_w, aversion, out=slope[2])
        slope[1] = np.where(both_lose, slope[2], cost_w)
    need = (slope * length).reshape(-1, room.shape[-1])
    in_order = np.empty(need.shape)  # C order, so its flat view is itself
    in_order.reshape(-1)[order.slots] = need
    spent = running_sum(in_order)
    before = spent - in_order
    if order.ties is None:
        spent_before, pool = np.take(before, order.slots), need
    else:  # a tie shares what is left when it begins, in proportion to what its stretches need
        begins, ends = order.ties
        spent_before = np.take(before, begins)
        pool = np.take(spent, ends)
        pool -= spent_before
        np.copyto(pool, need, where=begins == ends)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = ((budget - spent_before) / pool).clip(0.0, 1.0)
    needed = need > 0
    # a tie whose needs the running sum lost to rounding (pool 0 where need is not) is taken whole
    # where budget remains, and not at all where none does (where exactly none did, 0/0 made the offer NaN)
    lost = needed & (pool <= 0)
    if lost.any():
        np.copyto(share, budget > spent_before, where=lost)
    free = ~needed  # stretches that cost nothing: taken where they give (not by gain), else not at all
    if by_gain:
        share[free] = 0.0
    else:
        gives = (gain_w * length).reshape(need.shape) > 0
        np.copyto(share, gives & (budget > spent_before - TINY), where=free)
    taken = share.reshape(length.shape) * length
    moved = taken[0] + taken[1] + taken[2]  # in the way's order, for any batch
    step = start + np.sign(toward - start) * moved
    return step.clip(np.minimum(start, toward), np.maximum(start, toward))


def weighted_median(points: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per issue and run, the weighted median of ``points`` (parties, issues, runs): the point at
    which the ``weights`` reach half of their total counted from the low end, and likewise from
    the high end; where the two differ (the weights split exactly in half between two points),
    the middle of them. Counting from one end only would hand an even split to whichever party
    stands at the low end of the scale, that is, to whoever the scenario's author put at 0.
    Weights within ``ALIKE`` of half count as half."""
    order = np.argsort(points, axis=0, kind="stable")
    ranked = np.take_along_axis(points, order, axis=0)
    weight = np.take_along_axis(weights, order, axis=0)
    from_low = np.cumsum(weight, axis=0)
    from_high = np.cumsum(weight[::-1], axis=0)[::-1]
    low = (from_low < 0.5 * from_low[-1:] * (1.0 - ALIKE)).sum(axis=0)
    high = (from_high >= 0.5 * from_high[:1] * (1.0 - ALIKE)).sum(axis=0) - 1
    pick = np.take_along_axis(ranked, np.stack([low, high]), axis=0)
    return 0.5 * (pick[0] + pick[1])


def mix(weight: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``weight * a + (1 - weight) * b`` elementwise."""
    return b + weight * (a - b)

"""The forecasting literature's baselines beside the model's outcome, and how efficient it is.

The compromise model (capability x salience weighted mean of the leaders' ideals) and the
weighted median are the standard benchmarks of expected-utility forecasting; the Nash bargaining
solution and the distance to the Pareto frontier say how much the agents left on the table. With
linear additive utilities the two-leader Pareto frontier is the fractional knapsack's: a concave
piecewise-linear curve through one vertex per issue, so both the Nash solution and the gap are
exact. For three or more leaders only the two weighted baselines are computed.
"""

from __future__ import annotations

import numpy as np

from sim.protocol import TINY, slots, ties, utility, weighted_median


def compromise(ideal: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Per issue and run, the weighted mean of the leaders' ideals; ``ideal`` and ``weight`` are
    ``(leaders, issues, runs)``. An issue nobody weights takes the plain mean."""
    total = weight.sum(axis=0)
    mean = ideal.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > TINY, (weight * ideal).sum(axis=0) / total, mean)


def trade_order_key(wa: np.ndarray, wb: np.ndarray) -> np.ndarray:
    """The frontier's walk takes issues in ascending order of this key: best trade (B's gain per A's loss) first."""
    return -(wb / np.maximum(wa, TINY))


def frontier(a: np.ndarray, b: np.ndarray, wa: np.ndarray, wb: np.ndarray):
    """The two-leader Pareto frontier inside the box: vertices ``(issues + 1, runs)`` of each
    leader's utility, walking from A's ideal to B's one issue at a time, best trade first, and
    the issue order of that walk. ``a`` and ``b`` are the ideals already clipped to the box."""
    gap = np.abs(b - a)
    order = np.argsort(trade_order_key(wa, wb), axis=0, kind="stable")
    lose_a = np.take_along_axis(wa * gap, order, axis=0)
    gain_b = np.take_along_axis(wb * gap, order, axis=0)
    start_a, start_b = utility(a, a, wa), utility(a, b, wb)
    ua = np.concatenate([start_a[None], start_a[None] - np.cumsum(lose_a, axis=0)])
    ub = np.concatenate([start_b[None], start_b[None] + np.cumsum(gain_b, axis=0)])
    return ua, ub, order


def nash_solution(a, b, wa, wb, da, db) -> tuple[np.ndarray, np.ndarray]:
    """The position maximising ``(ua - da)(ub - db)`` on the frontier, and whether any point of the
    frontier is at least as good as disagreement for both (where none is, there is no solution)."""
    ua, ub, order = frontier(a, b, wa, wb)
    pa, pb = ua[:-1], ub[:-1]
    qa, qb = ua[1:], ub[1:]
    d1, d2 = qa - pa, qb - pb
    with np.errstate(divide="ignore", invalid="ignore"):
        s = -((pa - da) * d2 + (pb - db) * d1) / (2.0 * d1 * d2)
    s = np.clip(np.nan_to_num(s, nan=0.0, posinf=0.0, neginf=0.0), 0.0, 1.0)
    best_value = np.full(a.shape[1], -np.inf)
    best_segment = np.zeros(a.shape[1], dtype=np.int64)
    best_s = np.zeros(a.shape[1])
    for candidate in (np.zeros_like(s), s, np.ones_like(s)):
        xa, xb = pa + candidate * d1, pb + candidate * d2
        value = np.where((xa >= da - TINY) & (xb >= db - TINY), (xa - da) * (xb - db), -np.inf)
        seg = np.argmax(value, axis=0)
        top = np.take_along_axis(value, seg[None], axis=0)[0]
        better = top > best_value
        best_value = np.where(better, top, best_value)
        best_segment = np.where(better, seg, best_segment)
        best_s = np.where(better, np.take_along_axis(candidate, seg[None], axis=0)[0], best_s)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(order.shape[0])[:, None], axis=0)
    tied = ties(slots(rank), trade_order_key(wa, wb))
    if tied is None:
        fraction = np.where(rank < best_segment[None], 1.0, np.where(rank == best_segment[None], best_s[None], 0.0))
        return a + fraction * (b - a), np.isfinite(best_value)
    # issues that trade at the same rate make one straight stretch of the frontier: the solution
    # moves each of them the same share of its way, whatever order the scenario lists them in
    first, last = (np.take_along_axis(bound, best_segment[None], axis=0)[0] for bound in tied)
    before, spent = ua[0] - pa, ua[0] - qa  # what A has given up at each vertex of the walk
    at = np.take_along_axis(before + best_s * (spent - before), best_segment[None], axis=0)[0]
    begun = np.take_along_axis(before, first[None], axis=0)[0]
    stretch = np.take_along_axis(spent, last[None], axis=0)[0] - begun
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where((first == last) | (stretch <= 0), best_s, (at - begun) / stretch).clip(0.0, 1.0)
    fraction = np.where(rank < first[None], 1.0, np.where(rank <= last[None], share[None], 0.0))
    return a + fraction * (b - a), np.isfinite(best_value)


def pareto_gap(a, b, wa, wb, va: np.ndarray, vb: np.ndarray) -> np.ndarray:
    """How much more utility both leaders could each have had: the largest ``e`` such that some
    position in the box gives A at least ``va + e`` and B at least ``vb + e``."""
    ua, ub, _ = frontier(a, b, wa, wb)
    pa, pb, d1, d2 = ua[:-1], ub[:-1], ua[1:] - ua[:-1], ub[1:] - ub[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        s = ((va - vb) - (pa - pb)) / (d1 - d2)
    hit = np.isfinite(s) & (s >= -TINY) & (s <= 1 + TINY)
    e = np.where(hit, pa + np.clip(s, 0.0, 1.0) * d1 - va, -np.inf)
    at_vertices = np.minimum(ua - va, ub - vb).max(axis=0)
    return np.maximum(np.maximum(e.max(axis=0), at_vertices), 0.0)


def baselines(ideal: np.ndarray, salience: np.ndarray, capability: np.ndarray, sq: np.ndarray,
              box: tuple[np.ndarray, np.ndarray], final: np.ndarray) -> dict[str, np.ndarray]:
    """Per-run baselines: ``ideal`` and ``salience`` are ``(leaders, issues, runs)``, ``capability``
    ``(leaders, runs)``; NaN marks what is not defined at a table of more than two."""
    weight = capability[:, None, :] * salience
    out = {"compromise": compromise(ideal, weight), "median": weighted_median(ideal, weight)}
    runs = sq.shape[1]
    if ideal.shape[0] != 2:
        out.update(nash=np.full_like(sq, np.nan), pareto_gap=np.full(runs, np.nan), nash_gap=np.full(runs, np.nan))
        return out
    lo, hi = box
    a, b = np.clip(ideal[0], lo, hi), np.clip(ideal[1], lo, hi)
    wa, wb = salience
    da, db = utility(sq, ideal[0], wa), utility(sq, ideal[1], wb)
    nash, zone = nash_solution(a, b, wa, wb, da, db)
    nash = np.where(zone[None], nash, sq)
    va, vb = utility(final, ideal[0], wa), utility(final, ideal[1], wb)
    na, nb = utility(nash, ideal[0], wa), utility(nash, ideal[1], wb)
    out.update(nash=nash, pareto_gap=pareto_gap(a, b, wa, wb, va, vb),
               nash_gap=np.sqrt((va - na) ** 2 + (vb - nb) ** 2))
    return out


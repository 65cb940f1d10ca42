"""The zone of agreement: is there a text every leader would sign, and how deep is it?

Why. A summit without a deal has one of three stories, and they call for different remedies.
There may be no text that every leader, in its own eyes, prefers to walking away (no gains from
trade, Raiffa 1982, *The Art and Science of Negotiation*); there may be such texts, but none that
meets what every leader resolved to hold out for (each reservation is the walk-away value plus
``resolve`` of the rest: incompatible demands); or there may be a text that meets every
reservation, which the bargaining did not find (a failure of the offers, the beliefs or the
clock). Putnam (1988) draws the same line for win-sets: they must overlap before anyone can
bargain over where in the overlap to settle.

The question is a linear programme for each run. Utilities are linear in the distance from each
leader's working position, weighted by its perceived priorities, with a loss against the status
quo weighed by the leaders' loss aversion (sim.loss_aversion): concave, so still a linear
programme. The feasible box (ceilings, win-sets, red lines) bounds the text. The programme
finds the text that maximises the smallest margin by which a leader clears its floor: its depth.
A zone exists where the depth is at least zero. Solved by HiGHS through ``scipy.optimize.linprog``.
"""

from __future__ import annotations

import numpy as np


def depth(positions: np.ndarray, weights: np.ndarray, floors: np.ndarray, lo: np.ndarray,
          hi: np.ndarray, margin_for: np.ndarray | None = None,
          losses: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per run, the deepest text and its depth.

    ``positions`` and ``weights`` are (leaders, issues, runs): each leader's utility of a text x is
    ``sum(w * (1 - |x - position|))``, less ``(aversion - 1)`` times the weighted loss against the
    status quo where ``losses`` gives ``(status quo (issues, runs), aversion (runs))``
    (``sim.protocol.weighed_utility``). ``floors`` is (leaders, runs). ``lo`` and ``hi`` (issues, runs)
    bound the text. The depth is the largest t such that some text in the box gives every leader
    in ``margin_for`` at least its floor plus t, and every other leader at least its floor (by
    default every leader is in ``margin_for``). Returns the depth (runs; ``-inf`` where the
    leaders outside ``margin_for`` cannot all reach their floors) and the text (issues, runs).

    The runs are independent, so all of them form one block-diagonal programme whose objective,
    the sum of the depths, is at its maximum exactly when each depth is: one call to the solver
    instead of one per run. Should any run have no solution, each run is solved on its own."""
    margin_for = np.ones(positions.shape[0], dtype=bool) if margin_for is None else np.asarray(margin_for, bool)
    runs = positions.shape[2]
    depths, texts = np.full(runs, -np.inf), np.full((positions.shape[1], runs), np.nan)
    if runs == 0:
        return depths, texts
    if losses is None:
        losses = (positions[0], np.ones(runs))  # no status quo to lose against
    solved = _deepest(positions, weights, floors, lo, hi, margin_for, losses)
    if solved is not None:
        return solved
    for run in range(runs):
        one = _deepest(positions[..., run:run + 1], weights[..., run:run + 1], floors[:, run:run + 1],
                       lo[:, run:run + 1], hi[:, run:run + 1], margin_for,
                       (losses[0][:, run:run + 1], losses[1][run:run + 1]))
        if one is not None:
            depths[run], texts[:, run] = one[0][0], one[1][:, 0]
    return depths, texts


def _deepest(positions: np.ndarray, weights: np.ndarray, floors: np.ndarray, lo: np.ndarray, hi: np.ndarray,
             margin_for: np.ndarray, losses: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """``depth`` of every run as one linear programme, or None if it has no solution.

    Variables per run: the text x (k), each leader's distance from it per issue a (leaders x k), how
    far that distance exceeds the status quo's, l (leaders x k), and the depth t. Rows per run:
    a >= x - p and a >= p - x for each leader and issue; a - l <= |sq - p|; then for each leader
    sum(w (1 - a)) - (aversion - 1) sum(w l) >= floor + t, written as
    sum(w a) + (aversion - 1) sum(w l) + t <= sum(w) - floor. With l >= 0 and an aversion of 1 or
    more, l is the loss wherever it counts."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    leaders, k, runs = positions.shape
    sq, aversion = losses
    lk = leaders * k
    nv, nrow = k + 2 * lk + 1, 3 * lk + leaders
    pair = np.arange(lk)                                 # (leader, issue), leader-major
    gap = k + pair                                       # the column of a for that pair
    loss = k + lk + pair                                 # the column of l for that pair
    issue = pair % k
    ones = np.ones(lk)
    rows = np.concatenate([2 * pair, 2 * pair, 2 * pair + 1, 2 * pair + 1, 2 * lk + pair, 2 * lk + pair])
    cols = np.concatenate([issue, gap, issue, gap, gap, loss])
    vals = np.concatenate([ones, -ones, -ones, -ones, ones, -ones])
    floor_row = 3 * lk + pair // k
    rows = np.concatenate([rows, floor_row, floor_row, 3 * lk + np.flatnonzero(margin_for)])
    cols = np.concatenate([cols, gap, loss, np.full(margin_for.sum(), nv - 1)])
    run = np.arange(runs)[:, None]
    w = weights.transpose(2, 0, 1).reshape(runs, -1)     # (runs, leader-major pairs)
    values = np.concatenate([np.broadcast_to(vals, (runs, vals.size)), w, w * (aversion - 1.0)[:, None],
                             np.ones((runs, margin_for.sum()))], axis=1)
    a_ub = coo_matrix((values.ravel(), ((rows + run * nrow).ravel(), (cols + run * nv).ravel())),
                      shape=(runs * nrow, runs * nv)).tocsr()
    p = positions.transpose(2, 0, 1).reshape(runs, -1)
    held = np.abs(sq[None] - positions).transpose(2, 0, 1).reshape(runs, -1)  # |sq - p| per pair
    b_ub = np.concatenate([np.stack([p, -p], axis=2).reshape(runs, -1), held,
                           weights.sum(axis=1).T - floors.T], axis=1).ravel()
    bounds = np.empty((runs, nv, 2))
    bounds[:, :k, 0], bounds[:, :k, 1] = lo.T, hi.T
    bounds[:, k:-1] = (0.0, np.inf)
    bounds[:, -1] = (-np.inf, np.inf) if margin_for.any() else (0.0, 0.0)  # each margin's floor row bounds it
    c = np.zeros((runs, nv))
    c[:, -1] = -1.0
    solved = linprog(c.ravel(), A_ub=a_ub, b_ub=b_ub, bounds=bounds.reshape(-1, 2), method="highs")
    if solved.status != 0:
        return None
    x = solved.x.reshape(runs, nv)
    return x[:, -1].copy(), x[:, :k].T.copy()


def zones(model) -> dict[str, np.ndarray]:
    """The zone of agreement of a summit built but not yet replayed (``SummitModel`` before its
    rounds), judged as the leaders see it when they sit down: their working positions, their
    perceived priorities, the feasible box. Per run: ``walk_away``, the depth of the deepest text
    over every leader's walk-away value, and ``reservation``, over every leader's reservation
    (``-inf`` where the leaders do not talk: no meeting, or a box with no text in it)."""
    leaders, live = model.order, np.flatnonzero(model.active)
    positions = np.stack([leader.position for leader in leaders])[..., live]
    weights = np.stack([leader.perceived_salience for leader in leaders])[..., live]
    lo, hi = model.box[0][:, live], model.box[1][:, live]
    out = {}
    for name, floor in (("walk_away", "disagreement"), ("reservation", "reservation")):
        out[name] = np.full(model.runs, -np.inf)
        out[name][live] = depth(positions, weights, np.stack([getattr(x, floor) for x in leaders])[:, live], lo, hi,
                                losses=(model.status_quo[:, live], model.aversion[live]))[0]
    return out


def faced(spec, run_ids: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Per run, what the leaders faced when they sat down and whether they struck a deal: ``held``;
    ``talks`` (held, and the box holds some text); ``walk_away`` and ``reservation``, the depth of
    the zone over those floors (``zones``: a zone exists where it is at least 0); ``deal``, and
    ``partial``: the deal was signed issue by issue at the close (sim.partial_deals), which needs
    no zone over every issue. The runs are those of ``sim.replay.replay`` with the same seed."""
    from sim import seating
    from sim.model import SummitModel

    run_ids = np.asarray(run_ids, dtype=np.uint64)
    out = {name: np.empty(len(run_ids), dtype=bool if name in ("held", "talks", "deal", "partial") else float)
           for name in ("held", "talks", "walk_away", "reservation", "deal", "partial")}
    for where, seats in seating.groups(spec, run_ids, seed):  # runs that sit alike replay together
        model = SummitModel(spec, run_ids[where], seed, seats=seats)
        out["held"][where], out["talks"][where] = model.held, model.active
        for name, depths in zones(model).items():
            out[name][where] = depths
        outcome = model.replay()
        out["deal"][where], out["partial"][where] = outcome.deal, outcome.partial
    return out


NOT_HELD = "the meeting was not held"
TALKS = "a meeting to talk, not to sign"
NO_TEXT = "held, but the ceilings, win-sets and red lines leave no text"


def situations(faced_runs: dict[str, np.ndarray], signing: bool = True) -> list[tuple[str, np.ndarray]]:
    """What the leaders faced (``faced``), as classes that place every run exactly once, in the
    order a reader asks: was there a meeting, was any text allowed, were there gains from trade,
    were the demands compatible? A meeting to talk (``signing`` false) signs nothing, so its talks
    form one class."""
    held, talks = faced_runs["held"], faced_runs["talks"]
    walk, res = faced_runs["walk_away"] >= 0.0, faced_runs["reservation"] >= 0.0
    out = [(NOT_HELD, ~held),
           (NO_TEXT, held & ~talks)]
    if not signing:
        return [*out, (TALKS, talks)]
    return [*out, ("no text that every leader prefers to walking away", talks & ~walk),
            ("texts every leader prefers to walking away, but none that meets every reservation", talks & walk & ~res),
            ("a text that meets every leader's reservation", talks & res)]


def situation_shares(faced_runs: dict[str, np.ndarray], signing: bool = True) -> list[tuple[str, float, float | None]]:
    """Each of ``situations``: its label, its share of the runs, and the share of its runs that
    ended in a deal (None where it has none)."""
    deal = faced_runs["deal"]
    return [(label, float(mask.mean()), float(deal[mask].mean()) if mask.any() else None)
            for label, mask in situations(faced_runs, signing)]

"""Learning from offers: each leader revises what it believes the others care about from what
they hold on to, and preparation sets how much it trusts what it believed on arrival.

Why. A leader who misjudges the other side's priorities concedes where the other side does not
care, and so pays more for the same deal (the unforced concession). Raiffa's negotiation dance
(*The Art and Science of Negotiation*, 1982) is also a way of learning: offers reveal priorities,
because a negotiator gives ground first on what matters least to it. Bayesian learning in
negotiation (Zeng & Sycara 1998, *Int. J. Human-Computer Studies* 48) formalises the update, and
the frequency opponent model (Baarslag, Hendrikx, Hindriks & Jonker 2016, "Learning about the
opponent in automated bilateral negotiation", *Autonomous Agents and Multi-Agent Systems* 30)
reads an issue the opponent will not move on as an issue it weighs heavily.

The signal. In its offer, the proposer has moved each issue some share of the way from where it
opened toward the others; the share it *kept* is highest on the issues it weighs most (the
knapsack offer builder gives ground first where its own weight is lowest). An offer is thus an
ordinal signal: it ranks the issues, it does not weigh them. The signal keeps the observer's
current weights and hands them out again in the order the offer ranks the issues: the largest
weight to the issue kept most, and so on (issues kept alike keep their current order). An offer
that keeps every issue alike (an opening offer, or one that gives everything) says nothing.

The update is the normal-normal posterior mean, issue by issue. The prior is the belief drawn
before the summit: each true weight misjudged by a share of itself, sd ``perception_noise x (1 -
preparation)`` (``agents.leader.misjudged``). Each informative offer is read as one observation
with the noise of a wholly unprepared guess, sd ``perception_noise`` of the weight. The weight of
the n-th observation is then ``r / (1 + n r)`` with ``r = (1 - preparation)^2``: the noise scale
cancels. A fully prepared leader (r = 0) learns nothing it did not know; a wholly unprepared one
averages its prior with everything it has seen.

What an offer cannot teach. The signal hands out the observer's own weights again, so it can put
them in the right order but cannot make them the right size, and it is read as independent of
the prior though it is made of it: after the first offers a leader's belief stops improving
(docs/model.md). And a ranking is a ranking of the issues as the file lists them: an issue written
as two halves takes two places in it, so between unprepared leaders how finely the issues are
listed moves what they learn (``experiments/issue_granularity.py``).
"""

from __future__ import annotations

import numpy as np

from sim.protocol import TINY, ranks, running_sum, slots, ties


def revealed_priorities(offer: np.ndarray, start: np.ndarray, toward: np.ndarray,
                        belief: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What one offer says about its proposer's weights, and per run whether it said anything.

    ``start`` is where the proposer opened, ``toward`` where it concedes to, ``belief`` the
    observer's current weights for the proposer, all ``(issues, runs)``."""
    room = np.abs(toward - start)
    open_issue = room > TINY
    # to nine places: an issue given up in full keeps 0 or 1e-17 as the offer's sums happen to
    # round, and "kept alike" must not depend on which end of the scale the scenario calls 0
    kept = (1.0 - (np.abs(offer - start) / np.where(open_issue, room, 1.0)).clip(0.0, 1.0)).round(9)
    kept_or_last = np.where(open_issue, kept, np.inf)
    informative = np.where(open_issue, kept, -np.inf).max(axis=0) - kept_or_last.min(axis=0) > 1e-6
    belief_or_last = np.where(open_issue, belief, np.inf)
    weights = np.empty(belief.shape)  # the observer's weights, smallest first (C order: a flat view)
    weights.reshape(-1)[slots(ranks(belief_or_last))] = belief_or_last
    order = slots(ranks(kept_or_last, belief_or_last))
    tied = ties(order, kept_or_last, belief_or_last)
    if tied is not None:  # issues the offer and the belief both leave alike share their weights
        weights = shared(weights, *tied)
    signal = np.take(weights, order)
    signal = np.where(open_issue & informative, signal, belief)
    return signal, informative


def shared(weights: np.ndarray, begins: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``weights`` (sorted places, runs) with each tie's places holding the tie's mean (midranks):
    handing them out one by one would give the larger to whichever issue the scenario lists
    first."""
    runs = weights.shape[1]
    column = np.arange(runs)
    total = running_sum(weights)
    with np.errstate(invalid="ignore"):  # ties of closed issues (inf) are not read
        before = total - weights
        mean = (np.take(total, ends * runs + column) - np.take(before, begins * runs + column)) / (ends - begins + 1)
    return np.where(begins == ends, weights, mean)


def update(belief: np.ndarray, signal: np.ndarray, informative: np.ndarray, heard: np.ndarray,
           preparation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The posterior mean after one more observation, and the new count of informative offers."""
    heard = heard + informative
    r = (1.0 - preparation) ** 2
    weight = np.where(informative, r / (1.0 + heard * r), 0.0)
    return belief + weight * (signal - belief), heard

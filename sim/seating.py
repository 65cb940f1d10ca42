"""Who takes the floor after the opening, at a table of three or more.

Why. With two leaders, offers alternate and the first proposer is sourced. With three or more,
the order in which the others take their turns decides who frames the texts and who answers
last, and it moves the outcome. Before this module that order was the order in which the
scenario's file listed the leaders, a choice no source backed: listing them the other way changed
Geneva 1955's deals from 6% to 20% of replays. In legislative bargaining the floor goes to a
member recognised at random (Baron & Ferejohn 1989, "Bargaining in legislatures", *American
Political Science Review* 83(4)); with no record of who spoke after whom, no order is likelier
than another. So each replay draws one order of the others, every order alike, from its own
random number, and keeps it for the whole summit: the first proposer opens, the others follow
in the drawn order, round after round, with any mediator last (``orders`` says which orders are
drawn from at tables of five or more). A scenario whose record fixes the
order names it (``protocol.turns``, with its source).

The orders are listed by the leaders' keys, not by their place in the file, so a run sits in the
same order however the file lists its leaders. A model replays runs that sit alike in lockstep;
``groups`` splits a batch into them.
"""

from __future__ import annotations

from functools import cache
from itertools import permutations

import numpy as np

from sim import rng

KEY = "protocol.turns"  # the path that keys each run's draw (the PARAMETERS stream)


ALL_ORDERS_UP_TO = 3  # others; beyond, the rotations of their keys' order (see ``orders``)


@cache
def _orders(first: str, others: tuple[str, ...], turns: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    if turns:
        return ((first, *turns),)
    keys = sorted(others)
    if len(keys) <= ALL_ORDERS_UP_TO:
        return tuple((first, *order) for order in permutations(keys))
    return tuple((first, *keys[i:], *keys[:i]) for i in range(len(keys)))


def orders(spec) -> tuple[tuple[str, ...], ...]:
    """The orders the leaders may sit in, the first proposer first: the sourced one, or every
    order of up to three others (six orders). With four or more others there are 24 to 5,040
    orders, and a batch would split into as many models; there each replay draws one of the
    rotations of the others in their keys' order instead. Each leader still takes every place
    equally often, as equal recognition asks, but who follows whom is the keys' cycle."""
    return _orders(spec.first_proposer, tuple(k for k in spec.leaders if k != spec.first_proposer), spec.turns)


def drawn(spec, streams: rng.Streams) -> np.ndarray:
    """Per run, the index in ``orders(spec)`` of the order it sits in."""
    count = len(orders(spec))
    if count == 1:
        return np.zeros(len(streams.run_ids), dtype=np.intp)
    u = streams.uniforms(rng.PARAMETERS, rng.path_key(KEY))[:, 0]
    return np.minimum((u * count).astype(np.intp), count - 1)


def groups(spec, run_ids: np.ndarray, seed: int) -> list[tuple[slice | np.ndarray, tuple[str, ...]]]:
    """The runs that sit alike, as (their places in ``run_ids``, the order they sit in); one group,
    with the slice of all, where every run sits alike."""
    order = orders(spec)
    if len(order) == 1:
        return [(slice(None), order[0])]
    index = drawn(spec, rng.Streams(seed, run_ids))
    return [(np.flatnonzero(index == i), order[i]) for i in np.unique(index)]


def listed(spec) -> tuple[str, ...]:
    """The leaders as outcomes list them: the first proposer, then the file's order."""
    return (spec.first_proposer, *(k for k in spec.leaders if k != spec.first_proposer))

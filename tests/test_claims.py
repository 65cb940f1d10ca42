"""What resolve claims at a table of several (sim/claims.py): the equal share at middling resolve,
the old reading at a table of two, and compatible claims where middling leaders meet."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from builders import p, spec_of, table
from sim.claims import claimed_share
from sim.seating import orders
from sim.zone import faced

resolves = arrays(float, st.integers(1, 50), elements=st.floats(0.0, 1.0))


@settings(max_examples=200, deadline=None)
@given(resolves, st.integers(2, 8))
def test_a_claim_runs_from_nothing_through_the_equal_share_to_everything(resolve, leaders):
    share = claimed_share(resolve, leaders)
    assert ((share >= 0.0) & (share <= 1.0)).all()
    order = np.argsort(resolve, kind="stable")
    assert (np.diff(share[order]) >= -1e-15).all()  # firmer never claims less
    ends = claimed_share(np.array([0.0, 0.5, 1.0]), leaders)
    assert ends[0] == 0.0 and ends[1] == pytest.approx(1.0 / leaders) and ends[2] == pytest.approx(1.0)
    assert (claimed_share(resolve, leaders + 1) <= share + 1e-15).all()  # a larger table, a smaller claim


@settings(max_examples=200, deadline=None)
@given(resolves)
def test_at_a_table_of_two_a_claim_is_resolve_itself_bit_for_bit(resolve):
    assert np.array_equal(claimed_share(resolve, 2), resolve)


def test_three_middling_leaders_have_a_text_that_meets_every_reservation():
    """Three leaders, each weighing its own issue at 0.7 and wanting the others' issues the other
    way (0.15 each), each of resolve one half, from a status quo of 0.5 everywhere. Each one's
    surplus is 0.5 (its best text is worth 1, the status quo 0.5), and the most all three can have
    together is 0.7 each (every issue at 1). Their equal shares, 0.5 + 0.5/3, fit under it by
    0.033; half of each one's surplus, the old reading, asks 0.75, and misses by 0.05."""
    issues = ("x", "y", "z")
    ideals = {k: {i: 1.0 if i == own else 0.0 for i in issues} for k, own in zip("abc", issues, strict=True)}
    weights = {k: {i: 0.7 if i == own else 0.15 for i in issues} for k, own in zip("abc", issues, strict=True)}
    doc = table(ideals, weights, 9, {i: 0.5 for i in issues})
    for lead in doc["leaders"].values():
        lead["resolve"] = p(0.5)
    runs = np.arange(200, dtype=np.uint64)
    zone = faced(spec_of(doc), runs, seed=1)
    assert zone["reservation"] == pytest.approx(0.7 - (0.5 + 0.5 / 3))
    assert zone["deal"].mean() > 0.9
    # the same floors as before the change: walk-away value plus half of what is left
    from sim.model import SummitModel
    from sim.zone import depth

    model = SummitModel(spec_of(doc), runs, 1, seats=orders(spec_of(doc))[0])  # the box is any order's
    lo, hi = model.box
    positions = np.stack([lead.position for lead in model.order])
    weights_ = np.stack([lead.perceived_salience for lead in model.order])
    halves = np.stack([lead.disagreement + 0.5 * (lead.best_value() - lead.disagreement) for lead in model.order])
    assert depth(positions, weights_, halves, lo, hi)[0] == pytest.approx(0.7 - 0.75)

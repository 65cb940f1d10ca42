"""Demands heard at the table (sim.demands): what a refusal says, who hears it, and what it buys."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from test_multilateral import spec_of, tables

from builders import seated_alike
from sim import demands
from sim.model import SummitModel
from sim.protocol import weighed_utility

values = arrays(np.float64, 8, elements=st.floats(0.0, 1.0))
masks = arrays(np.bool_, 8)


@given(values, values, masks)
def test_a_shortfall_is_what_a_refusal_says_the_text_lacks_and_nothing_where_it_was_accepted(value, demand, refused):
    heard = demands.shortfall(value, demand, refused)
    assert (heard >= 0).all()
    assert (heard[~refused] == 0).all()
    assert np.array_equal(heard[refused], np.maximum(demand - value, 0.0)[refused])


@settings(max_examples=30, deadline=None)
@given(tables())
def test_every_leader_weighs_a_refuser_the_more_by_the_shortfall_it_stated_and_no_one_hears_a_mediators_critics(doc):
    """One round at a time: after a leader's proposal each other leader's multiplier for each
    refuser rises by exactly what the refuser's value and threshold say it lacked, where the talks
    go on; after a mediator's text, and for those who accepted, nothing changes."""
    spec = spec_of(doc)
    model = SummitModel(spec, seated_alike(spec, 32, 4), seed=4, trace=True)
    while model.running:
        before = {lead.key: [p.copy() for p in lead.pressure] for lead in model.order}
        model.step()
        rec = model.trace[-1]
        going_on = rec["active"] & ~rec["accepted"]
        for lead in model.order:
            for other, was, now in zip(lead.others, before[lead.key], lead.pressure, strict=True):
                refused = ~rec["answers"][other.key] & going_on if other.key in rec["answers"] else None
                if rec["proposer"] in model.mediator or refused is None:
                    assert np.array_equal(now, was)
                    continue
                weighed = rec["weighed"][other.key]
                lacked = np.maximum(weighed["threshold"] - weighed["value"], 0.0)
                assert np.array_equal(now[~refused], was[~refused])
                assert np.allclose(now[refused], was[refused] + lacked[refused], rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(tables(), st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.data())
def test_the_more_a_leader_has_asked_the_more_the_next_offer_gives_it(doc, asked, budget, data):
    """For the same own concession, raising one other's multiplier never lowers that other's value
    of the proposer's offer, as the proposer believes it. (An issue moves from another's ideal to
    this one's only when this one's weighted priority overtakes the other's, and the knapsack
    spends the budget first where this one, so weighed, gains most per unit of cost.)"""
    doc.pop("mediators", None)
    spec = spec_of(doc)
    model = SummitModel(spec, seated_alike(spec, 16, 1), seed=1)
    proposer = model.order[0]
    j = data.draw(st.integers(0, len(proposer.others) - 1))
    other = proposer.others[j]
    target = proposer.best_value() - budget * np.maximum(proposer.best_value() - proposer.disagreement, 0.0)

    def believed_value() -> np.ndarray:
        return weighed_utility(proposer.offer_for(target), other.ideal, proposer.beliefs[j], model.status_quo,
                               model.aversion)

    before = believed_value()
    proposer.hear(other, np.full(16, asked))
    proposer.replan()
    assert (believed_value() >= before - 1e-12).all()


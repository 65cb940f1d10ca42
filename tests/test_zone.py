"""The zone of agreement (sim/zone.py): textbook depths, optimality against any text, and what the
bargaining guarantees about deals and zones."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.leader import Leader
from builders import drawn_table, p, spec_of
from sim.model import SummitModel
from sim.seating import orders
from sim.zone import depth, situation_shares, situations, zones

unit = st.floats(0.0, 1.0)


def one_table(*columns):
    """(leaders, issues, 1) arrays from per-leader lists."""
    return np.array(columns, dtype=float)[:, :, None]


def test_one_issue_split_between_two_floors():
    """A's utility is x, B's is 1 - x: the deepest text sits midway between the floors' limits."""
    positions, weights = one_table([1.0], [0.0]), one_table([1.0], [1.0])
    box = (np.zeros((1, 1)), np.ones((1, 1)))
    d, x = depth(positions, weights, np.array([[0.3], [0.5]]), *box)
    assert np.isclose(d[0], 0.1) and np.isclose(x[0, 0], 0.4)
    d, x = depth(positions, weights, np.array([[0.6], [0.5]]), *box)
    assert np.isclose(d[0], -0.05) and np.isclose(x[0, 0], 0.55)


def test_the_deepest_text_logrolls():
    """A cares most about x, B about y, and they want opposite ends of both: giving each its own
    issue (0.8 each) beats splitting both down the middle (0.5 each)."""
    positions = one_table([1.0, 1.0], [0.0, 0.0])
    weights = one_table([0.8, 0.2], [0.2, 0.8])
    d, x = depth(positions, weights, np.array([[0.5], [0.5]]), np.zeros((2, 1)), np.ones((2, 1)))
    assert np.isclose(d[0], 0.3) and np.allclose(x[:, 0], [1.0, 0.0])


def test_a_box_that_rules_out_the_deal_empties_the_zone():
    """The same logroll, with a ceiling that keeps y at or above 0.9: no text gives B 0.5 and A 0.5 + any margin."""
    positions = one_table([1.0, 1.0], [0.0, 0.0])
    weights = one_table([0.8, 0.2], [0.2, 0.8])
    d, _ = depth(positions, weights, np.array([[0.5], [0.5]]), np.array([[0.0], [0.9]]), np.ones((2, 1)))
    assert d[0] < 0


def test_a_leader_outside_the_margin_gets_its_floor_and_no_more_is_asked():
    """The proposer's own floor is a constraint; the depth is the others' margin. A floor no text
    reaches leaves no depth at all."""
    positions, weights = one_table([1.0], [0.0]), one_table([1.0], [1.0])
    box = (np.zeros((1, 1)), np.ones((1, 1)))
    d, x = depth(positions, weights, np.array([[0.7], [0.0]]), *box, margin_for=np.array([False, True]))
    assert np.isclose(x[0, 0], 0.7) and np.isclose(d[0], 0.3)
    d, x = depth(positions, weights, np.array([[1.5], [0.0]]), *box, margin_for=np.array([False, True]))
    assert d[0] == -np.inf and np.isnan(x[0, 0])


@st.composite
def problems(draw, leaders=None, k=None):
    leaders, k = leaders or draw(st.integers(2, 4)), k or draw(st.integers(1, 4))
    positions = np.array([[[draw(unit)] for _ in range(k)] for _ in range(leaders)])
    weights = np.array([[[draw(st.floats(0.0, 1.0))] for _ in range(k)] for _ in range(leaders)])
    floors = np.array([[draw(st.floats(-0.5, 1.5))] for _ in range(leaders)])
    a = np.array([[draw(unit)] for _ in range(k)])
    b = np.array([[draw(unit)] for _ in range(k)])
    return positions, weights, floors, np.minimum(a, b), np.maximum(a, b)


@settings(max_examples=60, deadline=None)
@given(problems(), st.integers(0, 2**32 - 1))
def test_the_deepest_text_is_in_the_box_and_no_text_is_deeper(problem, seed):
    positions, weights, floors, lo, hi = problem
    d, x = depth(positions, weights, floors, lo, hi)

    def margin(text):
        u = (weights[:, :, 0] * (1.0 - np.abs(text[None, :] - positions[:, :, 0]))).sum(axis=1)
        return (u - floors[:, 0]).min()

    assert ((lo[:, 0] - 1e-9 <= x[:, 0]) & (x[:, 0] <= hi[:, 0] + 1e-9)).all()
    assert np.isclose(margin(x[:, 0]), d[0], atol=1e-7)
    rng = np.random.default_rng(seed)
    corners = [np.where(rng.random(len(lo)) < 0.5, lo[:, 0], hi[:, 0]) for _ in range(20)]
    inside = [lo[:, 0] + rng.random(len(lo)) * (hi[:, 0] - lo[:, 0]) for _ in range(40)]
    ideals = [positions[j, :, 0].clip(lo[:, 0], hi[:, 0]) for j in range(len(positions))]
    assert max(margin(t) for t in [*corners, *inside, *ideals]) <= d[0] + 1e-7


@st.composite
def tables(draw):
    doc = drawn_table(draw, draw(st.integers(2, 3)), st.integers(1, 8),
                      st.sampled_from(["boulware", "conceder", "linear"]))
    doc["protocol"]["perception_noise"] = p(draw(st.floats(0.0, 0.8)))
    for lead in doc["leaders"].values():
        lead["preparation"] = p(draw(unit))
        lead["resolve"] = p(draw(unit))
        lead["patience"] = p(draw(st.floats(0.5, 1.0)))
    return doc


@settings(max_examples=25, deadline=None)
@given(tables())
def test_a_deal_lies_in_the_zone_and_a_deal_at_the_deadline_meets_every_reservation(doc):
    """No leader accepts less than it believes walking away is worth, and at the deadline no less than
    its reservation; so every deal lies in the zone over walk-away values as the leaders saw it, and
    every text over every issue agreed in the last round in the zone over reservations (tables
    without advisers, events, mediators, flattery or threats, where nothing moves a leader's
    position or floors). A partial deal meets each leader's floors on its own issues only
    (sim.partial_deals), not its reservation over all of them."""
    spec = spec_of(doc)
    model = SummitModel(spec, np.arange(24, dtype=np.uint64), seed=3, seats=orders(spec)[0])  # any order will do
    talks = model.active.copy()
    zone = zones(model)
    out = model.replay()
    assert not (out.deal & ~talks).any()
    assert (zone["walk_away"][out.deal] >= -1e-9).all()
    last = out.deal & ~out.partial & (out.deal_round == spec.rounds)
    assert (zone["reservation"][last] >= -1e-9).all()


@settings(max_examples=20, deadline=None)
@given(tables())
def test_an_exactly_solved_offer_leaves_the_least_satisfied_other_no_worse_than_the_knapsack(doc):
    """The experiment's counterfactual proposer (experiments/zone_of_agreement.py) meets the same
    target and, by its beliefs, gives the least satisfied of the others at least what the knapsack
    against the composite gives; the real rule is back when it is done."""
    from experiments.zone_of_agreement import exact_offer_for, exact_offers
    from sim.protocol import utility, weighed_utility

    knapsack = Leader.offer_for
    spec = spec_of(doc)
    model = SummitModel(spec, np.arange(16, dtype=np.uint64), seed=5, seats=orders(spec)[0])
    proposer = model.order[0]
    target = proposer.reservation
    live = model.active

    def worst_surplus(x):
        return np.min([weighed_utility(x, o.ideal, b, model.status_quo, model.aversion)
                       - utility(model.status_quo, o.ideal, b)
                       for o, b in zip(proposer.others, proposer.beliefs, strict=True)], axis=0)

    composite, exact = proposer.offer_for(target), exact_offer_for(proposer, target)
    own = proposer.perceived_value(exact)
    assert (own[live] >= np.minimum(target, proposer.best_value())[live] - 1e-7).all()
    assert (worst_surplus(exact)[live] >= worst_surplus(composite)[live] - 1e-7).all()
    with exact_offers():
        assert Leader.offer_for is not knapsack
    assert Leader.offer_for is knapsack


@settings(max_examples=20, deadline=None)
@given(tables())
def test_a_proposer_who_knows_the_demands_meets_them_wherever_a_zone_allows(doc):
    """The oracle of experiments/zone_of_agreement.py ('known-demands'): at its own reservation, its
    offer gives every other leader at least its reservation wherever a text meets all of them."""
    from experiments.zone_of_agreement import known_demand_offer_for, known_demands
    from sim.protocol import utility

    knapsack = Leader.offer_for
    spec = spec_of(doc)
    model = SummitModel(spec, np.arange(16, dtype=np.uint64), seed=5, seats=orders(spec)[0])
    proposer = model.order[0]
    zone = zones(model)["reservation"] >= 1e-9
    offer = known_demand_offer_for(proposer, proposer.reservation)
    assert (proposer.perceived_value(offer)[zone] >= proposer.reservation[zone] - 1e-7).all()
    for other in proposer.others:
        value = utility(offer, other.position, other.perceived_salience)
        assert (value[zone] >= other.reservation[zone] - 1e-7).all()
    with known_demands():
        assert Leader.offer_for is not knapsack
    assert Leader.offer_for is knapsack


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.floats(-1, 1), st.floats(-1, 1), st.booleans()),
                min_size=1, max_size=40), st.booleans())
def test_every_run_is_in_exactly_one_situation(runs, signing):
    held, talks, walk, res, deal = (np.array(column) for column in zip(*runs, strict=True))
    talks &= held
    res = np.minimum(res, walk)  # a reservation is never below the walk-away value
    faced_runs = {"held": held, "talks": talks, "walk_away": walk, "reservation": res, "deal": deal}
    masks = [mask for _, mask in situations(faced_runs, signing)]
    assert (np.sum(masks, axis=0) == 1).all()
    shares = situation_shares(faced_runs, signing)
    assert sum(share for _, share, _ in shares) == pytest.approx(1.0)
    assert all((rate is None) == (not mask.any()) for (_, _, rate), mask in zip(shares, masks, strict=True))


@st.composite
def batches(draw):
    leaders, k = draw(st.integers(2, 4)), draw(st.integers(1, 4))
    return draw(st.lists(problems(leaders, k), min_size=2, max_size=6))


@settings(max_examples=25, deadline=None)
@given(batches())
def test_runs_solved_together_have_the_depths_they_have_alone(batch):
    """Depth solves a batch as one block-diagonal programme: each run's depth is the one it has
    alone. With a floor outside the margin that one run cannot meet, only that run has no depth."""
    together = [np.concatenate(parts, axis=-1) for parts in zip(*batch, strict=True)]
    d, x = depth(*together)
    alone = [depth(*problem)[0][0] for problem in batch]
    assert np.allclose(d, alone, atol=1e-7)
    positions, weights, floors, lo, hi = together
    floors = floors.copy()
    floors[0, 0] = 1e9  # leader 0 cannot reach this in run 0
    outside = np.arange(len(floors)) > 0
    d, x = depth(positions, weights, floors, lo, hi, margin_for=outside)
    assert d[0] == -np.inf and np.isnan(x[:, 0]).all()
    for r in range(1, len(d)):
        one = (positions[..., r:r + 1], weights[..., r:r + 1], floors[:, r:r + 1], lo[:, r:r + 1], hi[:, r:r + 1])
        assert np.isclose(d[r], depth(*one, margin_for=outside)[0][0], atol=1e-7)


@settings(max_examples=20, deadline=None)
@given(tables())
def test_backing_down_only_adds_deals_at_the_deadline_and_none_below_walking_away(doc):
    """The counterfactual 'backing-down' of experiments/zone_of_agreement.py changes only the last
    round's answers: every deal of the rule as written is struck, in the same round with the same
    text; a deal it adds comes at the deadline; and no leader takes less than walking away is
    worth. The rule as written is back when it is done."""
    from experiments.zone_of_agreement import backing_down

    accepts = Leader._accepts
    spec = spec_of(doc)
    seats = orders(spec)[0]
    written = SummitModel(spec, np.arange(24, dtype=np.uint64), seed=7, seats=seats).replay()
    with backing_down():
        assert Leader._accepts is not accepts
        model = SummitModel(spec, np.arange(24, dtype=np.uint64), seed=7, seats=seats)
        zone = zones(model)
        softer = model.replay()
    assert Leader._accepts is accepts
    kept = written.deal & ~written.partial  # a deal over every issue; backing down may find one where a part was signed
    assert softer.deal[kept].all()
    assert (softer.deal_round[kept] == written.deal_round[kept]).all()
    assert np.array_equal(softer.agreed[:, kept], written.agreed[:, kept])
    assert (softer.deal_round[softer.deal & ~kept] == spec.rounds).all()
    assert (zone["walk_away"][softer.deal] >= -1e-9).all()

"""Learning from offers (sim.learning): what one offer reveals, the Bayesian update, and what
learning and preparation do on a textbook three-issue table, compared on common random numbers."""


import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from builders import SRC, p, spec_of, table
from sim import learning
from sim.errors import ScenarioError
from sim.loader import validate
from sim.model import SummitModel
from sim.protocol import utility
from sim.replay import replay

RUNS = 3000


def three_issues(prep_a: float, prep_b: float = 0.5, rounds: int = 8, tactic: str = "linear",
                 learns: bool = True) -> dict:
    """A and B pull every issue apart but weigh them differently: a cheap trade exists (x for y),
    and a leader who misjudges the other's weights gives ground where it buys nothing."""
    doc = table({"a": {"x": 1.0, "y": 1.0, "z": 1.0}, "b": {"x": 0.0, "y": 0.0, "z": 0.0}},
                {"a": {"x": 0.15, "y": 0.6, "z": 0.25}, "b": {"x": 0.6, "y": 0.15, "z": 0.25}},
                rounds=rounds, sq={"x": 0.5, "y": 0.5, "z": 0.5}, tactic=tactic)
    doc["protocol"]["perception_noise"] = p(0.6)
    if not learns:
        doc["protocol"]["learning"], doc["protocol"]["learning_source"] = "none", SRC
    doc["leaders"]["a"]["preparation"] = p(prep_a)
    doc["leaders"]["b"]["preparation"] = p(prep_b)
    return doc


def column(*values):
    return np.array(values, dtype=float)[:, None]


def test_an_offer_ranks_the_issues_by_what_its_proposer_kept():
    start, toward = column(1, 1, 1), column(0, 0, 0)
    offer = column(1.0, 0.0, 0.5)              # kept all of x, half of z, none of y
    belief = column(0.2, 0.5, 0.3)             # the observer thought y mattered most
    signal, informative = learning.revealed_priorities(offer, start, toward, belief)
    np.testing.assert_allclose(signal[:, 0], [0.5, 0.2, 0.3])
    assert informative.all()


def test_an_offer_that_keeps_every_issue_alike_says_nothing():
    start, toward, belief = column(1, 1, 1), column(0, 0, 0), column(0.2, 0.5, 0.3)
    for offer in (start, toward, column(0.4, 0.4, 0.4)):
        signal, informative = learning.revealed_priorities(offer, start, toward, belief)
        assert not informative.any()
        np.testing.assert_array_equal(signal, belief)


def test_an_issue_with_no_room_keeps_its_weight():
    start, toward, belief = column(1, 0.3, 1), column(0, 0.3, 0), column(0.2, 0.5, 0.3)
    signal, _ = learning.revealed_priorities(column(1.0, 0.3, 0.0), start, toward, belief)
    np.testing.assert_allclose(signal[:, 0], [0.3, 0.5, 0.2])


weights = arrays(np.float64, (4, 5), elements=st.floats(0.01, 1.0))
shares = arrays(np.float64, (4, 5), elements=st.floats(0.0, 1.0))


@settings(max_examples=200, deadline=None)
@given(weights, shares, st.floats(0.0, 1.0), st.integers(0, 20))
def test_the_posterior_is_a_normalised_weighting_that_trusts_preparation(raw, kept, prep, heard):
    belief = raw / raw.sum(axis=0)
    start, toward = np.ones_like(belief), np.zeros_like(belief)
    signal, informative = learning.revealed_priorities(1.0 - kept, start, toward, belief)
    np.testing.assert_allclose(signal.sum(axis=0), belief.sum(axis=0))
    # the same weights, reordered, where no two issues are kept alike and believed alike; where
    # some are, they share the weights their places would get (a tie says nothing between them)
    near = ((np.abs(kept[:, None] - kept[None]) < 1e-8) & (np.abs(belief[:, None] - belief[None]) < 1e-8))
    apart = near.sum(axis=(0, 1)) == belief.shape[0]  # each issue is near only itself
    np.testing.assert_allclose(np.sort(signal, axis=0)[:, apart], np.sort(belief, axis=0)[:, apart])
    count = np.full(belief.shape[1], float(heard))
    posterior, after = learning.update(belief, signal, informative, count, np.full(belief.shape[1], prep))
    np.testing.assert_allclose(posterior.sum(axis=0), 1.0)
    assert (posterior >= 0).all()
    np.testing.assert_array_equal(after, count + informative)
    if prep == 1.0:
        np.testing.assert_array_equal(posterior, belief)   # a fully prepared leader has nothing to learn
    more, _ = learning.update(belief, signal, informative, count, np.full(belief.shape[1], min(prep + 0.2, 1.0)))
    assert (np.abs(more - belief) <= np.abs(posterior - belief) + 1e-12).all()


def belief_error(doc: dict, seed: int = 7) -> float:
    """How far A's belief about B's weights lies from B's true weights after the summit (L1, mean over runs)."""
    model = SummitModel(spec_of(doc), np.arange(RUNS, dtype=np.uint64), seed)
    model.replay()
    a, b = model.order
    return float(np.abs(a.believed_salience - b.salience).sum(axis=0).mean())


@pytest.mark.parametrize("tactic", ["linear", "boulware", "conceder"])
def test_beliefs_about_the_other_side_improve_with_the_offers_heard(tactic):
    """Against a fully prepared counterpart, whose offers rank its true weights, an unprepared
    leader's belief error falls once it has heard offers; without learning it stays. More offers
    need not help further: an offer ranks the issues, and the observer hands out its own weights
    in that order, so it can mend the order of its belief but not the sizes (docs/model.md)."""
    fixed = [belief_error(three_issues(0.0, 1.0, rounds=t, tactic=tactic, learns=False)) for t in (2, 8)]
    learned = [belief_error(three_issues(0.0, 1.0, rounds=t, tactic=tactic)) for t in (2, 4, 8)]
    assert fixed[0] == pytest.approx(fixed[1])
    assert max(learned) < fixed[0] - 0.05


def test_an_unprepared_leader_gains_less_than_a_prepared_one():
    """The unforced concession: a leader who misjudges its own and the other's weights gives
    ground it did not need to. Half its preparation already buys nearly all of the difference on
    this table (docs/model.md, "Learning, walk-outs, standing, sides, texts and votes")."""
    gains = []
    for prep in (0.0, 0.5, 1.0):
        out = replay(spec_of(three_issues(prep)), RUNS, 11)
        g = out.gain[0]
        gains.append((g.mean(), 1.96 * g.std() / np.sqrt(RUNS)))
    (none, none_ci), *prepared = gains
    for gain, ci in prepared:
        assert gain - none > none_ci + ci, gains


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from(["linear", "boulware", "conceder", "tit_for_tat"]),
       st.floats(0.0, 1.0), st.integers(2, 12))
def test_a_fully_prepared_leader_never_signs_below_its_true_no_deal_value(seed, tactic, prep_b, rounds):
    doc = three_issues(1.0, prep_b, rounds=rounds, tactic=tactic)
    model = SummitModel(spec_of(doc), np.arange(200, dtype=np.uint64), seed)
    out = model.replay()
    a = model.leader["a"]
    walk_away = utility(out.status_quo, a.ideal, a.salience) - a.threat_cost
    signed = utility(out.agreed, a.ideal, a.salience)
    assert (signed[out.deal] >= walk_away[out.deal] - 1e-9).all()


def test_turning_learning_off_needs_a_source():
    doc = three_issues(0.5)
    doc["protocol"]["learning"] = "none"
    with pytest.raises(ScenarioError, match="learning_source"):
        validate(doc, "test")


def test_a_talks_meeting_signs_nothing_but_each_side_learns_the_others_priorities():
    doc = three_issues(0.2, 0.2)
    doc["protocol"]["mandate"], doc["protocol"]["mandate_source"] = "talks", SRC
    talks = replay(spec_of(doc), RUNS, 4)
    doc["protocol"]["learning"], doc["protocol"]["learning_source"] = "none", SRC
    silent = replay(spec_of(doc), RUNS, 4)
    assert not talks.deal.any()
    learned = talks.learned.mean(axis=1) - 1.96 * talks.learned.std(axis=1) / np.sqrt(RUNS)
    assert (learned > 0).all()  # each side ends misjudging the other less, beyond doubt
    np.testing.assert_array_equal(silent.learned, 0.0)

"""Go/no-go: what a leader expects from the talks (Leader.anticipated_gain) is an equal share of
the gain it believes the table could give it, and nothing where no deal can be signed. A textbook
value, the threshold it sets on the cost of meeting, and what the mandate and the zone of
agreement do to it, each against the same table without the change."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import SRC, drawn_table, one_issue, p, seated_alike, spec_of, table
from sim.model import SummitModel
from sim.replay import replay

RUNS = 200


def split_the_pie(cost_a: float = 0.0) -> dict:
    """One issue at 0.5, both leaders' walk-away fixed at 0: B would sign anything up to A's ideal,
    so A believes the table could move it from 0.5 to 1, a gain of 0.5 of its stakes."""
    doc = one_issue(0.9, 0.9, rounds=4, sq=0.5, tactic="linear", disagreement=0.0)
    doc["leaders"]["a"]["meeting_cost"] = p(cost_a)
    return doc


def test_two_leaders_expect_half_the_gain_they_believe_the_table_holds():
    model = SummitModel(spec_of(split_the_pie()), np.arange(RUNS), 7)
    for leader in model.order:
        np.testing.assert_allclose(leader.anticipated_gain(), 0.25, atol=1e-12)


@pytest.mark.parametrize(("cost", "held"), [(0.24, True), (0.26, False)])
def test_a_leader_meets_when_its_share_covers_the_cost_of_meeting(cost, held):
    out = replay(spec_of(split_the_pie(cost)), RUNS, 7)
    assert out.held.all() == held and (~out.held).all() == (not held)
    assert out.wants_meeting[1].all()


def test_a_meeting_to_talk_promises_nothing_to_bargain_for():
    doc = split_the_pie(0.05)
    doc["leaders"]["a"]["status_value"] = p(0.04)
    signing = replay(spec_of(doc), RUNS, 7)
    doc["protocol"]["mandate"], doc["protocol"]["mandate_source"] = "talks", SRC
    talks = replay(spec_of(doc), RUNS, 7)
    assert signing.held.all()
    assert not talks.held.any() and not talks.wants_meeting[0].any()   # status 0.04 < cost 0.05


def test_a_table_without_a_zone_of_agreement_promises_nothing():
    doc = split_the_pie()
    doc["leaders"]["b"]["max_concession"] = {"pie": p(0.1)}     # B allows the pie up to 0.6 at most
    doc["leaders"]["a"]["red_lines"] = {"pie": {"value": 0.8, "source": SRC}}
    spec = spec_of(doc)
    model = SummitModel(spec, seated_alike(spec, RUNS, 7), 7)
    assert not model.zone.any()
    for leader in model.order:
        np.testing.assert_array_equal(leader.anticipated_gain(), 0.0)


@pytest.mark.parametrize("seats", [2, 3, 4])
def test_a_table_of_n_splits_the_gain_n_ways(seats):
    """Each leader wants one issue moved that no other cares about: every leader believes the
    table could give it its whole stakes, and expects one n-th of them."""
    keys = "abcd"[:seats]
    doc = table({k: {i: float(i == k) for i in keys} for k in keys},
                {k: {i: float(i == k) for i in keys} for k in keys}, rounds=4, sq={i: 0.0 for i in keys})
    spec = spec_of(doc)
    model = SummitModel(spec, seated_alike(spec, RUNS, 7), 7)
    for leader in model.order:
        np.testing.assert_allclose(leader.best_they_would_sign() - leader.perceived_value(model.status_quo), 1.0)
        np.testing.assert_allclose(leader.anticipated_gain(), 1.0 / seats, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_every_leader_expects_its_share_of_the_best_text_it_believes_the_others_sign(data):
    seats = data.draw(st.integers(2, 4))
    doc = drawn_table(data.draw, seats, st.integers(2, 6), st.sampled_from(["linear", "boulware", "tit_for_tat"]))
    spec, seed = spec_of(doc), data.draw(st.integers(0, 2**31))
    model = SummitModel(spec, seated_alike(spec, 50, seed), seed)
    for leader in model.order:
        expected = leader.anticipated_gain()
        believed = leader.best_they_would_sign() - leader.perceived_value(model.status_quo)
        assert (expected >= 0.0).all()
        np.testing.assert_allclose(expected, np.where(model.zone, np.maximum(believed, 0.0) / seats, 0.0), atol=1e-12)


def test_the_story_of_a_replay_says_what_each_leader_weighed_in_coming():
    from sim.report import story

    spec = spec_of(split_the_pie(0.26))
    out = replay(spec, 1, 7, trace=True)
    text = story(out, spec)
    assert "A does not want the meeting: 0.25 expected from the talks, +0.00 from the meeting itself, " \
           "against a cost at home of 0.26." in text
    assert "B wants the meeting: 0.25 expected from the talks" in text
    assert "The meeting is cancelled" in text
    assert not replay(spec, 1, 7).go_no_go   # kept only where the replay is traced

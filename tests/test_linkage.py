"""Mechanisms the record needs (issue 15, in part): a talks mandate signs nothing; packages move
whole or not at all; a leader's required issues must move; red lines bind every deal; a threat
can be tied to the meeting not being held. Textbook tables and hypothesis properties, on common
random numbers so that each mechanism is compared run by run with the table without it."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import SRC, p, spec_of, table
from sim.errors import ScenarioError
from sim.linkage import MOVED
from sim.loader import validate
from sim.replay import replay


def two_issue_table(tactic: str = "linear", rounds: int = 6) -> dict:
    """A knows B cares about x and A about y: the cheapest deal moves x and leaves y alone."""
    return table({"a": {"x": 1.0, "y": 1.0}, "b": {"x": 0.0, "y": 0.0}},
                 {"a": {"x": 0.2, "y": 0.8}, "b": {"x": 0.8, "y": 0.2}}, rounds=rounds,
                 sq={"x": 0.5, "y": 0.5}, tactic=tactic)


def test_a_talks_mandate_signs_nothing_but_the_meeting_is_held():
    doc = two_issue_table()
    signing = replay(spec_of(doc), 300, 1)
    doc["protocol"]["mandate"], doc["protocol"]["mandate_source"] = "talks", SRC
    talks = replay(spec_of(doc), 300, 1)
    assert signing.deal.mean() > 0.5
    assert not talks.deal.any() and np.array_equal(talks.held, signing.held)
    assert np.array_equal(talks.final, talks.status_quo) or talks.joint_statement.any()


def test_a_mandate_needs_its_source():
    doc = two_issue_table()
    doc["protocol"]["mandate"] = "talks"
    with pytest.raises(ScenarioError, match="mandate_source"):
        validate(doc, "test")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from(["linear", "boulware", "conceder", "tit_for_tat"]))
def test_every_signed_deal_moves_a_package_whole_or_not_at_all(seed, tactic):
    doc = two_issue_table(tactic)
    doc["protocol"]["packages"] = {"both": {"issues": ["x", "y"], "source": SRC}}
    out = replay(spec_of(doc), 200, seed)
    moved = np.abs(out.agreed - out.status_quo) > MOVED
    deals = out.deal
    assert (moved[:, deals].all(axis=0) | ~moved[:, deals].any(axis=0)).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.sampled_from(["linear", "boulware", "conceder"]))
def test_a_required_issue_moves_in_every_deal_and_requiring_never_adds_deals(seed, tactic):
    doc = two_issue_table(tactic)
    free = replay(spec_of(doc), 200, seed)
    doc["leaders"]["a"]["requires"], doc["leaders"]["a"]["requires_source"] = ["y"], SRC
    bound = replay(spec_of(doc), 200, seed)
    y = 1
    assert (np.abs(bound.agreed[y, bound.deal] - bound.status_quo[y, bound.deal]) > MOVED).all()
    assert not (bound.deal & ~free.deal).any()  # run by run: linkage only ever removes deals


def test_requiring_an_issue_the_other_side_cannot_move_means_no_deal():
    doc = two_issue_table()
    doc["leaders"]["b"]["max_concession"] = {"y": p(0.0)}  # B will not give an inch on y
    doc["leaders"]["a"]["requires"], doc["leaders"]["a"]["requires_source"] = ["y"], SRC
    out = replay(spec_of(doc), 300, 3, trace=True)
    assert not out.deal.any()


def test_the_story_says_why_a_text_everyone_accepts_is_not_signed():
    from sim.report import story

    doc = two_issue_table()
    doc["leaders"]["b"]["max_concession"] = {"y": p(0.0)}
    doc["leaders"]["a"]["requires"], doc["leaders"]["a"]["requires_source"] = ["y"], SRC
    spec = spec_of(doc)
    out = replay(spec, 100, 3, trace=True)
    agreed_but_unsigned = [r for r in range(100) if any(
        all(v[r] for v in rec["answers"].values()) and rec["active"][r] for rec in out.trace)]
    assert agreed_but_unsigned, "the table must produce a text both accept"
    told = story(replay(spec, 1, 3, first_run=agreed_but_unsigned[0], trace=True), spec)
    assert "Not signed: it leaves every issue at the status quo; A will not sign without Y." in told


def test_a_text_that_moves_nothing_is_not_a_deal():
    """Loss-averse leaders who cannot trade may both accept the status quo itself; there is nothing to
    sign, and the story says so."""
    from sim.report import story

    doc = table({"a": {"x": 1.0, "y": 0.0}, "b": {"x": 0.0, "y": 1.0}},
                {"a": {"x": 0.6, "y": 0.4}, "b": {"x": 0.4, "y": 0.6}}, 12, {"x": 0.5, "y": 0.5})
    doc["protocol"]["loss_aversion"] = p(2.0)
    spec = spec_of(doc)
    out = replay(spec, 1, 1, trace=True)
    last = out.trace[-1]
    assert all(v[0] for v in last["answers"].values()) and np.allclose(last["offer"][:, 0], 0.5)
    assert not out.deal[0]
    assert "Not signed: it leaves every issue at the status quo." in story(out, spec)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.floats(0.5, 0.9))
def test_every_signed_deal_respects_every_red_line(seed, line):
    doc = two_issue_table()
    doc["leaders"]["a"]["red_lines"] = {"x": {"value": line, "source": SRC}}
    out = replay(spec_of(doc), 200, seed)
    assert (out.agreed[0, out.deal] >= line - 1e-9).all()  # A's ideal on x is 1: up from the status quo


def test_a_red_line_beyond_what_the_other_allows_means_no_talks():
    doc = two_issue_table()
    doc["leaders"]["b"]["max_concession"] = {"x": p(0.1)}        # B tolerates x up to 0.6 at most
    doc["leaders"]["a"]["red_lines"] = {"x": {"value": 0.8, "source": SRC}}
    out = replay(spec_of(doc), 200, 1)
    assert not out.deal.any()


def test_a_threat_tied_to_no_meeting_is_carried_out_only_when_there_is_none():
    doc = two_issue_table()
    doc["leaders"]["a"].update(tactic="two_part", threat=p(0.5), sanctions_issue="x", sanctions_issue_source=SRC,
                               credibility=p(1.0),
                               threat_if="not_held", threat_if_source=SRC, meeting_cost=p(0.0))
    doc["leaders"]["b"]["status_value"] = {"uniform": [0.0, 0.3], "source": SRC}   # B sometimes stays away
    doc["leaders"]["b"]["meeting_cost"] = p(0.34)   # B expects 0.19 from the talks: it goes at a status over 0.15
    out = replay(spec_of(doc), 400, 2)
    assert (~out.held).any() and out.held.any()
    executed = out.sanctions[0] > 0
    assert np.array_equal(executed, ~out.held)
    without = copy.deepcopy(doc)
    del without["leaders"]["a"]["threat_if"], without["leaders"]["a"]["threat_if_source"]
    default = replay(spec_of(without), 400, 2)
    assert not (default.sanctions[0][~default.held] > 0).any()  # the default: only after a failed meeting


def test_an_event_effect_can_be_a_distribution_drawn_per_run():
    from sim.model import SummitModel

    doc = two_issue_table()
    doc["events"] = {"quarrel": {"label": "A quarrel", "when": "pre", "probability": p(1.0),
                                 "effects": [{"target": "leaders.a.resolve", "add": {"uniform": [0.1, 0.3],
                                                                                     "source": SRC}}]}}
    spec = spec_of(doc)
    assert "events.quarrel.effects.0.add" in spec.draws
    model = SummitModel(spec, np.arange(500, dtype=np.uint64), 4)
    shift = model.leader["a"].resolve - model.values["leaders.a.resolve"]
    assert shift.min() >= 0.1 - 1e-12 and shift.max() <= 0.3 + 1e-12 and shift.std() > 0.03
    assert np.allclose(shift, model.values["events.quarrel.effects.0.add"])
    doc["events"]["quarrel"]["effects"][0]["add"] = {"uniform": [0.0, 5.0], "source": SRC}
    with pytest.raises(ScenarioError, match="at most 1 either way"):
        validate(doc, "test")

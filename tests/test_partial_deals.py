"""Partial deals (sim/partial_deals.py): where the talks end with nothing signed, the leaders sign,
agreement by agreement, what each would sign on that agreement's own issues.

The vectorised rule is checked run by run against its words on random tables; the model is
checked on a textbook table where one issue is shared and one is fought over, so that no text over
both can meet both leaders' reservations but the shared issue alone can."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from builders import drawn_table, p, spec_of, table
from sim.errors import ScenarioError
from sim.loader import validate
from sim.model import SummitModel
from sim.partial_deals import TOLERANCE, best_part, units_of, unopposed
from sim.replay import replay
from sim.seating import orders

RUNS = 400


def test_units_merge_packages_that_share_an_issue():
    mask = lambda *i: np.isin(np.arange(5), i)  # noqa: E731
    units = units_of(5, (mask(0, 1), mask(1, 2), mask(4,)))
    assert sorted(tuple(np.flatnonzero(u)) for u in units) == [(0, 1, 2), (3,), (4,)]


@st.composite
def tables(draw):
    issues, leaders, texts, runs = draw(st.integers(1, 5)), draw(st.integers(2, 3)), draw(st.integers(1, 3)), 6
    value = st.floats(-1.0, 1.0)
    sq = draw(arrays(float, (issues, runs), elements=st.floats(0, 1)))
    # some issues of some texts left exactly at the status quo
    texts_ = [np.where(draw(arrays(bool, (issues, runs))), sq,
                       draw(arrays(float, (issues, runs), elements=st.floats(0, 1)))) for _ in range(texts)]
    # each leader's gain is a function of the text: a rate per unit moved on each issue
    rates = [draw(arrays(float, (issues, runs), elements=value)) for _ in range(leaders)]
    gains = [[rate * (t - sq) for rate in rates] for t in texts_]
    floors = [draw(arrays(float, (issues, runs), elements=st.floats(0, 0.5))) for _ in range(leaders)]
    walk_away = [draw(arrays(float, runs, elements=st.floats(-0.5, 0.5))) for _ in range(leaders)]
    package = draw(st.lists(st.integers(0, issues - 1), max_size=3, unique=True))
    packages = (np.isin(np.arange(issues), package),) if len(package) > 1 else ()
    must_sign = draw(arrays(bool, (issues, runs), elements=st.sampled_from([False, False, False, True])))
    return texts_, gains, floors, walk_away, sq, units_of(issues, packages), must_sign


@settings(max_examples=150, deadline=None)
@given(tables())
def test_each_agreement_is_signed_in_the_best_wording_every_leader_signs(case):
    """Run by run and agreement by agreement, the rule's words, against what best_part signs."""
    texts, gains, floors, walk_away, sq, units, must_sign = case
    signed, text = best_part(texts, gains, floors, walk_away, sq, units, must_sign)
    for r in range(sq.shape[1]):
        expected, totals, any_signed = sq[:, r].copy(), np.zeros(len(floors)), False
        for u in units:
            joints = {}
            for c, t in enumerate(texts):
                moved = (np.abs(t[u, r] - sq[u, r]) > 1e-6).all()
                cared = any(np.abs(g[u, r]).max() > TOLERANCE for g in gains[c])
                meets = all(g[u, r].sum() - f[u, r].sum() >= -TOLERANCE for g, f in zip(gains[c], floors, strict=True))
                if moved and cared and meets:
                    joints[c] = sum(g[u, r].sum() for g in gains[c])
            # the best wording; of wordings that tie within rounding, the first text's
            wording = next((c for c in joints if joints[c] >= max(joints.values()) - TOLERANCE), None)
            if wording is not None:
                any_signed = True
                expected[u] = texts[wording][u, r]
                totals += [g[u, r].sum() for g in gains[wording]]
        no_worse = all(x >= w[r] - TOLERANCE for x, w in zip(totals, walk_away, strict=True))
        kept_in_bounds = np.all((expected != sq[:, r]) | ~must_sign[:, r])
        assert signed[r] == (any_signed and no_worse and kept_in_bounds)
        np.testing.assert_array_equal(text[:, r], expected if signed[r] else sq[:, r])


def shared_and_fought(**protocol) -> dict:
    """Trade helps both (both ideals 1, status quo 0); the border is fought over (A wants 1, B 0,
    status quo 0.5). Each leader holds out for 90% of what it could get: no text over both issues
    meets both reservations, but trade alone meets both."""
    doc = table({"a": {"trade": 1.0, "border": 1.0}, "b": {"trade": 1.0, "border": 0.0}},
                {"a": {"trade": 0.5, "border": 0.5}, "b": {"trade": 0.5, "border": 0.5}},
                4, {"trade": 0.0, "border": 0.5})
    for lead in doc["leaders"].values():
        lead["resolve"] = p(0.9)
    doc["protocol"].update(copy.deepcopy(protocol))
    return doc


def test_a_shared_issue_is_signed_apart_from_a_fought_one():
    whole = replay(spec_of(shared_and_fought(agreements="whole", agreements_source="t: a single text")), RUNS, 3)
    parts = replay(spec_of(shared_and_fought()), RUNS, 3)
    assert not whole.deal.any()
    assert parts.deal.all() and parts.partial.all()
    assert (parts.deal_round == 4).all()
    trade, border = parts.issues.index("trade"), parts.issues.index("border")
    assert (parts.agreed[trade] > 0.5).all()       # trade moved toward both ideals
    np.testing.assert_array_equal(parts.agreed[border], parts.status_quo[border])
    assert (parts.gain > whole.gain).all()          # both leaders gain from what was signed


def test_a_package_keeps_the_shared_issue_hostage():
    package = {"all": {"issues": ["trade", "border"], "source": "t: nothing agreed until everything is"}}
    out = replay(spec_of(shared_and_fought(packages=package)), RUNS, 3)
    assert not out.deal.any()


def test_a_meeting_for_talks_signs_no_part():
    out = replay(spec_of(shared_and_fought(mandate="talks", mandate_source="t: a meeting to take measure")), RUNS, 3)
    assert not out.deal.any()


def test_a_leader_requiring_the_fought_issue_signs_no_part():
    doc = shared_and_fought()
    doc["leaders"]["a"].update(requires=["border"], requires_source="t: no deal without the border")
    out = replay(spec_of(doc), RUNS, 3)
    assert not out.partial.any()


def test_a_deal_over_every_issue_is_not_partial():
    doc = shared_and_fought()
    for lead in doc["leaders"].values():
        lead["resolve"] = p(0.1)
    out = replay(spec_of(doc), RUNS, 3)
    assert out.deal.all() and not out.partial.any()


def test_a_single_text_needs_a_source():
    with pytest.raises(ScenarioError, match="agreements_source"):
        validate(shared_and_fought(agreements="whole"), "test")


@st.composite
def drawn_tables(draw):
    """Tables of two or three with drawn ideals, priorities, resolves, perception noise and
    preparation, where partial deals come often."""
    unit = st.floats(0.0, 1.0)
    doc = drawn_table(draw, draw(st.integers(2, 3)), st.integers(1, 6), st.sampled_from(["boulware", "linear"]),
                      issues=("x", "y", "z", "w"))
    doc["protocol"]["perception_noise"] = p(draw(st.floats(0.0, 0.8)))
    for lead in doc["leaders"].values():
        lead["preparation"] = p(draw(unit))
        lead["resolve"] = p(draw(st.floats(0.3, 1.0)))
    return doc


@settings(max_examples=25, deadline=None)
@given(drawn_tables(), st.integers(0, 2**32))
def test_every_agreement_of_a_partial_deal_meets_each_leaders_floor_on_it(doc, seed):
    """In a whole replay: a partial deal comes only at the deadline of talks that agreed no text,
    leaves every issue it does not sign at the status quo, and gives every leader, as it perceives
    it, at least its floor on every issue it signs."""
    spec = spec_of(doc)
    model = SummitModel(spec, np.arange(48, dtype=np.uint64), seed, seats=orders(spec)[0])
    out = model.replay()
    part = out.partial
    assert (out.deal[part]).all() and (out.deal_round[part] == spec.rounds).all()
    assert not (part & (out.walked_out.any(axis=0) | ~out.held)).any()
    signed = np.abs(out.agreed - out.status_quo) > 1e-6
    for leader in model.order:
        short = leader.issue_gains(out.agreed) - leader.floors()
        assert (short[signed & part[None, :]] >= -1e-9).all()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_claim_on_an_issue_alone_reaches_only_as_far_as_no_other_leader_loses(data):
    """partial_deals.unopposed (change 24): the opening moved toward the status quo, and no farther
    than the first point where another leader who cares would lose on that issue."""
    issues, runs, others = data.draw(st.integers(1, 4)), 5, data.draw(st.integers(1, 3))
    unit = st.floats(0.0, 1.0)
    x, sq = (data.draw(arrays(float, (issues, runs), elements=unit)) for _ in range(2))
    ideals = [data.draw(arrays(float, (issues, runs), elements=unit)) for _ in range(others)]
    cares = [data.draw(arrays(bool, (issues, runs))) for _ in range(others)]
    got = unopposed(x, sq, ideals, cares)
    assert (np.minimum(x, sq) - 1e-12 <= got).all() and (got <= np.maximum(x, sq) + 1e-12).all()
    binding = np.zeros(x.shape, dtype=bool)
    for ideal, care in zip(ideals, cares, strict=True):
        room = np.abs(sq - ideal) - np.abs(got - ideal)
        assert (room[care] >= -1e-12).all()          # no one who cares loses
        binding |= care & (np.abs(room) <= 1e-12)
    assert (np.isclose(got, x, rtol=0, atol=1e-12) | binding).all()  # and it stops only where one would


def test_a_leader_claims_a_share_of_what_the_others_would_sign_on_an_issue_alone():
    """Kalai-Smorodinsky's utopia point on one issue: A wants 0.3 and B wants 1 over a status quo of
    0, so B can attain at most 0.6 (past it, A is worse off than at 0). B's floor is its claimed
    share, its resolve at a table of two, of the gain at 0.6; A's, of the gain at its own 0.3.
    In a package the opening still counts: there the issues trade."""
    doc = table({"a": {"x": 0.3, "y": 0.5}, "b": {"x": 1.0, "y": 0.5}},
                {"a": {"x": 0.5, "y": 0.5}, "b": {"x": 0.5, "y": 0.5}}, 4, {"x": 0.0, "y": 0.5})
    doc["leaders"]["a"]["resolve"], doc["leaders"]["b"]["resolve"] = p(0.7), p(0.4)
    for packages in ({}, {"both": {"issues": ["x", "y"], "source": "t: agreed together or not at all"}}):
        doc["protocol"]["packages"] = packages
        spec = spec_of(doc)
        model = SummitModel(spec, np.arange(3, dtype=np.uint64), 1, seats=orders(spec)[0])
        a, b = model.order
        x = list(spec.issues).index("x")
        reach = 1.0 if packages else 0.6
        np.testing.assert_allclose(b.floors()[x], 0.4 * 0.5 * reach, rtol=1e-12)
        np.testing.assert_allclose(a.floors()[x], 0.7 * 0.5 * 0.3, rtol=1e-12)


def test_an_issue_every_leader_wants_moved_one_way_is_signed_toward_the_nearer_ideal():
    """Change 25: a concession made to trade is not one a leader makes on an issue alone. B gives
    the shared issue away past its own ideal in its whole texts to buy the fought one, so no text
    on the table moves the shared issue to a point B gains by; worded alone, B's text stops at its
    own 0.4, which A (who wants 1) gains by too, and that is signed. The fought issue, over which
    no one gains without the other losing, stays where it stood."""
    doc = table({"a": {"shared": 1.0, "fought": 1.0}, "b": {"shared": 0.4, "fought": 0.0}},
                {"a": {"shared": 0.6, "fought": 0.4}, "b": {"shared": 0.1, "fought": 0.9}},
                4, {"shared": 0.0, "fought": 0.5})
    # A claims 0.45 of what it could attain on the shared issue alone: 0.8, where B begins to lose
    # (change 24), so 0.4 meets its floor; against its own opening (1) it would not
    doc["leaders"]["a"]["resolve"], doc["leaders"]["b"]["resolve"] = p(0.45), p(0.9)
    spec = spec_of(doc)
    model = SummitModel(spec, np.arange(RUNS, dtype=np.uint64), 3, seats=orders(spec)[0])
    out = model.replay()
    shared, fought = out.issues.index("shared"), out.issues.index("fought")
    a, b = model.order
    table_b = model.on_the_table["b"][shared]
    assert (table_b > 0.4 + 1e-9).all()             # B's last whole text gives the shared issue past 0.4
    assert out.partial.all()
    np.testing.assert_allclose(out.agreed[shared], 0.4)  # signed alone at B's own ideal
    np.testing.assert_array_equal(out.agreed[fought], out.status_quo[fought])
    for leader in (a, b):
        assert (leader.issue_gains(out.agreed)[shared] > 0).all()

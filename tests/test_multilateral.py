"""Three or more leaders at one table, and a mediator: unanimity, rotation, and what a deal guarantees."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import drawn_table, p, spec_of, table
from sim import seating
from sim.loader import ScenarioError, validate
from sim.replay import replay, replay_runs

ISSUES = ("x", "y", "z")
unit = st.floats(0.0, 1.0)
MEDIATOR = {"name": "Broker", "bias": p(0.0), "leverage": p(0.0), "skill": p(1.0)}


@st.composite
def tables(draw):
    doc = drawn_table(draw, draw(st.integers(3, 5)), st.integers(1, 12),
                      st.sampled_from(["boulware", "conceder", "linear", "tit_for_tat"]), ISSUES)
    for lead in doc["leaders"].values():
        lead["patience"] = p(draw(st.floats(0.5, 1.0)))
        lead["resolve"] = p(draw(unit))
        lead["max_concession"] = {i: p(draw(unit)) for i in ISSUES}
    if draw(st.booleans()):
        doc["mediators"] = {"broker": {**MEDIATOR, "bias": p(draw(unit)), "skill": p(draw(unit))}}
    return doc


@settings(max_examples=40, deadline=None)
@given(tables())
def test_every_leader_accepts_and_proposers_rotate(doc):
    """The first proposer opens; the others follow in the order their runs sit in (sim.seating),
    then any mediator, round after round."""
    spec = spec_of(doc)
    runs = np.arange(64, dtype=np.uint64)
    for where, order in seating.groups(spec, runs, 1):
        out = replay_runs(spec, runs[where], 1, trace=True)
        seats = [*order, *spec.mediators]
        for rec in out.trace:
            assert rec["proposer"] == seats[(rec["round"] - 1) % len(seats)]
            answering = set(spec.leaders) - ({rec["proposer"]} if rec["proposer"] in spec.leaders else set())
            assert set(rec["answers"]) == answering
            unanimous = np.logical_and.reduce(list(rec["answers"].values()))
            assert not (rec["accepted"] & ~unanimous).any()
            assert not (rec["accepted"] & ~rec["active"]).any()
        assert (out.deal == (out.deal_round > 0)).all()


@settings(max_examples=40, deadline=None)
@given(tables())
def test_a_deal_is_within_every_ceiling_and_leaves_no_prepared_leader_worse_off(doc):
    """Perfectly prepared leaders with no flattery or side payments accept only what beats walking away."""
    spec = spec_of(doc)
    out = replay(spec, 16, seed=2)
    sq = out.status_quo
    for i, key in enumerate(out.leaders):
        ideal = np.array([doc["leaders"][key]["ideal"][k]["value"] for k in ISSUES])[:, None]
        ceiling = np.array([doc["leaders"][key]["max_concession"][k]["value"] for k in ISSUES])[:, None]
        worse_by = np.abs(out.final - ideal) - np.abs(sq - ideal)
        assert (worse_by <= ceiling + 1e-9).all()
        assert (out.parts[i, 0][out.deal] >= -1e-9).all()
    assert np.array_equal(out.final[:, ~out.deal], sq[:, ~out.deal])


@settings(max_examples=30, deadline=None)
@given(tables(), st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_a_mediator_who_pays_more_never_makes_a_deal_less_likely(doc, low, extra):
    """Common random numbers, run by run: histories agree until the richer text is signed sooner."""
    doc["mediators"] = {"broker": {**MEDIATOR, "leverage": p(low)}}
    cheap = replay(spec_of(doc), 64, seed=3)
    doc["mediators"]["broker"]["leverage"] = p(low + extra)
    rich = replay(spec_of(doc), 64, seed=3)
    assert (rich.deal >= cheap.deal).all()
    both = cheap.deal
    assert (rich.deal_round[both] <= cheap.deal_round[both]).all()


@settings(max_examples=15, deadline=None)
@given(tables(), st.integers(1, 200), st.data())
def test_run_i_of_a_multilateral_batch_equals_run_i_alone(doc, size, data):
    spec = spec_of(doc)
    i = data.draw(st.integers(0, size - 1))
    batch, alone = replay(spec, size, seed=5), replay(spec, 1, seed=5, first_run=i)
    assert np.array_equal(batch.parts[..., i], alone.parts[..., 0])
    assert np.array_equal(batch.final[:, i], alone.final[:, 0])


@settings(max_examples=20, deadline=None)
@given(tables())
def test_one_leader_who_can_give_nothing_on_an_issue_holds_it_at_the_status_quo(doc):
    """Unanimity makes every leader a veto player: a zero ceiling on an issue one's ideal sits at fixes it there."""
    veto = doc["leaders"]["l2"]
    veto["ideal"]["x"] = doc["issues"]["x"]["status_quo"]
    veto["max_concession"]["x"] = p(0.0)
    out = replay(spec_of(doc), 64, seed=6)
    assert np.abs(out.final[0] - out.status_quo[0]).max() == 0, (out.final[0] - out.status_quo[0]).max()


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["leaders"]["a"].update(tactic="rational"), "'rational' is solved for two leaders"),
    (lambda d: d.update(mediators={"m1": MEDIATOR, "m2": MEDIATOR}), "mediators"),
    (lambda d: [d["leaders"].pop(k) for k in ("b", "c")], "2 to 8 leaders"),
])
def test_tables_the_protocol_cannot_play_are_refused(change, expected):
    ideals = {k: {"x": v} for k, v in (("a", 1.0), ("b", 0.0), ("c", 0.5))}
    doc = table(ideals, {k: {"x": 1.0} for k in ideals}, 6, {"x": 0.5})
    change(doc)
    with pytest.raises(ScenarioError) as err:
        validate(doc, "test document")
    assert expected in err.value.message()

"""Properties every replay must have, whatever the parameters (hypothesis over scenarios)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import SRC, one_issue, p, spec_of
from sim.loader import load
from sim.replay import replay
from sim.schema import TACTICS
from sim.seating import orders
from sim.spec import compile_scenario

unit = st.floats(0.0, 1.0)


@st.composite
def scenarios(draw):
    doc = one_issue(draw(st.floats(0.5, 0.99)), draw(st.floats(0.5, 0.99)), draw(st.integers(1, 10)),
                    sq=draw(unit), tactic=draw(st.sampled_from(TACTICS)), disagreement=None,
                    a={"threat": 0.2, "sanctions_issue": "pie", "sanctions_issue_source": SRC},
                    b={"threat": 0.2, "sanctions_issue": "pie", "sanctions_issue_source": SRC})
    doc["issues"]["side"] = {"label": "Side", "status_quo": p(draw(unit)), "touches": ["friend"]}
    doc["issues"]["story"] = {"label": "Story", "status_quo": p(draw(unit)), "symbolic": True}
    for who in ("a", "b"):
        lead = doc["leaders"][who]
        w = [draw(st.floats(0.01, 1.0)) for _ in range(3)]
        lead["salience"] = {k: p(x / sum(w)) for k, x in zip(("pie", "side", "story"), w, strict=True)}
        for k in ("side", "story"):
            lead["ideal"][k] = p(draw(unit))
        for k in ("preparation", "persuasion", "flattery_susceptibility", "resolve", "credibility",
                  "narrative_control", "consultation"):
            lead[k] = {"uniform": [0.0, draw(unit)], "source": "t: drawn"}
        lead["status_value"] = p(draw(st.floats(0, 0.5)))
        lead["meeting_cost"] = p(draw(st.floats(0, 0.5)))
    doc["protocol"]["perception_noise"] = p(draw(st.floats(0, 1)))
    doc["protocol"]["joint_statement"] = p(draw(unit))
    doc["allies"] = {"friend": {"name": "Friend", "bloc": "a", "interest": {"side": p(draw(unit))},
                                "cohesion": p(draw(unit)), "weight": p(0.1), "wariness": p(draw(unit))}}
    doc["legislatures"] = {"parl": {"name": "Parl", "of": "b", "ideal": {"pie": p(0.0)},
                                    "tolerance": p(draw(st.floats(-0.2, 0.5))), "noise": p(0.05),
                                    "hostility": p(draw(unit)), "backlash": p(draw(unit))}}
    doc["issues"]["pie"]["ratified_by"] = ["parl"]
    doc["advisers"] = {"aide": {"name": "Aide", "serves": "a", "ideal": {"pie": p(draw(unit))},
                                "influence": p(draw(unit)), "briefing": p(draw(unit)),
                                "in_room": draw(st.booleans())}}
    return doc


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.integers(0, 2**32))
def test_every_replay_is_well_formed(doc, seed):
    out = replay(spec_of(doc), runs=64, seed=seed)
    assert np.isfinite(out.parts).all()
    assert (out.final >= 0).all() and (out.final <= 1).all()
    assert not (out.deal & ~out.held).any(), "no deal without a meeting"
    assert (out.deal_round[out.deal] >= 1).all() and (out.deal_round[~out.deal] == 0).all()
    np.testing.assert_array_equal(out.agreed[:, ~out.deal], out.status_quo[:, ~out.deal])
    for k in out.cohesion_end:
        assert (out.cohesion_end[k] >= 0).all() and (out.cohesion_end[k] <= 1).all()
    broke = out.walked_out.any(axis=0)
    np.testing.assert_array_equal(out.parts[:, 1][:, ~out.held | broke], 0.0)  # no meeting, or a rupture: no status
    np.testing.assert_allclose(out.gain, out.parts.sum(axis=1))
    assert not (broke & (out.deal | out.joint_statement | ~out.held)).any(), "a walk-out ends talks without a text"
    rounds = doc["protocol"]["rounds"]
    assert ((out.walkout_round[broke] >= 2) & (out.walkout_round[broke] <= rounds)).all()
    assert (out.walkout_round[~broke] == 0).all() and (out.warmth[:, broke] == 0).all()
    assert not any(v.any() for v in out.withdrawn.values()), "without events before the vote nothing is withdrawn"


@settings(max_examples=25, deadline=None)
@given(scenarios(), st.integers(0, 2**32))
def test_no_leader_signs_below_what_it_perceives_as_walking_away(doc, seed):
    """A signed deal lies inside every ceiling and win-set known before the summit."""
    spec = spec_of(doc)
    from sim.model import SummitModel

    model = SummitModel(spec, np.arange(64, dtype=np.uint64), seed, seats=orders(spec)[0])  # any order will do
    out = model.replay()
    lo, hi = model.box
    inside = (out.agreed >= lo - 1e-9) & (out.agreed <= hi + 1e-9)
    assert inside[:, out.deal].all()


def test_helsinki_gains_split_into_their_parts_and_allies_react():
    out = replay(compile_scenario(load("helsinki-2018")), 2000, 1)
    assert out.held.mean() > 0.5 and 0 < out.deal.mean() < 1
    assert set(out.cohesion_end) == {"nato-europe", "uk", "ukraine"}
    np.testing.assert_allclose(out.gain, out.parts.sum(axis=1))

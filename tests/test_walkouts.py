"""Walk-outs (Leader.walks_out): a leader leaves the table when it expects nothing it could
accept and staying costs it more than leaving. Textbook tables compared run by run with the same
table where walk-outs are not allowed, and the outcome as every interface reports it."""

import json

import numpy as np
import pytest

from builders import SRC, p, spec_of, table
from sim.errors import ScenarioError
from sim.loader import validate
from sim.replay import replay

RUNS = 400


def stubborn_table(walkouts: bool = True, ally: bool = True, audience_cost: float = 0.0) -> dict:
    """A asks for everything and will settle for nothing less (resolve 1); B offers a fair split.
    A has an ally that rewards firmness, or an audience that dislikes warmth toward B, or neither."""
    doc = table({"a": {"x": 1.0, "y": 1.0}, "b": {"x": 0.0, "y": 0.0}},
                {"a": {"x": 0.5, "y": 0.5}, "b": {"x": 0.5, "y": 0.5}}, rounds=8,
                sq={"x": 0.5, "y": 0.5})
    doc["protocol"]["joint_statement"] = p(1.0)
    doc["protocol"]["firmness_reward"] = p(0.3)
    doc["leaders"]["a"]["resolve"] = p(1.0)
    doc["leaders"]["a"]["audience_cost"] = p(audience_cost)
    doc["leaders"]["b"]["persuasion"] = p(0.5)
    doc["leaders"]["a"]["flattery_susceptibility"] = p(0.5)
    if ally:
        doc["allies"] = {"friend": {"name": "Friend", "bloc": "a", "cohesion": p(0.5), "weight": p(0.2),
                                    "wariness": p(0.5)}}
    if not walkouts:
        doc["protocol"]["walkouts"], doc["protocol"]["walkouts_source"] = "none", SRC
    return doc


def test_a_leader_who_expects_nothing_acceptable_walks_out_after_hearing_the_other_twice():
    out = replay(spec_of(stubborn_table()), RUNS, 5)
    stayed = replay(spec_of(stubborn_table(walkouts=False)), RUNS, 5)
    assert not stayed.deal.any() and not out.deal.any()
    assert out.walked_out[0].all() and not out.walked_out[1].any()
    # A proposes in odd rounds, so it has heard B twice (rounds 2 and 4) by round 5
    assert (out.walkout_round == 5).all() and (stayed.walkout_round == 0).all()
    # the talks broke up: no joint statement and no warm press conference; the ally rewards firmness
    assert stayed.joint_statement.all() and not out.joint_statement.any()
    assert (stayed.warmth[0] > 0).all() and (out.warmth == 0).all()
    assert (out.cohesion_end["friend"] > stayed.cohesion_end["friend"]).all()
    assert (out.gain[0] > stayed.gain[0]).all()


@pytest.mark.parametrize("audience_cost", [0.0, 0.4])
def test_a_leader_leaves_only_when_staying_costs_it_something(audience_cost):
    """With no ally to reward firmness, leaving pays only if the audience holds warmth against it."""
    out = replay(spec_of(stubborn_table(ally=False, audience_cost=audience_cost)), RUNS, 5)
    assert out.walked_out[0].all() == (audience_cost > 0) and out.walked_out[0].any() == (audience_cost > 0)


def test_a_leader_who_can_still_get_what_it_wants_stays():
    """Without resolve, and with priorities that differ so that trading the issues gains both, A
    stays and signs. (With equal priorities every text either prefers to the status quo costs the
    other as much: there is nothing to sign, and a text that moves nothing is no deal.)"""
    doc = stubborn_table()
    doc["leaders"]["a"]["resolve"] = p(0.0)
    doc["leaders"]["a"]["salience"] = {"x": p(0.7), "y": p(0.3)}
    doc["leaders"]["b"]["salience"] = {"x": p(0.3), "y": p(0.7)}
    out = replay(spec_of(doc), RUNS, 5)
    assert not out.walked_out.any() and out.deal.mean() > 0.9


def test_the_status_a_meeting_brings_keeps_a_leader_at_the_table():
    """Leaving forfeits the meeting's status (sim.standing): A, who leaves when the meeting is worth
    nothing to it in itself, stays to the end, run by run, once its status value outweighs the
    firmness its ally rewards, and stays only then."""
    doc = stubborn_table()
    left = replay(spec_of(doc), RUNS, 5)
    firmness = 0.3 * 0.2 * 0.5  # firmness_reward x the ally's weight x its wariness
    for status, stays in ((firmness - 0.01, False), (firmness + 0.01, True)):
        doc["leaders"]["a"]["status_value"] = p(status)
        out = replay(spec_of(doc), RUNS, 5)
        assert left.walked_out[0].all() and (out.walked_out[0] == (not stays)).all()
        assert (out.deal == left.deal).all() and not out.deal.any()


def shared_issue_table(shared: float) -> dict:
    """The stubborn table with a third issue, z, that both leaders want moved the same way and that
    weighs ``shared`` for each of them: no whole text A would sign is in sight, but z alone is."""
    doc = stubborn_table()
    rest = (1.0 - shared) / 2
    for key, ideal in (("a", 1.0), ("b", 0.0)):
        doc["leaders"][key]["ideal"]["z"] = p(1.0)
        doc["leaders"][key]["salience"] = {"x": p(rest), "y": p(rest), "z": p(shared)}
        assert doc["leaders"][key]["ideal"]["x"]["value"] == ideal
    doc["issues"]["z"] = {"label": "Z", "status_quo": p(0.0)}
    return doc


@pytest.mark.parametrize("shared", [0.02, 0.04, 0.2])
def test_a_leader_stays_for_what_it_believes_the_close_would_sign_apart(shared):
    """Staying to the deadline brings A the agreement on z signed on its own (sim.partial_deals),
    worth ``shared`` to it; leaving brings the firmness its ally rewards (0.03). A leaves, run by
    run, exactly where the firmness is worth more than the agreement it would sign, and where it
    stays, the close signs z alone, as A expected."""
    firmness = 0.3 * 0.2 * 0.5  # firmness_reward x the ally's weight x its wariness
    out = replay(spec_of(shared_issue_table(shared)), RUNS, 5)
    leaves = shared < firmness
    assert (out.walked_out[0] == leaves).all() and not out.walked_out[1].any()
    assert (out.partial == (not leaves)).all() and (out.deal == (not leaves)).all()
    if not leaves:
        np.testing.assert_allclose(out.agreed[2], 1.0)
        np.testing.assert_array_equal(out.agreed[:2], 0.5)  # x and y stay at the status quo
        assert (out.parts[0, 0] > 0).all()  # A gains z's worth


def test_a_walk_out_forfeits_every_leaders_status():
    """The meeting's status is realised only where it ends without a rupture: B, who was walked
    out on, keeps none of its status value either, while staying to the end would give it all of it."""
    doc = stubborn_table()
    doc["leaders"]["b"]["status_value"] = p(0.2)
    out = replay(spec_of(doc), RUNS, 5)
    doc["protocol"]["walkouts"], doc["protocol"]["walkouts_source"] = "none", SRC
    stayed = replay(spec_of(doc), RUNS, 5)
    assert out.walked_out[0].all() and not stayed.walked_out.any()
    np.testing.assert_array_equal(out.parts[:, 1], 0.0)
    np.testing.assert_array_equal(stayed.parts[1, 1], 0.2)  # no symbolic issue: the status value alone
    np.testing.assert_array_equal(out.parts[1, 2], stayed.parts[1, 2])  # and its domestic part is the same


def test_turning_walkouts_off_needs_a_source():
    doc = stubborn_table()
    doc["protocol"]["walkouts"] = "none"
    with pytest.raises(ScenarioError, match="walkouts_source"):
        validate(doc, "test")


def test_walkouts_reach_the_summary_the_frame_the_story_and_the_json(tmp_path, capsys):
    import yaml

    import sim
    from sim.cli import main

    path = tmp_path / "stubborn.yaml"
    path.write_text(yaml.safe_dump(stubborn_table()))
    result = sim.run(path, runs=200, seed=3)
    assert result.summary["walkout"] == 1.0 and result.summary["walkout_round"] == 5.0
    assert result.summary["leaders"]["a"]["walked_out"] == 1.0
    frame = result.frame()
    assert frame["walked_out.a"].all() and not frame["walked_out.b"].any() and (frame["walkout_round"] == 5).all()

    assert main(["run", str(path), "--runs", "50", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["walkout"] == 1.0 and printed["leaders"]["a"]["walked_out"] == 1.0
    assert main(["run", str(path), "--runs", "50"]) == 0
    assert "walk-out in 100.0% of replays, before round 5.0 of 8" in capsys.readouterr().out
    assert main(["run", str(path), "--runs", "5", "--trace", "0"]) == 0
    told = capsys.readouterr().out
    assert "A walks out before round 5" in told and "no one keeps the status" in told


def test_a_sweep_keeps_walkouts_what_was_learned_and_withdrawals_as_declared_columns():
    from sim.loader import load
    from sim.spec import compile_scenario
    from sim.sweeps.evaluate import columns, outcome_columns
    from sim.sweeps.sweepfile import OUTCOMES

    spec = compile_scenario(load("vienna-1961"))
    kept = ("walkout", "learned", "ratified")
    assert set(kept) <= set(OUTCOMES)
    out = replay(spec, 500, 3)
    values = outcome_columns(out, kept)
    declared = columns(spec, kept)
    assert set(values) == set(declared)
    assert {"walked_out.us", "walked_out.su", "walkout_round", "learned.us", "withdrawn.senate"} <= set(values)
    for name, kind in declared.items():
        assert values[name].dtype.kind == {"bool": "b", "int": "i", "float": "f"}[kind], name
    assert values["walked_out.su"].any() or values["walked_out.us"].any()


def test_the_walkout_sentence_names_every_leader_who_left_however_rarely():
    """Two leaders who each left in 0.04% of replays make a walk-out in 0.08%: both are named,
    neither as 0.0% (Tashkent 1966 printed empty brackets)."""
    from sim.report import walkout_sentence

    summary = {"walkout": 0.0008, "walkout_round": 5.4,
               "leaders": {"a": {"name": "A", "walked_out": 0.0004}, "b": {"name": "B", "walked_out": 0.0004},
                           "c": {"name": "C", "walked_out": 0.0}}}
    told = walkout_sentence(summary, 6)
    assert told.endswith("(A under 0.1%, B under 0.1%)") and "C" not in told
    assert walkout_sentence({**summary, "walkout": 0.0004}, 6) is None

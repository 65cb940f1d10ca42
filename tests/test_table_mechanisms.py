"""What scenario authors needed to write (issue 15): sides at a larger table, a mediator who pays
each party differently or leans to one, a text officials drafted before the summit, and events
between the summit and a legislature's vote, with the treaty withdrawn rather than voted down.
Each is compared run by run with the same textbook table without it."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import SRC, p, seated_alike, spec_of, table
from sim.errors import ScenarioError
from sim.loader import validate
from sim.replay import replay, replay_runs

RUNS = 300
MEDIATOR = {"name": "Broker", "bias": p(0.0), "leverage": p(0.0), "skill": p(1.0)}


def three_at_a_table() -> dict:
    """A, B and C; B's ally touches x, which everyone else wants moved far from its interest."""
    doc = table({"a": {"x": 1.0, "y": 0.0}, "b": {"x": 1.0, "y": 1.0}, "c": {"x": 1.0, "y": 0.5}},
                {k: {"x": 0.5, "y": 0.5} for k in "abc"}, rounds=6, sq={"x": 0.0, "y": 0.5})
    doc["issues"]["x"]["touches"] = ["friend"]
    doc["allies"] = {"friend": {"name": "Friend of B", "bloc": "b", "interest": {"x": p(0.0)},
                                "cohesion": p(0.8), "weight": p(0.3), "wariness": p(0.0)}}
    doc["leaders"]["b"]["consultation"] = p(0.0)
    doc["leaders"]["a"]["rival_fracture_value"] = p(1.0)
    return doc


def test_an_ally_of_a_leader_on_ones_own_side_drifting_away_is_no_gain():
    apart = replay(spec_of(three_at_a_table()), RUNS, 4)
    doc = three_at_a_table()
    for k in "ab":
        doc["leaders"][k]["side"], doc["leaders"][k]["side_source"] = "west", SRC
    together = replay(spec_of(doc), RUNS, 4)
    drift = apart.cohesion_start["friend"] - apart.cohesion_end["friend"]
    assert (drift > 0).any()
    np.testing.assert_allclose(apart.parts[0, 3], 0.3 * drift)       # counted as a rival's loss...
    np.testing.assert_allclose(together.parts[0, 3], 0.0)            # ...but not on one side
    np.testing.assert_array_equal(together.parts[1:], apart.parts[1:])


def test_a_side_needs_its_source():
    doc = three_at_a_table()
    doc["leaders"]["a"]["side"] = "west"
    with pytest.raises(ScenarioError, match="side_source"):
        validate(doc, "test")


def mediated(**broker) -> dict:
    """Two firm leaders who leave the last word to the broker's text (it drafts in rounds 3 and 6)."""
    doc = table({"a": {"x": 1.0, "y": 1.0}, "b": {"x": 0.0, "y": 0.0}},
                {"a": {"x": 0.7, "y": 0.3}, "b": {"x": 0.3, "y": 0.7}}, rounds=6, sq={"x": 0.5, "y": 0.5},
                tactic="boulware")
    for lead in doc["leaders"].values():
        lead["resolve"] = p(0.3)
    doc["mediators"] = {"broker": {**MEDIATOR, **broker}}
    return doc


def test_a_mediator_can_pay_each_party_its_own_price():
    out = replay(spec_of(mediated(leverage=p(0.1), payments={"a": p(0.3)})), RUNS, 6)
    same = replay(spec_of(mediated(leverage=p(0.1))), RUNS, 6)
    assert out.mediated.any()
    gap = out.parts[0, 0] - same.parts[0, 0]
    both = out.mediated & same.mediated & (out.deal_round == same.deal_round)
    both &= (np.abs(out.agreed - same.agreed) < 1e-12).all(axis=0)
    assert both.any()
    np.testing.assert_allclose(gap[both], 0.2)                       # A is paid 0.3 instead of 0.1
    np.testing.assert_allclose(out.parts[1, 0][both], same.parts[1, 0][both])


def test_a_mediator_leaning_to_a_party_drafts_toward_it():
    even = replay(spec_of(mediated(bias=p(0.5))), RUNS, 6, trace=True)
    leaning = replay(spec_of(mediated(bias=p(0.5), leans_to="a", leans_to_source=SRC)), RUNS, 6, trace=True)
    text = {name: next(r["offer"] for r in out.trace if r["proposer"] == "broker")
            for name, out in (("even", even), ("leaning", leaning))}
    assert (text["leaning"] >= text["even"] - 1e-12).all() and (text["leaning"] > text["even"] + 1e-6).any()


@pytest.mark.parametrize(("broker", "message"), [
    ({"leans_to": "a"}, "leans_to_source"),
    ({"leans_to": "zz", "leans_to_source": SRC}, "unknown leader 'zz'"),
    ({"payments": {"zz": p(0.1)}}, "unknown leader 'zz'"),
])
def test_a_mediators_lean_and_payments_are_checked(broker, message):
    with pytest.raises(ScenarioError, match=message):
        validate(mediated(**broker), "test")


def drafted(draft: dict[str, float]) -> dict:
    doc = table({"a": {"x": 1.0, "y": 1.0}, "b": {"x": 0.0, "y": 0.0}},
                {"a": {"x": 0.7, "y": 0.3}, "b": {"x": 0.3, "y": 0.7}}, rounds=6, sq={"x": 0.5, "y": 0.5})
    doc["protocol"]["draft"] = {k: p(v) for k, v in draft.items()}
    return doc


def test_leaders_sign_a_draft_that_beats_the_status_quo_for_both_in_the_first_round():
    out = replay(spec_of(drafted({"x": 0.8, "y": 0.2})), RUNS, 8)  # each gets its own priority
    assert out.deal.all() and (out.deal_round == 1).all()
    np.testing.assert_allclose(out.agreed, np.array([[0.8], [0.2]]) + 0 * out.agreed)


def test_leaders_open_from_the_draft_and_bargain_over_what_it_leaves_open():
    out = replay(spec_of(drafted({"x": 0.8})), RUNS, 8, trace=True)
    first = out.trace[0]["offer"]
    np.testing.assert_allclose(first[0], 0.8)       # the drafted issue
    np.testing.assert_allclose(first[1], 1.0)       # A opens at its ideal on the open one
    with pytest.raises(ScenarioError, match=r"protocol\.draft names unknown issue 'zz'"):
        validate(drafted({"zz": 0.5}), "test")


def ratified_table(vote_event: bool) -> dict:
    """A trades x (its priority) for y; A's hawkish Senate wants x kept low and tolerates 0.3 of a move."""
    doc = table({"a": {"x": 1.0, "y": 1.0}, "b": {"x": 0.0, "y": 0.0}},
                {"a": {"x": 0.7, "y": 0.3}, "b": {"x": 0.3, "y": 0.7}}, rounds=4, sq={"x": 0.5, "y": 0.5})
    doc["issues"]["x"]["ratified_by"] = ["senate"]
    doc["legislatures"] = {"senate": {"name": "Senate", "of": "a", "ideal": {"x": p(0.0)}, "tolerance": p(0.3),
                                      "noise": p(0.01), "hostility": p(0.0), "backlash": p(0.0)}}
    doc["protocol"]["ratification_failure_cost"] = p(0.5)
    doc["leaders"]["a"]["audience_cost"] = p(1.0)
    if vote_event:
        doc["events"] = {"invasion": {"label": "An invasion between signing and the vote", "when": "vote",
                                      "probability": p(1.0),
                                      "effects": [{"target": "legislatures.senate.tolerance", "set": -0.2}]}}
    return doc


def test_an_event_before_the_vote_makes_the_leader_withdraw_the_treaty_instead_of_losing_it():
    calm = replay(spec_of(ratified_table(False)), RUNS, 9)
    shock = replay(spec_of(ratified_table(True)), RUNS, 9)
    moved = shock.deal & (np.abs(shock.agreed[0] - shock.status_quo[0]) > 1e-6)
    assert moved.mean() > 0.9 and not calm.withdrawn["senate"].any()
    assert not (calm.ratified["senate"] ^ ~(calm.parts[0, 2] < 0)).any()  # any defeat in the calm is paid for
    assert (shock.withdrawn["senate"] == moved).all() and not shock.ratified["senate"][moved].any()
    np.testing.assert_allclose(shock.final[0], shock.status_quo[0])       # the treaty never takes effect on x
    # no public defeat: A pays no ratification-failure cost (0.5 x audience cost 1) for a withdrawn treaty
    assert (shock.parts[0, 2][moved] > -0.5 + 1e-9).all()


def with_event(when, probability: float, **event) -> dict:
    doc = table({"a": {"x": 1.0, "y": 1.0}, "b": {"x": 0.0, "y": 0.0}},
                {"a": {"x": 0.7, "y": 0.3}, "b": {"x": 0.3, "y": 0.7}}, rounds=8, sq={"x": 0.5, "y": 0.5},
                tactic="boulware")
    doc["events"] = {"change": {"label": "Something changes at the table", "when": when,
                                "probability": p(probability), **event}}
    return doc


def test_an_event_at_the_table_that_hardens_a_leader_changes_what_it_accepts():
    """Resolve sets the reservation: an event that raises it mid-summit must move the reservation too."""
    before = replay(spec_of(table({"a": {"x": 1.0, "y": 1.0}, "b": {"x": 0.0, "y": 0.0}},
                                  {"a": {"x": 0.7, "y": 0.3}, "b": {"x": 0.3, "y": 0.7}}, rounds=8,
                                  sq={"x": 0.5, "y": 0.5}, tactic="boulware")), RUNS, 3)
    hardened = replay(spec_of(with_event(2, 1.0, effects=[{"target": "leaders.a.resolve", "set": 1.0}])), RUNS, 3)
    assert before.deal.all() and (before.deal_round > 2).all()
    assert not hardened.deal.any()


def test_a_leader_replaced_at_the_table_plays_the_successors_tactic_only_where_it_happened():
    """On common random numbers, a run where the replacement fired is the run of a table where it always
    does; a run where it did not is the run of a table without it."""
    effects = [{"target": "leaders.a.preparation", "set": 0.3}]
    replaced = {"leader": "a", "name": "Successor", "tactic": "conceder"}
    never = with_event(3, 0.0, effects=effects, replaces=replaced)
    half = replay(spec_of(with_event(3, 0.5, effects=effects, replaces=replaced)), RUNS, 12)
    always = replay(spec_of(with_event(3, 1.0, effects=effects, replaces=replaced)), RUNS, 12)
    none = replay(spec_of(never), RUNS, 12)
    fired = half.events_fired["change"]
    assert 0.2 < fired.mean() < 0.8
    np.testing.assert_array_equal(half.parts[..., fired], always.parts[..., fired])
    np.testing.assert_array_equal(half.parts[..., ~fired], none.parts[..., ~fired])
    assert (always.parts != none.parts).any()


@pytest.mark.parametrize(("when", "probability", "name"), [
    (3, 1.0, "A, then Successor"),
    (3, 0.5, "A, or from round 3 Successor"),
    (3, 0.0, "A"),
    ("pre", 1.0, "Successor"),
    ("pre", 0.5, "A or Successor"),
])
def test_a_seat_an_event_may_give_to_a_successor_is_named_for_both(when, probability, name):
    """Every report, figure and the app name a seat by its spec's name: a successor who holds it
    for part of the summit, or may, is named too; one who never can be is not."""
    doc = with_event(when, probability, replaces={"leader": "a", "name": "Successor"})
    doc["leaders"]["a"]["name"] = "A"
    assert spec_of(doc).leader_names["a"] == name
    uncertain = with_event(3, 1.0, replaces={"leader": "a", "name": "Successor"})
    uncertain["leaders"]["a"]["name"] = "A"
    uncertain["events"]["change"]["probability"] = {"uniform": [0.9, 1.0], "source": SRC}
    assert spec_of(uncertain).leader_names["a"] == "A, or from round 3 Successor"


def test_the_story_of_a_replay_names_who_holds_the_seat_each_round():
    """A seat's gains are the seat's ('Winston Churchill, then Clement Attlee'), but the story of
    one replay names the leader who speaks: Churchill before the election's round, Attlee from it."""
    from sim.loader import load
    from sim.report import story
    from sim.spec import compile_scenario, holders

    spec = compile_scenario(load("potsdam-1945"))
    assert holders(spec, {"election": True}, 7)["uk"] == "Winston Churchill"
    assert holders(spec, {"election": True}, 8)["uk"] == "Clement Attlee"
    assert holders(spec, {"election": False}, 12)["uk"] == "Winston Churchill"
    out = replay(spec, 1, 2018, first_run=3, trace=True)
    assert out.events_fired["election"][0] and (out.deal_round[0] == 0 or out.deal_round[0] > 8)
    told = story(out, spec).splitlines()
    rounds = {int(line.split()[1].rstrip(":")): i for i, line in enumerate(told) if line.startswith("Round ")}
    before, after = told[:rounds[8]], told[rounds[8]:]
    assert any("Winston Churchill rejects" in line or "Winston Churchill opens" in line for line in before)
    assert not any("Clement Attlee" in line for line in before)
    assert any(line.startswith("  Clement Attlee ") or "Round 9: Clement Attlee" in line for line in after)
    assert not any(line.startswith("  Winston Churchill ") for line in after)
    assert any(line.startswith("Winston Churchill, then Clement Attlee: net ") for line in after)
    pre = with_event("pre", 1.0, replaces={"leader": "a", "name": "Successor"})
    assert holders(spec_of(pre), {"change": True}, 0)["a"] == spec_of(pre).leaders["a"]["name"] == "Successor"


@pytest.mark.parametrize(("event", "message"), [
    ({"when": "post", "replaces": {"leader": "a", "name": "X"}}, "not after it"),
    ({"when": 2, "replaces": {"leader": "zz", "name": "X"}}, "unknown leader 'zz'"),
    ({"when": 2}, "needs effects, or a leader it replaces"),
])
def test_a_replacement_is_checked(event, message):
    doc = with_event(1, 1.0)
    doc["events"]["change"].update(event)
    with pytest.raises(ScenarioError, match=message):
        validate(doc, "test")


def test_a_mediator_who_talks_one_party_down_gets_its_text_signed_sooner():
    plain = replay(spec_of(mediated(leverage=p(0.1))), RUNS, 6)
    talked = replay(spec_of(mediated(leverage=p(0.1), persuasion={"a": p(1.0), "b": p(1.0)})), RUNS, 6)
    assert plain.mediated.all() and talked.mediated.all()
    assert (plain.deal_round == 6).all() and (talked.deal_round == 3).all()  # the broker's first text, not its second


def test_a_logrolling_chair_gives_each_issue_to_the_party_that_cares_most():
    doc = mediated(drafting="logroll", drafting_source=SRC)
    out = replay(spec_of(doc), RUNS, 6, trace=True)
    text = next(r["offer"] for r in out.trace if r["proposer"] == "broker")
    a_offer, b_offer = out.trace[0]["offer"], out.trace[1]["offer"]
    np.testing.assert_allclose(text[0], a_offer[0])   # x: A's (weight 0.7 against 0.3)
    np.testing.assert_allclose(text[1], b_offer[1])   # y: B's
    with pytest.raises(ScenarioError, match="drafting_source"):
        validate(mediated(drafting="logroll"), "test")


unit = st.floats(0.0, 1.0)


@st.composite
def tables_with_sides_texts_and_brokers(draw):
    """Three leaders over two issues, sides drawn at random, each with an ally, perhaps a draft and
    a broker with any of its options; no flattery, so a leader's opening offer is where it starts."""
    keys = ("a", "b", "c")
    ideals = {k: {i: draw(unit) for i in ("x", "y")} for k in keys}
    saliences = {}
    for k in keys:
        w = draw(st.floats(0.05, 0.95))
        saliences[k] = {"x": w, "y": 1.0 - w}
    doc = table(ideals, saliences, draw(st.integers(2, 9)), {"x": draw(unit), "y": draw(unit)},
                tactic=draw(st.sampled_from(["linear", "boulware", "conceder"])))
    doc["issues"]["x"]["touches"] = list(keys)
    doc["allies"] = {}
    for k in keys:
        lead = doc["leaders"][k]
        lead["side"], lead["side_source"] = draw(st.sampled_from(["east", "west", k])), SRC
        lead["rival_fracture_value"] = p(draw(unit))
        lead["consultation"] = p(draw(unit))
        doc["allies"][k] = {"name": f"Ally of {k}", "bloc": k, "interest": {"x": p(draw(unit))},
                            "cohesion": p(draw(unit)), "weight": p(draw(st.floats(0.0, 0.5))), "wariness": p(0.0)}
    drafted = draw(st.sampled_from([(), ("x",), ("x", "y")]))
    doc["protocol"]["draft"] = {i: p(draw(unit)) for i in drafted}
    if draw(st.booleans()):
        broker = {**MEDIATOR, "leverage": p(draw(st.floats(0.0, 0.3))), "skill": p(draw(unit))}
        if draw(st.booleans()):
            broker.update(leans_to=draw(st.sampled_from(keys)), leans_to_source=SRC, bias=p(draw(unit)))
        broker["payments"] = {k: p(draw(st.floats(0.0, 0.3))) for k in keys if draw(st.booleans())}
        broker["persuasion"] = {k: p(draw(unit)) for k in keys if draw(st.booleans())}
        if draw(st.booleans()):
            broker.update(drafting="logroll", drafting_source=SRC)
        doc["mediators"] = {"broker": broker}
    return doc


@settings(max_examples=40, deadline=None)
@given(tables_with_sides_texts_and_brokers(), st.integers(0, 2**31))
def test_sides_count_only_rivals_allies_and_leaders_open_from_the_draft(doc, seed):
    spec = spec_of(doc)
    out = replay_runs(spec, seated_alike(spec, 64, seed), seed, trace=True)
    assert np.isfinite(out.parts).all() and ((out.final >= 0) & (out.final <= 1)).all()
    leaders = doc["leaders"]
    change = {k: out.cohesion_end[k] - out.cohesion_start[k] for k in leaders}
    weight = {k: doc["allies"][k]["weight"]["value"] for k in leaders}
    for i, key in enumerate(out.leaders):
        rivals = [o for o in leaders if leaders[o]["side"] != leaders[key]["side"]]
        expected = weight[key] * change[key] - leaders[key]["rival_fracture_value"]["value"] * sum(
            (weight[o] * change[o] for o in rivals), np.zeros(64))
        np.testing.assert_allclose(out.parts[i, 3], expected, atol=1e-12)
    first = out.trace[0]
    box_lo, box_hi = first["box"]
    for j, issue in enumerate(spec.issues):
        if issue in doc["protocol"]["draft"]:
            text = np.clip(doc["protocol"]["draft"][issue]["value"], box_lo[j], box_hi[j])
            np.testing.assert_allclose(first["offer"][j], text, atol=1e-12)

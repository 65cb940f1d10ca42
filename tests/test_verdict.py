"""The verdict rule (sim/verdict.py): its properties, its lenses, what it rests on, and the event fix."""

import json
import re
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from builders import one_issue, p, spec_of, table
from sim import verdict as rule
from sim.library import known_scenarios
from sim.loader import ScenarioError, load, validate
from sim.replay import replay
from sim.spec import compile_scenario
from sim.stats import part_of, parts_of, percent
from sim.summary import judge, summarize


@st.composite
def gains(draw):
    """Gains as a summit gives them: a shift per leader plus noise, so that every verdict occurs."""
    n_leaders, n_runs = draw(st.integers(2, 4)), draw(st.integers(1, 300))
    shift = draw(arrays(float, (n_leaders, 1), elements=st.floats(-0.5, 0.5)))
    noise = draw(arrays(float, (n_leaders, n_runs), elements=st.floats(-0.3, 0.3)))
    return shift + noise * draw(st.sampled_from([0.0, 0.1, 1.0]))


@settings(max_examples=300, deadline=None)
@given(gains(), st.floats(0.0, 0.3))
def test_a_named_winner_leads_on_mean_gain_by_more_than_delta_and_has_the_largest_class(gain, delta):
    keys = [f"l{i}" for i in range(gain.shape[0])]
    v = rule.decide(gain, keys, delta)
    shares = v["shares"]
    assert sum(s["p"] for s in shares.values()) == pytest.approx(1.0)
    if v["winner"] is not None:
        w = keys.index(v["winner"])
        means = gain.mean(axis=1)
        assert all(means[w] - means[j] > delta for j in range(len(keys)) if j != w)
        assert all(shares[v["winner"]]["p"] > shares[k]["p"] for k in shares if k != v["winner"])
        assert v["outcome"] == rule.AHEAD and v["candidates"] == []
    elif v["candidates"]:
        assert v["outcome"] == rule.TOO_CLOSE
    else:
        assert v["outcome"] == rule.NO_WINNER


@settings(max_examples=200, deadline=None)
@given(gains(), st.floats(0.0, 0.3))
def test_a_replay_is_ahead_only_when_its_leader_beats_every_other_by_more_than_delta(gain, delta):
    cls = rule.classes(gain, delta)
    for run, c in enumerate(cls):
        others = np.delete(gain[:, run], c) if c >= 0 else None
        if c >= 0:
            assert (gain[c, run] - others > delta).all()
        else:
            top = np.sort(gain[:, run])
            assert top[-1] - top[-2] <= delta


@settings(max_examples=150, deadline=None)
@given(gains(), st.floats(0.0, 0.3), st.randoms(use_true_random=False))
def test_the_verdict_does_not_depend_on_the_order_of_the_runs(gain, delta, rnd):
    keys = [f"l{i}" for i in range(gain.shape[0])]
    order = list(range(gain.shape[1]))
    rnd.shuffle(order)
    a, b = rule.decide(gain, keys, delta), rule.decide(gain[:, order], keys, delta)
    assert (a["outcome"], a["winner"], a["candidates"]) == (b["outcome"], b["winner"], b["candidates"])
    assert a["shares"] == b["shares"]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 400), st.floats(-0.5, 0.5), st.sampled_from([0.05, 0.3, 1.0]))
def test_with_delta_zero_two_leaders_the_rule_is_higher_mean_gain_and_more_replays_won(seed, runs, shift, sd):
    gain = np.random.default_rng(seed).normal(0.0, sd, (2, runs)) + np.array([[shift], [0.0]])
    if (gain[0] == gain[1]).any():
        return
    v = rule.decide(gain, ["a", "b"], 0.0)
    mean_gap = gain[0].mean() - gain[1].mean()
    won, lost = (gain[0] > gain[1]).mean(), (gain[1] > gain[0]).mean()
    c = v["criteria"]["a"]
    assert c["closest_mean_gap"]["mean"] == pytest.approx(mean_gap)
    assert c["closest_share_gap"]["mean"] == pytest.approx(won - lost)
    if v["winner"] == "a":
        assert mean_gap > 0 and won > lost
    if v["winner"] == "b":
        assert mean_gap < 0 and lost > won
    if c["mean_gain"] == c["share_ahead"] == "holds":
        assert v["winner"] == "a"


def test_the_verdict_does_not_depend_on_the_batch_or_the_chunking():
    spec = compile_scenario(load("helsinki-2018"))
    whole = summarize(replay(spec, 3000, 5), spec)
    chunked = summarize(replay(spec, 3000, 5, chunk=257), spec)
    assert whole["verdict"] == chunked["verdict"]


def test_a_small_and_a_large_batch_of_one_seed_never_name_opposite_verdicts():
    """2,000 replays are the first 2,000 of the 20,000: where both commit, they agree."""
    for name, path in known_scenarios().items():
        spec = compile_scenario(load(str(path)))
        out = replay(spec, 20_000, 2018)
        names = {k: k for k in out.leaders}
        large = rule.decide(out.gain, out.leaders)
        small = rule.decide(out.gain[:, :2000], out.leaders)
        committed = [v for v in (small, large) if v["outcome"] != rule.TOO_CLOSE]
        assert len({rule.text(v, names) for v in committed}) <= 1, name


def test_too_close_to_call_names_its_candidates():
    rng = np.random.default_rng(1)
    gain = np.stack([0.1 + rng.normal(0, 0.5, 400), rng.normal(0, 0.5, 400)])
    v = rule.decide(gain, ["a", "b"])
    assert v["outcome"] == rule.TOO_CLOSE and v["candidates"] == ["a"]
    assert rule.text(v, {"a": "A", "b": "B"}) == "too close to call: A or no clear winner"
    clear = rule.decide(np.stack([gain[0] + 0.5, gain[1]]), ["a", "b"])
    assert clear["winner"] == "a"


def textbook(status_a: float = 0.0, meeting_cost: float = 0.0) -> dict:
    doc = one_issue(0.9, 0.9, 4, sq=0.5, tactic="linear", disagreement=None)
    doc["leaders"]["a"]["status_value"] = p(status_a)
    doc["leaders"]["a"]["meeting_cost"] = p(meeting_cost)
    return doc


def test_directly_set_terms_are_counted_and_the_parts_add_up_to_the_margin():
    spec = spec_of(textbook(status_a=0.4, meeting_cost=0.05))
    out = replay(spec, 500, 3)
    assert np.allclose(out.direct[0], out.held * (0.4 - 0.05))
    assert np.allclose(out.direct[1], 0.0)
    s = summarize(out, spec)
    v = s["verdict"]
    split = v["rests_on"]
    assert sum(split[name] for name in rule.PART_NAMES) == pytest.approx(v["margin"]["mean"])
    assert split["directly set"] == pytest.approx(0.35 * out.held.mean())
    substance = v["substance_only"]
    assert substance["margin_of_lead"]["mean"] == pytest.approx(v["margin"]["mean"] - split["directly set"])


@settings(max_examples=200, deadline=None)
@given(arrays(float, (3, 4, 40), elements=st.floats(-1, 1)), st.floats(0.0, 0.3))
def test_the_margin_is_shared_out_only_when_it_is_more_than_delta(parts, delta):
    """Shares of a margin the rule calls no difference are not given (they ran to thousands of per
    cent where parts cancelled); where given, the parts' shares add up to the whole margin."""
    gain = parts.sum(axis=1)
    v = rule.decide(gain, ["a", "b", "c"], delta)
    lead = ["a", "b", "c"].index(v["lead"])
    v["rests_on"] = rule.rests_on(parts, parts[:, 1], lead)
    split = rule.margin_split(v)
    total = v["margin"]["mean"]
    assert sum(amount for _, amount, _ in split[:-1]) == pytest.approx(total, abs=1e-9)
    if abs(total) > max(delta, rule.ROUNDING):
        assert sum(share for _, _, share in split[:-1]) == pytest.approx(1.0)
        said = rule.split_text(v)
        assert "comes from" in said and "-0%" not in said
        assert sum(int(x) for x in re.findall(r"(-?\d+)%", said)) == 100  # as a reader adds them
    else:
        assert all(share is None for _, _, share in split)
        assert "%" not in rule.split_text(v) and "%" not in rule.rests_on_text({**v, "substance_only": {
            "text": "x", "winner": None, "lead": v["lead"], "margin": v["margin"], "mean_gain": v["mean_gain"]},
            "direct_weights": rule.direct_weights(gain, parts[:, 1], ["a", "b", "c"], delta)}, {k: k for k in "abc"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-3, 3, allow_subnormal=False), min_size=1, max_size=6).filter(lambda xs: abs(sum(xs)) > 0.05))
@example([0.4949, 0.2995, 0.0951, 0.1105])  # Beijing 1972's parts, which read 49, 30, 9 and 11 one by one
def test_the_parts_of_a_whole_add_up_to_100_per_cent_as_printed(parts):
    """Each share is within a point of its exact value, and the printed shares add up to 100%."""
    exact = [x / sum(parts) for x in parts]
    shown = [int(s[:-1]) for s in parts_of(exact)]
    assert sum(shown) == 100
    assert all(abs(s - 100 * e) < 1 + 1e-9 for s, e in zip(shown, exact, strict=True))


def test_a_part_that_rounds_to_nothing_is_0_per_cent_and_one_against_the_margin_is_signed():
    """Helsinki 2018 after change 22: substance makes -0.6% of Putin's margin, which read '-0%'."""
    assert [part_of(x) for x in (-0.004, 0.004, -0.006, 0.3, 1.25)] == ["0%", "0%", "-1%", "30%", "125%"]


@settings(max_examples=300, deadline=None)
@given(st.floats(0.0, 1.0) | st.floats(0.0094, 0.0106) | st.floats(0.9894, 0.9906))
@example(0.0096)
@example(0.99049)
def test_a_share_is_whole_percent_unless_it_reads_under_1_or_over_99_to_one_decimal(p):
    """Helsinki's issue table read '1.0%' (0.96%) beside '1%' (1.04%) in one column."""
    fine = float(f"{p:.1%}"[:-1])
    text = percent(p)
    assert text.endswith("%") and ("." in text) == (not 1.0 <= fine <= 99.0)
    assert abs(float(text[:-1]) - 100 * p) <= (0.05 if "." in text else 0.5) + 1e-9
    assert float(text[:-1]) <= float(percent(min(1.0, p + 0.001))[:-1])  # a larger share never reads smaller


def test_a_status_value_alone_makes_a_winner_that_substance_alone_does_not():
    spec = spec_of(textbook(status_a=0.4))
    v = summarize(replay(spec, 2000, 3), spec)["verdict"]
    assert v["winner"] == "a"
    assert v["substance_only"]["winner"] is None


def test_lenses_given_held_and_given_deal():
    spec = compile_scenario(load("buenos-aires-2018"))
    out = replay(spec, 4000, 2018)
    v = summarize(out, spec)["verdict"]
    assert v["given_held"]["runs"] == out.held.sum() and v["given_deal"]["runs"] == out.deal.sum()
    assert v["given_held"]["share_of_replays"] == pytest.approx(out.held.mean())
    # cancelled meetings are even: every even replay in this scenario is a cancelled one
    even = rule.classes(out.gain) == -1
    assert v["shares"]["even"]["p"] == pytest.approx(even.mean())
    if v["winner"] is None:
        assert v["lean"].startswith("leans to")


def test_a_pre_summit_event_on_the_ideal_moves_the_bargaining_position():
    """Regression: events used to rewrite the ideal but not the position bargained from."""
    doc = table({"a": {"x": 1.0, "y": 1.0}, "b": {"x": 0.0, "y": 0.0}},
                {"a": {"x": 0.5, "y": 0.5}, "b": {"x": 0.5, "y": 0.5}}, rounds=2, sq={"x": 0.5, "y": 0.5},
                tactic="boulware")
    doc["events"] = {"soften": {"label": "A softens on x", "when": "pre", "probability": p(1.0),
                                "effects": [{"target": "leaders.a.ideal.x", "set": 0.7}]}}
    out = replay(spec_of(doc), 1, 1, trace=True)
    opening = out.trace[0]
    assert opening["proposer"] == "a"
    assert opening["positions"]["a"][0, 0] == pytest.approx(0.7)
    assert opening["offer"][0, 0] <= 0.7 + 1e-12


def test_advisers_in_the_room_pull_toward_their_own_ideal_after_an_event():
    """With the fix, an adviser whose ideal is the leader's original ideal pulls the position back
    toward it, never further toward the other side."""
    doc = table({"a": {"x": 1.0}, "b": {"x": 0.0}}, {"a": {"x": 1.0}, "b": {"x": 1.0}}, rounds=2, sq={"x": 0.5})
    doc["events"] = {"soften": {"label": "A softens", "when": "pre", "probability": p(1.0),
                                "effects": [{"target": "leaders.a.ideal.x", "add": -0.2}]}}
    doc["advisers"] = {"hawks": {"name": "Hawks", "serves": "a", "ideal": {"x": p(1.0)}, "influence": p(0.5),
                                 "briefing": p(0.0), "in_room": True}}
    out = replay(spec_of(doc), 1, 1, trace=True)
    position = out.trace[0]["positions"]["a"][0, 0]
    assert 0.8 <= position <= 1.0


def summit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=120)


def test_json_carries_the_verdict_object_and_never_nan():
    r = summit("run", "buenos-aires-2018", "--runs", "1000", "--json")
    assert r.returncode == 0, r.stderr
    assert "NaN" not in r.stdout and "Infinity" not in r.stdout
    data = json.loads(r.stdout)
    v = data["verdict"]
    assert v["delta"] == rule.EQUIVALENCE and v["rule"] == rule.RULE
    assert set(v["shares"]) == {"us", "ru", "even"}
    assert {"given_held", "given_deal", "substance_only", "rests_on", "margin", "text"} <= set(v)
    assert data["winner"] == v["winner"]
    report = summit("run", "buenos-aires-2018", "--runs", "1000").stdout
    assert f"VERDICT: {v['text'].upper()}" in report


def test_equivalence_is_a_sensitivity_option_not_a_scenario_field(tmp_path):
    narrow = json.loads(summit("run", "geneva-1985", "--runs", "1000", "--json", "--equivalence", "0").stdout)
    assert narrow["verdict"]["delta"] == 0.0
    bad = summit("run", "geneva-1985", "--equivalence", "1.5")
    assert bad.returncode == 2 and "between 0 and 1" in bad.stderr
    doc = load("helsinki-2018").model_dump(mode="json", exclude_none=True)
    doc["protocol"]["equivalence"] = {"value": 0.3, "source": "nyt: none"}
    with pytest.raises(ScenarioError, match="equivalence"):
        validate(doc, "a scenario that tries to set delta")
    doc = load("helsinki-2018").model_dump(mode="json", exclude_none=True)
    doc["equivalence"] = 0.3
    with pytest.raises(ScenarioError, match="equivalence"):
        validate(doc, "a scenario that tries to set delta")


def test_three_leaders_get_a_ranking():
    doc = table({"a": {"x": 1.0}, "b": {"x": 0.0}, "c": {"x": 0.5}},
                {k: {"x": 1.0} for k in "abc"}, rounds=3, sq={"x": 0.5})
    doc["leaders"]["a"]["status_value"] = p(0.5)
    spec = spec_of(doc)
    v = summarize(replay(spec, 500, 1), spec)["verdict"]
    assert v["ranking"][0] == "a" and v["winner"] == "a"
    assert set(v["shares"]) == {"a", "b", "c", "even"}


@settings(max_examples=150, deadline=None)
@given(arrays(float, (2, 4, 60), elements=st.floats(-1, 1)), arrays(float, (2, 60), elements=st.floats(-0.5, 0.5)))
def test_the_margin_beside_the_verdict_on_substance_is_the_margin_of_the_leader_it_names(parts, direct):
    """Vienna 1979 leaned to Brezhnev and, on substance alone, named Carter with 'margin -0.110':
    Brezhnev's margin beside Carter's name. The margin shown is the named (or leaned-to) leader's,
    so a leader named ahead on substance shows a margin above delta."""
    parts[:, 1] += direct  # the directly set terms are counted within the parts, as sim.scoring does
    out = SimpleNamespace(leaders=("a", "b"), gain=parts.sum(axis=1), parts=parts, direct=direct,
                          held=np.ones(60, bool), deal=np.ones(60, bool))
    names = {"a": "Alpha", "b": "Beta"}
    v = judge(out, names)
    sub = v["substance_only"]
    shown = rule.substance_text(v, names)
    own = rule.margin_of(out.gain - direct, ("a", "b").index(sub["lead"])).mean()
    assert f"margin {own:+z.3f}" in shown
    leaning = sub["winner"] is None and rule.leans(sub)
    assert leaning == (f"leans to {names[sub['lead']]}, margin" in shown)
    assert own >= -1e-12  # two leaders: the one with the larger mean gain is never behind on average
    if sub["winner"]:
        assert sub["winner"] == sub["lead"] and own > v["delta"]


@settings(max_examples=100, deadline=None)
@given(arrays(float, (3, 80), elements=st.floats(-1, 1)), arrays(float, (3, 80), elements=st.floats(-0.6, 0.6)))
def test_the_weights_at_which_a_verdict_stands_are_where_the_rule_gives_it(gain, direct):
    """The threshold analysis of the directly set terms: across low..high the rule, applied with
    the terms counted at each weight, gives the verdict as set; one step outside it gives the one
    shown; and at weight 0 it is the verdict without them."""
    keys = ("a", "b", "c")

    def answer(weight: float) -> tuple:
        v = rule.decide(gain + (weight - 1.0) * direct, keys)
        return v["outcome"], v["winner"], v["candidates"]

    w = rule.direct_weights(gain, direct, keys)
    step = w["step"]
    assert w["range"][0] <= w["low"] <= 1.0 <= w["high"] <= w["range"][1]
    for weight in rule.WEIGHTS:
        if w["low"] <= weight <= w["high"]:
            assert answer(weight) == answer(1.0)
    for edge, outside, beyond in ((w["low"], w["below"], -step), (w["high"], w["above"], step)):
        if outside is None:
            assert edge in w["range"]
        else:
            assert answer(round(edge + beyond, 1)) == (outside["outcome"], outside["winner"], outside["candidates"])
            assert outside != dict(zip(("outcome", "winner", "candidates"), answer(1.0), strict=True))
    without = rule.decide(gain - direct, keys)
    assert (w["low"] == 0.0) <= ((without["outcome"], without["winner"], without["candidates"]) == answer(1.0))


def test_every_view_says_over_what_weight_of_the_directly_set_terms_the_verdict_stands():
    """Vienna 1961: Khrushchev comes out ahead, and 83% of his margin is directly set; the verdict
    says from what weight of those terms it stands, and what it becomes below."""
    spec = compile_scenario(load("vienna-1961"))
    names = {k: x["name"] for k, x in spec.leaders.items()}
    v = summarize(replay(spec, 3000, 2018), spec)["verdict"]
    w = v["direct_weights"]
    said = rule.weights_text(w, names)
    assert said.startswith(f"the verdict holds with the directly set terms counted {rule.weight_range(w)}")
    assert rule.weight_range(w) == (f"at {w['low']:g} to {w['high']:g} times their weight" if w["low"] < w["high"]
                                    else "only as set (1 times their weight)")
    if w["below"] is not None:
        assert f"at {w['low'] - w['step']:.1f} times: {rule.text(w['below'], names)}" in said
    assert rule.weights_text(w, names)[1:] in rule.rests_on_text(v, names)
    assert json.loads(json.dumps(w)) == w  # plain data: --json prints it as sim.run returns it


@settings(max_examples=200, deadline=None)
@given(arrays(float, (3, 30), elements=st.floats(-1, 1)))
def test_a_verdict_leans_to_a_leader_only_with_a_positive_margin(gain):
    """At a table of three the leader with the highest mean gain can trail the best of the others on
    average; 'leans to Stalin (mean margin -0.004)' said one thing and showed another."""
    names = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    v = rule.decide(gain, tuple(names))
    if v["winner"]:
        return
    m = v["margin"]["mean"]
    said, shown = rule.lean(v, names), rule.lens_margin(v, names)
    named = any(said.startswith(f"leans to {n} (") for n in names.values())
    assert named == (round(m, 3) > 0)
    assert said.startswith("leans to no one (") != named
    assert shown.startswith("leans to no one: ") != named
    if not named:  # the words say whether the top mean trails the best of the others, or is level
        printed = {f"{g:+z.3f}" for g in gain.mean(axis=1)}
        behind = (f"trails the best of the others by {-m:.3f}" if round(m, 3) < 0
                  else "is level with the best of the others")
        why = (f"every leader's mean gain is {printed.pop()}" if len(printed) == 1
               else f"{names[v['lead']]} has the highest mean gain but {behind} on average")
        assert said.startswith(f"leans to no one ({why}): ")
        assert shown.startswith(f"leans to no one: {why}; margin ")


def test_where_every_mean_gain_is_the_same_no_leader_is_named_as_having_the_highest():
    """Paris 1960 without the directly set terms: never held, every gain 0, and the lens read
    "leans to no one, Charles de Gaulle's margin +0.000", naming one of four equal leaders."""
    gain = np.zeros((4, 50))
    gain[1, ::2], gain[1, 1::2] = 1e-5, -1e-5  # level as printed, not exactly
    names = {"k": "Khrushchev", "e": "Eisenhower", "m": "Macmillan", "g": "de Gaulle"}
    v = rule.decide(gain, tuple(names))
    assert rule.lean(v, names).startswith("leans to no one (every leader's mean gain is +0.000): even in 100%")
    assert rule.lens_margin(v, names) == ("leans to no one: every leader's mean gain is +0.000; "
                                          "margin +0.000 [+0.000, +0.000]")
    assert not any(n in rule.lens_margin(v, names) for n in names.values())


def test_at_a_table_of_two_a_lean_to_no_one_names_the_other_leader():
    gain = np.array([[0.30, -0.30, 0.00255], [-0.30, 0.30, 0.00135]])  # means +0.00085 and +0.00045, printed
    v = rule.decide(gain, ("a", "b"))                                   # apart; A's margin +0.0004: level
    assert v["winner"] is None
    assert rule.lean(v, {"a": "Alpha", "b": "Beta"}).startswith(
        "leans to no one (Alpha has the highest mean gain but is level with Beta on average)")

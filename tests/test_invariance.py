"""Choices a scenario's author makes without meaning anything by them do not change a replay.

Which end of an issue's scale is 0, the order in which the issues are listed and the order in
which the leaders are listed carry no information about a summit, so the same summit written
either way must replay the same, run by run. These are metamorphic tests (Chen, Cheung & Yiu
1998; Segura et al. 2016, *IEEE TSE* 42(9)): no test knows the right outcome, but each knows how
two outcomes must relate. They found rules that broke a tie by the file's layout (change 17 in
docs/model.md): the mediator's logrolled text gave an evenly weighted issue to the party at 0,
the knapsack conceded equally good stretches in the order the issues were listed, and learning
handed out weights between issues an offer left alike in that order too. And at a table of
three or more the file's order of the leaders was their order of turns (change 18,
sim/seating.py).

The forecasting baselines beside the outcome obey the same: the Nash bargaining solution walked
issues that trade at the same rate in the order they were listed, and the weighted median gave
an even split to the low end.

An adviser without influence, an ally without weight and an event that never fires change
nothing either (each draw is keyed by its name, so an addition leaves the others' numbers alone).

Where two layouts differ in floating point (a sum in another order, ``1 - x``), the numbers agree
to 1e-9 and every yes-or-no outcome is the same.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import drawn_table, p, spec_of
from experiments.issue_granularity import split_issue
from sim import rng
from sim.loader import load, validate
from sim.replay import replay, replay_runs
from sim.spec import compile_scenario, draw

SCENARIOS = sorted(path.stem for path in Path(__file__).parent.parent.joinpath("scenarios").glob("*.yaml"))
POSITIONS = ("ideal", "interest", "red_lines")  # per-issue fields that are points on the scale
RUNS = 1000  # at 120, two faults that touch a few runs in a thousand went unseen (docs/model.md, change 17)
CLOSE = 1e-9


def same_replays(a, b, issues_a: list[str], issues_b: list[str], mirrored: tuple[str, ...] = ()) -> None:
    """Run by run, the same outcome, with issues matched by name and ``mirrored`` read from the
    other end of the scale."""
    for name in ("held", "deal", "deal_round", "walked_out", "joint_statement"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_allclose(b.parts, a.parts, rtol=0, atol=CLOSE)
    match = [issues_b.index(i) for i in issues_a]
    flip = np.array([i in mirrored for i in issues_a])

    def as_in_a(text: np.ndarray) -> np.ndarray:
        text = text[match]
        text[flip] = 1.0 - text[flip]
        return text

    np.testing.assert_allclose(as_in_a(b.final), a.final, rtol=0, atol=CLOSE)
    for name, value in a.baselines.items():  # the forecasting baselines, texts and gaps alike
        other = b.baselines[name]
        other = as_in_a(other) if other.shape[0] == len(issues_a) and other.ndim == 2 else other
        np.testing.assert_allclose(other, value, rtol=0, atol=CLOSE, err_msg=name)


# --- textbook tables, drawn by hypothesis --------------------------------------------------------

@st.composite
def noisy_tables(draw, leaders: int):
    """A drawn table whose leaders misjudge priorities (so beliefs clip at zero and tie), learn,
    hold out for some of the surplus and may walk out."""
    doc = drawn_table(draw, leaders, st.integers(2, 8), st.sampled_from(["linear", "boulware", "conceder",
                                                                       "tit_for_tat"]),
                      issues=("a", "b", "c", "d")[:draw(st.integers(2, 4))])
    doc["protocol"]["perception_noise"] = p(draw(st.sampled_from([0.0, 0.3, 0.8])))
    doc["protocol"]["firmness_reward"] = p(draw(st.sampled_from([0.0, 0.2])))
    for leader in doc["leaders"].values():
        leader["preparation"] = p(draw(st.sampled_from([1.0, 0.5, 0.0])))
        leader["resolve"] = p(draw(st.sampled_from([0.0, 0.3, 0.7])))
    return doc


def mirror_document(doc: dict, issue: str) -> dict:
    out = copy.deepcopy(doc)
    out["issues"][issue]["status_quo"]["value"] = 1.0 - doc["issues"][issue]["status_quo"]["value"]
    for leader in out["leaders"].values():
        leader["ideal"][issue]["value"] = 1.0 - leader["ideal"][issue]["value"]
    return out


def reorder(doc: dict, issues: list[str]) -> dict:
    out = copy.deepcopy(doc)
    out["issues"] = {i: out["issues"][i] for i in issues}
    for leader in out["leaders"].values():
        for field in ("ideal", "salience"):
            leader[field] = {i: leader[field][i] for i in issues}
    return out


TABLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mirrored_issue(data, doc: dict) -> tuple[dict, tuple[str, ...]]:
    issue = data.draw(st.sampled_from(list(doc["issues"])))
    return mirror_document(doc, issue), (issue,)


def relisted_issues(data, doc: dict) -> tuple[dict, tuple[str, ...]]:
    return reorder(doc, data.draw(st.permutations(list(doc["issues"])))), ()


@pytest.mark.parametrize("rewrite", [mirrored_issue, relisted_issues])
@TABLES
@given(data=st.data())
def test_writing_an_issue_another_way_changes_nothing(rewrite, data):
    """An issue read from the other end of its scale, or the issues listed in another order."""
    doc = data.draw(noisy_tables(data.draw(st.integers(2, 3))))
    other, mirrored = rewrite(data, doc)
    a = replay(spec_of(doc), RUNS, 3)
    b = replay(spec_of(other), RUNS, 3)
    same_replays(a, b, list(a.issues), list(b.issues), mirrored=mirrored)


def matched(a, b):
    """``b`` with its leaders in ``a``'s order (outcomes list the first proposer, then the file's
    order)."""
    pick = [b.leaders.index(k) for k in a.leaders]
    return dataclasses.replace(b, leaders=a.leaders, **{name: getattr(b, name)[pick] for name in BY_LEADER})


BY_LEADER = ("wants_meeting", "walked_out", "learned", "warmth", "sanctions", "parts", "direct")


@TABLES
@given(st.data())
def test_listing_the_leaders_in_another_order_changes_nothing(data):
    """At a table of two the first proposer opens either way; at three or more each run sits in
    the order it draws (sim.seating), whatever the file's."""
    doc = data.draw(noisy_tables(data.draw(st.integers(2, 4))))
    relisted = copy.deepcopy(doc)
    relisted["leaders"] = {k: doc["leaders"][k] for k in data.draw(st.permutations(list(doc["leaders"])))}
    a = replay(spec_of(doc), RUNS, 3)
    b = matched(a, replay(spec_of(relisted), RUNS, 3))
    same_replays(a, b, list(a.issues), list(b.issues))


@TABLES
@given(st.data())
def test_an_issue_written_as_two_halves_changes_nothing_between_prepared_leaders(data):
    """Utilities add up over issues, so an issue and two halves of it, each where the issue stood
    and weighing half as much, are the same bargain: the knapsack takes the halves together (a
    tie), the partial deal signs both or neither, and a walk-out weighs the same. How finely an
    author lists the issues must not change a replay. It does where leaders are unprepared: the
    perception noise is drawn per listed issue, and learning reads an offer as a ranking of the
    listed issues (sim/learning.py), so both depend on how the issues are cut (docs/model.md,
    "Known limitations"; experiments/issue_granularity.py measures by how much)."""
    doc = data.draw(noisy_tables(data.draw(st.integers(2, 3))))
    for leader in doc["leaders"].values():
        leader["preparation"] = p(1.0)
    issue = data.draw(st.sampled_from(list(doc["issues"])))
    split, halves = split_issue(doc, issue)
    a = replay(spec_of(doc), RUNS, 3)
    b = replay(spec_of(split), RUNS, 3)
    for name in ("held", "deal", "deal_round", "walked_out", "joint_statement", "partial"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_allclose(b.parts, a.parts, rtol=0, atol=CLOSE)
    first, second = (list(b.issues).index(h) for h in halves)
    np.testing.assert_allclose(b.final[first], a.final[list(a.issues).index(issue)], rtol=0, atol=CLOSE)
    np.testing.assert_allclose(b.final[second], b.final[first], rtol=0, atol=CLOSE)


# --- every shipped scenario ----------------------------------------------------------------------

def positional(path: str, issue: str) -> bool:
    parts = path.split(".")
    return (path in (f"issues.{issue}.status_quo", f"protocol.draft.{issue}")
            or (len(parts) == 4 and parts[2] in POSITIONS and parts[3] == issue))


def mirrored_spec(spec, issue: str):
    """The compiled scenario with events that move a point on ``issue``'s scale moving it the
    other way."""
    i = spec.issues.index(issue)

    def turned(effect):
        if effect.issue != i or effect.attr not in POSITIONS:
            return effect
        assert effect.op in ("add", "set") and not isinstance(effect.value, str), effect
        return dataclasses.replace(effect, value=-effect.value if effect.op == "add" else 1.0 - effect.value)

    return dataclasses.replace(spec, events=tuple(dataclasses.replace(e, effects=tuple(map(turned, e.effects)))
                                                  for e in spec.events))


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_replays_the_same_from_either_end_of_each_scale(name):
    """Drawn values are read from the unmirrored file and handed over mirrored, since a range
    drawn from the other end gives each run another value."""
    spec = compile_scenario(load(name))
    runs = np.arange(RUNS, dtype=np.uint64)
    values = draw(spec, rng.Streams(2018, runs))
    a = replay_runs(spec, runs, 2018, overrides=values, baselines=True)
    for issue in spec.issues:
        flipped = {path: 1.0 - v if positional(path, issue) else v for path, v in values.items()}
        b = replay_runs(mirrored_spec(spec, issue), runs, 2018, overrides=flipped, baselines=True)
        same_replays(a, b, list(spec.issues), list(spec.issues), mirrored=(issue,))


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_replays_the_same_with_its_issues_listed_in_another_order(name):
    scenario = load(name)
    issues = list(scenario.issues)
    a = replay(compile_scenario(scenario), RUNS, 2018, baselines=True)
    for order in (issues[::-1], issues[1:] + issues[:1]):
        relisted = scenario.model_copy(update={"issues": {i: scenario.issues[i] for i in order}})
        b = replay(compile_scenario(relisted), RUNS, 2018, baselines=True)
        same_replays(a, b, issues, order)


NOTHING = "model: an addition that should change nothing, made by the test suite"


def nothing(value: float) -> dict:
    return {"value": value, "source": NOTHING}


ADDITIONS = {
    "an adviser in the room without influence": lambda doc, lead, issue: doc.setdefault("advisers", {}).update(
        idle={"name": "Idle", "serves": lead, "ideal": {issue: nothing(0.5)}, "influence": nothing(0.0),
              "briefing": nothing(0.0), "in_room": True}),
    "an ally without weight": lambda doc, lead, issue: doc.setdefault("allies", {}).update(
        idle={"name": "Idle", "bloc": lead, "interest": {issue: nothing(0.5)}, "cohesion": nothing(0.5),
              "weight": nothing(0.0), "wariness": nothing(0.0)}),
    "an event that never fires": lambda doc, lead, issue: doc.setdefault("events", {}).update(
        never={"label": "Never", "when": 2, "probability": nothing(0.0),
               "effects": [{"target": f"leaders.{lead}.resolve", "add": 0.2}]}),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_an_actor_or_event_that_can_do_nothing_changes_nothing(name):
    """Every draw is keyed by its name, so an addition leaves the others' numbers alone; an
    addition with no weight must then leave every run as it was."""
    path = Path(__file__).parent.parent / "scenarios" / f"{name}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc.pop("variants", None)
    a = replay(compile_scenario(validate(copy.deepcopy(doc), str(path))), RUNS, 2018)
    lead, issue = next(iter(doc["leaders"])), next(iter(doc["issues"]))
    for add in ADDITIONS.values():
        changed = copy.deepcopy(doc)
        add(changed, lead, issue)
        b = replay(compile_scenario(validate(changed, str(path))), RUNS, 2018)
        same_replays(a, b, list(a.issues), list(b.issues))


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_replays_the_same_with_its_leaders_listed_in_another_order(name):
    scenario = load(name)
    leaders = list(scenario.leaders)
    a = replay(compile_scenario(scenario), RUNS, 2018, baselines=True)
    relisted = scenario.model_copy(update={"leaders": {k: scenario.leaders[k] for k in leaders[::-1]}})
    b = matched(a, replay(compile_scenario(relisted), RUNS, 2018, baselines=True))
    same_replays(a, b, list(a.issues), list(b.issues))

"""Standing (sim.standing): the status a held meeting moves between leaders, from their standing
before it and the recognition its format gives. Properties of the rule, and what it does on a
textbook table, compared run by run with the same table without standings."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import p, spec_of, table
from sim.errors import ScenarioError
from sim.loader import validate
from sim.replay import replay
from sim.standing import standing_gain

RUNS = 300


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=8), st.floats(0.0, 1.0))
def test_standing_moves_from_the_higher_to_the_lower_and_sums_to_zero(levels, recognition):
    gains = [float(g[0]) for g in standing_gain([np.array([s]) for s in levels], np.array([recognition]))]
    assert abs(sum(gains)) < 1e-9
    order = np.argsort(levels)
    assert all(gains[i] >= gains[j] - 1e-12 for i, j in itertools.pairwise(order))  # lower gains more
    if max(levels) - min(levels) < 1e-12 or recognition == 0:
        assert all(abs(g) < 1e-12 for g in gains)
    bigger = standing_gain([np.array([s]) for s in levels], np.array([min(1.0, recognition * 2)]))
    assert all(abs(float(b[0])) >= abs(g) - 1e-12 for b, g in zip(bigger, gains, strict=True))


def ranked_table(standing_a: float | None = 0.2, standing_b: float | None = 0.8, recognition: float = 0.5) -> dict:
    doc = table({"a": {"x": 1.0}, "b": {"x": 0.0}}, {"a": {"x": 1.0}, "b": {"x": 1.0}}, rounds=4, sq={"x": 0.5})
    if standing_a is not None:
        doc["leaders"]["a"]["standing"] = p(standing_a)
        doc["leaders"]["b"]["standing"] = p(standing_b)
        doc["protocol"]["recognition"] = p(recognition)
    return doc


def test_a_held_meeting_confers_the_higher_leaders_standing_on_the_lower():
    plain, ranked = ranked_table(None), ranked_table()
    for doc in (plain, ranked):   # what B values in the photograph itself makes up for the standing it confers
        doc["leaders"]["b"]["status_value"] = p(0.35)
    plain, ranked = replay(spec_of(plain), RUNS, 2), replay(spec_of(ranked), RUNS, 2)
    assert plain.held.all() and ranked.held.all()
    status = ranked.parts[:, 1] - plain.parts[:, 1]
    np.testing.assert_allclose(status[0], 0.5 * 0.6)
    np.testing.assert_allclose(status[1], -0.5 * 0.6)
    np.testing.assert_allclose(ranked.direct - plain.direct, status)  # a directly set term, as status_value is


def test_the_higher_leader_stays_away_when_the_meeting_costs_it_more_standing_than_it_expects_to_gain():
    doc = ranked_table(0.1, 0.9, recognition=1.0)
    doc["leaders"]["a"]["max_concession"] = {"x": p(0.0)}   # A will give nothing, so B expects nothing
    out = replay(spec_of(doc), RUNS, 2)
    assert not out.held.any() and not out.wants_meeting[1].any() and out.wants_meeting[0].all()
    np.testing.assert_array_equal(out.parts[:, 1], 0.0)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["leaders"]["b"].pop("standing"), "missing: b"),
    (lambda d: d["protocol"].pop("recognition"), "protocol.recognition must say"),
    (lambda d: [d["leaders"][k].pop("standing") for k in "ab"], "no leader has a standing"),
])
def test_standing_is_relational_so_a_table_gives_it_whole(change, message):
    doc = ranked_table()
    change(doc)
    with pytest.raises(ScenarioError, match=message):
        validate(doc, "test")

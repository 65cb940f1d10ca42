"""The margin a summit keeps inside an uncertain win-set (sim.ratification), in theory and in a replay."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special
from test_theory import two_level

from builders import drawn_table, p, spec_of
from sim.model import SummitModel
from sim.ratification import LOWEST, margin
from sim.replay import replay

tolerances = st.floats(0.0, 1.0)
noises = st.floats(0.005, 0.3)


@settings(max_examples=200, deadline=None)
@given(tolerances, noises)
def test_the_margin_maximises_the_expected_gain_of_the_leader_who_wants_the_change(tolerance, noise):
    """Phi(m / s) (d - m), the chance the text passes times what it keeps of the change, is at its
    largest over margins from 0 to d at the margin the rule gives (to the grid's resolution)."""
    m = float(margin(np.array([tolerance]), np.array([noise]))[0])

    def expected(x: np.ndarray) -> np.ndarray:
        return special.ndtr(x / noise) * (tolerance - x)

    grid = np.linspace(0.0, tolerance, 4001)
    assert expected(np.array([m]))[0] >= expected(grid).max() - 1e-6


@settings(max_examples=200, deadline=None)
@given(st.floats(LOWEST, 1e5))
def test_the_table_solves_the_first_order_condition(ratio):
    z = float(margin(np.array([ratio]), np.array([1.0]))[0])
    assert z + special.ndtr(z) / (np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)) == pytest.approx(ratio, rel=1e-6)


@given(st.floats(-1.0, 1.0), noises)
def test_no_margin_for_a_demanding_chamber_a_tolerance_within_the_noise_or_a_certain_vote(tolerance, noise):
    m = margin(np.array([tolerance, tolerance]), np.array([noise, 0.0]))
    assert m[1] == 0.0
    assert (m[0] == 0.0) == (tolerance <= LOWEST * noise)
    assert 0.0 <= m[0] <= max(tolerance, 0.0)


@given(tolerances, tolerances, noises)
def test_a_tighter_chamber_still_leaves_a_smaller_win_set(a, b, noise):
    """Tied hands survive the margin: what the leaders draw on rises with the tolerance."""
    lo, hi = sorted((a, b))
    safe = np.array([lo, hi]) - margin(np.array([lo, hi]), np.array([noise, noise]))
    assert safe[0] <= safe[1] + 1e-12


@pytest.mark.parametrize("tolerance", [0.04, 0.1, 0.2, 0.3])
def test_a_text_pushed_to_the_win_set_sits_at_the_margin_and_passes_as_often_as_it_says(tolerance):
    """B makes one take-it-or-leave-it offer and wants the change A's parliament resists: the text
    sits at the known edge less the margin, and the vote passes it with probability Phi(m / s)."""
    doc = two_level(tolerance, 0.9, 0.9, 1)
    doc["protocol"]["first_proposer"] = "b"
    out = replay(spec_of(doc), runs=4000, seed=3)
    m = float(margin(np.array([tolerance]), np.array([0.05]))[0])
    assert out.deal.all()
    np.testing.assert_allclose(out.agreed[0], 0.5 - (tolerance - m), rtol=0, atol=1e-12)
    assert out.ratified["parl"].mean() == pytest.approx(special.ndtr(m / 0.05), abs=0.025)


def chamber(doc: dict, tolerance: float, issues: list[str], ideal: dict[str, float] | None) -> dict:
    """``doc`` with a chamber of its first leader ratifying ``issues``, given ``ideal`` there or none."""
    first = next(iter(doc["leaders"]))
    doc["legislatures"] = {"parl": {"name": "Parliament", "of": first, "tolerance": p(tolerance), "noise": p(0.05),
                                    "hostility": p(0.0), "backlash": p(0.0)}}
    if ideal is not None:
        doc["legislatures"]["parl"]["ideal"] = {k: p(v) for k, v in ideal.items()}
    for k in issues:
        doc["issues"][k]["ratified_by"] = ["parl"]
    return doc


@settings(max_examples=25, deadline=None)
@given(st.data(), st.floats(-0.1, 0.6), st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True))
def test_a_chamber_silent_on_an_issue_shares_its_leaders_ideal_and_never_caps_what_its_leader_wants(
        data, tolerance, issues):
    """Change 23: a chamber given no ideal on an issue it ratifies replays, run by run and bit for
    bit, as one given its leader's ideal there; its win-set always holds the leader's own ideal,
    so it binds only where the leader would give ground (before, it wanted the status quo, and
    capped Washington 1987's INF text near half, though both leaders and the draft wanted it)."""
    doc = drawn_table(data.draw, 2, st.integers(1, 6), st.sampled_from(["linear", "rational", "boulware"]))
    first = next(iter(doc["leaders"]))
    own = {k: doc["leaders"][first]["ideal"][k]["value"] for k in issues}
    silent = spec_of(chamber(copy.deepcopy(doc), tolerance, issues, None))
    given_ = spec_of(chamber(copy.deepcopy(doc), tolerance, issues, own))
    a, b = replay(silent, 60, 5), replay(given_, 60, 5)
    for field in ("agreed", "final", "deal", "parts"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    np.testing.assert_array_equal(a.ratified["parl"], b.ratified["parl"])
    model = SummitModel(silent, np.arange(8, dtype=np.uint64), 5)
    lo, hi = model.legislature["parl"].win_set()
    rows = [silent.issues.index(k) for k in issues]
    ideal = model.leader[first].ideal[rows]
    if tolerance >= 0:  # a chamber that demands a gain may ask more than its leader wants
        assert (lo[rows] <= ideal + 1e-12).all() and (ideal <= hi[rows] + 1e-12).all()

"""The baselines against brute force, and efficiency results the theory predicts."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import p, spec_of, table
from sim.baselines import compromise, nash_solution, pareto_gap, weighted_median
from sim.protocol import utility
from sim.replay import replay

K = 3


def between(a: np.ndarray, b: np.ndarray, seed: int) -> np.ndarray:
    """Positions between the two ideals, issue by issue (every other position is dominated), corners included."""
    corners = np.array(np.meshgrid(*[[0.0, 1.0]] * K)).reshape(K, -1)
    t = np.hstack([corners, np.random.default_rng(seed).random((K, 20000))])
    return a + t * (b - a)


def test_compromise_and_median_on_a_textbook_line():
    ideal = np.array([0.0, 0.5, 1.0])[:, None, None]
    equal = np.ones((3, 1, 1))
    heavy = np.array([3.0, 1.0, 1.0])[:, None, None]
    assert compromise(ideal, equal)[0, 0] == 0.5 and weighted_median(ideal, equal)[0, 0] == 0.5
    assert abs(compromise(ideal, heavy)[0, 0] - 0.3) < 1e-12 and weighted_median(ideal, heavy)[0, 0] == 0.0


@st.composite
def bargains(draw):
    unit = st.floats(0.0, 1.0)
    a, b, sq = (np.array([[draw(unit)] for _ in range(K)]) for _ in range(3))
    wa = np.array([[draw(st.floats(0.05, 1.0))] for _ in range(K)])
    wb = np.array([[draw(st.floats(0.05, 1.0))] for _ in range(K)])
    return a, b, wa / wa.sum(), wb / wb.sum(), sq


@settings(max_examples=60, deadline=None)
@given(bargains())
def test_nash_solution_beats_every_sampled_position_and_lies_on_the_frontier(bargain):
    a, b, wa, wb, sq = bargain
    da, db = utility(sq, a, wa), utility(sq, b, wb)
    x, zone = nash_solution(a, b, wa, wb, da, db)
    assert zone[0]  # the status quo itself is always available
    na, nb = utility(x, a, wa), utility(x, b, wb)
    assert na[0] >= da[0] - 1e-9 and nb[0] >= db[0] - 1e-9
    samples = np.hstack([sq, between(a, b, 0)])
    ua, ub = utility(samples, a, wa), utility(samples, b, wb)
    ok = (ua >= da - 1e-12) & (ub >= db - 1e-12)
    best = ((ua - da) * (ub - db))[ok].max()
    assert (na - da)[0] * (nb - db)[0] >= best - 1e-9
    assert pareto_gap(a, b, wa, wb, na, nb)[0] < 1e-9


@settings(max_examples=60, deadline=None)
@given(bargains())
def test_pareto_gap_is_what_both_could_have_had(bargain):
    a, b, wa, wb, sq = bargain
    va, vb = utility(sq, a, wa), utility(sq, b, wb)
    gap = pareto_gap(a, b, wa, wb, va, vb)[0]
    samples = between(a, b, 1)
    ua, ub = utility(samples, a, wa), utility(samples, b, wb)
    sampled = max(np.minimum(ua - va, ub - vb).max(), 0.0)
    assert gap >= sampled - 1e-9
    assert gap <= sampled + 0.02  # the sample comes close to the exact frontier


def test_fully_informed_subgame_perfect_deals_leave_nothing_on_the_table():
    """With exact beliefs the rational tactic's offers are knapsack frontier points: Pareto efficient."""
    ideals = {"a": {"x": 1.0, "y": 0.9, "z": 0.2}, "b": {"x": 0.0, "y": 0.1, "z": 0.9}}
    sal = {"a": {"x": 0.6, "y": 0.3, "z": 0.1}, "b": {"x": 0.2, "y": 0.3, "z": 0.5}}
    doc = table(ideals, sal, 6, {"x": 0.5, "y": 0.5, "z": 0.5}, tactic="rational")
    for lead in doc["leaders"].values():
        lead["disagreement_utility"] = p(0.0)
    out = replay(spec_of(doc), 50, seed=9, baselines=True)
    assert out.deal.all()
    assert np.abs(out.baselines["pareto_gap"]).max() < 1e-9
    assert np.isnan(out.baselines["nash"]).sum() == 0

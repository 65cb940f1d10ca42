"""Loss aversion (sim/loss_aversion.py): the weighed utility, the knapsack over stretches against a
solver, the theory's trade condition, and how a user sets it."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linprog

from builders import drawn_table, p, spec_of, table
from sim.loader import load
from sim.loss_aversion import LOSS_AVERSION
from sim.model import SummitModel
from sim.protocol import concede, margin_over, ordering, utility, weighed_utility
from sim.replay import replay
from sim.spec import compile_scenario
from sim.zone import depth, zones

UNIT = st.floats(0.0, 1.0)


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_without_aversion_the_weighed_utility_is_the_linear_one_bit_for_bit(data):
    shape = data.draw(st.tuples(st.integers(1, 6), st.integers(1, 40)))
    x, ideal, w, sq = (data.draw(arrays(float, shape, elements=UNIT)) for _ in range(4))
    assert np.array_equal(weighed_utility(x, ideal, w, sq, np.ones(shape[1])), utility(x, ideal, w))
    lam = data.draw(arrays(float, shape[1], elements=st.floats(1.0, 4.0)))
    # at the status quo nothing is lost, and a loss-averse actor values a text no more than a linear one
    assert np.array_equal(weighed_utility(sq, ideal, w, sq, lam), utility(sq, ideal, w))
    assert (weighed_utility(x, ideal, w, sq, lam) <= utility(x, ideal, w) + 1e-15).all()


def best_gain_by_solver(start, toward, own, theirs, w_own, w_their, sq, lam, budget):
    """The most a proposer opening at its ideal ``start`` can give a counterpart whose ideal is
    ``toward`` for at most ``budget`` of its own weighed utility, moving each issue along the way:
    a linear programme over each issue's stretches (utilities are concave along the way)."""
    room = np.abs(toward - start)
    own_cross = np.clip(margin_over(start, own, sq), 0.0, room)
    their_cross = np.clip(-margin_over(start, theirs, sq), 0.0, room)
    cost, gain, upper = [], [], []
    for k in range(len(start)):
        cuts = sorted([0.0, own_cross[k], their_cross[k], room[k]])
        for a, b in pairwise(cuts):
            middle = (a + b) / 2
            cost.append(w_own[k] * (lam if middle > own_cross[k] else 1.0))
            gain.append(w_their[k] * (lam if middle < their_cross[k] else 1.0))
            upper.append(b - a)
    # HiGHS may overspend a constraint by its feasibility tolerance (1e-7 by default), which on
    # stretches that short is the whole stretch: held to 1e-10 it cannot buy a gain the budget lacks
    solved = linprog(-np.array(gain), A_ub=[cost], b_ub=[budget], bounds=list(zip([0.0] * len(upper), upper,
                                                                                    strict=True)), method="highs",
                     options={"primal_feasibility_tolerance": 1e-10})
    return -solved.fun


@given(st.data())
@settings(max_examples=80, deadline=None)
def test_the_knapsack_over_stretches_gives_what_a_solver_finds(data):
    """For a given own loss, the offer gives the counterpart the most any way along the issues can,
    both as loss-averse actors weigh them."""
    k = data.draw(st.integers(1, 5))
    own, theirs, sq = (np.array(data.draw(st.lists(UNIT, min_size=k, max_size=k)))[:, None] for _ in range(3))
    w_own, w_their = (np.array(data.draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k)))[:, None]
                      for _ in range(2))
    w_own, w_their = w_own / w_own.sum(), w_their / w_their.sum()
    lam = np.array([data.draw(st.floats(1.0, 3.0))])
    budget = np.array([data.draw(st.floats(0.0, 1.0))])
    offer = concede(own, theirs, w_own, w_their, ordering(w_their, w_own, lam), budget,
                    (margin_over(own, own, sq), margin_over(own, theirs, sq)), lam)
    spent = weighed_utility(own, own, w_own, sq, lam) - weighed_utility(offer, own, w_own, sq, lam)
    given_ = weighed_utility(offer, theirs, w_their, sq, lam) - weighed_utility(own, theirs, w_their, sq, lam)
    assert spent[0] <= budget[0] + 1e-9
    best = best_gain_by_solver(own[:, 0], theirs[:, 0], own[:, 0], theirs[:, 0], w_own[:, 0], w_their[:, 0],
                               sq[:, 0], lam[0], budget[0])
    assert given_[0] == pytest.approx(best, abs=1e-9)


def test_the_solver_does_not_overspend_a_budget_on_a_stretch_shorter_than_its_tolerance():
    """Hypothesis found a case where the solver gave 6e-8 for a budget of 0, a stretch of 1.2e-7
    being within its default tolerance: the knapsack's 0 is right, and the check now holds the
    solver to the budget."""
    own, theirs, sq = np.zeros(2), np.array([0.0, 1.192092896e-07]), np.zeros(2)
    half = np.array([0.5, 0.5])
    assert best_gain_by_solver(own, theirs, own, theirs, half, half, sq, 1.0, 0.0) == pytest.approx(0.0, abs=1e-12)


def trade(a: float, b: float, lam: float, rounds: int = 12) -> dict:
    """Two issues at the status quo 0.5: A wants x raised and cares ``a`` about it, B wants y raised
    and cares ``b`` about it; each wants the other's issue lowered and cares the rest about it."""
    doc = table({"a": {"x": 1.0, "y": 0.0}, "b": {"x": 0.0, "y": 1.0}},
                {"a": {"x": a, "y": 1 - a}, "b": {"x": 1 - b, "y": b}}, rounds, {"x": 0.5, "y": 0.5})
    doc["protocol"]["loss_aversion"] = p(lam)
    for leader in doc["leaders"].values():
        leader["patience"] = p(1.0)
    return doc


@given(st.floats(0.55, 0.95), st.floats(0.55, 0.95), st.floats(1.0, 3.0))
@settings(max_examples=60, deadline=None)
def test_a_trade_past_the_status_quo_needs_the_priorities_to_differ_by_aversion_squared(a, b, lam):
    """Each gives up its lesser issue for the other's: A gains a and loses lam (1 - a) per unit it
    gets and gives, B likewise, so some trade leaves both better off exactly when
    (a / (1 - a)) (b / (1 - b)) > lam^2 (theory in sim/loss_aversion.py). Checked on the zone of
    agreement over the walk-away values, as the leaders see it."""
    product = a / (1 - a) * b / (1 - b)
    if abs(product - lam**2) < 0.05:
        return  # too close to call in floating point
    model = SummitModel(spec_of(trade(a, b, lam)), np.arange(1, dtype=np.uint64), seed=1)
    zone = zones(model)["walk_away"][0]
    if product > lam**2:
        assert zone > 1e-7
    else:
        assert zone == pytest.approx(0.0, abs=1e-7)  # only the status quo itself


@pytest.mark.parametrize("a, deal_without, deal_with", [(0.8, True, True), (0.6, True, False)])
def test_leaders_trade_what_theory_lets_them_and_no_more(a, deal_without, deal_with):
    """(0.6 / 0.4)^2 = 2.25 lies between 1 and 1.96^2 = 3.84: linear leaders trade and loss-averse
    ones do not; at (0.8 / 0.2)^2 = 16 both do. Each deal moves both issues past the status quo."""
    for lam, expected in ((1.0, deal_without), (LOSS_AVERSION, deal_with)):
        out = replay(spec_of(trade(a, a, lam)), runs=1, seed=1)
        assert bool(out.deal[0]) is expected
        if expected:
            assert out.agreed[0, 0] > 0.5 and out.agreed[1, 0] > 0.5


@st.composite
def tables(draw):
    return drawn_table(draw, 2, st.integers(2, 6), st.sampled_from(["linear", "boulware", "rational"]))


@given(tables(), st.floats(1.0, 2.0), st.floats(0.0, 2.0))
@settings(max_examples=30, deadline=None)
def test_more_aversion_never_widens_the_zone_of_agreement(doc, low, extra):
    """Weighing losses more lowers every text's value and leaves the walk-away values where they
    were, so the deepest text over walk-away values can only get shallower."""
    spec = spec_of(doc)
    runs = np.arange(8, dtype=np.uint64)
    shallow = zones(SummitModel(spec, runs, 3, overrides={"protocol.loss_aversion": np.full(8, low)}))
    deep = zones(SummitModel(spec, runs, 3, overrides={"protocol.loss_aversion": np.full(8, low + extra)}))
    talks = np.isfinite(shallow["walk_away"])
    assert (deep["walk_away"][talks] <= shallow["walk_away"][talks] + 1e-7).all()  # the solver's tolerance


def test_depth_counts_losses_as_the_leaders_weigh_them():
    """One issue, status quo 0.5, A's ideal 1 and B's 0. A holds out for 0.05 more than the status
    quo, B would give up to 0.2 of it. Linear, the deepest text moves m = 0.125 toward A and
    leaves each 0.075 above its floor; when B weighs its loss twice, m - 0.05 = 0.2 - 2 m gives
    m = 1/12 and a depth of 1/30."""
    positions, weights = np.array([[[1.0]], [[0.0]]]), np.ones((2, 1, 1))
    floors, box = np.array([[0.55], [0.3]]), (np.zeros((1, 1)), np.ones((1, 1)))
    for lam, deep, text in ((1.0, 0.075, 0.625), (2.0, 1 / 30, 0.5 + 1 / 12)):
        d, x = depth(positions, weights, floors, *box, losses=(np.array([[0.5]]), np.array([lam])))
        assert d[0] == pytest.approx(deep, abs=1e-9) and x[0, 0] == pytest.approx(text, abs=1e-9)


def test_a_user_can_set_it_where_the_file_is_silent_and_is_told_what_is_allowed():
    """The shipped files leave it to the model; --set adds it with the meta-analysis as its source,
    and 1 gives the linear model's numbers."""
    silent = load("helsinki-2018")
    assert silent.protocol.loss_aversion is None
    assert compile_scenario(silent).draws["protocol.loss_aversion"].value == LOSS_AVERSION
    set_ = load("helsinki-2018", ["protocol.loss_aversion=1"])
    assert set_.protocol.loss_aversion.value == 1.0 and "brown2024" in set_.sources
    linear, averse = (replay(compile_scenario(sc), runs=400, seed=2018) for sc in (set_, silent))
    whole = [(out.deal & ~out.partial).mean() for out in (averse, linear)]  # a text over every issue
    assert whole[0] < whole[1]
    done = subprocess.run([sys.executable, "-m", "sim", "run", "helsinki-2018", "--runs", "10", "--set",
                           "protocol.loss_aversion=0.5"], capture_output=True, text=True)
    assert done.returncode != 0 and "protocol.loss_aversion" in done.stderr and "[1, 10]" in done.stderr

"""Who takes the floor after the opening at a table of three or more (sim.seating): each run draws
an order of the others, every order alike, unless the record fixes one; the file's order of the
leaders decides nothing."""

from __future__ import annotations

import copy
from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import SRC, drawn_table, p, seated_alike, spec_of, table
from sim import rng, seating
from sim.model import SummitModel
from sim.replay import replay, replay_runs

RUNS = 6000


def four_leaders() -> dict:
    saliences = {k: {"x": 0.5, "y": 0.5} for k in "abcd"}
    ideals = {"a": {"x": 1.0, "y": 0.0}, "b": {"x": 0.0, "y": 1.0}, "c": {"x": 0.5, "y": 0.2},
              "d": {"x": 0.3, "y": 0.7}}
    doc = table(ideals, saliences, rounds=8, sq={"x": 0.5, "y": 0.5})
    for leader in doc["leaders"].values():  # each wants the meeting, and every round is played
        leader["status_value"] = p(0.2)
    doc["protocol"].update(mandate="talks", mandate_source=SRC, walkouts="none", walkouts_source=SRC)
    return doc


def test_every_order_of_the_others_is_drawn_alike():
    """Six orders of three others, each in a sixth of the runs (a 99.99% binomial band)."""
    spec = spec_of(four_leaders())
    index = seating.drawn(spec, rng.Streams(2018, np.arange(RUNS, dtype=np.uint64)))
    assert set(seating.orders(spec)) == {("a", *rest) for rest in permutations("bcd")}
    share = np.bincount(index, minlength=6) / RUNS
    band = 3.9 * np.sqrt((1 / 6) * (5 / 6) / RUNS)
    assert (np.abs(share - 1 / 6) < band).all(), share


def test_each_run_sits_in_its_drawn_order_and_keeps_it():
    spec = spec_of(four_leaders())
    ids = np.arange(48, dtype=np.uint64)
    for where, order in seating.groups(spec, ids, 5):
        for run in ids[where][:3]:
            out = replay_runs(spec, np.array([run]), 5, trace=True)
            assert [rec["proposer"] for rec in out.trace] == [*order, *order]


def test_a_run_sits_alike_however_the_file_lists_the_leaders():
    doc = four_leaders()
    relisted = copy.deepcopy(doc)
    relisted["leaders"] = {k: doc["leaders"][k] for k in ("a", "d", "b", "c")}
    ids = np.arange(200, dtype=np.uint64)
    one, other = (seating.drawn(spec_of(d), rng.Streams(9, ids)) for d in (doc, relisted))
    orders_one, orders_other = seating.orders(spec_of(doc)), seating.orders(spec_of(relisted))
    assert [orders_one[i] for i in one] == [orders_other[i] for i in other]


def test_a_sourced_order_fixes_every_run():
    doc = four_leaders()
    doc["protocol"]["turns"], doc["protocol"]["turns_source"] = ["d", "b", "c"], SRC
    spec = spec_of(doc)
    assert seating.orders(spec) == (("a", "d", "b", "c"),)
    out = replay(spec, 40, 3, trace=False)
    by_hand = SummitModel(spec, np.arange(40, dtype=np.uint64), 3, seats=("a", "d", "b", "c")).replay()
    np.testing.assert_array_equal(out.parts, by_hand.parts)
    np.testing.assert_array_equal(out.deal, by_hand.deal)


def test_two_leaders_alternate_and_draw_nothing():
    spec = spec_of(table({"a": {"x": 1.0}, "b": {"x": 0.0}}, {"a": {"x": 1.0}, "b": {"x": 1.0}}, rounds=4,
                         sq={"x": 0.5}))
    assert seating.orders(spec) == (("a", "b"),)
    assert seating.groups(spec, np.arange(10, dtype=np.uint64), 1)[0][0] == slice(None)


def test_a_model_of_runs_that_sit_apart_is_refused_with_the_way_out():
    spec = spec_of(four_leaders())
    with pytest.raises(ValueError, match=r"sit in different orders.*sim\.replay"):
        SummitModel(spec, np.arange(64, dtype=np.uint64), 1)
    SummitModel(spec, seated_alike(spec, 64, 1), 1)  # runs that sit alike build one model


@settings(max_examples=20, deadline=None)
@given(st.data(), st.integers(3, 4))
def test_a_run_replayed_in_a_batch_of_many_orders_is_the_run_alone(data, leaders):
    doc = drawn_table(data.draw, leaders, st.integers(2, 8), st.sampled_from(["linear", "boulware", "conceder"]))
    doc["protocol"]["perception_noise"] = p(0.3)
    spec = spec_of(doc)
    ids = np.arange(30, dtype=np.uint64)
    batch = replay_runs(spec, ids, 4)
    i = data.draw(st.integers(0, 29))
    alone = replay_runs(spec, ids[i:i + 1], 4)
    np.testing.assert_array_equal(batch.parts[..., i], alone.parts[..., 0])
    np.testing.assert_array_equal(batch.final[..., i], alone.final[..., 0])
    assert batch.deal[i] == alone.deal[0]


def test_the_frame_and_show_say_how_the_leaders_take_turns(capsys):
    import sim
    from sim.cli import main

    frame = sim.run("tehran-1943", runs=400, seed=1).frame()
    assert set(frame["protocol.turns"]) == {"us uk su", "us su uk"}
    assert "protocol.turns" not in sim.run("helsinki-2018", runs=10, seed=1).frame()
    assert main(["show", "tehran-1943"]) == 0
    assert "Then the others, in an order each replay draws" in capsys.readouterr().out


def test_beyond_three_others_each_takes_every_place_once_in_the_rotations():
    """Four or more others would have 24 to 5,040 orders, a model for each; their rotations in
    the keys' order keep every place equally likely for every leader."""
    keys = [f"l{i}" for i in range(6)]
    doc = table({k: {"x": i / 5} for i, k in enumerate(keys)}, {k: {"x": 1.0} for k in keys}, rounds=4,
                sq={"x": 0.5})
    spec = spec_of(doc)
    found = seating.orders(spec)
    assert len(found) == 5 and all(order[0] == "l0" for order in found)
    for place in range(1, 6):
        assert sorted(order[place] for order in found) == keys[1:]
    index = seating.drawn(spec, rng.Streams(3, np.arange(RUNS, dtype=np.uint64)))
    assert (np.abs(np.bincount(index, minlength=5) / RUNS - 0.2) < 3.9 * np.sqrt(0.16 / RUNS)).all()

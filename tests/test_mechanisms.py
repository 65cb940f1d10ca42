"""experiments/mechanisms.py: each switch turns off what it names, and nothing else."""

import numpy as np
import pytest

from builders import shipped_document
from experiments.mechanisms import MECHANISMS, judged, switched_off
from sim.loader import validate
from sim.replay import replay
from sim.spec import compile_scenario
from sim.summary import judge

SWITCHED = {  # the fields each switch may change, wherever they stand
    "learning from offers": {"learning", "learning_source"},
    "walk-outs": {"walkouts", "walkouts_source"},
    "agreements in parts": {"agreements", "agreements_source"},
    "loss aversion": {"loss_aversion"},
    "misjudged priorities": {"perception_noise"},
    "legislatures": {"tolerance", "noise", "hostility", "backlash"},
    "allies": {"weight"},
    "advisers": {"briefing", "influence", "in_room"},
    "directly set terms": set(),
}


def leaves(node, path=()) -> dict:
    if isinstance(node, dict):
        return {k: v for key, child in node.items() for k, v in leaves(child, (*path, key)).items()}
    return {path: node}


def outcome(doc: dict, runs: int = 400):
    return replay(compile_scenario(validate(doc, "test", check_variants=False)), runs, 3)


def test_every_mechanism_has_its_fields():
    assert set(SWITCHED) == set(MECHANISMS)


@pytest.mark.parametrize("mechanism", list(MECHANISMS))
def test_a_switch_changes_only_the_fields_it_names(mechanism):
    original = shipped_document("helsinki-2018")
    before, after = leaves(original), leaves(switched_off(original, mechanism))
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    switched = changed - {("sources", "ablation")}
    assert bool(switched) == bool(SWITCHED[mechanism])  # the directly set terms are judged out, not switched
    for path in switched:
        field = path[1] if path[0] == "protocol" else path[2]  # protocol.FIELD or GROUP.ID.FIELD
        assert field in SWITCHED[mechanism], (mechanism, path)


def test_switched_off_in_the_replays_and_on_without_the_switch():
    helsinki, vienna = shipped_document("helsinki-2018"), shipped_document("vienna-1961")
    on, off = outcome(helsinki), {m: outcome(switched_off(helsinki, m)) for m in
                                  ("learning from offers", "agreements in parts", "legislatures", "allies")}
    assert np.abs(on.learned).max() > 0 and np.abs(off["learning from offers"].learned).max() == 0
    assert on.partial.any() and not off["agreements in parts"].partial.any()
    deals = on.deal
    assert not np.logical_and.reduce(list(on.ratified.values()))[deals].all()
    assert np.logical_and.reduce(list(off["legislatures"].ratified.values()))[off["legislatures"].deal].all()
    assert np.abs(on.parts[:, 3]).max() > 0 and np.abs(off["allies"].parts[:, 3]).max() == 0
    walks = outcome(vienna, 1000).walked_out.any()
    assert walks and not outcome(switched_off(vienna, "walk-outs"), 1000).walked_out.any()


def test_directly_set_terms_out_is_the_validation_tables_lens_on_substance():
    doc = shipped_document("camp-david-1959")
    scenario = validate(doc, "test", check_variants=False)
    out = replay(compile_scenario(scenario), 600, 2018)
    lens = judge(out, {k: v.name for k, v in scenario.leaders.items()})["substance_only"]
    as_is, without_direct = judged(switched_off(doc, "directly set terms"), "test", 600)
    assert without_direct["winner"] == (lens["winner"] or "none")
    assert as_is["winner"] != (lens["winner"] or "none")  # the terms carry this verdict

"""Bad input gets one clear paragraph naming the file, the field and what is allowed - never a crash."""

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sim.library import SCENARIO_DIR, known_scenarios
from sim.loader import ScenarioError, apply_override, load, validate

HELSINKI_TEXT = (SCENARIO_DIR / "helsinki-2018.yaml").read_text()
HELSINKI = yaml.safe_load(HELSINKI_TEXT)


def problem(doc: dict) -> str:
    with pytest.raises(ScenarioError) as err:
        validate(doc, "doc.yaml")
    return err.value.message()


def edited(**paths) -> dict:
    doc = copy.deepcopy(HELSINKI)
    for path, value in paths.items():
        node = doc
        keys = path.split("__")
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    return doc


def test_every_shipped_scenario_loads():
    assert "helsinki-2018" in known_scenarios()
    for name in known_scenarios():
        assert load(name).name == name


def test_unknown_scenario_suggests_the_closest_or_lists_the_known_ones():
    with pytest.raises(ScenarioError, match=r"did you mean helsinki-2018"):
        load("helsinki-2019")
    with pytest.raises(ScenarioError, match=r"known scenarios: .*helsinki-2018"):
        load("no-such-summit-anywhere")


def test_malformed_yaml_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nissues:\n  a: [1, 2\n  b: 3\n")
    with pytest.raises(ScenarioError, match=r"bad\.yaml, line \d+, column \d+: this is not valid YAML"):
        load(str(bad))


@pytest.mark.parametrize(("text", "line", "hint"), [
    ("name: x\nnote: Polaris was sold: at cost\n", 2,
     "in 'note: Polaris was sold: at cost' a second ': ' starts another key inside the text; put the whole "
     "text after 'note:' in double quotes"),
    ("name: x\nissues:\n\ta: 1\n", 3, "'a: 1' is indented with a tab; indent with spaces only"),
    ("name: x\nsources:\n  a: \"Ross, 2004\n", 4, "the quotation mark opened on line 3 is never closed"),
    ("name: x\n  title: y\n", 2, "'title: y' is indented differently from the keys beside it"),
    ("name: x\nissues:\n  a: [1, 2\n  b: 3\n", 4, "the list '[' opened on line 3 is never closed with ']'"),
    ("name: x\ntitle\nyear: 1962\n", 3, "'title' on line 2 needs the form 'key: value'"),
])
def test_a_yaml_slip_is_explained_on_the_line_it_stands_on(tmp_path: Path, text, line, hint):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load(str(bad))
    msg = err.value.message()
    assert f"bad.yaml, line {line}, column" in msg and "this is not valid YAML" in msg and hint in msg


def test_schema_violation_names_path_line_value_and_rule(tmp_path: Path):
    f = tmp_path / "s.yaml"
    f.write_text(HELSINKI_TEXT.replace("preparation: {beta: {mean: 0.25, sd: 0.1}",
                                       "preparation: {value: 1.7", 1))
    with pytest.raises(ScenarioError) as err:
        load(str(f))
    msg = err.value.message()
    assert "s.yaml" in msg and "leaders.us.preparation" in msg and "(line " in msg
    assert "must lie in [0, 1]" in msg


def test_saliences_must_sum_to_one():
    doc = edited(leaders__ru__salience__crimea={"value": 0.5, "source": "nyt: x y z w"})
    assert "leaders.ru.salience: the saliences must sum to 1 (they sum to 1.42" in problem(doc)


def test_probabilities_outside_unit_interval():
    doc = edited(events__indictments__probability={"value": 1.2, "source": "record: the indictment"})
    assert "events.indictments.probability" in problem(doc) and "a probability must lie in [0, 1]" in problem(doc)


def test_every_parameter_needs_a_known_source():
    doc = edited(leaders__us__resolve={"value": 0.2, "source": "somewhere: a blog post"})
    assert "start with a key of the 'sources' table" in problem(doc)
    doc = edited(leaders__us__resolve={"value": 0.2})
    assert "leaders.us.resolve.source is required but missing" in problem(doc)


def test_unknown_references_and_several_problems_at_once():
    doc = edited(issues__crimea__touches=["narnia"], advisers__lavrov__serves="cn")
    msg = problem(doc)
    assert "unknown ally 'narnia'" in msg and "unknown leader 'cn'" in msg


def test_a_history_block_must_be_one_the_model_could_give():
    """A history the model can never match, or matches whatever it does, is refused: a deal at a summit
    not held, a ratification of no deal, and a ratification where the file holds no vote (there every
    deal would count as ratified, and the check would pass by construction)."""
    held = HELSINKI["history"]
    assert held["held"] and not held["deal"] and "ratified" not in held  # what the edits start from
    assert "history.deal is true but history.held is false: a summit that was not held signs nothing" in problem(
        edited(history__held=False, history__deal=True))
    assert "only a signed deal is ratified or not" in problem(edited(history__ratified=False))
    no_votes = edited(history__deal=True, history__ratified=True)
    for issue in no_votes["issues"].values():
        issue.pop("ratified_by", None)
    assert "history.ratified is true but no issue is ratified_by a legislature" in problem(no_votes)
    validate(edited(history__deal=True, history__ratified=True), "doc.yaml")  # Helsinki's Congress votes


def test_distribution_errors():
    assert "exactly one of value, uniform, beta or normal" in problem(
        edited(leaders__us__resolve={"value": 0.2, "uniform": [0, 1], "source": "nyt: both given here"}))
    assert "needs sd below" in problem(
        edited(leaders__us__resolve={"beta": {"mean": 0.5, "sd": 0.6}, "source": "nyt: impossible beta"}))
    assert "low <= high" in problem(
        edited(leaders__us__resolve={"uniform": [0.6, 0.2], "source": "nyt: reversed bounds"}))


@pytest.mark.parametrize(("override", "expected"), [
    ("leaders.us.preparations=0.8", "'preparations' is not found under leaders.us; it has: name, tactic"),
    ("leaders.xx.preparation=0.8", "'xx' is not found under leaders; it has: us, ru"),
    ("leaders.us.preparation=high", "is a numeric parameter; 'high' is not a number"),
    ("leaders.us.preparation=", "is a numeric parameter; nothing is not a number (write it as PATH=0.8)"),
    ("leaders.us.preparation", "an override is written PATH=VALUE"),
    ("leaders.us.preparation=1.5", "leaders.us.preparation (line 111) = 1.5: a value on the 0..1 scale must lie in "
                                   "[0, 1]; this one is 1.5"),
    ("leaders.us.preparation={uniform: [0.5, 1.5]}", "leaders.us.preparation (line 111) = the block there: "
                                                     "a value on the 0..1 scale must lie in [0, 1]; "
                                                     "this one can reach [0.5, 1.5]"),
    ("=3", "the path before '=' is empty"),
])
def test_bad_overrides(override, expected):
    with pytest.raises(ScenarioError) as err:
        load("helsinki-2018", [override])
    assert expected in err.value.message()


def test_overrides_replace_values_and_distributions():
    sc = load("helsinki-2018", ["leaders.us.preparation=0.8",
                                "leaders.ru.resolve={uniform: [0.1, 0.2]}", "protocol.rounds=4"])
    assert sc.leaders["us"].preparation.value == 0.8
    assert "overridden by --set leaders.us.preparation" in sc.leaders["us"].preparation.source
    assert sc.leaders["ru"].resolve.uniform == (0.1, 0.2)
    assert sc.protocol.rounds == 4


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


PATHS = list(_paths(HELSINKI))
JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10, 10), st.floats(allow_nan=True),
                 st.text(max_size=8), st.lists(st.integers(), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), JUNK, st.booleans()), min_size=1, max_size=4))
@example([(("allies", "ukraine", "weight"), {"\n": 0}, False)])  # a key with a newline, shown escaped
def test_mangled_documents_fail_only_with_a_clear_error(edits):
    doc = copy.deepcopy(HELSINKI)
    for path, junk, delete in edits:
        node = doc
        try:
            for k in path[:-1]:
                node = node[k]
            if delete and isinstance(node, dict):
                node.pop(path[-1], None)
            else:
                node[path[-1]] = junk
        except (KeyError, IndexError, TypeError):
            continue
    try:
        validate(doc, "mangled.yaml")
    except ScenarioError as err:
        msg = err.message()
        assert msg.startswith("mangled.yaml: ") and "Traceback" not in msg and "\n" not in msg


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_any_override_text_fails_only_with_a_clear_error(text):
    doc = copy.deepcopy(HELSINKI)
    try:
        apply_override(doc, text)
        validate(doc, "x.yaml")
    except ScenarioError:
        pass

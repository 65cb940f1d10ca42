"""A file begun with 'summit new' is told what it still holds of the summit it copied."""

from __future__ import annotations

import copy
from functools import cache

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import shipped_document
from sim.cli import main
from sim.copied import leftovers
from sim.library import known_scenarios

SCENARIOS = sorted(known_scenarios())


def sourced_paths(document: dict) -> list[tuple[str, ...]]:
    """Every sourced value of a document (a mapping with a 'source'), as a tuple of keys; a what-if
    is compared whole, not value by value."""
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            if path and path[0] == "variants":
                return
            if "source" in node and path and path[0] not in ("history", "sources"):
                found.append(path)
                return
            for key, value in node.items():
                walk(value, (*path, key))

    walk(document, ())
    return found


def choice_paths(node, path: str = "") -> set[str]:
    """The choices (rounds, tactics, who opens...) that carry their source beside them, dotted."""
    if not isinstance(node, dict) or path.startswith("variants."):
        return set()
    here = {f"{path}{key.removesuffix('_source')}" for key in node if key.endswith("_source")}
    return here.union(*(choice_paths(v, f"{path}{k}.") for k, v in node.items()))


def at(document: dict, path: tuple[str, ...]) -> dict:
    for key in path:
        document = document[key]
    return document


@cache
def original_of(name: str) -> dict:
    return shipped_document(name)


@pytest.mark.parametrize("name", SCENARIOS)
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_a_value_is_as_copied_until_it_or_its_source_changes(name, data):
    """Unchanged values are listed as copied; a value moved under the original's words is listed
    apart; a value given a source of its own is listed nowhere; a what-if is as copied while it is
    as the original declares it."""
    original = copy.deepcopy(original_of(name))
    paths = sourced_paths(original)
    moved = set(data.draw(st.lists(st.sampled_from(paths), unique=True, max_size=6)))
    resourced = set(data.draw(st.lists(st.sampled_from(paths), unique=True, max_size=6))) - moved
    mine = copy.deepcopy(original)
    for path in moved:
        at(mine, path)["moved"] = True  # anything that differs from the original but its source
    for path in resourced:
        at(mine, path)["source"] = "mine: what my own sources say"
    found = leftovers(mine, original, name)
    dotted = {".".join(p) for p in paths} | choice_paths(original)
    assert set(found.kept_source) == {".".join(p) for p in moved}
    assert set(found.same) == dotted - {".".join(p) for p in moved | resourced}
    assert found.sourced == len(dotted)
    assert found.history == (original.get("history") is not None)
    assert found.variants == list(original.get("variants", {}))
    if original.get("variants"):
        changed = next(iter(original["variants"]))
        mine["variants"][changed]["description"] += " As I read it."
        assert changed not in leftovers(mine, original, name).variants


def test_an_untouched_copy_says_so_in_a_line_and_the_list_shrinks_as_the_author_works(tmp_path, monkeypatch,
                                                                                      capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "anchorage-2025", "--from", "helsinki-2018"]) == 0
    assert "what is still helsinki-2018's" in capsys.readouterr().out
    assert main(["validate", "anchorage-2025.yaml"]) == 0
    told = capsys.readouterr().out
    assert "still as copied from helsinki-2018" in told
    assert "the title, the year and the description" in told and "the history block" in told
    assert "the what-ifs " + ", ".join(shipped_document("helsinki-2018")["variants"]) in told
    original = shipped_document("helsinki-2018")
    count = len(sourced_paths(original)) + len(choice_paths(original))
    assert f"all {count} sourced values and choices" in told

    made = tmp_path / "anchorage-2025.yaml"
    document = yaml.safe_load(made.read_text())
    text = made.read_text().replace("title: Trump-Putin summit, Helsinki 2018", "title: Anchorage 2025")
    resolve = document["leaders"]["us"]["resolve"]
    written = f"resolve: {{uniform: {resolve['uniform']}, source: \"{resolve['source']}\"}}"
    assert written in text
    text = text.replace(written, "resolve: {value: 0.9, source: \"model: he came to sign\"}")
    text = text.replace("rounds: 8\n", "rounds: 5\n", 1)
    made.write_text(text)
    assert main(["validate", "anchorage-2025.yaml"]) == 0
    told = capsys.readouterr().out
    assert "the year and the description" in told and "the title" not in told
    assert f"{count - 2} of {count} sourced values and choices" in told
    listed = told[told.index("sourced values and choices"):told.index("value changed")]
    us, ru = listed[listed.index("leaders.us:"):listed.index("leaders.ru:")], listed[listed.index("leaders.ru:"):]
    assert "first_proposer" in listed and "rounds" not in listed
    assert " resolve," not in us and " resolve," in ru
    assert "1 value changed under helsinki-2018's source, which no longer says what it holds:" in told
    assert "protocol: rounds" in told[told.index("value changed"):]

    made.write_text(text.split("\n", 2)[2])  # the first line gone: the file is its author's
    assert main(["validate", "anchorage-2025.yaml"]) == 0
    assert "still as copied" not in capsys.readouterr().out


def test_a_copy_of_ones_own_file_is_compared_with_it_wherever_it_is_written(tmp_path, monkeypatch, capsys):
    mine = tmp_path / "my summits"
    mine.mkdir()
    (mine / "base.yaml").write_text((known_scenarios()["malta-1989"]).read_text())
    monkeypatch.chdir(tmp_path)
    assert main(["new", "second", "--from", "my summits/base.yaml", "--out", "elsewhere/second.yaml"]) == 0
    assert (tmp_path / "elsewhere" / "second.yaml").read_text().startswith("# Started from ../my summits/base.yaml ")
    capsys.readouterr()
    assert main(["validate", "elsewhere/second.yaml"]) == 0
    assert "still as copied from base" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path / "elsewhere")  # the path is the copy's folder's, not the working one's
    assert main(["validate", "second.yaml"]) == 0
    assert "still as copied from base" in capsys.readouterr().out


def test_a_copy_made_before_the_original_was_named_by_its_name_is_still_compared(tmp_path, capsys):
    old = tmp_path / "old.yaml"
    old.write_text("# Started from yalta-1945.yaml with 'summit new'. Edit the values, and give every\n"
                   + (known_scenarios()["yalta-1945"]).read_text())
    assert main(["validate", str(old)]) == 0
    told = capsys.readouterr().out
    assert "still as copied from yalta-1945" in told and " sourced values and choices, with their sources" in told


@pytest.mark.parametrize("original", ["- a list\n", "sources: [nyt]\nleaders: 3\nhistory: no\n", "title: [\n",
                                      "x: " + "y" * 2_000_000 + "\n", ""])
def test_an_original_that_is_no_scenario_is_compared_with_nothing(original, tmp_path, capsys):
    """The first line names a file the author may have changed since, or never had: whatever it
    holds, the copy's check runs and says nothing of it."""
    (tmp_path / "base.yaml").write_text(original)
    copy_ = tmp_path / "copy.yaml"
    copy_.write_text("# Started from base.yaml with 'summit new'.\n" + known_scenarios()["malta-1989"].read_text())
    assert main(["validate", str(copy_)]) == 0
    told = capsys.readouterr().out
    assert told.startswith("ok ") and "still as copied" not in told


def test_validation_says_when_a_files_history_is_the_copied_summits(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "mine", "--from", "hanoi-2019"]) == 0
    assert main(["validation", "mine.yaml"]) == 0
    told = capsys.readouterr().out
    assert "mine's history block is still hanoi-2019's" in told
    made = tmp_path / "mine.yaml"
    made.write_text(made.read_text().replace("  ahead: none", "  ahead: us"))
    assert main(["validation", "mine.yaml"]) == 0
    assert "history block is still" not in capsys.readouterr().out

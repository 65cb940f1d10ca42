"""The scenario library: every file loads and replays, variants pair on common random numbers,
authoring commands work end to end, and docs/validation.md says what the model says."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from builders import shipped_document
from sim import validation
from sim.library import known_scenarios
from sim.loader import load
from sim.model import SummitModel
from sim.pairing import compare
from sim.replay import replay
from sim.spec import compile_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(known_scenarios())
EXPECTED = {"helsinki-2018", "hamburg-2017", "buenos-aires-2018", "singapore-2018", "yalta-1945", "vienna-1961",
            "chequers-1984", "geneva-1985", "reykjavik-1986", "malta-1989", "helsinki-1997"}


def summit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_the_library_holds_every_summit_the_articles_name():
    assert set(SCENARIOS) >= EXPECTED


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_and_variant_loads_and_replays(name):
    scenario = load(name)
    assert scenario.history is not None, "every library scenario states what history concluded"
    for variant in [None, *scenario.variants]:
        spec = compile_scenario(load(name, variant=variant))
        out = replay(spec, 300, seed=11)
        assert out.parts.shape == (len(spec.leaders), 4, 300)
        assert np.isfinite(out.parts).all() and ((out.final >= 0) & (out.final <= 1)).all()


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_choice_in_a_library_scenario_names_its_source(name):
    """Not only the numbers: the tactics, who opens, mandates and the like carry a source too, whose
    key is in the file's sources table (the loader checks the key wherever a source is given)."""
    from sim.sources import choices

    made = choices(load(name))
    assert {"protocol.rounds", "protocol.first_proposer"} <= {path for path, _, _ in made}
    assert sum(path.endswith(".tactic") for path, _, _ in made) == len(load(name).leaders)
    assert [path for path, _, source in made if source is None] == []


def test_show_lists_the_choices_and_says_where_a_source_is_missing():
    r = summit("show", str(ROOT / "tests" / "malformed" / "base.yaml"))
    assert r.returncode == 0, r.stderr
    listed = r.stdout.split("Choices (value - source):")[1].split("Parameters")[0]
    assert "protocol.first_proposer" in listed and "no source given" in listed
    r = summit("show", "yalta-1945")
    listed = r.stdout.split("Choices (value - source):")[1].split("Parameters")[0]
    assert "leaders.su.tactic" in listed and "boulware" in listed and "no source given" not in listed


def test_list_shows_year_parties_and_description():
    r = summit("list")
    assert r.returncode == 0, r.stderr
    for name in EXPECTED:
        scenario = load(name)
        lines = r.stdout.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith(name + " "))
        line = lines[at]
        assert str(scenario.year) in line
        assert all(leader.name in line for leader in scenario.leaders.values())
        below = " ".join(x.strip() for x in lines[at + 1:] if x.startswith("    "))
        assert below.startswith(scenario.description)


def test_a_variant_changes_only_what_it_sets_run_by_run():
    base, variant = load("helsinki-2018"), load("helsinki-2018", variant="prepared-president")
    ids = np.arange(500, dtype=np.uint64)
    a = SummitModel(compile_scenario(base), ids, seed=4).values
    b = SummitModel(compile_scenario(variant), ids, seed=4).values
    changed = {k for k in a if not np.array_equal(a[k], b[k])}
    assert changed == {"leaders.us.preparation"}


def test_an_empty_change_compares_to_exactly_zero_and_pairing_narrows_the_interval():
    spec = compile_scenario(load("helsinki-2018"))
    base = replay(spec, 2000, seed=5)
    same = compare(base, replay(spec, 2000, seed=5))
    for leader in same["leaders"].values():
        assert leader["gain"]["mean"] == 0.0 and leader["gain"]["low"] == leader["gain"]["high"] == 0.0
    assert same["replays_changed"] == 0.0
    tougher = compile_scenario(load("helsinki-2018", variant="tough-congress"))
    change = compare(base, replay(tougher, 2000, seed=5))
    for leader in change["leaders"].values():
        g = leader["gain"]
        assert (g["high"] - g["low"]) / 2 < g["unpaired_half_width"]
    assert 0.0 < change["replays_changed"] <= 1.0


def test_a_variant_that_changes_no_replay_says_so_and_one_that_changes_every_replay_counts_them():
    """A status value the meeting brings changes every run that ends without a rupture, and the
    comparison counts the runs; where none changed, it says that what was set never came into play."""
    import sim
    from sim.pairing import replays_changed, untouched_sentence

    base = replay(compile_scenario(sim.load("helsinki-2018")), 1000, seed=5)
    clear = replay(compile_scenario(sim.load("helsinki-2018", ["protocol.perception_noise=0"])), 1000, seed=5)
    assert compare(base, clear)["replays_changed"] > 0  # a change the test can see
    kept = replay(compile_scenario(sim.load("helsinki-2018", ["leaders.ru.status_value=0.9"])), 1000, seed=5)
    changed, runs = compare(base, kept), replays_changed(base, kept)
    statused = base.held & ~base.walked_out.any(axis=0) & kept.held & ~kept.walked_out.any(axis=0)
    assert statused.any() and runs[statused].all() and changed["replays_changed"] == runs.mean()
    assert untouched_sentence(changed) == f"it changed {runs.mean():.1%} of the replays"
    assert untouched_sentence({"replays_changed": 0.0}).startswith("it changed no replay: what it sets never came")
    assert untouched_sentence({"replays_changed": 0.0004}) == "it changed under 0.1% of the replays"


def test_buenos_aires_cancellation_comes_from_kerch_run_by_run():
    """The Kerch event only raises what meeting costs Trump, so without it no replay loses its meeting."""
    with_kerch = replay(compile_scenario(load("buenos-aires-2018")), 4000, seed=2018)
    without = replay(compile_scenario(load("buenos-aires-2018", variant="no-kerch")), 4000, seed=2018)
    assert (without.held >= with_kerch.held).all()
    assert with_kerch.held.mean() < without.held.mean()
    cancelled = ~with_kerch.held
    assert (with_kerch.parts[:, :, cancelled][0, 1] == 0).all()  # no status from a meeting that did not happen


def test_compare_prints_a_paired_comparison():
    r = summit("compare", "helsinki-2018", "--variant", "advisers-in-room", "--runs", "2000")
    assert r.returncode == 0, r.stderr
    assert "VARIANT advisers-in-room" in r.stdout and "common random numbers" in r.stdout
    assert "change [95% CI]" in r.stdout and "unpaired replays would give" in r.stdout
    assert re.search(r"^  it changed (\d+\.\d%|under 0\.1%) of the replays$", r.stdout, re.M)
    lines = r.stdout.splitlines()
    verdict = lines[next(i for i, line in enumerate(lines) if line.startswith("VARIANT")) + 1]
    ran = summit("run", "helsinki-2018", "--variant", "advisers-in-room", "--runs", "2000", "--json")
    assert verdict.startswith(f"  VERDICT: {json.loads(ran.stdout)['verdict']['text'].upper()} (")
    bad = summit("compare", "helsinki-2018", "--variant", "nope")
    assert bad.returncode == 2 and "advisers-in-room" in bad.stderr and "nope" in bad.stderr
    none = summit("compare", "beijing-1972", "--variant", "all")
    assert none.returncode == 2 and "declares no variants" in none.stderr and "--set" in none.stderr


def test_new_copies_and_never_overwrites(tmp_path):
    r = summit("new", "my-helsinki", "--from", "helsinki-2018", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    made = tmp_path / "my-helsinki.yaml"
    assert load(str(made)).name == "my-helsinki"
    made.write_text(made.read_text() + "\n# my notes\n")
    again = summit("new", "my-helsinki", "--from", "helsinki-2018", cwd=tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr
    assert made.read_text().endswith("# my notes\n")


def test_list_marks_the_held_out_scenarios():
    blocks: dict[str, str] = {}
    for line in summit("list").stdout.splitlines()[1:]:
        if not line.startswith(" "):
            name = line.split()[0]
            blocks[name] = ""
        else:
            blocks[name] += " " + line.strip()
    assert set(blocks) == set(SCENARIOS)
    for name, said in blocks.items():
        assert ("(held out:" in said) == bool(load(name).history.held_out), name


def test_a_copy_of_a_held_out_scenario_is_not_held_out(tmp_path):
    assert load("camp-david-1978").history.held_out
    r = summit("new", "mine", "--from", "camp-david-1978", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    copied = load(str(tmp_path / "mine.yaml"))
    assert not copied.history.held_out and copied.history.ahead == "il"


def test_new_shows_every_optional_mechanism_with_an_example_that_validates(tmp_path):
    """The commented example 'summit new' appends names every optional field of the schema, and,
    filled in with a real file's leaders and issues, it validates."""
    import yaml

    from sim import optional
    from sim.loader import validate
    from sim.schema import GROUP_MODELS, Event, Protocol

    r = summit("new", "mine", "--from", "helsinki-2018", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    written = (tmp_path / "mine.yaml").read_text()
    assert optional.commented() in written and load(str(tmp_path / "mine.yaml")).name == "mine"
    example = optional.EXAMPLE
    for model in (Protocol, Event, *GROUP_MODELS.values()):
        for name, field in model.model_fields.items():
            if not field.is_required() and name not in ("ideal", "note", "reciprocity", "capability", "threat",
                                                        "threat_if", "threat_if_source", "disagreement_utility",
                                                        "max_concession", "interest", "touches",
                                                        "tactic_source", "first_proposer_source"):
                assert f"{name}:" in example, f"summit new shows no example of {model.__name__}.{name}"
    filled = (example.replace("ISSUE2", "crimea").replace("ISSUE", "sanctions-relief")
              .replace("LEADER", "us").replace("OTHER", "ru").replace('"key:', '"model:'))
    doc = shipped_document("helsinki-2018")
    extra = yaml.safe_load(filled)
    doc["protocol"].update(extra["protocol"])
    for key, fields in extra["leaders"].items():
        doc["leaders"][key].update(fields)
    doc["mediators"] = extra["mediators"]
    doc["events"].update(extra["events"])
    validate(doc, "the example")


def test_validate_reports_every_problem_at_once(tmp_path):
    text = (ROOT / "scenarios" / "helsinki-2018.yaml").read_text()
    text = text.replace("first_proposer: ru", "first_proposer: rx")
    text = text.replace("  rounds: 8\n", "  rounds: 0\n")
    text = text.replace('source: "nyt: no swift American recognition of Crimea could', 'source: "zzz: no swift')
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    r = summit("validate", str(bad), "helsinki-2018", "potsdam-1945")
    assert r.returncode == 2
    out = r.stdout
    assert "FAIL" in out and "3 problems" in out
    assert "protocol.rounds" in out and "unknown leader 'rx'" in out and "'zzz: no swift" in out
    assert "ok   " in out and "helsinki-2018.yaml" in out
    assert "2 leaders, 10 issues" in out and "5 events, 4 variants" in out
    assert "3 leaders, 5 issues" in out and "2 events, 1 variant\n" in out  # not '1 variants'


def test_problems_across_fields_are_listed_one_by_one_with_their_lines(tmp_path):
    """A wrong name and a source without a known key are found by the whole-file check; each is
    its own numbered problem, with the line of the field it names."""
    text = (ROOT / "scenarios" / "helsinki-2018.yaml").read_text()
    text = text.replace("first_proposer: ru", "first_proposer: rx")
    text = text.replace('tactic_source: "nyt: McFaul', 'tactic_source: "zzz: McFaul')
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    lines = text.splitlines()
    r = summit("validate", str(bad))
    assert r.returncode == 2 and "2 problems" in r.stdout, r.stdout
    for field, needle in (("protocol.first_proposer", "first_proposer: rx"), ("leaders.us.tactic_source", "zzz:")):
        line = next(i for i, text in enumerate(lines, 1) if needle in text)
        assert f"{field} (line {line})" in r.stdout, r.stdout


def test_docs_validation_and_the_track_record_are_what_the_model_says_now(monkeypatch, capsys):
    from sim import track_record
    from sim.cli import main

    results = validation.rows()
    document = (ROOT / "docs" / "validation.md").read_text()
    fresh = validation.refresh(document, validation.table(results))
    stale = "is stale: run 'summit validation --write docs/validation.md'"
    assert document == fresh, f"docs/validation.md {stale}"
    assert track_record.load() == validation.track_record(results), f"sim/track_record.json {stale}"
    # 'summit validation' prints a row per summit for a terminal, the Markdown table with --markdown
    monkeypatch.setattr(validation, "rows", lambda delta, given=None: results)
    assert main(["validation"]) == 0
    told = capsys.readouterr().out
    assert told.startswith("THE MODEL AGAINST HISTORY: 45 summits") and "fixed in advance" in told.split("\n")[1]
    for r in results:
        row = next(line for line in told.splitlines() if line.split()[:1] == [r["scenario"]])
        assert r["summary"]["verdict"]["text"] in row and row.rstrip().endswith("yes") == r["agree"]
        assert ("*" in row.split()[:2]) == r["history"].held_out
    held_out = [r for r in results if r["history"].held_out]
    assert " ".join(validation.tally("Held out", held_out).split()) in " ".join(told.split())
    assert main(["validation", "--markdown"]) == 0
    assert capsys.readouterr().out.strip() == validation.table(results).strip()


def test_summits_written_blind_are_checked_against_history_as_the_library_is(tmp_path, capsys):
    """'summit validation FOLDER' checks one's own summits, written from the record, as docs/validation.md
    checks the library's: a row each, with the verdict 'summit run' gives, and the tallies by whether
    each file marks itself held out."""
    import shutil

    import yaml

    import sim
    from sim.cli import main

    mine = tmp_path / "mine"
    mine.mkdir()
    for name in ("munich-1938", "hanoi-2019"):  # one marked held out, one not
        shutil.copy(known_scenarios()[name], mine / f"{name}.yaml")
    bare = yaml.safe_load(known_scenarios()["malta-1989"].read_text(encoding="utf-8"))
    del bare["history"]
    (mine / "malta-no-history.yaml").write_text(yaml.safe_dump(bare, sort_keys=False), encoding="utf-8")

    shutil.copy(ROOT / "experiments" / "helsinki-sensitivity.yaml", mine)  # a sweep file beside them
    assert main(["validation", str(mine)]) == 0
    told = capsys.readouterr().out
    assert told.startswith("THE MODEL AGAINST HISTORY: 2 summits")  # the file without a history is left out
    head = told.splitlines()[1:3]
    assert head == [f"left out: {mine / 'helsinki-sensitivity.yaml'} (a sweep file)",
                    f"left out: {mine / 'malta-no-history.yaml'} (no history block)"], head
    for name in ("munich-1938", "hanoi-2019"):
        row = next(line for line in told.splitlines() if line.split()[:1] == [name])
        assert sim.run(name).verdict["text"] in row
    assert "munich-1938 *" in told and "hanoi-2019 *" not in told
    flat = " ".join(told.split())
    assert "Marked held out: who came out ahead agrees with history in 1 of 1" in flat
    assert "Not marked held out:" in flat and "All the summits given:" in flat

    assert main(["validation", str(mine), "--json"]) == 0  # the same, for a script
    data = json.loads(capsys.readouterr().out)
    assert [row["scenario"] for row in data["rows"]] == ["hanoi-2019", "munich-1938"]
    for row in data["rows"]:
        line = next(line for line in told.splitlines() if line.split()[:1] == [row["scenario"]])
        assert row["verdict"]["text"] in line and row["agree"] == line.endswith("yes")
        assert row["agree"] == all(row["checks"].values()) and row["history"]["held_out"] == ("*" in line)
    assert data["left_out"] == [{"file": str(mine / "helsinki-sensitivity.yaml"), "why": "a sweep file"},
                                {"file": str(mine / "malta-no-history.yaml"), "why": "no history block"}]
    assert data["held_out"]["scenarios"] == data["built_with"]["scenarios"] == 1 and data["all"]["scenarios"] == 2
    assert data["all"]["ahead_agrees"] == data["held_out"]["ahead_agrees"] + data["built_with"]["ahead_agrees"]
    assert data["runs"] == 10_000 and data["history_still_copied_from"] == {}

    for args, said in ((["validation", str(mine / "malta-no-history.yaml")], "no history block"),
                       (["validation", str(mine), "--write", str(tmp_path / "v.md")], "give no scenarios with it"),
                       (["validation", "--write", str(tmp_path / "v.md"), "--json"], "give one or the other"),
                       (["validation", str(tmp_path)], "a folder with no scenario file that has a history block")):
        assert main(args) == 2
        assert said in capsys.readouterr().err
    twin = tmp_path / "twin"
    twin.mkdir()
    shutil.copy(mine / "hanoi-2019.yaml", twin / "hanoi-2019.yaml")
    assert main(["validation", str(mine), str(twin)]) == 2
    assert "two files are named hanoi-2019.yaml" in capsys.readouterr().err


def test_a_folder_with_broken_files_is_refused_whole_naming_every_problem_of_each(tmp_path, capsys):
    """'summit validation FOLDER' reads every file before it replays any: one unreadable file stops
    the check (a tally over the files that happened to load would count another set of summits),
    and the refusal lists each broken file's problems, not only the first file's."""
    import shutil

    from sim.cli import main

    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.copy(known_scenarios()["munich-1938"], mine / "munich-1938.yaml")
    (mine / "broken.yaml").write_text("name: broken\ntitle: [unclosed\n", encoding="utf-8")
    misspelt = known_scenarios()["malta-1989"].read_text(encoding="utf-8").replace("\nhistory:", "\nhistroy:")
    (mine / "misspelt.yaml").write_text(misspelt, encoding="utf-8")

    assert main(["validation", str(mine), str(tmp_path / "nowhere.yaml")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing replayed, no partial table
    lines = captured.err.splitlines()
    assert lines[0].startswith("summit: summit validation (nothing replayed") and lines[0].endswith("3 problems")
    assert lines[1].startswith(f"  1. {mine / 'broken.yaml'}, line 3") and "never closed" in lines[1]
    assert lines[2].startswith(f"  2. {mine / 'misspelt.yaml'}: histroy (line ")
    assert "did you mean 'history'" in lines[2]
    assert lines[3].startswith("  3. ") and "nowhere.yaml" in lines[3]


def assumed_section(shown: str) -> str:
    """The part of 'summit show' that lists what the model assumes where the file is silent."""
    return shown.split("Assumed where the file is silent")[1] if "Assumed where the file is silent" in shown else ""


def test_show_says_what_it_assumes_where_a_chamber_states_no_ideal(tmp_path):
    """A legislature without an ideal on an issue it ratifies is taken to share its leader's there
    (change 23): 'summit show' names each such issue and the ideal assumed, and stops naming it
    once the file gives the chamber's own."""
    import yaml

    doc = yaml.safe_load((ROOT / "tests" / "malformed" / "base.yaml").read_text())
    ratified = [k for k, issue in doc["issues"].items() if "senate" in issue.get("ratified_by", [])]
    assert ratified
    written = tmp_path / "silent.yaml"
    written.write_text(yaml.safe_dump(doc))
    shown = summit("show", str(written)).stdout
    assert "Assumed where the file is silent" in shown
    assumed = shown.split("Assumed where")[1].splitlines()
    for k in ratified:
        row = next(line for line in assumed if f"legislatures.senate.ideal.{k}" in line)
        leader = doc["leaders"][doc["legislatures"]["senate"]["of"]]
        assert f"want what {leader['name']} wants here" in row and "its leader's" in row
    doc["legislatures"]["senate"]["ideal"] = {k: {"value": 0.5, "source": "t: a value"} for k in ratified}
    written.write_text(yaml.safe_dump(doc))
    assert "legislatures.senate.ideal" not in assumed_section(summit("show", str(written)).stdout)


def test_show_says_which_issues_a_leader_may_trade_away_where_the_file_sets_no_ceiling(tmp_path):
    """Resolve is a share of the whole surplus, so an issue without a ceiling may be traded for one
    the leader weighs more: 'summit show' names the issues each leader leaves open, and stops once
    the file gives a ceiling on every issue."""
    import yaml

    doc = yaml.safe_load((ROOT / "tests" / "malformed" / "base.yaml").read_text())
    issues, leader = list(doc["issues"]), next(iter(doc["leaders"]))
    doc["leaders"][leader]["max_concession"] = {issues[0]: {"value": 0.0, "source": "t: off the table"}}
    written = tmp_path / "open.yaml"
    written.write_text(yaml.safe_dump(doc))
    silent = summit("show", str(written)).stdout.split("Assumed where the file is silent")[1]
    row = next(line for line in silent.splitlines() if f"leaders.{leader}.max_concession" in line)
    assert f"none on {len(issues) - 1} of {len(issues)}" in row
    assert row.split("not given on ")[1].split(":")[0].split(", ") == issues[1:]
    doc["leaders"][leader]["max_concession"] = {k: {"value": 0.2, "source": "t: a ceiling"} for k in issues}
    written.write_text(yaml.safe_dump(doc))
    assert f"leaders.{leader}.max_concession" not in assumed_section(summit("show", str(written)).stdout)


def test_show_says_that_talks_without_a_whole_text_sign_issue_by_issue_until_the_file_says_otherwise(tmp_path):
    """Partial deals are the model's default (sim.partial_deals): 'summit show' says so where the
    file is silent, and stops once the file says how its agreements are signed."""
    import yaml

    doc = yaml.safe_load((ROOT / "tests" / "malformed" / "base.yaml").read_text())
    written = tmp_path / "parts.yaml"
    written.write_text(yaml.safe_dump(doc))
    assert "protocol.agreements" in assumed_section(summit("show", str(written)).stdout)
    doc["protocol"].update(agreements="whole", agreements_source="t: nothing was to be signed in part")
    written.write_text(yaml.safe_dump(doc))
    assert "protocol.agreements" not in assumed_section(summit("show", str(written)).stdout)

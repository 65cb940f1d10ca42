"""The README's quick start is what CI runs: keep the two in step."""

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start.*?```(?:sh|bash)\n(.*?)```", text, re.S)
    assert block, "README.md has no Quick start code block"
    return [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.startswith("#")]


def test_quick_start_has_two_commands_and_ci_runs_the_second():
    replay, tests = quick_start()
    assert "summit run helsinki-2018" in replay
    assert "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text()


def readme_commands() -> list[list[str]]:
    """Every command the README shows after its quick start, as the reader would type it, with
    the venv's programs mapped to this interpreter."""
    text = (ROOT / "README.md").read_text()
    after_quick_start = text.split("## Quick start", 1)[1].split("```", 2)[2]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", after_quick_start, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if not words:
                continue
            program = {".venv/bin/summit": [sys.executable, "-m", "sim"], ".venv/bin/python": [sys.executable]}
            assert words[0] in program, f"README command not run by this test: {line}"
            commands.append(program[words[0]] + words[1:])
    return commands


@pytest.mark.slow
def test_every_command_the_readme_shows_works(tmp_path):
    """A reader following the README from top to bottom, in a fresh folder."""
    (tmp_path / "experiments").symlink_to(ROOT / "experiments")
    commands = readme_commands()
    assert len(commands) >= 25
    printed = {}
    for command in commands:
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{' '.join(command[1:])}\n{done.stderr[-2000:]}"
        assert "Traceback" not in done.stderr, " ".join(command[1:])
        if command[1].endswith(".py"):  # an experiment's script: what it printed, by its name
            printed[Path(command[1]).name] = done.stdout
    assert (tmp_path / "helsinki.html").stat().st_size > 100_000
    assert (tmp_path / "my-summit.yaml").is_file()
    assert_the_sweep_is_told_as_it_came_out(tmp_path / "results" / "helsinki")
    assert_the_experiments_tables_are_what_it_printed(printed["tied_hands.py"])


def assert_the_experiments_tables_are_what_it_printed(tables: str) -> None:
    """docs/experiments.md shows the tied-hands tables its experiment writes (--write); the walk-through
    runs that experiment, which must print the same tables, or the document (and the figures drawn
    beside it) tell of an older model (they had lagged change 25: a deal in 94% of Helsinki's replays,
    where the model signs one in 99%)."""
    from experiments.tied_hands import BEGIN
    from sim.validation import refresh

    text = (ROOT / "docs" / "experiments.md").read_text(encoding="utf-8")
    assert refresh(text, tables.rstrip("\n"), BEGIN) == text, \
        "docs/experiments.md: python experiments/tied_hands.py --write docs/experiments.md, and draw its figures again"


def assert_the_sweep_is_told_as_it_came_out(folder: Path) -> None:
    """The paragraph after the README's sweep quotes its numbers; they must be the sweep's own
    (the paragraph once described a spread of P(Putin ahead) that later models no longer had)."""
    text = " ".join((ROOT / "README.md").read_text().split())
    done = subprocess.run([sys.executable, "-m", "sim", "analyze", str(folder), "--json"], capture_output=True,
                          text=True, timeout=300)
    told = json.loads(done.stdout)
    points, indices = told["points"], {s["outcome"]: s for s in told["sensitivity"]}
    ahead = {round(100 * p["p_ahead.ru"]) for p in points}
    share = re.search(r"P\(Putin ahead by more than 0\.10\) is (\d+)% throughout", text)
    assert share and ahead == {int(share.group(1))}
    low, high = (f"{v:+.2f}".replace("-", "−") for v in (indices["gain.us"]["spread"]["min"],
                                                           indices["gain.us"]["spread"]["max"]))
    assert f"his gain runs from {low} to {high}" in text
    first = {s: indices[s]["indices"][0] for s in ("gain.us", "gain.ru")}
    assert first["gain.us"]["factor"] == "leaders.us.flattery_susceptibility"
    assert f"its total Sobol' index is {first['gain.us']['ST']:.2f}" in text
    assert f"Putin's own gain hinges on it too ({first['gain.ru']['ST']:.2f})" in text


def test_the_readme_sample_output_is_what_the_command_prints():
    """The README shows `summit run helsinki-2018` as the code prints it today, verdict first."""
    text = (ROOT / "README.md").read_text()
    sample = re.search(r"## What a run prints\n\n```\n(.*?)```", text, re.S).group(1)
    done = subprocess.run([sys.executable, "-m", "sim", "run", "helsinki-2018"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == sample
    assert sample.splitlines()[3].startswith("VERDICT:")


def test_the_readme_quotes_the_track_record_the_model_has_now():
    """'How far to trust the verdict' quotes counts that sim/track_record.json holds, and that file
    is checked against the model by tests/test_library.py; so a change to the model that moves the
    record fails here until the README says what the model says."""
    from sim import track_record

    text = " ".join((ROOT / "README.md").read_text().split())
    trust = re.search(r"\*\*How far to trust the verdict\.\*\*(.*?)## ", text).group(1)
    built, held = track_record.load()["built_with"], track_record.load()["held_out"]
    none_named = held["scenarios"] - held["named_winner"]
    none_right = held["ahead_agrees"] - held["named_winner_agrees"]
    for said in (f"in {built['ahead_agrees']} of the {built['scenarios']} summits it was built with",
                 f"in {held['ahead_agrees']} of the {held['scenarios']} held out",
                 f"gets {held['always_none_agrees']} of the {held['scenarios']}",
                 f"{held['named_winner_agrees']} of the {held['named_winner']} held-out summits where the model "
                 "named one",
                 f"in {none_right} of the {none_named} where it named none",
                 f"passes {held['checks_pass'] - held['ahead_agrees']} of the {held['checks'] - held['scenarios']} "
                 "held-out checks",
                 f"Of the {held['beats_always_none'] + held['loses_to_always_none']} held-out summits where the two "
                 f"differ, the model was right in {held['beats_always_none']} and the rule in "
                 f"{held['loses_to_always_none']}",
                 f"(McNemar's exact test, p = {held['p_vs_always_none']:.2f})"):
        assert said in trust, said

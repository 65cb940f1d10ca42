"""The summit command end to end, as a student would type it."""

import json
import re
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sweeps_helpers import ctrl_c_as_at_a_terminal

from sim import track_record
from sim.report import _why_refused, round_lines


def summit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True, timeout=120)


def test_run_prints_a_verdict_with_probability_interval_and_parts():
    r = summit("run", "helsinki-2018", "--runs", "2000", "--seed", "3")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "VERDICT:" in out and "95% CI" in out
    for word in ("substantive", "status", "domestic", "alliance", "deal reached", "US Congress",
                 "Sanctions relief", "European NATO allies", "Indictment of 12 GRU officers"):
        assert word in out


def test_json_gives_the_same_numbers_as_the_report():
    r = summit("run", "helsinki-2018", "--runs", "1500", "--seed", "8", "--json")
    data = json.loads(r.stdout)
    assert data["runs"] == 1500 and data["seed"] == 8
    p = data["p_ahead"]
    assert p["low"] <= p["p"] <= p["high"]
    report = summit("run", "helsinki-2018", "--runs", "1500", "--seed", "8").stdout
    assert f"{p['p']:.1%} [{p['low'] * 100:.1f}, {p['high'] * 100:.1f}]" in report
    assert data["verdict"]["text"].upper() in report


def test_trace_tells_the_story_of_one_replay():
    r = summit("run", "helsinki-2018", "--runs", "200", "--trace", "5")
    assert r.returncode == 0, r.stderr
    assert "STORY OF REPLAY 5" in r.stdout and "Round 1:" in r.stdout and "net" in r.stdout
    j = json.loads(summit("run", "helsinki-2018", "--runs", "200", "--trace", "5", "--json").stdout)
    assert j["trace"]["run"] == 5 and j["trace"]["rounds"][0]["round"] == 1


def test_set_changes_the_result_and_is_echoed():
    base = json.loads(summit("run", "helsinki-2018", "--runs", "3000", "--json").stdout)
    prepared = json.loads(summit("run", "helsinki-2018", "--runs", "3000", "--json",
                                 "--set", "leaders.us.flattery_susceptibility=0").stdout)
    assert prepared["overrides"] == ["leaders.us.flattery_susceptibility=0"]
    assert prepared["leaders"]["us"]["gain"]["mean"] > base["leaders"]["us"]["gain"]["mean"]


def test_list_show_and_schema():
    assert "helsinki-2018" in summit("list").stdout
    shown = summit("show", "helsinki-2018").stdout
    assert "leaders.us.preparation" in shown and "nyt:" in shown
    schema = json.loads(summit("schema").stdout)
    assert "leaders" in schema["properties"]


def test_an_editor_given_the_schema_accepts_every_shipped_file_and_flags_a_misspelt_field():
    """What docs/scenarios.md tells an author to give the editor: every shipped file passes under
    it, and a slip of the keyboard is flagged as the author types, with the field described."""
    import jsonschema
    import yaml

    from sim.library import known_scenarios

    schema = json.loads(summit("schema").stdout)
    check = jsonschema.Draft202012Validator(schema)
    for name, path in known_scenarios().items():
        assert not list(check.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))), name
    slip = yaml.safe_load(known_scenarios()["helsinki-2018"].read_text(encoding="utf-8"))
    slip["leaders"]["us"]["resolv"] = slip["leaders"]["us"].pop("resolve")
    assert any("resolv" in e.message for e in check.iter_errors(slip))
    assert "holds out for" in schema["$defs"]["Leader"]["properties"]["resolve"]["description"]


@pytest.mark.parametrize(("args", "expected"), [
    (("run", "nowhere"), "nowhere: no scenario of that name; known scenarios: "),
    (("run", "helsinki-2018", "--set", "leaders.us.nerve=1"), "'nerve' is not found under leaders.us"),
    (("run", "helsinki-2018", "--runs", "0"), "must be at least 1"),
    (("run", "helsinki-2018", "--seed", "-4"), "must be between 0 and"),
    (("run", "helsinki-2018", "--runs", "10", "--trace", "10"), "replay 10 is not among the 10 replays"),
    (("run", "missing.yaml"), "missing.yaml: no such scenario file"),
    (("run", str(Path(__file__).parent)), "tests: a folder, not a scenario file"),
    (("run", "/dev/zero"), "/dev/zero: not a regular file (a device, a pipe or a socket)"),
    (("sweep", "/dev/zero", "--out", "never-made"), "/dev/zero: not a regular file (a device, a pipe or a socket)"),
])
def test_bad_input_exits_2_with_one_clear_message(args, expected):
    r = summit(*args)
    assert r.returncode == 2
    assert expected in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_ctrl_c_anywhere_exits_130_with_one_line(monkeypatch, capsys):
    from sim import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr("sim.replay.replay", interrupted)
    assert cli.main(["run", "helsinki-2018", "--runs", "10"]) == 130
    assert capsys.readouterr().err == "summit: stopped by Ctrl-C\n"


def test_ctrl_c_while_the_program_loads_exits_130_with_one_line():
    """-X importtime reports each module as it loads: once numpy is in, pandas and Mesa are still
    to come, so the signal lands mid-import."""
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "sim", "run", "helsinki-2018"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=ctrl_c_as_at_a_terminal)
    for line in proc.stderr:
        if line.split("|")[-1].strip() == "numpy":
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.endswith("summit: stopped by Ctrl-C\n") and "Traceback" not in err and out == ""


def test_a_partial_or_misspelt_name_gets_the_matches():
    from sim.library import known_scenarios

    matches = [name for name in known_scenarios() if "helsinki" in name]
    assert len(matches) >= 2
    partial = summit("run", "helsinki")
    assert partial.returncode == 2
    assert f"{len(matches)} scenarios match it: {', '.join(matches)}" in partial.stderr
    typo = summit("run", "helsinky-2018")
    assert typo.returncode == 2 and "did you mean helsinki-2018" in typo.stderr


def test_list_fits_100_columns():
    listed = summit("list")
    assert listed.returncode == 0
    assert max(len(line) for line in listed.stdout.splitlines()) <= 100
    assert "helsinki-2018" in listed.stdout and "Donald Trump, Vladimir Putin" in listed.stdout


@pytest.mark.slow
def test_run_plot_and_report_take_the_same_settings(tmp_path):
    """One default replay count, and --variant and --set everywhere: the same settings give the
    same verdict in run's report, in a figure's title and in the HTML report."""
    settings = ["--variant", "prepared-president", "--set", "leaders.us.flattery_susceptibility=0.2",
                "--runs", "600"]
    ran = json.loads(summit("run", "helsinki-2018", *settings, "--json").stdout)
    assert ran["variant"] == "prepared-president"
    plotted = summit("plot", "helsinki-2018", "--kind", "all", *settings, "--out", str(tmp_path / "h"))
    assert plotted.returncode == 0, plotted.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    for kind in ("ahead", "margin", "dance", "two-level", "allies", "what-if"):
        assert f"h-{kind}.png" in written and f"h-{kind}.pdf" in written
    report = summit("report", "helsinki-2018", *settings, "--out", str(tmp_path / "h.html"))
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "h.html").read_text()
    assert f"<p class='verdict'>{ran['verdict']['text']}.</p>" in html
    assert "--variant prepared-president --set leaders.us.flattery_susceptibility=0.2" in html
    again = summit("plot", "helsinki-2018", "--kind", "all", *settings, "--out", str(tmp_path / "h"))
    assert again.returncode == 2 and "exists already" in again.stderr


def test_plot_all_with_a_suffix_writes_that_format_per_kind(tmp_path):
    """'--kind all --out h.svg' writes h-ahead.svg and its siblings, not h.svg-ahead.svg."""
    plotted = summit("plot", "buenos-aires-2018", "--kind", "all", "--runs", "200", "--out", str(tmp_path / "h.svg"))
    assert plotted.returncode == 0, plotted.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "h-ahead.svg" in written and "h-dance.svg" in written
    assert all(name.startswith("h-") and name.endswith(".svg") for name in written), written


def test_the_rule_is_stated_with_every_verdict_before_its_numbers(tmp_path):
    """'summit run', 'summit compare' and the report state the rule, with the margin in use, before
    the shares it judges."""
    from sim.verdict import rule_text

    def flat(text: str) -> str:
        return " ".join(text.split())

    ran = flat(summit("run", "hamburg-2017", "--runs", "300", "--equivalence", "0.2").stdout)
    rule = f"rule, fixed in advance: {rule_text(0.2)}"
    assert ran.index("VERDICT:") < ran.index(rule) < ran.index("share of replays")
    assert "without the directly set terms:" in ran
    compared = flat(summit("compare", "buenos-aires-2018", "--variant", "no-kerch", "--runs", "300").stdout)
    assert compared.index(f"fixed in advance: {rule_text(0.1)}") < compared.index("VERDICT:")
    assert summit("report", "hamburg-2017", "--runs", "300", "--out", str(tmp_path / "h.md")).returncode == 0
    report = flat((tmp_path / "h.md").read_text())
    assert report.index("comes out ahead") < report.index(rule_text(0.1)) < report.index("share of replays")
    record = track_record.text(track_record.load()).removesuffix(" (docs/validation.md)")
    held = track_record.load()["held_out"]
    assert f"in {held['ahead_agrees']} of {held['scenarios']} summits held out" in record
    assert ran.index("without the directly set terms:") < ran.index(record) < ran.index("WHY:")
    weights = "the verdict holds with the directly set terms counted at"
    assert ran.index("without the directly set terms:") < ran.index(weights) < ran.index(record)
    assert weights[1:] in report
    assert record[1:] in report  # the report starts it with a capital
    for told in (ran, report):  # with the record of held-out verdicts of the kind shown
        assert ("where it named a winner on a held-out summit" in told) != ("where it named none" in told)


def test_the_model_is_compared_with_the_rule_that_always_says_no_clear_winner_by_mcnemars_test():
    """The exact two-sided binomial p of the split where exactly one of the two was right, worked
    by hand; and in the stored record, model-only less rule-only right is the gap in their scores."""
    from math import comb

    from sim.validation import versus_rule_p

    assert versus_rule_p(6, 4) == round(2 * sum(comb(10, k) for k in range(5)) / 2**10, 3) == 0.754
    assert versus_rule_p(10, 1) == round(2 * (1 + 11) / 2**11, 3) and versus_rule_p(0, 0) == 1.0
    assert versus_rule_p(3, 3) == 1.0
    for kind in ("held_out", "built_with"):
        c = track_record.load()[kind]
        assert c["beats_always_none"] - c["loses_to_always_none"] == c["ahead_agrees"] - c["always_none_agrees"]
        assert c["p_vs_always_none"] == versus_rule_p(c["beats_always_none"], c["loses_to_always_none"])


def test_the_track_record_says_what_it_has(tmp_path, monkeypatch):
    """Without held-out summits the record speaks of those built with; without a file, of nothing."""
    counts = {"scenarios": 11, "ahead_agrees": 9, "always_none_agrees": 5, "checks": 35, "checks_pass": 31}
    none_held = {**counts, "scenarios": 0, "ahead_agrees": 0, "always_none_agrees": 0}
    said = track_record.text({"built_with": counts, "held_out": none_held}, named=True)
    assert "in 9 of the 11 it was built with" in said and "held out" not in said
    held = {**counts, "scenarios": 20, "ahead_agrees": 12, "named_winner": 8, "named_winner_agrees": 3}
    record = {"built_with": counts, "held_out": held}
    assert "named a winner on a held-out summit, historians named the same one in 3 of 8" in track_record.text(
        record, named=True)
    assert "named none on a held-out summit (or found it too close to call), historians agreed in 9 of 12" in (
        track_record.text(record, named=False))
    assert "named" not in track_record.text(record)  # no verdict beside it: the record alone
    older = {**held}
    del older["named_winner"], older["named_winner_agrees"]
    assert "named" not in track_record.text({"built_with": counts, "held_out": older}, named=True)
    assert "differ" not in track_record.text(record)  # a record without the comparison says nothing of it
    versus = {**held, "beats_always_none": 10, "loses_to_always_none": 1, "p_vs_always_none": 0.012}
    assert ("of the 11 where the two differ, the model was right in 10 and the rule in 1: the model does better "
            "beyond chance, exact p = 0.01") in track_record.text({"built_with": counts, "held_out": versus})
    versus = {**held, "beats_always_none": 0, "loses_to_always_none": 0, "p_vs_always_none": 1.0}
    assert "the two never differ" in track_record.text({"built_with": counts, "held_out": versus})
    monkeypatch.setattr(track_record, "PATH", tmp_path / "absent.json")
    assert track_record.load() is None and track_record.text(None) is None
    (tmp_path / "absent.json").write_text("{not json")
    assert track_record.load() is None


def test_a_run_sets_the_verdict_beside_what_historians_concluded_only_for_the_file_as_written():
    """A summit written from the record shows, at the end of 'summit run', each check against its
    history block as 'summit validation' judges it; a what-if is no summit that happened."""
    from sim import validation
    from sim.loader import load
    from sim.replay import replay
    from sim.spec import compile_scenario
    from sim.summary import summarize

    told = summit("run", "hanoi-2019", "--runs", "2000").stdout
    section = told.split("AGAINST HISTORY: ")[1]
    verdict = re.search(r"^VERDICT: (.*)$", told, re.M).group(1)
    ahead = next(line for line in section.splitlines() if line.split()[:1] == ["ahead"])
    assert verdict.lower() in ahead.lower()
    assert "No clear winner; the meeting was held; no deal was signed (source: record:" in " ".join(section.split())
    scenario = load("hanoi-2019")
    spec = compile_scenario(scenario)
    outcome = replay(spec, 2000, 2018, baselines=True)
    checks, _ = validation.against_history(scenario.history, summarize(outcome, spec), outcome)
    for what, ok in checks.items():
        row = next(line for line in section.splitlines() if line.split()[:1] == [what])
        assert row.rstrip().endswith("agrees" if ok else "DISAGREES"), row
    assert "AGAINST HISTORY" not in summit("run", "hanoi-2019", "--runs", "200", "--set",
                                           "leaders.nk.resolve=0.9").stdout


def test_the_trace_says_what_the_scales_mean_and_why_an_offer_was_refused():
    told = summit("run", "helsinki-2018", "--runs", "100", "--trace", "7").stdout
    assert "Sanctions relief: 0 = much harsher sanctions" in told
    assert "rejects: worth" in told and "reservation" in told


@given(st.floats(0.0, 1.0), st.floats(1e-4, 0.5), st.floats(0.0, 0.5), st.booleans())
def test_a_refusal_never_reads_as_worth_what_was_asked(asked, short, above, below_floor):
    """The two numbers a refusal compares print apart whenever they differ by 1e-4 or more: never
    "worth 0.64, below its reservation 0.64"."""
    value = asked - short
    floor = value + (short if below_floor else -above)
    weighed = {"value": np.array([value]), "threshold": np.array([max(asked, floor)]), "reservation": np.array([floor])}
    told = _why_refused(weighed, 3)
    numbers = re.findall(r"-?\d+\.\d+", told)
    worth, bound = numbers[0], numbers[1 if below_floor else 2]
    assert worth != bound
    assert float(worth) == pytest.approx(value, abs=6e-3) and float(bound) == pytest.approx(
        floor if below_floor else max(asked, floor), abs=6e-3)


@given(st.floats(0.0, 1.0), st.floats(5.1e-3, 1.0), st.booleans())
def test_a_move_in_the_story_never_reads_as_standing_still(start, step, up):
    """An offer the story counts as moved prints its two ends apart: never "moves on Peace and
    recognition 0.99->0.99" (Begin, round 5 of Camp David 1978's median replay)."""
    spec = SimpleNamespace(issue_labels=["Peace"], mediators={}, leader_names={"a": "A"}, mandate="sign")
    end = start + step if up else start - step
    rec = {"proposer": "a", "offer": np.array([[end]]), "answers": {}, "accepted": np.array([True]), "round": 5}
    said = round_lines(rec, spec, {"a": np.array([start])}, np.array([0.0]))[0]
    before, after = re.search(r"Peace (-?[\d.]+)->(-?[\d.]+)\.", said).groups()
    assert before != after
    assert float(before) == pytest.approx(start, abs=6e-3) and float(after) == pytest.approx(end, abs=6e-3)


def test_no_number_reads_as_minus_zero(tmp_path):
    """A part that rounds to nothing prints +0.000 (Kim's domestic part at Hanoi is a hair below
    zero): '-0.000' in a table reads as a loss."""
    negative_zero = re.compile(r"-0\.0+(?![0-9])")
    printed = summit("run", "hanoi-2019", "--runs", "600").stdout
    assert "Kim Jong-un" in printed and not negative_zero.search(printed)
    report = tmp_path / "hanoi.md"
    assert summit("report", "hanoi-2019", "--runs", "600", "--format", "md", "--out", str(report)).returncode == 0
    assert not negative_zero.search(report.read_text(encoding="utf-8"))

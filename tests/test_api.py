"""The Python API (sim/api.py, docs/api.md): the same numbers as the command line, every drawn
parameter and outcome per run, paired what-ifs, sweeps, the model as a function, instant import;
every example in docs/api.md and the notebook under docs/ run as written."""

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.errors import ScenarioError

ROOT = Path(__file__).resolve().parent.parent


def cli_json(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "sim", *args, "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_sim_loads_nothing_heavy():
    code = ("import sys, threading, sim; heavy = [m for m in ('numpy', 'mesa', 'pandas', 'matplotlib', 'dask', "
            "'pydantic') if m in sys.modules]; print(heavy, threading.active_count())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[] 1"  # a script or the command line: no warm-up thread either


WARMED = ("import sim, sys, threading\n"
          "[t.join(120) for t in threading.enumerate() if t.name == 'summit-warm-up']\n"
          "print('warmed', sorted(m for m in sim.WARM_UP if m in sys.modules), "
          "sorted(m for m in sys.modules if m.startswith('sim.')))\n")


@pytest.mark.parametrize("session", ["prompt", "notebook"])
def test_in_an_interactive_session_import_sim_loads_the_engines_libraries_while_the_user_types(session):
    """At the prompt (python -i) and in a notebook's kernel the libraries the first sim.run needs
    load on a background thread, and no module of sim does: the user's own imports never wait on
    a lock that thread holds in the other order."""
    if session == "prompt":
        done = subprocess.run([sys.executable, "-i"], input=WARMED, capture_output=True, text=True, timeout=180)
    else:
        code = "import sys, types; sys.modules['ipykernel'] = types.ModuleType('ipykernel')\n" + WARMED
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert f"warmed {sorted(sim.WARM_UP)} []" in done.stdout, done.stderr


def test_run_gives_the_command_lines_numbers_bit_for_bit():
    result = sim.run("helsinki-2018", runs=1500, seed=8, variant="advisers-in-room",
                     set={"leaders.us.preparation": 0.9})
    cli = cli_json("run", "helsinki-2018", "--runs", "1500", "--seed", "8", "--variant", "advisers-in-room",
                   "--set", "leaders.us.preparation=0.9")
    assert result.summary["verdict"] == cli["verdict"]
    assert result.summary["leaders"] == cli["leaders"]
    assert result.settings == ["--variant advisers-in-room", "--set leaders.us.preparation=0.9"]


def test_one_override_written_as_the_command_line_writes_it_is_one_override_not_its_letters():
    as_text = sim.run("singapore-2018", runs=300, set="leaders.us.preparation=0.9")
    as_dict = sim.run("singapore-2018", runs=300, set={"leaders.us.preparation": 0.9})
    assert as_text.settings == as_dict.settings == ["--set leaders.us.preparation=0.9"]
    assert as_text.summary["leaders"] == as_dict.summary["leaders"]


def test_a_scenario_loaded_with_a_what_if_runs_as_the_name_with_it_does():
    """Camp David 1978 without Carter has no Carter for its other what-if to pay: a scenario loaded
    with one what-if applied was refused when run, because the others were checked again."""
    loaded = sim.load("camp-david-1978", variant="without-carter")
    assert not loaded.mediators
    assert sim.run(loaded, runs=300).summary["leaders"] == sim.run(
        "camp-david-1978", runs=300, variant="without-carter").summary["leaders"]


def test_a_result_prints_what_the_command_line_prints_and_shows_itself_in_one_line():
    result = sim.run("singapore-2018", runs=700, seed=5)
    done = subprocess.run([sys.executable, "-m", "sim", "run", "singapore-2018", "--runs", "700", "--seed", "5"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert str(result) + "\n" == done.stdout
    shown = repr(result)  # what a notebook cell ending in a result displays: its answer, not its arrays
    assert shown == f"<sim.Result singapore-2018: 700 replays, seed 5: {result.verdict['text']}>"
    screened = sim.screen("moscow-1972", runs=100)
    assert repr(screened).startswith(f"<sim.Screening moscow-1972: {screened.verdict}; {len(screened.hinges_on)} of ")
    assert "\n" not in repr(screened) and len(repr(screened)) < 400


def test_a_what_if_carries_no_history_and_prints_none_beside_its_verdict():
    """The record judged the summit as it happened; a variant or a setting makes another summit, so
    its scenario has no history block and what it prints sets no historians beside it."""
    assert sim.load("hanoi-2019").history is not None
    assert sim.load("hanoi-2019", variant="no-bolton").history is None
    assert sim.load("hanoi-2019", set={"leaders.nk.resolve": 0.9}).history is None
    assert sim.load(sim.load("hanoi-2019"), variant="no-bolton").history is None
    assert "AGAINST HISTORY" in str(sim.run("hanoi-2019", runs=300))
    assert "AGAINST HISTORY" not in str(sim.run("hanoi-2019", runs=300, variant="no-bolton"))


def test_a_notebook_shows_a_result_as_the_report_opens_escaped_and_without_drawing(tmp_path):
    """A cell ending in a result shows the verdict, the rule fixed in advance, the shares through
    each lens and history's verdict, as the report opens, in HTML in which a file's words are only
    text; it draws nothing, so showing it does not import matplotlib."""
    result = sim.run("hanoi-2019", runs=600, seed=3)
    shown = result._repr_html_()
    v = result.verdict
    said = html.escape(v["text"][0].upper() + v["text"][1:] + ".")
    assert shown.index(said) < shown.index("The rule, fixed before any result") < shown.index("share of replays")
    for share in v["shares"].values():
        assert f"{share['p']:.1%} [{share['low']:.1%}, {share['high']:.1%}]" in shown
    assert "What historians concluded" in shown and "against history" in shown
    assert "which none judged" in sim.run("hanoi-2019", runs=300, variant="no-bolton")._repr_html_()

    text = (ROOT / "scenarios" / "hanoi-2019.yaml").read_text()
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(text.replace("name: Kim Jong-un", "name: \"<img src=x onerror=alert(1)>\"", 1))
    shown = sim.run(str(hostile), runs=300)._repr_html_()
    assert "<img" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown

    code = ("import sys, sim; sim.run('hanoi-2019', runs=200)._repr_html_(); "
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr


def test_frame_holds_every_drawn_parameter_and_outcome_per_run():
    result = sim.run("buenos-aires-2018", runs=800, seed=3)
    frame = result.frame()
    assert len(frame) == 800 and frame["run"].tolist() == list(range(800))
    assert set(result.spec.draws) <= set(frame.columns)
    for column in ("gain.us", "substantive.ru", "directly_set.us", "ahead", "margin", "held", "deal", "deal_round",
                   "ratified.congress", "sanctions.us", "wanted_meeting.us"):
        assert column in frame.columns, column
    assert np.array_equal(frame["gain.us"], result.outcome.gain[result.outcome.leaders.index("us")])
    assert frame["ahead"].value_counts(normalize=True)["even"] == pytest.approx(result.verdict["shares"]["even"]["p"])
    drawn = frame["leaders.us.preparation"]
    assert drawn.nunique() > 100 and drawn.between(0, 1).all()  # a beta: drawn anew each run
    issues = result.issues()
    assert list(issues.index) == list(result.spec.issues) and {"scale", "outcome", "ideal.us"} <= set(issues.columns)


def test_plot_returns_a_figure_of_the_result():
    result = sim.run("singapore-2018", runs=500)
    fig = result.plot("ahead")
    assert fig.get_suptitle().startswith(result.verdict["text"])
    with pytest.raises(ValueError, match="no figure kind"):
        result.plot("pie")


def test_compare_pairs_on_common_random_numbers_like_the_command_line():
    changes = sim.compare("helsinki-2018", variant="advisers-in-room", runs=1000)
    cli = cli_json("compare", "helsinki-2018", "--variant", "advisers-in-room", "--runs", "1000")
    mine, theirs = changes["advisers-in-room"], cli["variants"]["advisers-in-room"]
    assert mine["leaders"] == theirs["leaders"] and mine["deal"] == theirs["deal"]
    with pytest.raises(ScenarioError, match="declares"):
        sim.compare("helsinki-2018", runs=100)


def test_a_comparison_states_the_verdict_each_side_gets_from_run():
    """The rule's answer comes first in a what-if, and it is the answer ``sim.run`` gives for the
    scenario as written and for the variant: a comparison never has a verdict of its own."""
    called_off = {"leaders.us.meeting_cost": 0.9}   # more than any status or deal is worth to Trump
    changes = sim.compare("buenos-aires-2018", variant="all", set=called_off, runs=2000, seed=7)
    base = sim.run("buenos-aires-2018", runs=2000, seed=7).verdict
    moved = 0
    for name, change in changes.items():
        after = sim.run("buenos-aires-2018", runs=2000, seed=7, variant=None if name == "set" else name,
                        set=called_off if name == "set" else None).verdict
        v = change["verdict"]
        assert (v["base"], v["variant"]) == (base["text"], after["text"])
        assert (v["base_winner"], v["variant_winner"]) == (base["winner"], after["winner"])
        assert v["changed"] == (base["text"] != after["text"])
        moved += v["changed"]
    assert moved  # a meeting never held leaves no one ahead: the check is not vacuous


def test_as_function_is_run_with_the_parameter_fixed():
    f = sim.as_function("helsinki-2018", runs=400, seed=5)
    got = f(**{"leaders.us.preparation": 0.3, "legislatures.congress.tolerance": 0.2})
    result = sim.run("helsinki-2018", runs=400, seed=5,
                     set={"leaders.us.preparation": 0.3, "legislatures.congress.tolerance": 0.2})
    for k in ("us", "ru"):
        assert got[f"gain.{k}"] == pytest.approx(result.summary["leaders"][k]["gain"]["mean"], abs=1e-12)
        assert got[f"p_ahead.{k}"] == pytest.approx(result.verdict["shares"][k]["p"])
    assert got["p_even"] == pytest.approx(result.verdict["shares"]["even"]["p"])
    with pytest.raises(ValueError, match="not a numeric parameter of helsinki-2018; it has"):
        f(**{"leaders.us.charm": 0.5})
    with pytest.raises(ValueError, match=r"did you mean 'leaders\.us\.preparation'"):
        f(**{"leaders.us.preperation": 0.5})  # a slip of the keyboard gets the parameter it misses
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        f(**{"leaders.us.preparation": float("nan")})
    with pytest.raises(ValueError, match=r"= True: must be a finite number"):
        f(**{"leaders.us.preparation": True})  # a flag is not a number, though Python counts it as one
    assert f(**{"leaders.us.preparation": np.int64(1)}) == f(**{"leaders.us.preparation": 1.0})


def test_zones_are_solved_on_the_results_own_runs():
    """Result.zones: the result's first runs, with their meetings and deals; a depth wherever the
    leaders talked, -inf where they did not; and a zone over reservations lies inside the zone over
    walk-away values (a reservation is never below the walk-away value)."""
    result = sim.run("buenos-aires-2018", runs=200, seed=11)
    zones, frame = result.zones(120), result.frame()
    assert list(zones.columns) == ["run", "held", "talks", "walk_away", "reservation", "deal", "partial"]
    assert (zones["run"] == frame["run"][:120]).all() and (zones["deal"] == frame["deal"][:120]).all()
    assert (zones["partial"] == frame["partial"][:120]).all()
    assert (zones["held"] == frame["held"][:120]).all()
    assert np.isfinite(zones.loc[zones["talks"], ["walk_away", "reservation"]]).all().all()
    assert (zones.loc[~zones["talks"], "reservation"] == -np.inf).all()
    assert (zones["reservation"] <= zones["walk_away"] + 1e-9).all()
    assert 0 < zones["talks"].sum() < 120  # Trump cancels in some runs and meets in others
    with pytest.raises(ValueError, match="at least 1"):
        result.zones(-5)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ScenarioError, match="did you mean"):
        sim.run("helsinky-2018", runs=10)
    with pytest.raises(ScenarioError, match="must lie in"):
        sim.run("helsinki-2018", runs=10, set={"leaders.us.preparation": 3})
    with pytest.raises(ValueError, match="at least 1"):
        sim.run("helsinki-2018", runs=0)


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: sim.run("helsinki-2018", runs=2.5), "runs must be a whole number, got 2.5"),
    (lambda: sim.run("helsinki-2018", runs="100"), "runs must be a whole number, got '100'"),
    (lambda: sim.run("helsinki-2018", runs=True), "runs must be a whole number, got True"),
    (lambda: sim.run("helsinki-2018", runs=10, seed=-1), "seed must be between 0 and 18446744073709551615, got -1"),
    (lambda: sim.run("helsinki-2018", runs=10, seed=1.5), "seed must be a whole number, got 1.5"),
    (lambda: sim.run("helsinki-2018", runs=10, equivalence=float("nan")), "equivalence must be between 0 and 1"),
    (lambda: sim.run("helsinki-2018", runs=10, equivalence=-0.1), "equivalence must be between 0 and 1"),
    (lambda: sim.compare("helsinki-2018", variant="all", runs=-5), "runs must be at least 1, got -5"),
    (lambda: sim.screen("singapore-2018", runs=0.5), "runs must be a whole number"),
    (lambda: sim.as_function("helsinki-2018", seed=2**64), "seed must be between 0 and"),
])
def test_a_bad_argument_is_refused_by_name_before_any_work(call, expected):
    """What the command line refuses, Python refuses with the same sentence: never a run count
    silently rounded, a seed numpy complains about, or a verdict under a margin the rule cannot mean."""
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value).startswith(expected)


def test_numpy_integers_are_whole_numbers():
    assert sim.run("singapore-2018", runs=np.int64(20), seed=np.uint64(3)).runs == 20


@pytest.mark.slow
def test_every_example_in_docs_api_md_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "experiments").symlink_to(ROOT / "experiments")
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(), re.S)
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)
    assert (tmp_path / "helsinki-margin.png").is_file()


@pytest.mark.slow
def test_the_notebook_runs_top_to_bottom(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "docs" / "summit-notebook.ipynb", as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("comes out ahead" in str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert any("The rule, fixed before any result" in str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the figure shows inline


def test_a_sweep_from_python_lets_its_folder_go_when_it_returns(tmp_path):
    """A notebook's kernel outlives its sweeps: the folder's lock is let go when sim.sweep returns,
    not left to the garbage collector, which closed it with a ResourceWarning ('unclosed file
    .../_lock')."""
    import fcntl
    import gc
    import warnings

    import yaml

    file = tmp_path / "small.yaml"
    file.write_text(yaml.safe_dump({"name": "small", "scenarios": ["helsinki-2018"], "replicates": 5, "seed": 1,
                                    "factors": {"leaders.us.resolve": {"range": [0.0, 0.4], "steps": 2}}}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        result = sim.sweep(file, out=tmp_path / "out")
        gc.collect()
    assert len(result.points) == 2
    assert not [w for w in caught if issubclass(w.category, ResourceWarning) and "_lock" in str(w.message)]
    with open(tmp_path / "out" / "_lock", "a+", encoding="ascii") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError while another holds it


def test_a_comparison_shows_one_line_and_prints_what_summit_compare_prints():
    """A cell ending in sim.compare(...) showed every nested number of every variant; it now shows
    each variant's verdict against the base's, and print gives the command line's report. It is
    still the dict of changes the docs index into."""
    changes = sim.compare("helsinki-2018", variant=["tough-congress", "advisers-in-room"], runs=600, seed=4,
                          set={"leaders.us.resolve": 0.9})
    assert list(changes) == ["tough-congress", "advisers-in-room", "set"] and isinstance(changes, dict)
    shown = repr(changes)
    assert "\n" not in shown and shown.startswith("<sim.Comparison helsinki-2018: tough-congress: ")
    assert all(f"{name}: {c['verdict']['variant']}" in shown for name, c in changes.items())
    done = subprocess.run([sys.executable, "-m", "sim", "compare", "helsinki-2018", "--variant", "tough-congress",
                           "--variant", "advisers-in-room", "--set", "leaders.us.resolve=0.9", "--runs", "600",
                           "--seed", "4"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert str(changes) == done.stdout.rstrip("\n")

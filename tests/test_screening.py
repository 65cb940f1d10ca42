"""Which input the verdict hinges on (sim.screening, summit screen, sim.screen): on a textbook
table whose verdict a status value alone decides, the screen finds that input and no other, the
margin swings by exactly the status the two ends confer, and every interface says so."""

import json

import numpy as np
import pytest
import yaml

import sim
from builders import spec_of, table
from sim.cli import main
from sim.errors import ScenarioError
from sim.screening import ENDS, ends, screen

RUNS = 300


def status_decides() -> dict:
    """Two leaders who split two issues evenly (mirror images), so that their substantive gains are
    equal in every run. A's status value, drawn from 0 to 0.3, is all that can put one ahead; B's
    flattery susceptibility is drawn too, but no one at the table persuades, so it changes nothing."""
    doc = table({"a": {"x": 1.0, "y": 0.0}, "b": {"x": 0.0, "y": 1.0}},
                {"a": {"x": 0.5, "y": 0.5}, "b": {"x": 0.5, "y": 0.5}}, rounds=4, sq={"x": 0.5, "y": 0.5})
    doc["leaders"]["a"]["status_value"] = {"uniform": [0.0, 0.3], "source": "t: the input that decides"}
    doc["leaders"]["b"]["flattery_susceptibility"] = {"uniform": [0.2, 0.8], "source": "t: an input that does not"}
    return doc


def test_the_ends_are_the_percentiles_of_the_sourced_range():
    spec = spec_of(status_decides())
    low, high = ends(spec, "leaders.a.status_value")
    assert ENDS == (0.05, 0.95)
    assert low == pytest.approx(0.015) and high == pytest.approx(0.285)


def test_the_screen_finds_the_one_input_that_decides_and_its_exact_swing():
    spec = spec_of(status_decides())
    screened = screen(spec, RUNS, seed=4)
    paths = [row["path"] for row in screened["inputs"]]
    assert paths == ["leaders.a.status_value", "leaders.b.flattery_susceptibility"]
    status, flattery = screened["inputs"]
    assert status["moves"] and not flattery["moves"]
    assert screened["verdict"]["winner"] == "a"  # A's status value is 0.15 on average, past delta
    assert status["low"]["verdict"]["outcome"] == "no clear winner" and status["low"]["moves"]
    assert status["high"]["verdict"]["winner"] == "a" and not status["high"]["moves"]
    # the status a held meeting confers enters the margin one for one; nothing else moves
    assert status["swing"] == pytest.approx(0.285 - 0.015, abs=1e-12)
    assert flattery["swing"] == 0.0
    assert flattery["low"]["verdict"] == flattery["high"]["verdict"] == screened["verdict"]


def test_pinning_an_input_leaves_every_other_draw_alone():
    """Common random numbers: an input pinned, run by run, at the value the run drew anyway replays
    every run bit for bit; pinned elsewhere, it moves only A's status, and B's gain not at all."""
    from sim import rng
    from sim.replay import replay_runs
    from sim.spec import draw

    spec = spec_of(status_decides())
    ids = np.arange(50, dtype=np.uint64)
    base = replay_runs(spec, ids, 7)
    drawn = draw(spec, rng.Streams(7, ids))["leaders.a.status_value"]
    again = replay_runs(spec, ids, 7, overrides={"leaders.a.status_value": drawn})
    np.testing.assert_array_equal(again.parts, base.parts)
    np.testing.assert_array_equal(again.final, base.final)
    pinned = replay_runs(spec, ids, 7, overrides={"leaders.a.status_value": np.full(50, 0.25)})
    np.testing.assert_array_equal(pinned.gain[1], base.gain[1])
    np.testing.assert_allclose(pinned.gain[0] - base.gain[0], 0.25 - drawn, atol=1e-12)


@pytest.mark.parametrize(("name", "batch"), [("helsinki-2018", 65_536), ("yalta-1945", 100)])
def test_settings_replayed_side_by_side_are_each_the_replay_of_that_setting_alone(name, batch, monkeypatch):
    """The screen replays its settings in one batch, every input but the pinned one fixed at what
    the run drew (sim.screening.pinned_gains); each setting's gains are bit for bit those of a
    replay with only that input pinned, at a table of three whose runs sit in several orders and
    with the settings split over several calls."""
    from sim import screening
    from sim.loader import load
    from sim.replay import replay_runs
    from sim.spec import compile_scenario

    monkeypatch.setattr(screening, "BATCH", batch)
    spec = compile_scenario(load(name))
    ids = np.arange(40, dtype=np.uint64)
    settings = [(path, end, value) for path in spec.random_paths[:4]
                for end, value in zip(("low", "high"), ends(spec, path), strict=True)]
    together = list(screening.pinned_gains(spec, ids, 5, settings))
    assert len(together) == len(settings)
    for (path, _, value), gain in zip(settings, together, strict=True):
        alone = replay_runs(spec, ids, 5, overrides={path: np.full(len(ids), value)})
        np.testing.assert_array_equal(gain, alone.gain)


def test_the_same_settings_screen_to_the_same_numbers():
    spec = spec_of(status_decides())
    assert screen(spec, 120, seed=9) == screen(spec, 120, seed=9)


def test_summit_screen_end_to_end(tmp_path, capsys):
    path = tmp_path / "status.yaml"
    path.write_text(yaml.safe_dump(status_decides()))
    figure = tmp_path / "tornado.png"
    assert main(["screen", str(path), "--runs", str(RUNS), "--seed", "4", "--out", str(figure)]) == 0
    told = capsys.readouterr().out
    assert "IT HINGES ON 1 OF THE 2 INPUTS" in told
    assert "A's status value (leaders.a.status_value) U(0, 0.3): margin swings 0.270" in told
    assert "at 0.285 (95th): A comes out ahead" in told and "at 0.015 (5th): no clear winner" in told
    assert figure.stat().st_size > 20_000
    # an existing figure is refused before any work, and left as it was
    before = figure.read_bytes()
    assert main(["screen", str(path), "--runs", str(RUNS), "--out", str(figure)]) == 2
    assert "exists" in capsys.readouterr().err and figure.read_bytes() == before
    assert main(["screen", str(path), "--runs", str(RUNS), "--seed", "4", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["inputs"][0]["path"] == "leaders.a.status_value" and printed["inputs"][0]["moves"]
    assert main(["screen", "no-such-summit"]) == 2
    assert "no-such-summit" in capsys.readouterr().err
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(yaml.safe_dump(table({"a": {"x": 1.0}, "b": {"x": 0.0}}, {"a": {"x": 1.0}, "b": {"x": 1.0}},
                                          rounds=3, sq={"x": 0.5})))
    assert main(["screen", str(fixed), "--out", str(tmp_path / "nothing.png")]) == 2
    assert "no range to screen" in capsys.readouterr().err and not (tmp_path / "nothing.png").exists()
    with pytest.raises(ScenarioError, match="no range to screen"):
        sim.screen(fixed)


def test_sim_screen_gives_a_frame_a_verdict_and_a_tornado(tmp_path):
    path = tmp_path / "status.yaml"
    path.write_text(yaml.safe_dump(status_decides()))
    screening = sim.screen(path, runs=RUNS, seed=4)
    assert screening.verdict == "A comes out ahead"
    assert screening.hinges_on == ["leaders.a.status_value"]
    frame = screening.frame()
    assert list(frame["input"]) == ["leaders.a.status_value", "leaders.b.flattery_susceptibility"]
    assert {"range", "value_low", "verdict_low", "margin_low", "value_high", "verdict_high", "margin_high",
            "swing", "moves_verdict"} <= set(frame.columns)
    assert frame["verdict_high"][0] == "A comes out ahead"
    fig = screening.plot()
    assert "hinges on 1 of 2 inputs" in fig.get_suptitle().replace("\n", " ")
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    a, b = (screening.spec.leader_names[k] for k in ("a", "b"))
    assert labels == [f"{a}'s status value *", f"{b}'s flattery susceptibility"]  # named for a class
    assert "IT HINGES ON 1 OF THE 2 INPUTS" in str(screening)
    # what the file sets, the screen takes as given: with A's status fixed, nothing is left to decide
    fixed = sim.screen(path, runs=RUNS, seed=4, set={"leaders.a.status_value": 0.2})
    assert fixed.hinges_on == [] and [r["path"] for r in fixed.data["inputs"]] == ["leaders.b.flattery_susceptibility"]


def test_a_shipped_summit_screens_every_random_input():
    screening = sim.screen("glassboro-1967", runs=100, seed=1)
    assert len(screening.data["inputs"]) == len(screening.spec.random_paths)
    swings = [row["swing"] for row in screening.data["inputs"] if not row["moves"]]
    assert swings == sorted(swings, reverse=True)


def test_the_library_diagnostic_counts_a_verdict_as_the_validation_table_does():
    """experiments/hinges.py: a row's verdict, whether it agrees with history, and what moves it."""
    from experiments.hinges import row
    from sim.loader import load
    from sim.spec import compile_scenario
    from sim.validation import ahead_agrees

    scenario = load("glassboro-1967")
    found = row("glassboro-1967", scenario, 100)
    screened = screen(compile_scenario(scenario), 100, seed=2018)
    assert found["agrees"] == ahead_agrees(screened["verdict"]["winner"], scenario.history)
    assert found["moving"] == [r["path"] for r in screened["inputs"] if r["moves"]]
    assert found["inputs"] == len(screened["inputs"]) and found["held_out"]

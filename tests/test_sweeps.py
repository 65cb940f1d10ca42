"""Sweeps: the numbers a sweep stores are the model's, whatever the chunking or interruption,
and every run can be replayed alone."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sweeps_helpers import ENV, ctrl_c_as_at_a_terminal, rows, run_cli, summit, sweep_file

from sim.loader import load
from sim.replay import replay
from sim.spec import compile_scenario
from sim.sweeps import analyze, session, store
from sim.sweeps.engine import engine_id
from sim.sweeps.store import Store
from sim.tactics import TACTICS


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """One small sweep, run once in this process, shared by the read-only tests below."""
    folder = tmp_path_factory.mktemp("sweep")
    assert run_cli("sweep", sweep_file(folder), "--out", folder / "out", "--workers", "1", "--quiet") == 0
    return folder / "out"


def test_a_design_point_is_the_scenario_run_with_that_setting(finished):
    """Point by point, the stored runs are ``summit run --set`` of the point's values: the same
    numbers bit for bit (a sweep fixes parameters run by run, without perturbing other draws)."""
    data = rows(finished)
    design = Store(finished).design()
    for _, point in design.iloc[[0, 4]].iterrows():
        tol, tactic = point["legislatures.congress.tolerance"], point["leaders.us.tactic"]
        spec = compile_scenario(load("helsinki-2018", [f"legislatures.congress.tolerance={tol}",
                                                       f"leaders.us.tactic={tactic}"]))
        alone = replay(spec, runs=40, seed=7)
        mine = data[data["point"] == point["point"]]
        for i, leader in enumerate(alone.leaders):
            np.testing.assert_array_equal(mine[f"gain.{leader}"].to_numpy(), alone.gain[i])
        np.testing.assert_array_equal(mine["deal"].to_numpy(), alone.deal)


def test_rows_are_whole_and_counted_once(finished):
    data = rows(finished)
    assert list(data["run"]) == list(range(6 * 40))
    assert (data["run"] == data["point"] * 40 + data["replicate"]).all()
    assert set(data["leaders.us.tactic"]) == {"linear", "boulware"}
    # the per-point summary adds up to the rows
    points = pd.read_parquet(finished / "_points.parquet").set_index("point")
    by_point = data.groupby("point")
    np.testing.assert_allclose(points["gain.us"], by_point["gain.us"].mean(), rtol=1e-12)
    np.testing.assert_allclose(points["deal"], by_point["deal"].mean(), rtol=1e-12)
    assert (points["runs"] == 40).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(run=st.integers(min_value=0, max_value=239))
def test_replay_of_any_run_matches_its_row(finished, run):
    result = session.replay_run(Store(finished), run)
    assert result["identical"], (result["replayed"], result["stored"])
    assert result["stored"]["run"] == run


def test_chunk_size_and_workers_change_nothing(tmp_path, finished):
    path = sweep_file(tmp_path, chunk_runs=7)
    assert run_cli("sweep", path, "--out", tmp_path / "out", "--workers", "2", "--quiet") == 0
    assert rows(tmp_path / "out").equals(rows(finished))


def test_resume_runs_only_what_is_missing_and_refuses_another_sweep(tmp_path, finished, capsys):
    path = sweep_file(tmp_path)
    out = tmp_path / "out"
    assert run_cli("sweep", path, "--out", out, "--workers", "1", "--quiet") == 0
    (out / "chunk-000002.parquet").unlink()
    capsys.readouterr()
    assert run_cli("sweep", path, "--out", out, "--workers", "1", "--quiet") == 0
    assert "5 already done" in capsys.readouterr().out
    assert rows(out).equals(rows(finished))
    changed = sweep_file(tmp_path, replicates=41)
    assert run_cli("sweep", changed, "--out", out, "--quiet") == 2
    err = capsys.readouterr().err
    assert "holds results of a different sweep" in err and "another --out folder" in err
    assert rows(out).equals(rows(finished))  # nothing lost


def test_a_folder_begun_by_another_engine_is_not_resumed(tmp_path, finished, capsys):
    """A resumed sweep is finished by the engine that began it, or not at all: a change to the
    model since (here, as if the folder were older) would mix runs of two engines."""
    path = sweep_file(tmp_path)
    out = tmp_path / "out"
    assert run_cli("sweep", path, "--out", out, "--workers", "1", "--quiet") == 0
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["engine"] == engine_id()
    manifest["engine"] = "0123456789abcdef"
    (out / "_manifest.json").write_text(json.dumps(manifest))
    (out / "chunk-000002.parquet").unlink()
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    capsys.readouterr()
    assert run_cli("sweep", path, "--out", out, "--quiet") == 2
    err = capsys.readouterr().err
    assert "begun by another engine (engine 0123456789abcdef" in err and "another --out folder" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before   # nothing touched


@pytest.mark.slow
def test_sigkill_half_way_then_resume_gives_the_uninterrupted_dataset(tmp_path):
    path = sweep_file(tmp_path, replicates=400, chunk_runs=300)   # 8 chunks a second or so
    out = tmp_path / "out"
    proc = summit_process("sweep", path, "--out", out, "--workers", "1", "--quiet")
    deadline = time.monotonic() + 120
    while len(list(out.glob("_checksums/chunk-*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(out.glob("_checksums/chunk-*.json")))
    assert 2 <= done < 8, "the kill must land half-way for this test to mean anything"
    resumed = summit("sweep", path, "--out", out, "--workers", "1", "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done} already done" in resumed.stdout or f"{done + 1} already done" in resumed.stdout
    whole = summit("sweep", path, "--out", tmp_path / "whole", "--workers", "1", "--quiet")
    assert whole.returncode == 0
    assert rows(out).equals(rows(tmp_path / "whole"))
    assert not any((out / "_tmp").iterdir())


def summit_process(*args):
    return subprocess.Popen([sys.executable, "-m", "sim.cli", *map(str, args)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_full_disk_stops_cleanly_and_resumes(tmp_path, finished, monkeypatch, capsys):
    path = sweep_file(tmp_path)
    out = tmp_path / "out"
    real_fsync, calls = os.fsync, {"n": 0}

    def fsync_until_full(fd):
        calls["n"] += 1
        if calls["n"] > 8:  # manifest, design, two chunks (sums, rows, checksum each), then part of one
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(store.os, "fsync", fsync_until_full)
    assert run_cli("sweep", path, "--out", out, "--workers", "1", "--quiet") == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "2 chunks finished before are kept" in err
    assert sorted(f.name for f in out.glob("chunk-*")) == ["chunk-000000.parquet", "chunk-000001.parquet"]
    assert not any((out / "_tmp").iterdir())
    monkeypatch.setattr(store.os, "fsync", real_fsync)
    assert run_cli("sweep", path, "--out", out, "--workers", "1", "--quiet") == 0
    assert rows(out).equals(rows(finished))


def test_a_folder_that_cannot_be_written_is_named(tmp_path, monkeypatch, capsys):
    path = sweep_file(tmp_path)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(store.Path, "mkdir", read_only)
    assert run_cli("sweep", path, "--out", tmp_path / "ro", "--quiet") == 2
    err = capsys.readouterr().err
    assert f"cannot write {tmp_path / 'ro'}: Read-only file system" in err


def test_bad_sweep_files_list_every_problem_with_file_and_field(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({
        "name": "bad", "scenarios": ["helsinki-2018", "atlantis-1900"],
        "factors": {"leaders.us.preparation": {"range": [0.2, 1.4]}, "leaders.us.charm": {"range": [0, 1]},
                    "protocol.backlash_cost": {"range": [0, 1]}, "leaders.ru.credibilty": {"range": [0, 1]}},
        "design": {"method": "latin", "samples": 16}, "replicates": 5, "seed": 1}), encoding="utf-8")
    assert run_cli("sweep", bad, "--out", tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "4 problems" in err
    assert "leaders.us.preparation" in err and "[0, 1]" in err
    assert "leaders.us.charm: not a numeric parameter" in err
    assert ("leaders.ru.credibilty: not a numeric parameter of this scenario; did you mean "
            "'leaders.ru.credibility'?") in err
    assert "atlantis-1900" in err and ("known scenarios" in err or "did you mean" in err)  # close names are suggested
    assert not (tmp_path / "out").exists()
    assert run_cli("validate", bad) == 2
    bad.write_text(yaml.safe_dump({"name": "bad", "scenarios": ["helsinki-2018"],
                                   "factors": {"leaders.us.tactic": {"levels": ["linear"]},
                                               "leaders.us.preparation": {"range": [0, 1]}},
                                   "design": {"method": "sobol", "samples": 10}, "replicates": 0, "seed": -1}))
    capsys.readouterr()
    assert run_cli("validate", bad) == 2
    out = capsys.readouterr().out
    assert "power of 2" in out and "replicates" in out and "seed" in out
    bad.write_text(yaml.safe_dump({"name": "bad", "scenarios": ["helsinki-2018"],
                                   "factors": {"leaders.us.tactic": {"levels": ["linear", "boulware"]},
                                               "leaders.us.preparation": {"range": [0, 1]}},
                                   "design": {"method": "latin", "samples": 10}, "replicates": 0, "seed": 1}))
    assert run_cli("validate", bad) == 2
    out = capsys.readouterr().out
    assert "2 problems" in out and "replicates" in out
    assert "factors.leaders.us.tactic: latin samples numbers" in out  # checked despite the format error


def test_sobol_indices_find_the_factor_that_matters(tmp_path, capsys):
    """Backlash cost only scores a summit and never changes a decision, so with common random
    numbers its total index for the chance of a partial deal is exactly zero; preparation is not
    (an unprepared Trump agrees a text over every issue in about half the Helsinki replays, a
    prepared one almost never)."""
    path = sweep_file(tmp_path, name="sobol", factors={
        "leaders.us.preparation": {"range": [0.0, 1.0]}, "protocol.backlash_cost": {"range": [0.0, 0.5]}},
        design={"method": "sobol", "samples": 16}, replicates=60, chunk_runs=5000,
        outcomes=["gain", "partial"])
    assert run_cli("sweep", path, "--out", tmp_path / "out", "--workers", "1", "--quiet") == 0
    capsys.readouterr()
    assert run_cli("analyze", tmp_path / "out", "--json", "--outcome", "partial", "--outcome", "gain.us") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["complete"] and len(report["points"]) == 16 * 4
    deal = next(r for r in report["sensitivity"] if r["outcome"] == "partial")
    st_of = {row["factor"]: row["ST"] for row in deal["indices"]}
    assert st_of["protocol.backlash_cost"] == pytest.approx(0.0, abs=1e-12)
    assert st_of["leaders.us.preparation"] > 0.05
    assert deal["indices"][0]["factor"] == "leaders.us.preparation"  # ranked
    gain = next(r for r in report["sensitivity"] if r["outcome"] == "gain.us")
    assert all(np.isfinite(row["ST_conf"]) for row in gain["indices"])
    assert run_cli("analyze", tmp_path / "out") == 0
    text = capsys.readouterr().out
    assert "Sobol' first-order S1 and total ST" in text and "leaders.us.preparation" in text


def test_morris_and_latin_designs_analyse(tmp_path, capsys):
    for method, size in (("morris", {"trajectories": 6}), ("latin", {"samples": 40})):
        path = sweep_file(tmp_path, name=method, factors={
            "leaders.us.preparation": {"range": [0.0, 1.0]}, "legislatures.congress.hostility": {"range": [0, 1]}},
            design={"method": method, **size}, replicates=20, chunk_runs=5000)
        assert run_cli("sweep", path, "--out", tmp_path / method, "--workers", "1", "--quiet") == 0
        capsys.readouterr()
        assert run_cli("analyze", tmp_path / method, "--json") == 0
        report = json.loads(capsys.readouterr().out)
        assert report["sensitivity"] and report["sensitivity"][0]["method"] == method


@pytest.mark.slow
def test_cli_end_to_end_sweep_analyze_replay(finished):
    analysed = summit("analyze", finished)
    assert analysed.returncode == 0, analysed.stderr
    assert "grid design, 6 points x 40 replicates (all finished)" in analysed.stdout
    assert "p_ahead.ru" in analysed.stdout and "boulware" in analysed.stdout
    replayed = summit("replay", finished, "--run", 123, "--trace")
    assert replayed.returncode == 0, replayed.stderr
    assert "identical to the stored row, bit for bit" in replayed.stdout and "STORY OF REPLAY" in replayed.stdout
    missing = summit("replay", finished, "--run", 240)
    assert missing.returncode == 2 and "runs 0 to 239" in missing.stderr
    nowhere = summit("analyze", finished.parent)
    assert nowhere.returncode == 2 and "not a sweep's results folder" in nowhere.stderr


@pytest.mark.slow
def test_tournament_ranks_every_tactic_over_both_seats_and_resumes(tmp_path):
    args = ("tournament", "helsinki-2018", "singapore-2018", "--tactics", "linear,boulware,conceder",
            "--replicates", 30, "--out", tmp_path / "t", "--workers", "1", "--quiet")
    first = summit(*args)
    assert first.returncode == 0, first.stderr
    table = [line.split() for line in first.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert sorted(row[1] for row in table) == ["boulware", "conceder", "linear"]
    runs = {row[1]: row[-1] for row in table}
    assert set(runs.values()) == {"360"}   # 2 seats x 3 opponents x 2 scenarios x 30 replicates
    again = summit(*args)
    assert "18 already done" in again.stdout
    assert again.stdout.splitlines()[-4:] == first.stdout.splitlines()[-4:]
    multilateral = summit("tournament", "yalta-1945", "--out", tmp_path / "y", "--quiet")
    assert multilateral.returncode == 2 and "seats two leaders" in multilateral.stderr


def test_tournament_plays_each_tactic_only_where_both_leaders_can(tmp_path):
    """two_part needs a threat and a sanctions issue, which Helsinki's leaders lack: by default it
    sits out, with the reason; asked for by name, it is an error."""
    everyone = summit("tournament", "helsinki-2018", "--replicates", 10, "--out", tmp_path / "t", "--workers", "1",
                      "--quiet")
    assert everyone.returncode == 0, everyone.stderr
    assert "left out: two_part in helsinki-2018: leaders.us: the two_part tactic needs a threat" in everyone.stdout
    table = [line.split() for line in everyone.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert sorted(row[1] for row in table) == sorted(t for t in TACTICS if t != "two_part")
    named = summit("tournament", "helsinki-2018", "--tactics", "linear,two_part", "--out", tmp_path / "n")
    assert named.returncode == 2 and "two_part cannot play helsinki-2018" in named.stderr
    assert not (tmp_path / "n").exists()


@pytest.mark.slow
def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = summit("sweep", sweep_file(tmp_path), "--out", tmp_path / "out", "--scheduler",
                    f"tcp://127.0.0.1:{port}", "--quiet")
    assert result.returncode == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(tmp_path, finished):
    """Ctrl-C reaches the whole process group, local Dask workers included. The sweep has 60
    chunks (about 3 s of work), so the signal lands while most of it is still to do."""
    path = sweep_file(tmp_path, replicates=5000, chunk_runs=500)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "sweep", str(path), "--out", str(out), "--workers", "2",
                             "--quiet"], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=ctrl_c_as_at_a_terminal)
    deadline = time.monotonic() + 120
    while not list(out.glob("_checksums/chunk-*.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    done = len(list(out.glob("_checksums/chunk-*.json")))
    assert proc.returncode == 130, err
    assert "stopped by Ctrl-C" in err and "run the same command to resume" in err
    assert "Traceback" not in err and "ERROR" not in err
    assert 1 <= done < 60
    resumed = summit("sweep", path, "--out", out, "--workers", "1", "--quiet")
    assert resumed.returncode == 0 and f"{done} already done" in resumed.stdout
    assert len(rows(out)) == 6 * 5000 and rows(out)["run"].is_unique


def test_ctrl_c_while_the_local_cluster_starts_is_held_not_lost():
    """Processes started while the cluster starts never see Ctrl-C; this process gets it after."""
    from sim.sweeps.execute import _ctrl_c_held
    before = signal.signal(signal.SIGINT, signal.default_int_handler)   # as at a terminal
    probe = "print(int([l for l in open('/proc/self/status') if l.startswith('SigBlk')][0].split()[1], 16))"
    with pytest.raises(KeyboardInterrupt), _ctrl_c_held():
        child = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)   # noted, not raised: the start is not cut short
        reached = True
    assert reached
    assert int(child.stdout) & (1 << (signal.SIGINT - 1))    # the child was born with SIGINT blocked
    assert not signal.pthread_sigmask(signal.SIG_BLOCK, set()) & {signal.SIGINT}   # unblocked again
    assert signal.signal(signal.SIGINT, before) is signal.default_int_handler   # put back as it was


class Forks:
    """Watches this process's forks: how many are under way at once, each held a moment so that
    two started together would overlap (at-fork hooks cannot be removed: they act only while
    watching)."""

    def __init__(self) -> None:
        self.watching, self.under_way, self.overlapped = False, 0, 0
        self.lock = threading.Lock()
        os.register_at_fork(before=self.before, after_in_parent=self.after)

    def before(self) -> None:
        if self.watching:
            with self.lock:
                self.under_way += 1
                self.overlapped += self.under_way > 1
            time.sleep(0.3)

    def after(self) -> None:
        if self.watching:
            with self.lock:
                self.under_way -= 1


FORKS = Forks()


def test_local_workers_are_forked_one_at_a_time():
    """Dask forks each worker from a thread of its own; forks that overlap in a process running
    other threads are what filelock (loaded by Solara and Jupyter) refuses, and a worker was lost
    ('Nanny failed to start', CI on Python 3.12). Each fork held 0.3 s: started together, two
    overlap; started in turn, never."""
    from sim.sweeps.execute import _client

    FORKS.watching, FORKS.under_way, FORKS.overlapped = True, 0, 0
    try:
        with _client(None, 2) as client:
            assert len(client.scheduler_info()["workers"]) == 2
    finally:
        FORKS.watching = False
    assert FORKS.overlapped == 0


def test_local_workers_never_see_ctrl_c():
    """The cluster's processes inherit the block (or, started from a shell that ignores SIGINT, the
    ignoring), even though the standard library's resource tracker unblocks SIGINT in whichever
    thread first starts it."""
    from sim.sweeps.execute import _client

    def shut_out() -> int:
        status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
        return (int(status["SigBlk"], 16) | int(status["SigIgn"], 16)) >> (signal.SIGINT - 1) & 1

    with _client(None, 2) as client:
        assert list(client.run(shut_out).values()) == [1, 1]


def test_analyze_prints_each_outcomes_spread_beside_its_indices(tmp_path):
    """An index splits an outcome's variance; the reader must see how large that variance is."""
    path = sweep_file(tmp_path, name="sobol", factors={
        "leaders.us.preparation": {"range": [0.0, 1.0]}, "leaders.us.resolve": {"range": [0.0, 0.7]}},
        design={"method": "sobol", "samples": 8}, replicates=20, chunk_runs=5000)
    out = tmp_path / "out"
    assert run_cli("sweep", path, "--out", out, "--workers", "1", "--quiet") == 0
    analysed = summit("analyze", out, "--outcome", "gain.us", "--outcome", "p_ahead.us")
    assert analysed.returncode == 0, analysed.stderr
    assert re.search(r"over the design: mean -?[\d.]+, sd [\d.e-]+, range -?[\d.]+ to -?[\d.]+", analysed.stdout)
    data = json.loads(summit("analyze", out, "--outcome", "gain.us", "--json").stdout)
    spread = data["sensitivity"][0]["spread"]
    assert spread["min"] <= spread["mean"] <= spread["max"] and isinstance(spread["barely_varies"], bool)


def test_a_sweep_of_two_summits_is_summarised_per_summit_without_warnings(tmp_path, capsys):
    """Each point's columns are its own scenario's (a leader's gain only where it sits), and the
    summary is framed at once: grown a column at a time, pandas warned four times on stderr."""
    path = sweep_file(tmp_path, name="two", scenarios=["helsinki-2018", "singapore-2018"],
                      factors={"leaders.us.tactic": {"levels": ["linear", "boulware"]}}, replicates=5)
    assert run_cli("sweep", path, "--out", tmp_path / "out", "--workers", "1", "--quiet") == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        points = analyze.points(Store(tmp_path / "out"))
        assert run_cli("analyze", tmp_path / "out") == 0
    assert "Warning" not in capsys.readouterr().err
    by = points.set_index(["scenario", "leaders.us.tactic"])
    assert len(by) == 4 and (by["runs"] == 5).all()
    assert by.loc["helsinki-2018", "gain.nk"].isna().all() and by.loc["singapore-2018", "gain.nk"].notna().all()
    assert by.loc["singapore-2018", "gain.ru"].isna().all() and by.loc["helsinki-2018", "gain.ru"].notna().all()


def test_a_results_folder_that_cannot_be_read_is_told_in_one_line(tmp_path, finished, capsys):
    """summit plot met a damaged manifest with a traceback, and a manifest without its design
    (a folder cut short, or copied in part) with 'summit: .../_design.parquet; nothing else was
    written'. Both commands that read a folder now say what is wrong and what to do."""
    half = tmp_path / "half"
    half.mkdir()
    (half / "_manifest.json").write_bytes((finished / "_manifest.json").read_bytes())
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "_manifest.json").write_text("{not json", encoding="utf-8")
    for folder, said in ((half, "_design.parquet is missing"), (damaged, "_manifest.json is damaged")):
        for command in (("analyze", folder), ("plot", folder, "--kind", "line", "--out", tmp_path / "x.png")):
            assert run_cli(*command) == 2
            err = capsys.readouterr().err
            assert said in err and "Move it aside" in err and "Traceback" not in err

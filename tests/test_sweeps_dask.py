"""A real Dask cluster on 127.0.0.1 (``dask scheduler`` and ``dask worker`` processes) gives the
numbers the local run gives, a worker killed mid-sweep loses and duplicates nothing, and a worker
running another engine writes nothing."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sweeps_helpers import ENV, rows, run_cli, summit, sweep_file

DASK_CLI = str(Path(sys.executable).parent / "dask")   # the 'dask' command of this environment
ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # a scheduler and workers start for each test


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dask_cluster(tmp_path: Path, worker_envs: list[dict]):
    """A scheduler and a single-threaded worker per environment; yields the address and the workers."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp_path}
    scheduler = [DASK_CLI, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
    procs = [subprocess.Popen(scheduler, env=ENV, **quiet)]
    workers = [subprocess.Popen([DASK_CLI, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                                 "--no-nanny", "--local-directory", str(tmp_path / f"w{i}")], env=env, **quiet)
               for i, env in enumerate(worker_envs)]
    procs += workers
    try:
        wait_for_workers(address, len(workers))
        yield address, workers
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=3)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two workers of this environment."""
    with dask_cluster(tmp_path, [ENV, ENV]) as running:
        yield running


def wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(n, timeout=60)


def test_a_dask_cluster_gives_the_local_numbers(tmp_path, cluster):
    address, _ = cluster
    path = sweep_file(tmp_path, chunk_runs=30)
    assert run_cli("sweep", path, "--out", tmp_path / "local", "--workers", "1", "--quiet") == 0
    remote = summit("sweep", path, "--out", tmp_path / "remote", "--scheduler", address, "--quiet")
    assert remote.returncode == 0, remote.stderr
    assert rows(tmp_path / "remote").equals(rows(tmp_path / "local"))


def test_a_worker_killed_mid_sweep_loses_and_duplicates_nothing(tmp_path, cluster):
    address, workers = cluster
    path = sweep_file(tmp_path, replicates=600, chunk_runs=300)   # 12 chunks
    out = tmp_path / "remote"
    sweep = subprocess.Popen([sys.executable, "-m", "sim.cli", "sweep", str(path), "--out", str(out),
                              "--scheduler", address, "--quiet"], env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(Path(out).glob("_checksums/chunk-*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(workers[0].pid, signal.SIGKILL)
    killed_at = len(list(Path(out).glob("_checksums/chunk-*.json")))
    _, stderr = sweep.communicate(timeout=300)
    assert sweep.returncode == 0, stderr
    assert killed_at < 12, "the worker must die mid-sweep for this test to mean anything"
    assert run_cli("sweep", path, "--out", tmp_path / "local", "--workers", "1", "--quiet") == 0
    remote = rows(out)
    assert remote["run"].is_unique and len(remote) == 6 * 600
    assert remote.equals(rows(tmp_path / "local"))


def test_a_worker_running_another_engine_is_refused_and_nothing_it_replayed_is_written(tmp_path):
    """A machine of the cluster with a stale checkout would mix two experiments under one manifest:
    its chunk is refused before it is written, with the chunk, the worker and what to do."""
    other = tmp_path / "other-checkout"
    for package in ("sim", "agents"):
        shutil.copytree(ROOT / package, other / package, ignore=shutil.ignore_patterns("__pycache__"))
    with open(other / "sim" / "protocol.py", "a", encoding="utf-8") as source:
        source.write("# edited on another machine\n")
    path = sweep_file(tmp_path, chunk_runs=30)
    out = tmp_path / "out"
    with dask_cluster(tmp_path, [{**ENV, "PYTHONPATH": str(other)}]) as (address, _):
        result = summit("sweep", path, "--out", out, "--scheduler", address, "--quiet")
    assert result.returncode == 2, result.stderr
    assert re.search(r"chunk \d+ was replayed on .+ \(process \d+\) by another engine", result.stderr), result.stderr
    assert "Start every worker from the environment that runs 'summit sweep'" in result.stderr
    assert not list(out.glob("chunk-*.parquet")) and not list(out.glob("_checksums/*"))
    assert run_cli("sweep", path, "--out", out, "--workers", "1", "--quiet") == 0   # the same command resumes here

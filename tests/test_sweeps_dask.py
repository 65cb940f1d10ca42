"""A real Dask cluster on 127.0.0.1 (``dask scheduler`` and two ``dask worker`` processes) gives the
numbers the local run gives, and a worker killed mid-sweep loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sweeps_helpers import ENV, rows, run_cli, summit, sweep_file

DASK_CLI = str(Path(sys.executable).parent / "dask")   # the 'dask' command of this environment
pytestmark = pytest.mark.slow  # a scheduler and workers start for each test


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers; yields the address and the worker processes."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": ENV, "cwd": tmp_path}
    scheduler = [DASK_CLI, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
    procs = [subprocess.Popen(scheduler, **quiet)]
    workers = [subprocess.Popen([DASK_CLI, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                                 "--no-nanny", "--local-directory", str(tmp_path / f"w{i}")], **quiet)
               for i in range(2)]
    procs += workers
    try:
        wait_for_workers(address, 2)
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

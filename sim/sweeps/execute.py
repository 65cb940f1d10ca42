"""Run a plan's unfinished chunks: in this process, on local worker processes, or on a Dask
cluster, with a live progress bar. Only this process writes results, so a worker that dies
costs the chunk it held and nothing else: Dask gives the chunk to another worker, and the
chunk's numbers do not depend on who computes them, provided it runs the same engine: each chunk
comes back with the identity of the engine that replayed it (``sim.sweeps.engine``), and one from
another engine is refused before it is written."""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import resource_tracker

from tqdm import tqdm

from sim.sweeps import engine
from sim.sweeps.evaluate import run_chunk
from sim.sweeps.plan import Plan
from sim.sweeps.store import EncodedChunk, Store, encode_chunk

# Local workers share this machine's cores with this process, so the cluster's own work is kept
# small. On Linux they are forked from this process, which has imported the engine already: a
# spawned worker imports it again (1.3 s of CPU each, while the cores are wanted for replays).
# Dask's statistical profiler and its frequent health, system and memory polls feed a dashboard no
# one looks at here; together they took 0.3 s of a million-replay sweep's 7 s on two cores.
LOCAL_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.worker.memory.monitor-interval": "1s",
    **({"distributed.worker.multiprocessing-method": "fork"} if sys.platform == "linux" else {}),
}


WORKER_START = 120  # seconds a local worker may take to start: a few on a loaded machine, never minutes


class SchedulerError(Exception):
    """The Dask scheduler asked for cannot be reached."""


class ForeignEngine(Exception):
    """A worker replayed a chunk with another engine than the sweep's: another summit, or another
    numpy, scipy or mesa, whose numbers differ (measured: numpy 1.26 with scipy 1.11 against numpy
    2.4 moved the last bits of a quarter of the library's outcome arrays, docs/sweeps.md)."""


@dataclass
class Progress:
    runs: int
    skipped_runs: int
    chunks: int
    skipped_chunks: int
    seconds: float

    @property
    def rate(self) -> float:
        return (self.runs - self.skipped_runs) / self.seconds if self.seconds > 0 else float("nan")


def local_workers() -> int:
    return len(os.sched_getaffinity(0))


def run(plan: Plan, store: Store, workers: int | None = None, scheduler: str | None = None,
        show_progress: bool = True) -> Progress:
    """Replay every chunk of ``plan`` not yet in ``store``; ``scheduler`` is a Dask address
    (tcp://host:port), else ``workers`` local processes (default: all cores; 1 runs in-process)."""
    done = store.finished()
    todo = [job for job in plan.jobs if job.index not in done]
    skipped = sum(job.runs for job in plan.jobs if job.index in done)
    bar = tqdm(total=plan.runs, initial=skipped, unit="run", unit_scale=True, dynamic_ncols=True,
               disable=None if show_progress else True, file=sys.stderr, desc=plan.name, smoothing=0.1)
    started = time.perf_counter()
    expected = store.manifest()["engine"]

    def save(result: tuple[int, EncodedChunk, str, str]) -> None:
        index, chunk, replayed_by, where = result
        if replayed_by != expected:
            raise ForeignEngine(
                f"{store.folder}: chunk {index} was replayed on {where} by another engine ({replayed_by}; this "
                f"sweep's is {expected}): that worker runs another summit, or another numpy, scipy or mesa, and "
                "its numbers would differ. Start every worker from the environment that runs 'summit sweep' "
                "(docs/sweeps.md); the chunks finished so far are kept, and the same command resumes.")
        store.write_chunk(index, chunk)
        bar.update(chunk.runs)

    workers = workers or local_workers()
    try:
        if scheduler is None and workers == 1:
            for job in todo:
                save(replay_chunk(job, plan.columns))
        elif todo:
            with _client(scheduler, workers) as client:
                _run_on(client, todo, plan.columns, save)
    finally:
        bar.close()
    return Progress(plan.runs, skipped, len(plan.jobs), len(done), time.perf_counter() - started)


def replay_chunk(job, columns: dict[str, str]) -> tuple[int, EncodedChunk, str, str]:
    """A chunk replayed and its files encoded, on whichever process replays it, with the identity
    of the engine that replayed it and where it ran."""
    index, rows, sums = run_chunk(job)
    where = f"{socket.gethostname()} (process {os.getpid()})"
    return index, encode_chunk(rows, sums, columns), engine.engine_id(), where


def _run_on(client, jobs: list, columns: dict[str, str], save) -> None:
    """Keep every worker busy with a bounded number of chunks in flight, so the driver's memory
    does not grow with the sweep; results are saved as they arrive."""
    from distributed import as_completed

    def submit(job):
        return client.submit(replay_chunk, job, columns, key=f"summit-{os.getpid()}-{job.index}", pure=False)

    slots = max(2, 2 * sum(client.nthreads().values()))
    queue = iter(jobs)
    pending = as_completed([submit(job) for job in itertools.islice(queue, slots)])
    try:
        for future in pending:
            save(future.result())
            future.release()
            job = next(queue, None)
            if job is not None:
                pending.add(submit(job))
    except BaseException as stop:
        if isinstance(stop, KeyboardInterrupt):
            # Tearing down mid-transfer makes Dask log the broken connections; the user asked
            # for the stop, and what was kept is reported, so those logs are noise.
            logging.getLogger("distributed").setLevel(logging.CRITICAL)
        client.cancel(list(pending.futures))
        raise


@contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator:
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=dask.config.get("distributed.comm.timeouts.connect"))
        except (OSError, TimeoutError, ValueError) as err:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {scheduler} ({type(err).__name__}: {err}). Start one with "
                "'dask scheduler' and workers with 'dask worker ADDRESS', or leave out --scheduler to run on "
                "this machine's cores.") from None
        with client:
            if not client.nthreads():
                client.wait_for_workers(1, timeout=60)
            yield client
        return
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which hands freed memory back to the
    # system at once; a replay allocates and frees large temporaries, and runs a third slower so.
    # Without it glibc's own adaptive threshold applies (memory stays bounded: docs/experiments.md).
    # The cluster is an internal detail here, so its logs stay quiet: a chunk that fails raises
    # in this process through its future, and the CLI reports it.
    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()
               if k != "MALLOC_TRIM_THRESHOLD_"}
    # The standard library's resource tracker unblocks SIGINT in the thread that starts it, which
    # would let Ctrl-C through to the workers below; so it is started first.
    resource_tracker.ensure_running()
    with contextlib.ExitStack() as stack:
        with dask.config.set({"distributed.nanny.pre-spawn-environ": environ, **LOCAL_WORKERS}), _ctrl_c_held():
            cluster = stack.enter_context(LocalCluster(
                n_workers=0, threads_per_worker=1, processes=True, dashboard_address=":0",
                silence_logs=logging.CRITICAL))
            _start_one_at_a_time(cluster, workers)
        yield stack.enter_context(Client(cluster))


def _start_one_at_a_time(cluster, workers: int) -> None:
    """Start the local workers one after another, each forked only once the last is up.

    Why. Dask forks each worker from a thread of its own, so the workers of one cluster fork at
    once, from a process that runs other threads. A fork copies only the thread that calls it: a
    lock another thread holds at that instant stays held in the child for ever. Libraries guard
    against this with at-fork hooks, and filelock (which Solara and Jupyter load) refuses a fork
    while another thread is inside one (``RuntimeError: os.fork is unsafe while filelock is
    changing descriptor ownership``): a sweep from a notebook, and the test suite after the app's
    tests, lost a worker ("Nanny failed to start") once the two forks overlapped. One fork at a
    time never overlaps, and costs only the start of each worker in turn."""
    for started in range(1, workers + 1):
        cluster.scale(started)
        cluster.wait_for_workers(started, timeout=WORKER_START)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Ctrl-C reaches every process in the terminal's group. SIGINT is blocked while the cluster
    starts: the threads and processes started meanwhile inherit the block and never see Ctrl-C,
    so only this process stops, and it shuts the cluster down in order. A Ctrl-C pressed during
    the start (another thread may take it) is noted and raised once the cluster is whole."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:   # started in the background: no Ctrl-C to hold
        yield
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # a held signal reaches the note
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt

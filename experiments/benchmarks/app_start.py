"""How long ``summit app`` takes before a browser can load its page: from the command to a
listening port, this tree beside another commit's in the same run.

The launcher checks the scenario, then becomes the server (``exec``), which imports Solara and
the page; the page's first verdict follows within about three seconds in Chromium. Each start
runs in a fresh process, the two trees taking turns; the figures are the process's CPU time when
its port first accepts a connection (read from /proc, since the server keeps the launcher's
process) and the wall time to that moment, the least and the median of the repeats. Run:

    python experiments/benchmarks/app_start.py [--scenario helsinki-2018] [--against HEAD~1] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from revisions import HERE, environment, extract

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (an exec keeps counting)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tree: Path, scenario: str) -> tuple[float, float]:
    """CPU and wall seconds from ``summit app`` to a listening port, with the engine from ``tree``."""
    port = free_port()
    t0 = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "sim", "app", scenario, "--port", str(port)],
                              env=environment(tree), cwd=tree, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return cpu_seconds(server.pid), time.perf_counter() - t0
            if server.poll() is not None:
                raise SystemExit(f"summit app exited ({server.returncode}) before it listened, from {tree}")
            time.sleep(0.01)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="helsinki-2018")
    ap.add_argument("--against", metavar="REF", help="also measure the app at this git revision")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": HERE}
        if args.against:
            trees[args.against] = extract(args.against, Path(tmp))
        seen: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():
                seen[name].append(start(tree, args.scenario))
    print(f"summit app {args.scenario}: until its port listens, {args.repeat} starts each, taking turns")
    print(f"{'engine':<14}{'CPU s, least':>14}{'median':>9}{'wall s, least':>15}{'median':>9}")
    for name, runs in seen.items():
        cpu, wall = [c for c, _ in runs], [w for _, w in runs]
        print(f"{name:<14}{min(cpu):>14.2f}{statistics.median(cpu):>9.2f}{min(wall):>15.2f}{statistics.median(wall):>9.2f}")


if __name__ == "__main__":
    main()

"""How long ``summit app`` takes before a class sees its verdict: from the command to a listening
port and, with ``--browser``, to the page's controls and its verdict in Chromium, this tree beside
another commit's in the same run.

The launcher checks the scenario, then becomes the server (``exec``), which imports Solara and
the page. Each start runs in a fresh process, the two trees taking turns; the figures are the
process's CPU time when its port first accepts a connection (read from /proc, since the server
keeps the launcher's process) and the wall time to that moment, the least and the median of the
repeats; with ``--browser``, the wall time from the command until the page shows its controls and
until it shows the verdict rule (Playwright driving /usr/bin/chromium, started before the command).
Run:

    python experiments/benchmarks/app_start.py [--scenario helsinki-2018] [--against HEAD~1] [--repeat 5] [--browser]
"""

from __future__ import annotations

import argparse
import contextlib
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

from sim.app.server import free_port

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (an exec keeps counting)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def start(tree: Path, scenario: str, browser=None) -> dict[str, float]:
    """Seconds from ``summit app`` (the engine from ``tree``) to a listening port, CPU and wall, and
    with a ``browser`` the wall time until its page shows its controls and its verdict."""
    port = free_port()
    page = browser.new_page() if browser else None
    t0 = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "sim", "app", scenario, "--port", str(port)],
                              env=environment(tree), cwd=tree, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    seen = {"cpu": cpu_seconds(server.pid), "wall": time.perf_counter() - t0}
                    break
            if server.poll() is not None:
                raise SystemExit(f"summit app exited ({server.returncode}) before it listened, from {tree}")
            time.sleep(0.01)
        if page is not None:
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_text("Presenter mode").first.wait_for(timeout=120_000)
            seen["controls"] = time.perf_counter() - t0
            page.get_by_text("The rule, fixed in advance").first.wait_for(timeout=120_000)
            seen["verdict"] = time.perf_counter() - t0
        return seen
    finally:
        if page is not None:
            page.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="helsinki-2018")
    ap.add_argument("--against", metavar="REF", help="also measure the app at this git revision")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--browser", action="store_true", help="also time the page's controls and verdict in Chromium")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        browser = None
        if args.browser:
            from playwright.sync_api import sync_playwright

            browser = stack.enter_context(sync_playwright()).chromium.launch(executable_path="/usr/bin/chromium")
            stack.callback(browser.close)
        trees = {"this tree": HERE}
        if args.against:
            trees[args.against] = extract(args.against, Path(tmp))
        seen: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():
                seen[name].append(start(tree, args.scenario, browser))
    titles = {"cpu": "CPU to listen", "wall": "wall to listen", "controls": "page controls", "verdict": "verdict shown"}
    columns = ["cpu", "wall"] + (["controls", "verdict"] if args.browser else [])
    print(f"summit app {args.scenario}: seconds from the command, {args.repeat} starts each, taking turns "
          "(least / median)")
    print(f"{'engine':<14}" + "".join(f"{titles[c]:>16}" for c in columns))
    for name, runs in seen.items():
        cells = [f"{min(r[c] for r in runs):.2f} / {statistics.median(r[c] for r in runs):.2f}" for c in columns]
        print(f"{name:<14}" + "".join(f"{cell:>16}" for cell in cells))


if __name__ == "__main__":
    main()

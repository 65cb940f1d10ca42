"""Start-up as users feel it: the CPU time of whole ``summit`` processes, beside importing Mesa.

Targets (issue 14): ``summit --help``, ``list``, ``show``, ``validate`` and ``schema`` under 0.5 s
of CPU; ``summit run helsinki-2018`` (10,000 replays and the report) at most 0.7 s more than
``python -c "import mesa"`` on the same machine. Each command runs ``--repeat`` times in a fresh
process, taking turns with the others (and with another revision's, ``--against REF``), and the
least CPU time (user + system, read from ``getrusage`` of the finished child) counts. ``summit
list`` is measured twice: as it runs every time after the first (what it read of each file
remembered, sim.listing), and as the first run after an install or a change to the code, which
reads and checks every file (a fresh, empty cache folder each time). Run:

    python experiments/benchmarks/startup.py [--repeat 5] [--against REF ...]
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from revisions import HERE, environment, extract

COMMANDS = {
    "import mesa": ["-c", "import mesa"],
    "import sim": ["-c", "import sim"],
    "summit --help": ["-m", "sim", "--help"],
    "summit list": ["-m", "sim", "list"],
    "summit list, first time": ["-m", "sim", "list"],
    "summit show helsinki-2018": ["-m", "sim", "show", "helsinki-2018"],
    "summit validate helsinki-2018": ["-m", "sim", "validate", "helsinki-2018"],
    "summit schema": ["-m", "sim", "schema"],
    "summit run helsinki-2018": ["-m", "sim", "run", "helsinki-2018"],
}
FIRST_TIME = ("summit list, first time",)
UNDER_HALF_A_SECOND = ("summit --help", "summit list", "summit list, first time",
                       "summit show helsinki-2018", "summit validate helsinki-2018",
                       "summit schema")


def cpu_seconds(argv: list[str], tree: Path, first_time: bool, cache: Path) -> float:
    """The CPU time of one fresh process running ``python argv`` against the engine in ``tree``,
    with ``cache`` as summit's cache folder, or an empty one ``first_time``."""
    with tempfile.TemporaryDirectory() as empty:
        env = {**environment(tree), "SUMMIT_CACHE_DIR": empty if first_time else str(cache)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, *argv], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env, cwd=tree)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--against", metavar="REF", action="append", default=[],
                    help="also measure the commands at this git revision (repeatable)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = [("this tree", HERE), *((ref, extract(ref, Path(tmp))) for ref in args.against)]
        best = {(name, label): float("inf") for name, _ in trees for label in COMMANDS}
        for _ in range(args.repeat):
            for label, argv in COMMANDS.items():
                for name, tree in trees:
                    best[name, label] = min(best[name, label],
                                            cpu_seconds(argv, tree, label in FIRST_TIME, Path(tmp) / "cache"))
    print(f"Python {platform.python_version()}; CPU time of a whole process, the least of {args.repeat}")
    print(f"{'command':<32}" + "".join(f"{name:>14}" for name, _ in trees) + "  target")
    for label in COMMANDS:
        mesa = best["this tree", "import mesa"]
        target = ("under 0.50 s" if label in UNDER_HALF_A_SECOND
                  else f"under {mesa + 0.7:.2f} s (Mesa + 0.7)" if label == "summit run helsinki-2018" else "")
        print(f"{label:<32}" + "".join(f"{best[name, label]:>13.2f}s" for name, _ in trees) + f"  {target}")


if __name__ == "__main__":
    main()

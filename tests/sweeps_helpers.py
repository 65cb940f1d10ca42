"""Small sweep files and helpers shared by the sweep tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from sim.cli import main

ENV = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"}


def ctrl_c_as_at_a_terminal() -> None:
    """For Popen's preexec_fn: a shell starts background jobs with SIGINT ignored, and the child
    would inherit that; a program run at a terminal gets Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def sweep_file(folder: Path, name: str = "small", **changes) -> Path:
    """A Helsinki grid: Congress's tolerance x the US tactic (a structural factor)."""
    doc = {"name": name, "scenarios": ["helsinki-2018"],
           "factors": {"legislatures.congress.tolerance": {"range": [0.0, 0.4], "steps": 3},
                       "leaders.us.tactic": {"levels": ["linear", "boulware"]}},
           "replicates": 40, "seed": 7, "chunk_runs": 50}
    doc.update(changes)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def run_cli(*args: str) -> int:
    return main([str(a) for a in args])


def summit(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim.cli", *map(str, args)], capture_output=True, text=True,
                          env=ENV, **kw)


def rows(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder).sort_values("run").reset_index(drop=True)

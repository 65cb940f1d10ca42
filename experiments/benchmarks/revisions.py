"""The engine at another git revision, for benchmarks that measure two engines in one run.

A figure from another day says little on a shared machine whose speed drifts by a fifth; a
ratio measured in one run, the engines taking turns in fresh processes, does.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]


def extract(ref: str, into: Path) -> Path:
    """sim/, agents/ and scenarios/ as they stood at ``ref``, unpacked under ``into``."""
    archive = subprocess.run(["git", "-C", str(HERE), "archive", "--format=tar", ref, "sim", "agents", "scenarios"],
                             capture_output=True, check=True).stdout
    target = into / ref.replace("/", "_")
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def environment(tree: Path) -> dict[str, str]:
    """The environment in which a child process imports the engine from ``tree``."""
    return {**os.environ, "PYTHONPATH": str(tree), "SUMMIT_SCENARIOS": str(tree / "scenarios")}

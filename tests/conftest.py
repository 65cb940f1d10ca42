import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def pytest_xdist_auto_num_workers(config) -> int | None:
    """'-n auto' (pyproject.toml) starts a worker per core this process may run on. psutil, which
    xdist asks first, counts the host's cores in some containers, where that would start more
    workers than there are cores to run them. PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

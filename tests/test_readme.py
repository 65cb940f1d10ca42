"""The README's quick start is what CI runs: keep the two in step."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start.*?```(?:sh|bash)\n(.*?)```", text, re.S)
    assert block, "README.md has no Quick start code block"
    return [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.startswith("#")]


def test_quick_start_has_two_commands_and_ci_runs_the_second():
    replay, tests = quick_start()
    assert "summit run helsinki-2018" in replay
    assert "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text()

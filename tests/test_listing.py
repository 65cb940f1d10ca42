"""``summit list`` remembers what it read of each file: the same lines whether remembered or read
afresh, a file read again as soon as it changes, and a record that is missing, broken or cannot
be written costing only time."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim import listing
from sim.library import SCENARIO_DIR

HEAVY = ("numpy", "pydantic", "yaml", "mesa")
LIST_AND_REPORT_IMPORTS = (
    "import contextlib, io, sys\n"
    "from sim.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
    "    code = main(['list'])\n"
    "print(out.getvalue(), end='')\n"
    f"print('loaded:', [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def summit_list(cache: Path | str, scenarios: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SUMMIT_CACHE_DIR": str(cache)}
    if scenarios is not None:
        env["SUMMIT_SCENARIOS"] = str(scenarios)
    done = subprocess.run([sys.executable, "-c", LIST_AND_REPORT_IMPORTS], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_a_remembered_list_is_the_list_read_afresh_without_loading_yaml_or_pydantic(tmp_path):
    afresh = summit_list("")  # remembering nothing
    first = summit_list(tmp_path)
    second = summit_list(tmp_path)
    assert afresh.stdout == first.stdout == second.stdout
    assert "helsinki-2018" in second.stdout
    assert "loaded: []" in second.stderr
    assert "pydantic" in first.stderr  # the first had to read the files
    assert [p.suffix for p in tmp_path.iterdir()] == [".json"]  # one record, no temporary left


def test_a_file_is_read_again_when_it_changes(tmp_path):
    mine = tmp_path / "scenarios"
    mine.mkdir()
    text = (SCENARIO_DIR / "singapore-2018.yaml").read_text(encoding="utf-8")
    path = mine / "my-summit.yaml"
    path.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    assert "my-summit" in summit_list(cache, mine).stdout

    path.write_text(text.replace("\ndescription: ", "\ndescription: A rehearsal. ", 1), encoding="utf-8")
    assert "A rehearsal." in summit_list(cache, mine).stdout

    path.write_text(text.replace("\nyear: 2018", "\nyear: soon", 1), encoding="utf-8")
    broken = summit_list(cache, mine).stdout
    assert "my-summit           ----  (invalid: run 'summit validate" in broken
    assert "year" in broken.split("my-summit", 1)[1]


@pytest.mark.parametrize("record", ["{not json", '{"format": 1}', "[]", "\0\0\0"])
def test_a_broken_record_is_read_past_and_written_anew(tmp_path, record, monkeypatch):
    afresh = summit_list("")
    monkeypatch.setenv("SUMMIT_CACHE_DIR", str(tmp_path))
    listing.cache_file().write_text(record, encoding="utf-8")
    assert summit_list(tmp_path).stdout == afresh.stdout
    assert "loaded: []" in summit_list(tmp_path).stderr  # the record was written anew, whole


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = summit_list(blocker / "summit")
    assert "helsinki-2018" in done.stdout and done.stderr.startswith("loaded:")


def test_a_change_to_the_code_that_read_the_files_forgets_them(tmp_path, monkeypatch):
    module = tmp_path / "module.py"
    module.write_text("x = 1\n")
    monkeypatch.setenv("SUMMIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(listing, "_code", lambda: {str(module): [module.stat().st_size, module.stat().st_mtime_ns]})
    files = {"helsinki-2018": SCENARIO_DIR / "helsinki-2018.yaml"}
    first = listing.listed(files)
    assert listing._read(listing.cache_file())  # remembered
    module.write_text("x = 22\n")
    assert listing._read(listing.cache_file()) == {}
    assert listing.listed(files) == first


def test_a_file_too_large_to_be_a_scenario_is_listed_as_such(tmp_path):
    mine = tmp_path / "scenarios"
    mine.mkdir()
    (mine / "huge.yaml").write_bytes(b"#" * 3_000_000)
    listed = summit_list(tmp_path / "cache", mine).stdout
    assert "huge                ----  (invalid: run 'summit validate" in listed
    assert "larger than 1,000,000 bytes" in listed


def test_without_a_home_folder_nothing_is_remembered_and_the_list_is_whole(monkeypatch):
    def nowhere():
        raise RuntimeError("Could not determine home directory.")
    monkeypatch.delenv("SUMMIT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", nowhere)
    assert listing.cache_file() is None
    files = {"singapore-2018": SCENARIO_DIR / "singapore-2018.yaml"}
    assert listing.listed(files)["singapore-2018"].parties == ("Donald Trump", "Kim Jong-un")

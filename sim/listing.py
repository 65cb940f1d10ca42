"""What ``summit list`` says of each scenario file, remembered between runs.

Reading and checking a file costs a few milliseconds of YAML and pydantic, and the library holds
dozens: checked afresh every time, ``summit list`` took most of a second. What it prints of a
file depends only on the file's bytes and on the code that reads them, so that is the key: each
file's SHA-256, and the size and modification time of every module that was loaded when the
files were checked (summit's own, pydantic's, PyYAML's, the standard library's), with the
Python version. Any change to either and the file is read and checked afresh. The record is
JSON in the user's cache folder, one per copy of summit, written whole or not at all; one that
cannot be read, or a folder that cannot be written, only costs the time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from sim.errors import ScenarioError
from sim.library import head

FORMAT = 1


@dataclass(frozen=True)
class Listed:
    """One file as the list shows it; ``problem`` is the first thing wrong with a file that does
    not load, and then the rest is empty."""

    year: int | None = None
    parties: tuple[str, ...] = ()
    description: str = ""
    held_out: bool = False
    problem: str | None = None


def cache_file() -> Path | None:
    """``SUMMIT_CACHE_DIR`` (empty: remember nothing), else ``$XDG_CACHE_HOME/summit``, else
    ``~/.cache/summit``; one file for each copy of summit on the machine."""
    folder = os.environ.get("SUMMIT_CACHE_DIR")
    if folder is None:
        try:
            base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        except RuntimeError:  # no home folder to be found: remember nothing
            return None
        folder = str(Path(base) / "summit")
    if not folder:
        return None
    copy = hashlib.sha256(str(Path(__file__).resolve().parent).encode()).hexdigest()[:12]
    return Path(folder) / f"listing-{copy}.json"


def listed(files: dict[str, Path]) -> dict[str, Listed]:
    """Each named file as ``summit list`` shows it, checked as a run checks it (its what-ifs
    aside: ``summit validate`` checks those)."""
    where = cache_file()
    remembered = _read(where)
    out, seen, checked = {}, {}, False
    for name, path in files.items():
        data = _head(path)
        digest = hashlib.sha256(data).hexdigest() if data is not None else None
        known = remembered.get(digest) if digest else None
        if known:
            out[name] = Listed(**{**known, "parties": tuple(known["parties"])})
        else:
            out[name], checked = _check(path, data), True
        if digest:
            seen[digest] = asdict(out[name])
    if where is not None and checked:  # only then are the modules that check a file loaded, to stamp
        _write(where, seen)
    return out


def _head(path: Path) -> bytes | None:
    """``sim.library.head``, or None where the file cannot be read (checking it then says why)."""
    try:
        return head(path)
    except OSError:
        return None


def _check(path: Path, data: bytes | None) -> Listed:
    """The file checked from the bytes its digest was taken of, so that an edit made meanwhile
    is not remembered under the old digest."""
    from sim.loader import from_bytes, load

    try:
        sc = load(str(path), check_variants=False) if data is None else \
            from_bytes(data, str(path), check_variants=False)
    except ScenarioError as err:
        return Listed(problem=err.problems[0])
    return Listed(sc.year, tuple(v.name for v in sc.leaders.values()), sc.description,
                  bool(sc.history and sc.history.held_out))


def _stamp(file: str) -> list[int] | None:
    """A module file's size and modification time, or None where it cannot be read."""
    try:
        st = os.stat(file)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _code() -> dict[str, list[int]]:
    """The stamp of every loaded module's file."""
    files = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
    return {file: stamp for file in files if file and (stamp := _stamp(file)) is not None}


def _unchanged(stamps: dict[str, list[int]]) -> bool:
    return all(_stamp(file) == stamp for file, stamp in stamps.items())


def _read(where: Path | None) -> dict[str, dict]:
    """The remembered entries by file digest, or none where the record is missing, unreadable,
    of another format or Python, or written by code that has changed since."""
    if where is None:
        return {}
    try:
        record = json.loads(where.read_text(encoding="utf-8"))
        code = record["code"]
        if record["format"] != FORMAT or record["python"] != sys.version or not code or not _unchanged(code):
            return {}
        files = record["files"]
        return files if all(isinstance(v, dict) and set(v) == set(Listed.__dataclass_fields__)
                            for v in files.values()) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write(where: Path, files: dict[str, dict]) -> None:
    """The whole record at once (a temporary file renamed over the old), or nothing."""
    record = {"format": FORMAT, "python": sys.version, "code": _code(), "files": files}
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(temporary, where)
    except OSError:
        Path(temporary).unlink(missing_ok=True)

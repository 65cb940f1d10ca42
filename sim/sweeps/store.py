"""A sweep's results folder: a Parquet dataset that survives being killed.

Layout (``pandas.read_parquet(DIR)`` reads the per-run rows; names starting with ``_`` are skipped
by Parquet readers):

- ``chunk-000000.parquet`` ... one file of per-run rows per finished chunk;
- ``_stats/chunk-000000.parquet`` its sums per design point;
- ``_checksums/chunk-000000.json`` the SHA-256 of the chunk's two files, written last;
- ``_manifest.json`` what was run (the sweep text, scenario documents, their hash);
- ``_design.parquet`` the design points; ``_points.parquet`` the per-point summary;
- ``_lock`` held (``flock``) by the one sweep writing into the folder.

Every file is written under ``_tmp/`` and renamed into place, so a file that exists is whole. A
chunk is finished when its checksum exists, and it is written after the sums and the rows: a
chunk cut off at any moment is simply done again, and none is counted twice. Resuming checks every
finished chunk against its checksum and redoes one that was damaged since. The store writes only
into a new folder, an empty one or a results folder of the same sweep, and deletes nothing it did
not write.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# 2: p_ahead is the verdict rule's class (ahead by more than delta), p_even is new, and events on an
# ideal move the position too; results of format 1 are not resumed
FORMAT = 2
KINDS = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string()}


@dataclass(frozen=True)
class EncodedChunk:
    """A chunk's two Parquet files as bytes, ready to be written."""

    runs: int
    rows: bytes
    sums: bytes


def encode_chunk(rows: dict[str, np.ndarray], sums: dict[str, np.ndarray], columns: dict[str, str]) -> EncodedChunk:
    """A chunk's per-run rows and per-point sums as Parquet files. Every column of the sweep is
    present in every file, empty where a scenario lacks it, so files stack. Encoding happens where
    the chunk was replayed: a worker sends the driver a sixth of the bytes, and the driver, which
    shares the machine's cores with the workers, only writes them."""
    n = len(rows["run"])
    table = pa.table({name: pa.array(rows[name], type=KINDS[kind]) if name in rows
                      else pa.nulls(n, type=KINDS[kind]) for name, kind in columns.items()})
    return EncodedChunk(n, _parquet(table), _parquet(pa.table(sums)))


def _parquet(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


class StoreError(Exception):
    """The results folder cannot be used as asked; the message says why and what to do."""


def fingerprint(manifest: dict) -> str:
    """What makes two sweeps the same sweep: the request and the scenario documents it ran on."""
    identity = {k: manifest[k] for k in ("format", "kind", "source", "documents")}
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()


OUR_TMP = re.compile(r"^(chunk-\d{6}\.(parquet|json)|_manifest\.json|_design\.parquet|_points\.parquet)\.\d+$")


class Store:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.lock_handle = None
        self.redone: list[int] = []

    # --- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path, manifest: dict, design: pd.DataFrame) -> Store:
        """Start a new results folder, or resume one written by the same sweep."""
        store = cls(folder)
        manifest = {**manifest, "format": FORMAT}
        manifest["hash"] = fingerprint(manifest)
        if store.folder.exists() and not store.folder.is_dir():
            raise StoreError(f"{store.folder} is a file, not a folder; give --out a folder")
        if store.folder.is_dir() and not store.manifest_path.exists() and any(store.folder.iterdir()):
            raise StoreError(f"{store.folder} is not empty and is not a summit results folder (it has no "
                             "_manifest.json); nothing in it was touched. Give --out a new or empty folder")
        if store.manifest_path.exists():
            store.lock()
            old = store.manifest()
            if old.get("hash") != manifest["hash"]:
                raise StoreError(
                    f"{store.folder} holds results of a different sweep ({old.get('kind')} "
                    f"'{old.get('name')}' from {old.get('source_file')}, hash {str(old.get('hash'))[:12]}; "
                    f"this one is '{manifest['name']}' from {manifest.get('source_file')}, hash "
                    f"{manifest['hash'][:12]}). Results are never mixed: choose another --out folder, "
                    "or delete this one to start again.")
            if old.get("engine") != manifest.get("engine"):
                raise StoreError(
                    f"{store.folder} was begun by another engine (engine {old.get('engine') or 'not recorded'}; "
                    f"this one is {manifest.get('engine')}): the model's code or its numerical libraries "
                    "changed since, and finishing the sweep would mix runs of two engines. Nothing in the "
                    "folder was touched: its results can still be read and plotted. To rerun it with this "
                    "engine, choose another --out folder, or delete this one to start again.")
            store._clear_tmp()
            store.redone = store.verify()
            return store
        store._guard(lambda: store.folder.mkdir(parents=True, exist_ok=True), store.folder)
        store.lock()
        store._clear_tmp()
        store._write_bytes(store.folder / "_manifest.json", json.dumps(manifest, indent=1, default=str).encode())
        store._write_frame(store.folder / "_design.parquet", design)
        return store

    @property
    def manifest_path(self) -> Path:
        return self.folder / "_manifest.json"

    def lock(self) -> None:
        """Hold the folder for this process: a second sweep into it stops with a clear message."""
        path = self.folder / "_lock"
        handle = open(path, "a+", encoding="ascii")  # noqa: SIM115 - held until this process ends
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StoreError(f"{self.folder} is being written by another sweep ({holder}); wait for it to end, "
                             "or choose another --out folder") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}")
        handle.flush()
        self.lock_handle = handle

    def release(self) -> None:
        """Let the folder go before this process ends: a notebook's kernel outlives its sweeps,
        and a sweep resumed from a terminal must not find the folder held."""
        handle, self.lock_handle = self.lock_handle, None
        if handle is not None:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def manifest(self) -> dict:
        if not self.manifest_path.is_file():
            raise StoreError(f"{self.folder} is not a sweep's results folder (no _manifest.json); "
                             "give the folder a 'summit sweep ... --out' wrote")
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as err:
            raise StoreError(f"{self.manifest_path} is damaged ({err}); this folder cannot be read or resumed. "
                             "Move it aside and run the sweep again into a new folder") from None
        if not isinstance(manifest, dict) or not {"kind", "name", "hash", "source"} <= set(manifest):
            raise StoreError(f"{self.manifest_path} is damaged (fields are missing); this folder cannot be read or "
                             "resumed. Move it aside and run the sweep again into a new folder")
        return manifest

    def design(self) -> pd.DataFrame:
        path = self.folder / "_design.parquet"
        if not path.is_file():  # written just after the manifest, before any chunk: a damaged folder lacks it
            raise StoreError(f"{path} is missing; this folder cannot be read or resumed. Move it aside and run "
                             "the sweep again into a new folder")
        return pd.read_parquet(path)

    # --- chunks -------------------------------------------------------------------------------
    def rows_path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:06d}.parquet"

    def sums_path(self, index: int) -> Path:
        return self.folder / "_stats" / f"chunk-{index:06d}.parquet"

    def checksum_path(self, index: int) -> Path:
        return self.folder / "_checksums" / f"chunk-{index:06d}.json"

    def finished(self) -> set[int]:
        indices = (_index(f) for f in self.folder.glob("_checksums/chunk-*.json"))
        return {i for i in indices if self.rows_path(i).exists() and self.sums_path(i).exists()}

    def verify(self) -> list[int]:
        """Check every finished chunk against its checksum; a damaged one is removed (its three
        files are the store's own) so that it is done again. Returns the chunks removed."""
        bad = []
        for index in sorted(self.finished()):
            try:
                recorded = json.loads(self.checksum_path(index).read_text(encoding="ascii"))
                whole = (recorded.get("rows") == _sha256(self.rows_path(index))
                         and recorded.get("sums") == _sha256(self.sums_path(index)))
            except (ValueError, OSError):
                whole = False
            if not whole:
                bad.append(index)
                for path in (self.checksum_path(index), self.rows_path(index), self.sums_path(index)):
                    path.unlink(missing_ok=True)
        return bad

    def write_chunk(self, index: int, chunk: EncodedChunk) -> None:
        """Write a chunk's sums, then its rows, then their checksum (the mark of a finished chunk)."""
        self._write_bytes(self.sums_path(index), chunk.sums)
        self._write_bytes(self.rows_path(index), chunk.rows)
        digests = {"rows": hashlib.sha256(chunk.rows).hexdigest(), "sums": hashlib.sha256(chunk.sums).hexdigest()}
        self._write_bytes(self.checksum_path(index), json.dumps(digests).encode())

    def sums(self) -> pd.DataFrame:
        files = sorted((self.folder / "_stats").glob("chunk-*.parquet"))
        done = self.finished()
        tables = [self._read(f) for f in files if _index(f) in done]
        if not tables:
            return pd.DataFrame()
        return pa.concat_tables(tables, promote_options="default").to_pandas()

    def write_points(self, points: pd.DataFrame) -> None:
        self._write_frame(self.folder / "_points.parquet", points)

    def rows(self, filters=None, columns=None) -> pd.DataFrame:
        try:
            return pd.read_parquet(self.folder, filters=filters, columns=columns)
        except (OSError, ValueError, pa.ArrowException) as err:
            raise StoreError(f"{self.folder}: a chunk file is damaged ({err}); run the same 'summit sweep' "
                             "command to check every chunk and redo the damaged ones") from None

    def _read(self, path: Path) -> pa.Table:
        try:
            return pq.read_table(path)
        except (OSError, ValueError, pa.ArrowException) as err:
            raise StoreError(f"{path} is damaged ({err}); run the same 'summit sweep' command to check every "
                             "chunk and redo the damaged ones") from None

    # --- writing safely -----------------------------------------------------------------------
    def _write_frame(self, target: Path, frame: pd.DataFrame) -> None:
        self._write_bytes(target, _parquet(pa.Table.from_pandas(frame, preserve_index=False)))

    def _write_bytes(self, target: Path, data: bytes) -> None:
        self._atomic(target, lambda handle: handle.write(data))

    def _atomic(self, target: Path, write: Callable) -> None:
        tmp = self.folder / "_tmp" / f"{target.name}.{os.getpid()}"

        def attempt() -> None:
            tmp.parent.mkdir(exist_ok=True)
            target.parent.mkdir(exist_ok=True)
            with open(tmp, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)

        try:
            self._guard(attempt, target)
        finally:
            tmp.unlink(missing_ok=True)

    def _guard(self, action: Callable, path: Path) -> None:
        try:
            action()
        except OSError as err:
            reason = err.strerror or str(err)
            kept = len(self.finished()) if self.folder.is_dir() else 0
            raise StoreError(f"cannot write {path}: {reason}. The {kept} chunks finished before are kept; make "
                             "room or fix the folder's permissions, then run the same command to resume.") from None

    def _clear_tmp(self) -> None:
        """Remove half-written files this store left behind, and nothing else."""
        tmp = self.folder / "_tmp"
        if tmp.is_dir():
            for f in tmp.iterdir():
                if OUR_TMP.match(f.name) and f.is_file():
                    f.unlink(missing_ok=True)


def _index(chunk_file: Path) -> int:
    return int(chunk_file.stem.split("-")[1])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

"""A sweep's results folder: a Parquet dataset that survives being killed.

Layout (``pandas.read_parquet(DIR)`` reads the per-run rows; names starting with ``_`` are skipped
by Parquet readers):

- ``chunk-000000.parquet`` ... one file of per-run rows per finished chunk;
- ``_stats/chunk-000000.parquet`` its sums per design point;
- ``_manifest.json`` what was run (the sweep text, scenario documents, their hash);
- ``_design.parquet`` the design points; ``_points.parquet`` the per-point summary.

Every file is written under ``_tmp/`` and renamed into place, so a file that exists is whole. A
chunk is finished when its rows exist, and they are written after its sums: a chunk cut off at
any moment is simply done again, and none is counted twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# 2: p_ahead is the verdict rule's class (ahead by more than delta), p_even is new, and events on an
# ideal move the position too; results of format 1 are not resumed
FORMAT = 2
KINDS = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string()}


class StoreError(Exception):
    """The results folder cannot be used as asked; the message says why and what to do."""


def fingerprint(manifest: dict) -> str:
    """What makes two sweeps the same sweep: the request and the scenario documents it ran on."""
    identity = {k: manifest[k] for k in ("format", "kind", "source", "documents")}
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()


class Store:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    # --- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, folder: str | Path, manifest: dict, design: pd.DataFrame) -> Store:
        """Start a new results folder, or resume one written by the same sweep."""
        store = cls(folder)
        manifest = {**manifest, "format": FORMAT}
        manifest["hash"] = fingerprint(manifest)
        if store.manifest_path.exists():
            old = store.manifest()
            if old.get("hash") != manifest["hash"]:
                raise StoreError(
                    f"{store.folder} holds results of a different sweep ({old.get('kind')} "
                    f"'{old.get('name')}' from {old.get('source_file')}, hash {str(old.get('hash'))[:12]}; "
                    f"this one is '{manifest['name']}' from {manifest.get('source_file')}, hash "
                    f"{manifest['hash'][:12]}). Results are never mixed: choose another --out folder, "
                    "or delete this one to start again.")
            store._clear_tmp()
            return store
        store._guard(lambda: store.folder.mkdir(parents=True, exist_ok=True), store.folder)
        store._clear_tmp()
        store._write_bytes(store.folder / "_manifest.json", json.dumps(manifest, indent=1, default=str).encode())
        store._write_table(store.folder / "_design.parquet", pa.Table.from_pandas(design, preserve_index=False))
        return store

    @property
    def manifest_path(self) -> Path:
        return self.folder / "_manifest.json"

    def manifest(self) -> dict:
        if not self.manifest_path.is_file():
            raise StoreError(f"{self.folder} is not a sweep's results folder (no _manifest.json); "
                             "give the folder a 'summit sweep ... --out' wrote")
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def design(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "_design.parquet")

    # --- chunks -------------------------------------------------------------------------------
    def rows_path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:06d}.parquet"

    def sums_path(self, index: int) -> Path:
        return self.folder / "_stats" / f"chunk-{index:06d}.parquet"

    def finished(self) -> set[int]:
        indices = (_index(f) for f in self.folder.glob("chunk-*.parquet"))
        return {i for i in indices if self.sums_path(i).exists()}

    def write_chunk(self, index: int, rows: dict[str, np.ndarray], sums: dict[str, np.ndarray],
                    columns: dict[str, str]) -> None:
        """Write a chunk's sums, then its rows (the mark of a finished chunk). Every column of the
        sweep is present in every file, empty where a scenario lacks it, so files stack."""
        n = len(rows["run"])
        table = pa.table({name: pa.array(rows[name], type=KINDS[kind]) if name in rows
                          else pa.nulls(n, type=KINDS[kind]) for name, kind in columns.items()})
        self._write_table(self.sums_path(index), pa.table(sums))
        self._write_table(self.rows_path(index), table)

    def sums(self) -> pd.DataFrame:
        files = sorted((self.folder / "_stats").glob("chunk-*.parquet"))
        done = self.finished()
        tables = [pq.read_table(f) for f in files if _index(f) in done]
        if not tables:
            return pd.DataFrame()
        return pa.concat_tables(tables, promote_options="default").to_pandas()

    def write_points(self, points: pd.DataFrame) -> None:
        self._write_table(self.folder / "_points.parquet", pa.Table.from_pandas(points, preserve_index=False))

    def rows(self, filters=None, columns=None) -> pd.DataFrame:
        return pd.read_parquet(self.folder, filters=filters, columns=columns)

    # --- writing safely -----------------------------------------------------------------------
    def _write_table(self, target: Path, table: pa.Table) -> None:
        self._atomic(target, lambda handle: pq.write_table(table, handle))

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
        tmp = self.folder / "_tmp"
        if tmp.is_dir():
            for f in tmp.iterdir():
                f.unlink(missing_ok=True)


def _index(chunk_file: Path) -> int:
    return int(chunk_file.stem.split("-")[1])

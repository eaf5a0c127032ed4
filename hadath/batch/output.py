"""The output folder: one directory of Parquet parts per table, and a manifest
saying which chunks are durably written, so a restarted batch skips them.

A part is written to a hidden temporary file, fsync'd and renamed into place; a
chunk's manifest line is appended (and fsync'd) only after all its parts are in
place.  A batch killed at any moment therefore leaves either a chunk in the
manifest with all its parts, or a chunk that the next run writes again under the
same part names, never a second copy of its records.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from hadath.batch.model import TABLES, BatchError, Chunk, Rows

MANIFEST = "_manifest.jsonl"
LOCK = "_lock"
FORMAT = 1


def part_name(part: int) -> str:
    return f"part-{part:05d}.parquet"


@dataclass
class Output:
    """An output folder opened for one run (locked against a second writer)."""

    root: Path
    header: dict[str, Any]
    done: dict[int, dict[str, Any]] = field(default_factory=dict)
    _lock: Any = None
    _schemas: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path, header: dict[str, Any], force: bool) -> Output:
        """Create ``root`` or resume in it; refuse another run's folder unless ``force``."""
        out = cls(root, {"format": FORMAT, **header})
        try:
            root.mkdir(parents=True, exist_ok=True)
            out._lock = _lock(root / LOCK)
            manifest = root / MANIFEST
            if manifest.exists():
                previous, done = _read_manifest(manifest)
                changed = _differences(previous, out.header)
                if changed and not force:
                    raise BatchError(f"{root} holds a batch run with other options ({changed}); rerun with the "
                                     "same options to resume, or add --force to start over")
                if changed:
                    out._clear()
                else:
                    out.done = done
            else:
                others = [p.name for p in root.iterdir() if p.name != LOCK]
                if others and not (force and set(others) <= set(TABLES)):
                    raise BatchError(f"{root} is not empty and holds no hadath batch ({MANIFEST}); "
                                     "choose a new or empty folder")
                out._clear()
            for table in TABLES:
                (root / table).mkdir(exist_ok=True)
                for stale in (root / table).glob(".*.tmp"):
                    stale.unlink()
            if not manifest.exists():
                _write_atomic(manifest, json.dumps(out.header, ensure_ascii=False) + "\n")
        except OSError as error:
            out.close()
            raise BatchError(f"cannot write to {root}: {error.strerror or error}") from error
        except BatchError:
            out.close()
            raise
        return out

    def is_done(self, chunk: Chunk) -> Optional[dict[str, Any]]:
        """The manifest entry of a chunk written earlier with the same content, if its parts exist."""
        entry = self.done.get(chunk.part)
        if entry is None or entry.get("key") != chunk.key:
            return None
        name = part_name(chunk.part)
        if not all((self.root / table / name).is_file() for table in TABLES):
            return None
        return entry

    def write(self, chunk: Chunk, rows: Rows) -> dict[str, Any]:
        """Write every table's part of ``chunk``, then record it in the manifest."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from hadath.batch.tables import schemas

        if not self._schemas:
            self._schemas = schemas()
        name = part_name(chunk.part)
        try:
            for table in TABLES:
                final = self.root / table / name
                temp = final.with_name(f".{name}.tmp")
                data = pa.Table.from_pylist(rows[table], schema=self._schemas[table])
                with open(temp, "wb") as handle:
                    pq.write_table(data, handle, compression="zstd")
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, final)
            for table in TABLES:
                _fsync_dir(self.root / table)
            entry = {"part": chunk.part, "key": chunk.key, "input": chunk.source, "chunk": chunk.index,
                     "articles": len(rows["articles"]), "problems": len(rows["problems"]),
                     "events": len(rows["events"])}
            with open(self.root / MANIFEST, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise BatchError(f"cannot write to {self.root}: {error.strerror or error}") from error
        self.done[chunk.part] = entry
        return entry

    def finish(self, parts: set[int]) -> None:
        """After a complete run: drop parts no chunk of this run owns (an input that
        shrank since the first run) and rewrite the manifest without stale lines."""
        for table in TABLES:
            for path in (self.root / table).glob("part-*.parquet"):
                number = path.name[len("part-"):-len(".parquet")]
                if not number.isdigit() or int(number) not in parts:
                    path.unlink()
        lines = [self.header] + [self.done[p] for p in sorted(parts) if p in self.done]
        _write_atomic(self.root / MANIFEST, "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _clear(self) -> None:
        for table in TABLES:
            if (self.root / table).is_dir():
                shutil.rmtree(self.root / table)
        (self.root / MANIFEST).unlink(missing_ok=True)


def _read_manifest(path: Path) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    """The header and the last entry per part; a torn last line (a kill mid-append) is cut off."""
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[:data.rfind(b"\n") + 1]
        with open(path, "r+b") as handle:
            handle.truncate(len(data))
            os.fsync(handle.fileno())
    lines = data.decode("utf-8", "replace").splitlines()
    try:
        header = json.loads(lines[0]) if lines else {}
    except json.JSONDecodeError:
        header = {}
    done: dict[int, dict[str, Any]] = {}
    for line in lines[1:]:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("part"), int):
            done[entry["part"]] = entry
    return header, done


def _differences(previous: dict[str, Any], current: dict[str, Any]) -> str:
    changed = [f"{key}: {previous.get(key)!r} -> {value!r}" for key, value in current.items()
               if previous.get(key) != value]
    return "; ".join(changed)


def _write_atomic(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    """Make renames in ``path`` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _lock(path: Path) -> Any:
    """An exclusive lock held while the run lasts: two batches must not share a folder."""
    handle = open(path, "a+")     # noqa: SIM115 - held open (and locked) until the run ends
    try:
        import fcntl
    except ImportError:         # not POSIX: no lock
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        handle.close()
        raise BatchError(f"{path.parent} is being written by another hadath batch") from error
    return handle

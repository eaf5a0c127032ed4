"""The knowledge base's SQLite index: a compiled, queryable copy of the JSONL records.

The JSONL files (``countries.jsonl``, ``actors.jsonl``) are the source of truth
that users edit, import into and version.  The index is derived from them: the
alias, office and demonym tables the linker needs (country agents already
expanded), every record as JSON, and a trigram full-text table over all Arabic
and English names for search and fuzzy candidates.  It carries the digest of
the files it was built from and is rebuilt when they change.

Where it lives: ``<kb dir>/index.sqlite`` for a user's knowledge base, and
``$HADATH_CACHE`` (default ``~/.cache/hadath``) for the bundled one.  When
neither is writable the knowledge base is built in memory and nothing is lost
but start-up time.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sqlite3
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Optional

INDEX_VERSION = 2
INDEX_NAME = "index.sqlite"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE actors (id TEXT PRIMARY KEY, name_en TEXT NOT NULL, type TEXT NOT NULL, entity_type TEXT,
                     country TEXT, sector TEXT, qid TEXT);
CREATE TABLE aliases (key TEXT NOT NULL, actor_id TEXT NOT NULL REFERENCES actors(id), kind TEXT NOT NULL,
                      is_entity INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE INDEX aliases_key ON aliases(key);
CREATE INDEX aliases_actor ON aliases(actor_id);
CREATE TABLE offices (key TEXT NOT NULL, actor_id TEXT NOT NULL REFERENCES actors(id), start TEXT, end TEXT);
CREATE INDEX offices_key ON offices(key);
CREATE TABLE demonyms (key TEXT PRIMARY KEY, iso3 TEXT NOT NULL);
CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT NOT NULL, json TEXT NOT NULL);
CREATE VIRTUAL TABLE names USING fts5(actor_id UNINDEXED, name, tokenize = 'trigram');
"""


def cache_dir() -> Path:
    return Path(os.environ.get("HADATH_CACHE") or Path.home() / ".cache" / "hadath")


def source_digest(files: Iterable[Any]) -> str:
    """sha256 over the index format, hadath's version, the agent templates and the source files."""
    import hadath
    from hadath.actors.agents import AGENT_TEMPLATES

    digest = hashlib.sha256(f"{INDEX_VERSION}|{hadath.__version__}|{AGENT_TEMPLATES!r}".encode())
    for source in files:
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def write_index(kb, countries: Iterable, actors: Iterable, target: Path, digest: str) -> None:
    """Write ``kb`` (built from ``countries`` and ``actors``) to ``target`` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=".index-", suffix=".sqlite", dir=target.parent)
    os.close(handle)
    try:
        con = sqlite3.connect(scratch)
        try:
            con.executescript(SCHEMA)
            con.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("index_version", str(INDEX_VERSION)), ("source_digest", digest),
                ("max_len", str(kb.max_len))])
            con.executemany("INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?)", [
                (a.id, a.name_en, a.type, a.entity_type, a.country, a.sector, a.qid) for a in kb.actors.values()])
            con.executemany("INSERT INTO aliases VALUES (?, ?, ?, ?, ?)", [
                (" ".join(key), hit.actor_id, hit.kind, int(hit.is_entity), position)
                for key, hits in kb.aliases.items() for position, hit in enumerate(hits)])
            con.executemany("INSERT INTO aliases VALUES (?, ?, 'ambiguous', 0, ?)", [
                (" ".join(key), actor_id, position)
                for key, ids in kb.ambiguous.items() for position, actor_id in enumerate(ids)])
            con.executemany("INSERT INTO offices VALUES (?, ?, ?, ?)", [
                (" ".join(key), h.actor_id, h.start and h.start.isoformat(), h.end and h.end.isoformat())
                for key, holdings in kb.offices.items() for h in holdings])
            con.executemany("INSERT INTO demonyms VALUES (?, ?)", kb.demonyms.items())
            rows, names = [], []
            for record in countries:
                rows.append((record.iso3, "country", json.dumps(dataclasses.asdict(record), ensure_ascii=False,
                                                                default=_plain)))
                names += [(record.iso3, n) for n in (record.name_en, *record.names_ar)]
            for record in actors:
                rows.append((record.id, "actor", json.dumps(dataclasses.asdict(record), ensure_ascii=False,
                                                            default=_plain)))
                names += [(record.id, n) for n in (record.name_en, *record.aliases_ar, *record.aliases_en)]
            con.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", rows)
            from hadath.text.normalize import fold

            folded = [(actor_id, fold(name)) for actor_id, name in names]
            con.executemany("INSERT INTO names VALUES (?, ?)",
                            dict.fromkeys(row for row in names + folded if row[1]))
            con.commit()
        finally:
            con.close()
        os.replace(scratch, target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def index_digest(path: Path) -> Optional[str]:
    """The source digest an index file was built from, or None when it is not a usable index."""
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return None
    if meta.get("index_version") != str(INDEX_VERSION):
        return None
    return meta.get("source_digest")


def read_index(path: Path, kb_class):
    """A knowledge base of class ``kb_class`` filled from the index at ``path``."""
    from hadath.actors.kb import Actor, AliasHit, OfficeHolding

    kb = kb_class()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for row in con.execute("SELECT id, name_en, type, entity_type, country, sector, qid FROM actors"):
            kb.actors[row[0]] = Actor(*row)
        for key, actor_id, kind, is_entity in con.execute(
                "SELECT key, actor_id, kind, is_entity FROM aliases ORDER BY rowid"):
            words = tuple(key.split(" "))
            if kind == "ambiguous":
                kb.ambiguous.setdefault(words, []).append(actor_id)
                continue
            kb.aliases.setdefault(words, []).append(AliasHit(actor_id, kind, bool(is_entity)))
            kb._index_key(words)
        for key, actor_id, start, end in con.execute("SELECT key, actor_id, start, end FROM offices ORDER BY rowid"):
            words = tuple(key.split(" "))
            kb.offices.setdefault(words, []).append(OfficeHolding(
                actor_id, date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None))
            kb._index_key(words)
        kb.demonyms.update(con.execute("SELECT key, iso3 FROM demonyms"))
    finally:
        con.close()
    kb.index_path = path
    return kb


def search(path: Path, query: str, limit: int = 20) -> list[dict]:
    """Records whose names contain ``query`` (any script; folded Arabic and raw text both tried)."""
    from hadath.text.normalize import fold

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ids: dict[str, None] = {}
        for needle in dict.fromkeys((query.strip(), fold(query))):
            if not needle:
                continue
            if len(needle) >= 3:
                rows = con.execute("SELECT DISTINCT actor_id FROM names WHERE name MATCH ? ORDER BY rank LIMIT ?",
                                   ('"' + needle.replace('"', '""') + '"', limit * 4))
            else:
                rows = con.execute("SELECT DISTINCT actor_id FROM names WHERE name LIKE ? LIMIT ?",
                                   (f"%{needle}%", limit * 4))
            ids.update((r[0], None) for r in rows)
        out = []
        for actor_id in ids:
            row = con.execute("SELECT kind, json FROM records WHERE id = ?", (actor_id,)).fetchone()
            if row:
                out.append({"kind": row[0], **json.loads(row[1])})
        return out[:limit]
    finally:
        con.close()


def record(path: Path, actor_id: str) -> Optional[dict]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT kind, json FROM records WHERE id = ?", (actor_id,)).fetchone()
    finally:
        con.close()
    return {"kind": row[0], **json.loads(row[1])} if row else None

"""A corpus of annotated articles in SQLite (default, one file, WAL) or PostgreSQL.

>>> from hadath.store import Store, EventQuery
>>> with Store.open("corpus.db") as store:          # created on first use
...     store.save(doc)                                # idempotent
...     page = store.events(EventQuery(types=("ASSAULT",), country="SYR"), limit=20)

The store is a service: open it once and pass it to what needs it (the ingest
command, the API); nothing here opens a database at import time.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

from hadath.doc import Document
from hadath.store import read, write
from hadath.store.db import Database, StoreError, describe, open_database
from hadath.store.query import BBox, EventQuery, QueryError
from hadath.store.read import Page
from hadath.store.schema import create_schema
from hadath.store.versions import hadath_version, model_version
from hadath.store.write import SaveResult, canonical_url, text_hash

__all__ = ["BBox", "EventQuery", "Page", "QueryError", "SaveResult", "Store", "StoreError", "canonical_url",
           "text_hash"]


class Store:
    """One corpus.  Thread-safe for readers (one connection per thread); write
    from one thread or process at a time."""

    def __init__(self, db: Database):
        self.db = db

    @classmethod
    def open(cls, url: Optional[str] = None) -> "Store":
        """Open (and create on first use) the database at ``url``: a path,
        ``sqlite:///PATH``, ``:memory:`` or ``postgresql://...``."""
        db = open_database(url)
        try:
            create_schema(db)
        except StoreError:
            db.close()
            raise
        except Exception as error:  # noqa: BLE001 - any driver error means the same to the user
            db.close()
            where = describe(getattr(db, "url", None) or getattr(db, "path", ""))
            raise StoreError(f"cannot use database {where}: {type(error).__name__}: {error}") from error
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- writing --------------------------------------------------------------

    def known(self, text: str) -> Optional[int]:
        """Id of the article stored with this text (checked before annotating, so
        re-ingesting costs no pipeline run)."""
        return write.lookup(self.db, text)

    def save(self, doc: Document, *, ner: str = "hybrid", origin: Optional[str] = None) -> SaveResult:
        return write.save_document(self.db, doc, model_version=model_version(ner), hadath_version=hadath_version(),
                                   origin=origin)

    def stale(self, ner: str = "hybrid", limit: Optional[int] = None) -> list[int]:
        """Articles annotated by another hadath version or other models and data."""
        rows = self.db.rows("SELECT id FROM articles WHERE hadath_version <> ? OR model_version <> ? ORDER BY id"
                            + (" LIMIT ?" if limit else ""),
                            [hadath_version(), model_version(ner)] + ([limit] if limit else []))
        return [int(r[0]) for r in rows]

    def stored_input(self, article_id: int) -> Optional[dict[str, Any]]:
        """What the pipeline needs to annotate a stored article again."""
        row = self.db.one("SELECT doc_id, text, title, published, url, outlet FROM articles WHERE id = ?",
                          (article_id,))
        if row is None:
            return None
        doc_id, text, title, published, url, outlet = row
        return {"id": doc_id, "text": text, "title": title, "url": url, "source": outlet,
                "published": date.fromisoformat(published) if published else None}

    def replace(self, article_id: int, doc: Document, *, ner: str = "hybrid") -> None:
        write.replace_annotations(self.db, article_id, doc, model_version=model_version(ner),
                                  hadath_version=hadath_version())

    def optimize(self) -> None:
        """Refresh query-planner statistics; ``hadath ingest`` and ``reprocess`` call
        it after they stored anything."""
        self.db.analyze()

    # -- reading --------------------------------------------------------------

    def events(self, query: EventQuery = EventQuery(), limit: int = 50, cursor: Optional[str] = None,
               total: bool = False) -> Page:
        return read.events(self.db, query, limit, cursor, total)

    def event(self, event_id: int) -> Optional[dict[str, Any]]:
        return read.event(self.db, event_id)

    def article(self, article_id: int) -> Optional[dict[str, Any]]:
        return read.article(self.db, article_id)

    def articles(self, **filters: Any) -> Page:
        return read.articles(self.db, **filters)

    def actors(self, **filters: Any) -> Page:
        return read.actors(self.db, **filters)

    def actor(self, actor_id: str) -> Optional[dict[str, Any]]:
        return read.actor(self.db, actor_id)

    def places(self, **filters: Any) -> Page:
        return read.places(self.db, **filters)

    def timeline(self, query: EventQuery = EventQuery()) -> list[dict[str, Any]]:
        return read.timeline(self.db, query)

    def event_places(self, query: EventQuery = EventQuery(), limit: int = 2000) -> list[dict[str, Any]]:
        return read.event_places(self.db, query, limit)

    def network(self, query: EventQuery = EventQuery(), limit: int = 200) -> dict[str, Any]:
        return read.network(self.db, query, limit)

    def stats(self) -> dict[str, Any]:
        return read.stats(self.db)

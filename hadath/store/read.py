"""Questions over a stored corpus: pages of events, articles, actors and places
with keyset cursors; the aggregates the explorer draws (map, timeline, network)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from hadath.store.db import Database
from hadath.store.write import unpack_annotations
from hadath.store.query import EventQuery, QueryError, check_limit, decode_cursor, encode_cursor
from hadath.text.normalize import fold


@dataclass(frozen=True)
class Page:
    """One page of results; ``next_cursor`` is None on the last page; ``total``
    is counted only when asked for."""

    items: list[dict[str, Any]]
    next_cursor: Optional[str]
    total: Optional[int] = None


def _event_item(row: tuple) -> dict[str, Any]:
    event_id, article_id, story_id, mentions, story_articles, record, sentence = row
    item = {"id": int(event_id), "article_id": int(article_id), "story_id": story_id,
            "story_mentions": mentions, "story_articles": story_articles}
    item.update(json.loads(record))
    item["text"] = sentence
    item["record_id"] = item.pop("id")
    item["id"] = int(event_id)
    return item


_EVENT_COLUMNS = ("e.id, e.article_id, e.story_id, s.mentions, s.articles, e.record, "
                  "substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start)")
_EVENT_FROM = "events e JOIN articles a ON a.id = e.article_id LEFT JOIN stories s ON s.id = e.story_id"
_EVENT_WIDTH = 7


def events(db: Database, query: EventQuery, limit: int = 50, cursor: Optional[str] = None,
           total: bool = False) -> Page:
    """Newest first (event date, then id)."""
    check_limit(limit)
    where, params = query.where()
    count = int(db.one(f"SELECT COUNT(*) FROM events e WHERE {where}", params)[0]) if total else None
    if cursor:
        date_key, last_id = decode_cursor(cursor, (str, int))
        where += " AND (e.date_key < ? OR (e.date_key = ? AND e.id < ?))"
        params = params + [str(date_key), str(date_key), int(last_id)]
    rows = db.rows(f"SELECT {_EVENT_COLUMNS}, e.date_key FROM {_EVENT_FROM} WHERE {where} "
                   f"ORDER BY e.date_key DESC, e.id DESC LIMIT ?", params + [limit + 1])
    items = [_event_item(r[:_EVENT_WIDTH]) for r in rows[:limit]]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(last[_EVENT_WIDTH], int(last[0])) if last else None
    return Page(items, next_cursor, count)


def event(db: Database, event_id: int) -> Optional[dict[str, Any]]:
    row = db.one(f"SELECT {_EVENT_COLUMNS} FROM {_EVENT_FROM} WHERE e.id = ?", (event_id,))
    return _event_item(row) if row else None


_ARTICLE_COLUMNS = ("id", "doc_id", "url", "title", "outlet", "published", "n_entities", "n_events", "n_quotes",
                    "focus_country", "hadath_version", "model_version", "ingested_at", "updated_at")


def _article_summary(row: tuple) -> dict[str, Any]:
    return dict(zip(_ARTICLE_COLUMNS, row))


def article(db: Database, article_id: int) -> Optional[dict[str, Any]]:
    """Everything about one article: metadata, raw text, annotations, stored
    event ids, near duplicates."""
    cols = ", ".join(f"a.{c}" for c in _ARTICLE_COLUMNS)
    row = db.one(f"SELECT {cols}, a.text, a.annotations FROM articles a WHERE a.id = ?", (article_id,))
    if row is None:
        return None
    item = _article_summary(row[:len(_ARTICLE_COLUMNS)])
    item["text"] = row[-2]
    item["annotations"] = unpack_annotations(row[-1])
    item["event_ids"] = [int(r[0]) for r in db.rows("SELECT id FROM events WHERE article_id = ? ORDER BY n",
                                                    (article_id,))]
    item["near_duplicates"] = [
        {"article_id": int(other), "similarity": round(float(sim), 3), "title": title}
        for other, sim, title in db.rows(
            "SELECT d.other_id, d.similarity, a.title FROM near_duplicates d JOIN articles a ON a.id = d.other_id "
            "WHERE d.article_id = ? ORDER BY d.similarity DESC", (article_id,))]
    return item


def articles(db: Database, *, q: Optional[str] = None, since: Optional[date] = None, until: Optional[date] = None,
             outlet: Optional[str] = None, limit: int = 50, cursor: Optional[str] = None,
             total: bool = False) -> Page:
    """Newest first; with ``q``, full-text matches over the folded Arabic, best first."""
    check_limit(limit)
    clauses, params = [], []
    if since:
        clauses.append("a.published >= ?")
        params.append(since.isoformat())
    if until:
        clauses.append("a.published <= ?")
        params.append(until.isoformat())
    if outlet:
        clauses.append("a.outlet = ?")
        params.append(outlet)
    cols = ", ".join(f"a.{c}" for c in _ARTICLE_COLUMNS)
    if q is not None:
        terms = fold(q).split()
        if not terms:
            raise QueryError("q: give at least one word to search for")
        source, order = db.fts_match()
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms) if db.kind == "sqlite" else " ".join(terms)
        where = " AND ".join(clauses) or "1 = 1"
        count = int(db.one(f"SELECT COUNT(*) FROM {source} JOIN articles a ON a.id = hits.article_id WHERE {where}",
                           [match] + params)[0]) if total else None
        offset = decode_cursor(cursor, (int,))[0] if cursor else 0
        rows = db.rows(f"SELECT {cols} FROM {source} JOIN articles a ON a.id = hits.article_id WHERE {where} "
                       f"ORDER BY {order} LIMIT ? OFFSET ?", [match] + params + [limit + 1, offset])
        next_cursor = encode_cursor(offset + limit) if len(rows) > limit else None
        return Page([_article_summary(r) for r in rows[:limit]], next_cursor, count)
    where = " AND ".join(clauses) or "1 = 1"
    count = int(db.one(f"SELECT COUNT(*) FROM articles a WHERE {where}", params)[0]) if total else None
    if cursor:
        published, last_id = decode_cursor(cursor, (str, int))
        where += " AND (COALESCE(a.published, '') < ? OR (COALESCE(a.published, '') = ? AND a.id < ?))"
        params += [str(published), str(published), int(last_id)]
    rows = db.rows(f"SELECT {cols} FROM articles a WHERE {where} ORDER BY COALESCE(a.published, '') DESC, a.id DESC "
                   f"LIMIT ?", params + [limit + 1])
    items = [_article_summary(r) for r in rows[:limit]]
    next_cursor = encode_cursor(items[-1]["published"] or "", items[-1]["id"]) if len(rows) > limit else None
    return Page(items, next_cursor, count)


_ACTOR_COLUMNS = ("id", "name_en", "name_ar", "country", "sector", "mentions", "events")


def _ranked(db: Database, table: str, columns: tuple[str, ...], key: str, clauses: list[str], params: list[Any],
            limit: int, cursor: Optional[str], key_kind: type) -> Page:
    """Rows of an actors/places table, most mentioned first, keyset-paged on (mentions, key)."""
    check_limit(limit)
    clauses = ["mentions + events > 0"] + clauses
    if cursor:
        mentions, last_key = decode_cursor(cursor, (int, key_kind))
        clauses.append(f"(mentions < ? OR (mentions = ? AND {key} > ?))")
        params = params + [int(mentions), int(mentions), last_key]
    rows = db.rows(f"SELECT {', '.join(columns)} FROM {table} WHERE {' AND '.join(clauses)} "
                   f"ORDER BY mentions DESC, {key} LIMIT ?", params + [limit + 1])
    items = [dict(zip(columns, r)) for r in rows[:limit]]
    next_cursor = encode_cursor(items[-1]["mentions"], items[-1][key]) if len(rows) > limit else None
    return Page(items, next_cursor)


_ACTOR_COLUMNS = ("id", "name_en", "name_ar", "country", "sector", "mentions", "events")


def actors(db: Database, *, q: Optional[str] = None, country: Optional[str] = None, limit: int = 50,
           cursor: Optional[str] = None) -> Page:
    """Most mentioned first; ``q`` matches the English or Arabic name or the id."""
    clauses, params = [], []
    if q:
        clauses.append("(LOWER(name_en) LIKE ? OR name_ar LIKE ? OR id = ?)")
        params += [f"%{q.lower()}%", f"%{q}%", q]
    if country:
        clauses.append("country = ?")
        params.append(country)
    return _ranked(db, "actors", _ACTOR_COLUMNS, "id", clauses, params, limit, cursor, str)


def actor(db: Database, actor_id: str) -> Optional[dict[str, Any]]:
    row = db.one(f"SELECT {', '.join(_ACTOR_COLUMNS)} FROM actors WHERE id = ?", (actor_id,))
    return dict(zip(_ACTOR_COLUMNS, row)) if row else None


_PLACE_COLUMNS = ("geonameid", "name_en", "name_ar", "country", "feature", "lat", "lon", "mentions", "events")


def places(db: Database, *, country: Optional[str] = None, limit: int = 50, cursor: Optional[str] = None) -> Page:
    clauses, params = (["country = ?"], [country]) if country else ([], [])
    return _ranked(db, "places", _PLACE_COLUMNS, "geonameid", clauses, params, limit, cursor, int)


def timeline(db: Database, query: EventQuery) -> list[dict[str, Any]]:
    """Event counts per day."""
    where, params = query.where()
    rows = db.rows(f"SELECT e.date_key, COUNT(*) FROM events e WHERE {where} AND e.date_key <> '' "
                   f"GROUP BY e.date_key ORDER BY e.date_key", params)
    return [{"date": d, "events": int(n)} for d, n in rows]


def event_places(db: Database, query: EventQuery, limit: int = 2000) -> list[dict[str, Any]]:
    """Located events grouped by place, for the map."""
    where, params = query.where()
    rows = db.rows(f"SELECT e.geonameid, MIN(e.place_name), e.lat, e.lon, MIN(e.country), COUNT(*) "
                   f"FROM events e WHERE {where} AND e.lat IS NOT NULL GROUP BY e.geonameid, e.lat, e.lon "
                   f"ORDER BY COUNT(*) DESC LIMIT ?", params + [limit])
    return [{"geonameid": g, "name": name, "lat": lat, "lon": lon, "country": c, "events": int(n)}
            for g, name, lat, lon, c, n in rows]


def network(db: Database, query: EventQuery, limit: int = 200) -> dict[str, Any]:
    """Who acts on whom: edges weighted by event count, and their nodes."""
    where, params = query.where()
    rows = db.rows(f"SELECT e.source_actor, e.target_actor, COUNT(*) FROM events e WHERE {where} "
                   f"AND e.source_actor IS NOT NULL AND e.target_actor IS NOT NULL "
                   f"AND e.source_actor <> e.target_actor GROUP BY e.source_actor, e.target_actor "
                   f"ORDER BY COUNT(*) DESC LIMIT ?", params + [limit])
    ids = sorted({r[0] for r in rows} | {r[1] for r in rows})
    nodes = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        nodes += [dict(zip(_ACTOR_COLUMNS, r)) for r in
                  db.rows(f"SELECT {', '.join(_ACTOR_COLUMNS)} FROM actors WHERE id IN ({marks})", chunk)]
    known = {n["id"] for n in nodes}
    nodes += [{"id": i, "name_en": None, "name_ar": None, "country": None, "sector": None, "mentions": 0,
               "events": 0} for i in ids if i not in known]
    return {"nodes": nodes, "edges": [{"source": s, "target": t, "events": int(n)} for s, t, n in rows]}


def stats(db: Database) -> dict[str, Any]:
    counts = {}
    for table in ("articles", "events", "entities", "quotes", "actors", "places", "stories", "near_duplicates"):
        counts[table] = int(db.one(f"SELECT COUNT(*) FROM {table}")[0])
    row = db.one("SELECT MIN(date_key), MAX(date_key) FROM events WHERE date_key <> ''")
    counts["first_event_date"], counts["last_event_date"] = row
    counts["outlets"] = [{"outlet": o, "articles": int(n)} for o, n in db.rows(
        "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY COUNT(*) DESC "
        "LIMIT 100")]
    return counts

"""Writing an annotated article: one transaction that either stores everything
about it (text, entities, events, quotes, counts, near-duplicate links, story
assignment) or nothing.  Re-ingesting the same text changes nothing; a new text
at a known URL replaces the old version's annotations."""
from __future__ import annotations

import hashlib
import json
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal, Optional
from urllib.parse import parse_qsl, urlencode, urlsplit

from hadath.doc import Document, Event
from hadath.export.records import document_json, plover_record
from hadath.store import minhash, stories
from hadath.store.db import Database
from hadath.text.normalize import fold

Status = Literal["new", "updated", "unchanged", "older"]
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "at_medium", "at_campaign")


@dataclass(frozen=True)
class SaveResult:
    """What happened to one article: ``new``, ``updated`` (a new version replaced
    the old), ``unchanged`` (already stored) or ``older`` (an older version than
    the one stored: ignored)."""

    status: Status
    article_id: int
    near_duplicates: tuple[int, ...] = ()


def text_hash(text: str) -> str:
    """sha256 of the folded text: the same article with other diacritics or
    spacing is the same article."""
    return _digest(fold(text))


def _digest(folded: str) -> str:
    return hashlib.sha256(folded.encode()).hexdigest()


def canonical_url(url: Optional[str]) -> Optional[str]:
    """The URL as a key: no scheme, no ``www.``, no fragment, no tracking
    parameters, sorted query, no trailing slash."""
    if not url or "://" not in url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if not host:
        return None
    if host.startswith("www."):
        host = host[4:]
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith(TRACKING_PARAMS))
    path = parts.path.rstrip("/") or "/"
    return f"{host}{port}{path}" + (f"?{urlencode(query)}" if query else "")


def lookup(db: Database, text: str) -> Optional[int]:
    """The id of an article already stored with exactly this (folded) text."""
    row = db.one("SELECT id FROM articles WHERE text_hash = ?", (text_hash(text),))
    return int(row[0]) if row else None


def pack_annotations(doc: Document) -> bytes:
    """The article's JSON output object without its text, zlib-compressed: Arabic
    JSON shrinks about fivefold and is read whole or not at all."""
    annotations = document_json(doc)
    annotations.pop("text", None)
    return zlib.compress(json.dumps(annotations, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def unpack_annotations(blob: bytes) -> dict[str, Any]:
    return json.loads(zlib.decompress(bytes(blob)))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def save_document(db: Database, doc: Document, *, model_version: str, hadath_version: str,
                  origin: Optional[str] = None) -> SaveResult:
    folded = fold(doc.text)           # once: the hash, the full-text entry and the shingles all use it
    digest = _digest(folded)
    canon = canonical_url(doc.url)
    published = doc.published.isoformat() if doc.published else None
    with db.transaction():
        row = db.one("SELECT id FROM articles WHERE text_hash = ?", (digest,))
        if row:
            return SaveResult("unchanged", int(row[0]))
        prior = db.one("SELECT id, published FROM articles WHERE canonical_url = ?", (canon,)) if canon else None
        touched: set[int] = set()
        sig = minhash.signature(folded)
        values = (doc.id, doc.url, canon, digest, doc.title, doc.source, published, doc.text,
                  pack_annotations(doc), len(doc.entities), len(doc.events), len(doc.quotes),
                  doc.focus_country, hadath_version, model_version, origin, sig.to_bytes() if sig else None)
        if prior:
            article_id = int(prior[0])
            if published and prior[1] and published < prior[1]:
                return SaveResult("older", article_id)
            touched = delete_annotations(db, article_id)
            db.execute("UPDATE articles SET doc_id = ?, url = ?, canonical_url = ?, text_hash = ?, title = ?, "
                       "outlet = ?, published = ?, text = ?, annotations = ?, n_entities = ?, n_events = ?, "
                       "n_quotes = ?, focus_country = ?, hadath_version = ?, model_version = ?, origin = ?, "
                       "minhash = ?, updated_at = ? WHERE id = ?", values + (_now(), article_id))
            status: Status = "updated"
        else:
            now = _now()
            article_id = db.insert_id(
                "INSERT INTO articles(doc_id, url, canonical_url, text_hash, title, outlet, published, text, "
                "annotations, n_entities, n_events, n_quotes, focus_country, hadath_version, model_version, origin, "
                "minhash, ingested_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values + (now, now))
            status = "new"
        db.fts_put(article_id, fold(doc.title or ""), folded)
        near = _link_near_duplicates(db, article_id, sig)
        keys = _write_annotations(db, article_id, doc)
        touched |= stories.assign_stories(db, keys, set(near))
        stories.recount(db, touched)
    return SaveResult(status, article_id, tuple(sorted(near)))


def replace_annotations(db: Database, article_id: int, doc: Document, *, model_version: str,
                        hadath_version: str) -> None:
    """Re-annotated text of a stored article (``hadath reprocess``): same article row."""
    with db.transaction():
        touched = delete_annotations(db, article_id, keep_links=True)
        db.execute("UPDATE articles SET annotations = ?, n_entities = ?, n_events = ?, n_quotes = ?, "
                   "focus_country = ?, hadath_version = ?, model_version = ?, updated_at = ? WHERE id = ?",
                   (pack_annotations(doc), len(doc.entities), len(doc.events),
                    len(doc.quotes), doc.focus_country, hadath_version, model_version, _now(), article_id))
        near = {int(r[0]) for r in db.rows("SELECT other_id FROM near_duplicates WHERE article_id = ?",
                                           (article_id,))}
        keys = _write_annotations(db, article_id, doc)
        touched |= stories.assign_stories(db, keys, near)
        stories.recount(db, touched)


def delete_annotations(db: Database, article_id: int, keep_links: bool = False) -> set[int]:
    """Remove an article's entities, events and quotes (and, unless ``keep_links``,
    its full-text entry and near-duplicate links), undoing their counts.  Returns
    the stories that lost mentions."""
    for actor, count in db.rows("SELECT actor, COUNT(*) FROM entities WHERE article_id = ? AND actor IS NOT NULL "
                                "GROUP BY actor", (article_id,)):
        db.execute("UPDATE actors SET mentions = mentions - ? WHERE id = ?", (count, actor))
    for actor, count in db.rows(
            "SELECT actor, COUNT(*) FROM (SELECT source_actor AS actor FROM events WHERE article_id = ? AND "
            "has_event = 1 UNION ALL SELECT target_actor FROM events WHERE article_id = ? AND has_event = 1) AS x "
            "WHERE actor IS NOT NULL GROUP BY actor", (article_id, article_id)):
        db.execute("UPDATE actors SET events = events - ? WHERE id = ?", (count, actor))
    annotations = db.one("SELECT annotations FROM articles WHERE id = ?", (article_id,))
    if annotations:
        places = Counter(p["geonameid"] for p in unpack_annotations(annotations[0]).get("places", []) if p.get("geonameid"))
        for geonameid, count in places.items():
            db.execute("UPDATE places SET mentions = mentions - ? WHERE geonameid = ?", (count, geonameid))
    for geonameid, count in db.rows("SELECT geonameid, COUNT(*) FROM events WHERE article_id = ? AND has_event = 1 "
                                    "AND geonameid IS NOT NULL GROUP BY geonameid", (article_id,)):
        db.execute("UPDATE places SET events = events - ? WHERE geonameid = ?", (count, geonameid))
    touched = {int(r[0]) for r in db.rows("SELECT DISTINCT story_id FROM events WHERE article_id = ? AND "
                                          "story_id IS NOT NULL", (article_id,))}
    db.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
    db.execute("DELETE FROM entities WHERE article_id = ?", (article_id,))
    db.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
    if not keep_links:
        db.execute("DELETE FROM near_duplicates WHERE article_id = ? OR other_id = ?", (article_id, article_id))
        db.execute("DELETE FROM minhash_bands WHERE article_id = ?", (article_id,))
        db.fts_delete(article_id)
    return touched


def _link_near_duplicates(db: Database, article_id: int, sig: Optional[minhash.Signature]) -> list[int]:
    if sig is None:
        return []
    keys = sig.band_keys()
    marks = ", ".join("?" for _ in keys)
    candidates = db.rows(f"SELECT DISTINCT a.id, a.minhash FROM minhash_bands b JOIN articles a ON a.id = b.article_id "
                         f"WHERE b.band_key IN ({marks}) AND a.id <> ?", (*keys, article_id))
    db.executemany("INSERT INTO minhash_bands(band_key, article_id) VALUES (?, ?)", [(k, article_id) for k in keys])
    linked = []
    for other_id, blob in candidates:
        if blob is None:
            continue
        similarity = sig.similarity(minhash.Signature.from_bytes(blob))
        if similarity >= minhash.THRESHOLD:
            db.executemany("INSERT INTO near_duplicates(article_id, other_id, similarity) VALUES (?, ?, ?) "
                           "ON CONFLICT DO NOTHING",
                           [(article_id, int(other_id), similarity), (int(other_id), article_id, similarity)])
            linked.append(int(other_id))
    return linked


def _write_annotations(db: Database, article_id: int, doc: Document) -> list[stories.EventKey]:
    published = doc.published.isoformat() if doc.published else ""
    # one row per span (the first entity at a span wins), and counts from those rows
    entities = list({(e.start, e.end): e for e in reversed(doc.entities)}.values())[::-1]
    db.executemany("INSERT INTO entities(article_id, start_offset, end_offset, type, text, actor, name_en) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [(article_id, e.start, e.end, e.type, e.text, e.actor, e.name_en) for e in entities])
    actor_info: dict[str, list] = {}
    mentions: Counter = Counter()
    for e in entities:
        if e.actor:
            mentions[e.actor] += 1
            actor_info.setdefault(e.actor, [e.name_en, e.text, None, None])
    for m in sorted(doc.mentions, key=lambda m: m.kind != "named"):
        if m.actor:
            info = actor_info.setdefault(m.actor, [m.name_en, m.text, None, None])
            info[2] = info[2] or m.country
            info[3] = info[3] or m.sector
    actor_events: Counter = Counter()
    place_events: Counter = Counter()
    keys = []
    for n, event in enumerate(doc.events, 1):
        row = _event_row(doc, article_id, n, event, published)
        for p in (event.source, event.target):
            if p is not None and p.actor:
                actor_info.setdefault(p.actor, [p.name_en, p.text, p.country, p.sector])
                actor_events[p.actor] += row["has_event"]
        if row["geonameid"] and row["has_event"]:
            place_events[row["geonameid"]] += 1
        columns = ", ".join(row)
        event_id = db.insert_id(f"INSERT INTO events({columns}) VALUES ({', '.join('?' for _ in row)})",
                                list(row.values()))
        if row["has_event"] and row["date_key"]:
            keys.append(stories.EventKey(
                event_id, article_id, event.type, row["date_key"], row["source_actor"], row["target_actor"],
                row["geonameid"], row["country"], stories.evidence_words(event.sentence.text)))
    db.executemany("INSERT INTO quotes(article_id, speaker_actor, speaker_text, speaker_name, cue, content_start, "
                   "content_end, content, direct) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [(article_id, q.speaker.actor if q.speaker else None, q.speaker.text if q.speaker else None,
                     q.speaker.name_en if q.speaker else None, q.cue.text, q.content.start, q.content.end,
                     q.content.text, int(q.direct)) for q in doc.quotes])
    db.executemany("INSERT INTO actors(id, name_en, name_ar, country, sector, mentions, events) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                   "mentions = actors.mentions + excluded.mentions, events = actors.events + excluded.events, "
                   "name_en = COALESCE(actors.name_en, excluded.name_en), "
                   "country = COALESCE(actors.country, excluded.country), "
                   "sector = COALESCE(actors.sector, excluded.sector)",
                   [(actor, *info, mentions[actor], actor_events[actor]) for actor, info in actor_info.items()])
    place_info = {}
    place_mentions: Counter = Counter()
    for p in doc.places:
        if p.geonameid:
            place_mentions[p.geonameid] += 1
            place_info.setdefault(p.geonameid, (p.name_en, p.text, p.country, p.feature, p.lat, p.lon))
    for event in doc.events:
        loc = event.location
        if loc is not None and loc.geonameid:
            place_info.setdefault(loc.geonameid, (loc.name_en, loc.text, loc.country, loc.feature, loc.lat, loc.lon))
    db.executemany("INSERT INTO places(geonameid, name_en, name_ar, country, feature, lat, lon, mentions, events) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (geonameid) DO UPDATE SET "
                   "mentions = places.mentions + excluded.mentions, events = places.events + excluded.events",
                   [(g, *info, place_mentions[g], place_events[g]) for g, info in place_info.items()])
    return keys


def _event_row(doc: Document, article_id: int, n: int, event: Event, published: str) -> dict[str, Any]:
    """The ``events`` columns of one event, by name."""
    src, tgt, loc = event.source, event.target, event.location
    day = event.date.isoformat() if event.date else None
    return {
        "article_id": article_id, "n": n, "record_id": None, "type": event.type, "mode": event.mode,
        "cameo": event.cameo, "cameo_root": (event.cameo or "")[:2] or None, "quad_class": event.quad_class,
        "intensity": event.intensity, "date": day, "date_precision": event.date_precision,
        "date_key": day or published,
        "source_actor": src.actor if src else None, "source_name": src.name_en if src else None,
        "source_country": src.country if src else None,
        "target_actor": tgt.actor if tgt else None, "target_name": tgt.name_en if tgt else None,
        "target_country": tgt.country if tgt else None,
        "place_name": (loc.name_en or loc.text) if loc else None, "geonameid": loc.geonameid if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None, "country": loc.country if loc else None,
        "outlet": doc.source, "negated": int(event.negated), "modality": event.modality,
        "has_event": int(event.happened), "confidence": event.confidence,
        "trigger_start": event.trigger.start, "trigger_end": event.trigger.end,
        "sentence_start": event.sentence.start, "sentence_end": event.sentence.end,
        "record": None,
    } | _record_fields(doc, event, n)


def _record_fields(doc: Document, event: Event, n: int) -> dict[str, Any]:
    record = plover_record(doc, event, n)
    record.pop("text")          # the evidence sentence: cut from the article text when read
    return {"record_id": record["id"], "record": json.dumps(record, ensure_ascii=False, separators=(",", ":"))}

"""The Parquet tables of a batch: one explicit schema each (so every part file
agrees, even one whose column is all null), and the rows of one document.

Event rows are the flat columns of ``hadath export --format parquet``
(:data:`hadath.export.corpus.COLUMNS`), computed by the same ``flat_row`` from the
same PLOVER record, plus the record itself as JSON.  Ids are strings here: a batch
has no store, so ``event_id`` and ``record_id`` are both the PLOVER record id,
``article_id`` is the article's id, and the story columns stay null.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from hadath.doc import Document, Participant
from hadath.export.corpus import flat_row
from hadath.export.records import plover_record

_STR, _INT, _FLOAT, _BOOL = "string", "int64", "float64", "bool"

_ARTICLES = (("id", _STR), ("url", _STR), ("title", _STR), ("source", _STR), ("published", _STR),
             ("text", _STR), ("focus_country", _STR), ("n_entities", _INT), ("n_events", _INT),
             ("n_quotes", _INT), ("hadath_version", _STR), ("model_version", _STR), ("origin", _STR))
_ENTITIES = (("article_id", _STR), ("start", _INT), ("end", _INT), ("type", _STR), ("text", _STR),
             ("actor", _STR), ("name_en", _STR), ("origin", _STR), ("confidence", _FLOAT))
_QUOTES = (("article_id", _STR), ("n", _INT), ("speaker_actor", _STR), ("speaker_text", _STR),
           ("speaker_name", _STR), ("speaker_country", _STR), ("speaker_sector", _STR), ("cue", _STR),
           ("cue_start", _INT), ("cue_end", _INT), ("content", _STR), ("content_start", _INT),
           ("content_end", _INT), ("direct", _BOOL))
_PROBLEMS = (("origin", _STR), ("message", _STR), ("article_id", _STR))
_EVENT_IDS = {"event_id", "record_id", "article_id"}


def schemas() -> dict[str, Any]:
    """pyarrow schemas by table name (pyarrow imported only when writing)."""
    import pyarrow as pa

    from hadath.export.corpus import arrow_schema

    types = {_STR: pa.string(), _INT: pa.int64(), _FLOAT: pa.float64(), _BOOL: pa.bool_()}

    def schema(columns: tuple[tuple[str, str], ...]) -> Any:
        return pa.schema([(name, types[kind]) for name, kind in columns])

    events = arrow_schema()
    for name in _EVENT_IDS:
        events = events.set(events.get_field_index(name), pa.field(name, pa.string()))
    return {"articles": schema(_ARTICLES), "entities": schema(_ENTITIES), "events": events.append(
        pa.field("plover", pa.string())), "quotes": schema(_QUOTES), "problems": schema(_PROBLEMS)}


def empty_rows() -> dict[str, list[dict[str, Any]]]:
    return {"articles": [], "entities": [], "events": [], "quotes": [], "problems": []}


def problem_row(origin: str, message: str, article_id: Optional[str] = None) -> dict[str, Any]:
    return {"origin": origin, "message": message, "article_id": article_id}


def _speaker(p: Optional[Participant]) -> dict[str, Any]:
    if p is None:
        return {"speaker_actor": None, "speaker_text": None, "speaker_name": None, "speaker_country": None,
                "speaker_sector": None}
    return {"speaker_actor": p.actor, "speaker_text": p.text, "speaker_name": p.name_en,
            "speaker_country": p.country, "speaker_sector": p.sector}


def add_document(rows: dict[str, list[dict[str, Any]]], doc: Document, origin: str,
                 versions: tuple[str, str]) -> None:
    """Append one annotated document's rows to ``rows``."""
    rows["articles"].append({
        "id": doc.id, "url": doc.url, "title": doc.title, "source": doc.source,
        "published": doc.published.isoformat() if doc.published else None, "text": doc.text,
        "focus_country": doc.focus_country, "n_entities": len(doc.entities), "n_events": len(doc.events),
        "n_quotes": len(doc.quotes), "hadath_version": versions[0], "model_version": versions[1],
        "origin": origin})
    rows["entities"].extend(
        {"article_id": doc.id, "start": e.start, "end": e.end, "type": e.type, "text": e.text, "actor": e.actor,
         "name_en": e.name_en, "origin": e.origin, "confidence": e.confidence} for e in doc.entities)
    for n, event in enumerate(doc.events, 1):
        record = plover_record(doc, event, n)
        row = flat_row({**record, "record_id": record["id"], "article_id": doc.id})
        row["plover"] = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        rows["events"].append(row)
    rows["quotes"].extend(
        {"article_id": doc.id, "n": n, **_speaker(q.speaker), "cue": q.cue.text, "cue_start": q.cue.start,
         "cue_end": q.cue.end, "content": q.content.text, "content_start": q.content.start,
         "content_end": q.content.end, "direct": q.direct} for n, q in enumerate(doc.quotes, 1))

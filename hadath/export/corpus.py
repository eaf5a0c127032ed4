"""``hadath export``: the stored events that match a query, as PLOVER JSONL, a flat
ACLED/GDELT-style CSV, Parquet (pandas, DuckDB) or GeoJSON of located events.

Events are read a page at a time, so a corpus of any size exports in bounded
memory.  Writers register by name, like the renderers of ``hadath extract``.
"""
from __future__ import annotations

import csv
import json
from typing import IO, Any, Callable, Iterator, Optional

from hadath.store import EventQuery, Store

PAGE = 1000

COLUMNS = (
    "event_id", "record_id", "article_id", "story_id", "story_mentions", "story_articles",
    "date", "date_precision", "type", "mode", "cameo", "quad_class", "intensity",
    "source_actor", "source_name", "source_country", "source_sector", "source_text",
    "target_actor", "target_name", "target_country", "target_sector", "target_text",
    "place", "place_text", "geonameid", "lat", "lon", "country", "resolution",
    "outlet", "url", "title", "negated", "modality", "has_event", "confidence", "trigger", "sentence",
)
"""Flat columns: one row per event (first source, first target)."""

Writer = Callable[[Iterator[dict[str, Any]], IO], int]
WRITERS: dict[str, Writer] = {}
BINARY = {"parquet"}


def register(name: str) -> Callable[[Writer], Writer]:
    def decorator(func: Writer) -> Writer:
        WRITERS[name] = func
        return func
    return decorator


def stored_events(store: Store, query: EventQuery, limit: Optional[int] = None) -> Iterator[dict[str, Any]]:
    """Every matching event, newest first, page after page."""
    cursor, given = None, 0
    while True:
        page = store.events(query, limit=PAGE, cursor=cursor)
        for item in page.items:
            if limit is not None and given >= limit:
                return
            given += 1
            yield item
        cursor = page.next_cursor
        if cursor is None:
            return


def flat_row(item: dict[str, Any]) -> dict[str, Any]:
    """One event as the flat columns of :data:`COLUMNS`."""
    source = (item.get("actor") or [{}])[0]
    target = (item.get("recipient") or [{}])[0]
    place = item.get("event_loc") or {}
    cite = item.get("cite_info") or {}
    return {
        "event_id": item["id"], "record_id": item.get("record_id"), "article_id": item.get("article_id"),
        "story_id": item.get("story_id"), "story_mentions": item.get("story_mentions"),
        "story_articles": item.get("story_articles"),
        "date": item.get("date"), "date_precision": item.get("date_precision"),
        "type": (item.get("event") or [None])[0], "mode": (item.get("mode") or [None])[0],
        "cameo": item.get("cameo"), "quad_class": item.get("quad_code"), "intensity": item.get("event_scale"),
        "source_actor": source.get("identifier_id"), "source_name": source.get("entity_name"),
        "source_country": source.get("country_code"), "source_sector": source.get("sector_code"),
        "source_text": source.get("raw_text"),
        "target_actor": target.get("identifier_id"), "target_name": target.get("entity_name"),
        "target_country": target.get("country_code"), "target_sector": target.get("sector_code"),
        "target_text": target.get("raw_text"),
        "place": place.get("resolved_place"), "place_text": place.get("extracted_place"),
        "geonameid": place.get("geonameid"), "lat": place.get("lat"), "lon": place.get("lon"),
        "country": place.get("country_code"), "resolution": place.get("resolution"),
        "outlet": cite.get("corpus"), "url": cite.get("url"), "title": cite.get("title"),
        "negated": item.get("negated"), "modality": item.get("modality"), "has_event": item.get("has_event"),
        "confidence": item.get("confidence"), "trigger": (item.get("event_text") or [None])[0],
        "sentence": item.get("text"),
    }


@register("plover")
def write_plover(items: Iterator[dict[str, Any]], out: IO) -> int:
    n = 0
    for item in items:
        record = dict(item)
        record["hadath_event_id"] = record.pop("id")
        record["id"] = record.pop("record_id")
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


@register("csv")
def write_csv(items: Iterator[dict[str, Any]], out: IO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    n = 0
    for item in items:
        writer.writerow(flat_row(item))
        n += 1
    return n


@register("geojson")
def write_geojson(items: Iterator[dict[str, Any]], out: IO) -> int:
    """A FeatureCollection of the events that have coordinates."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for item in items:
        row = flat_row(item)
        if row["lat"] is None or row["lon"] is None:
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                   "properties": {k: v for k, v in row.items() if k not in ("lat", "lon")}}
        out.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def arrow_schema() -> Any:
    """The Arrow schema of :data:`COLUMNS` (also the batch engine's events table)."""
    import pyarrow as pa

    ints = {"event_id", "article_id", "story_id", "story_mentions", "story_articles", "quad_class", "geonameid",
            "resolution"}
    floats = {"intensity", "lat", "lon", "confidence"}
    bools = {"negated", "has_event"}
    return pa.schema([(c, pa.int64() if c in ints else pa.float64() if c in floats else
                       pa.bool_() if c in bools else pa.string()) for c in COLUMNS])


@register("parquet")
def write_parquet(items: Iterator[dict[str, Any]], out: IO) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise RuntimeError("Parquet export needs pyarrow: pip install 'hadath[parquet]'") from error
    schema = arrow_schema()
    writer = pq.ParquetWriter(out, schema, compression="zstd")
    n, batch = 0, []
    try:
        for item in items:
            batch.append(flat_row(item))
            if len(batch) == PAGE:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    finally:
        writer.close()
    return n


def export_events(store: Store, query: EventQuery, fmt: str, out: IO, limit: Optional[int] = None) -> int:
    """Write the matching events in ``fmt``; the number written."""
    return WRITERS[fmt](stored_events(store, query, limit), out)

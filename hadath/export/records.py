"""The JSON output contract (one object per article) and PLOVER event records.

Fields listed in the README's contract are never removed; later versions may add.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from typing import Any, Optional

from hadath.doc import Document, Event, Participant, Place, Quote, TextSpan

CODER = "hadath"
CODEBOOK = "plover-base-1.3.1"


def _span(span: Optional[TextSpan]) -> Optional[dict[str, Any]]:
    if span is None:
        return None
    return {"text": span.text, "start": span.start, "end": span.end}


def participant_json(p: Optional[Participant]) -> Optional[dict[str, Any]]:
    if p is None:
        return None
    return {"text": p.text, "start": p.start, "end": p.end, "actor": p.actor, "name_en": p.name_en,
            "country": p.country, "sector": p.sector, "resolved_text": p.resolved_text, "wikidata": p.qid}


def place_json(place: Optional[Place]) -> Optional[dict[str, Any]]:
    if place is None:
        return None
    return {"text": place.text, "start": place.start, "end": place.end, "name_en": place.name_en,
            "geonameid": place.geonameid, "lat": place.lat, "lon": place.lon, "country": place.country,
            "feature": place.feature, "resolution": place.resolution}


def event_json(event: Event) -> dict[str, Any]:
    return {
        "type": event.type, "cameo": event.cameo, "mode": event.mode,
        "trigger": _span(event.trigger),
        "source": participant_json(event.source), "target": participant_json(event.target),
        "location": place_json(event.location),
        "date": event.date.isoformat() if event.date else None, "date_precision": event.date_precision,
        "negated": event.negated, "modality": event.modality, "in_quote": event.in_quote,
        "confidence": event.confidence, "quad_class": event.quad_class, "intensity": event.intensity,
        "sentence": {"start": event.sentence.start, "end": event.sentence.end},
    }


def quote_json(quote: Quote) -> dict[str, Any]:
    return {"speaker": participant_json(quote.speaker), "cue": _span(quote.cue),
            "content": _span(quote.content), "direct": quote.direct}


def document_json(doc: Document) -> dict[str, Any]:
    """The article object of the output contract."""
    return {
        "id": doc.id,
        "text": doc.text,
        "published": doc.published.isoformat() if doc.published else None,
        "title": doc.title, "url": doc.url, "source": doc.source,
        "focus_country": doc.focus_country,
        "entities": [{"text": e.text, "type": e.type, "start": e.start, "end": e.end, "actor": e.actor,
                      "name_en": e.name_en, "origin": e.origin} for e in doc.entities],
        "places": [place_json(p) for p in doc.places],
        "dates": [{"text": d.text, "start": d.start, "end": d.end, "value": d.value.isoformat(),
                   "precision": d.precision, "calendar": d.calendar} for d in doc.dates],
        "events": [event_json(e) for e in doc.events],
        "quotes": [quote_json(q) for q in doc.quotes],
        "hadath_version": _version(),
    }


def _version() -> str:
    from hadath import __version__

    return __version__


def _plover_actor(p: Optional[Participant]) -> list[dict[str, Any]]:
    if p is None:
        return []
    return [{"raw_text": p.text, "entity_name": p.name_en, "wikidata_id": p.qid, "identifier_id": p.actor,
             "country_code": p.country, "sector_code": p.sector, "start": p.start, "end": p.end,
             "resolved_text": p.resolved_text}]


def plover_record(doc: Document, event: Event, n: int, coded_at: Optional[datetime] = None) -> dict[str, Any]:
    """One PLOVER JSON record (field names from the PLOVER manual's JSON table)."""
    coded_at = coded_at or datetime.now(timezone.utc)
    digest = hashlib.sha1(f"{doc.id}:{event.trigger.start}:{event.type}".encode()).hexdigest()[:10]
    location = event.location
    return {
        "id": f"{doc.id}-{n:03d}-{digest}",
        "has_event": event.happened,
        "date": event.date.isoformat() if isinstance(event.date, date) else None,
        "date_precision": event.date_precision,
        "actor": _plover_actor(event.source),
        "recipient": _plover_actor(event.target),
        "event": [event.type],
        "cameo": event.cameo,
        "event_loc": None if location is None else {
            "extracted_place": location.text, "resolved_place": location.name_en,
            "geonameid": location.geonameid, "lat": location.lat, "lon": location.lon,
            "country_code": location.country, "resolution": location.resolution,
            "start": location.start, "end": location.end},
        "event_text": [event.trigger.text],
        "quad_code": event.quad_class,
        "event_scale": event.intensity,
        "mode": [event.mode] if event.mode else [],
        "context": [],
        "negated": event.negated,
        "modality": event.modality,
        "confidence": event.confidence,
        "text": event.sentence.text,
        "text_info": {"start": event.sentence.start, "end": event.sentence.end,
                      "trigger_start": event.trigger.start, "trigger_end": event.trigger.end},
        "cite_info": {"corpus": doc.source, "citation": doc.id, "url": doc.url, "title": doc.title,
                      "language": "ar", "coder": f"{CODER} {_version()}", "codebook": CODEBOOK},
        "coder": CODER,
        "coded_date": coded_at.date().isoformat(),
        "coded_time": coded_at.time().isoformat(timespec="seconds"),
    }

"""Story events: the same happening reported by several articles becomes one
story with a mention count, as GDELT users expect.

Two event mentions in different articles are the same story when they have the
same PLOVER type, dates at most a day apart, the same place (GeoNames id, else
country) where both have one, no contradicting actor and at least one actor in
common, and similar evidence: their sentences share enough words, or their
articles are near duplicates.  Only events that happened (asserted or historical, not negated)
are clustered.  Events of one article are never merged with each other: the
coder already keeps them apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Optional

from hadath.store.db import Database
from hadath.text.normalize import fold

EVIDENCE_OVERLAP = 0.25
"""Least Jaccard overlap of the two evidence sentences' word sets."""

_WORD = re.compile(r"\w{2,}")


@dataclass(frozen=True)
class EventKey:
    """What clustering compares, for one stored event."""

    event_id: int
    article_id: int
    type: str
    date_key: str
    source_actor: Optional[str]
    target_actor: Optional[str]
    geonameid: Optional[int]
    country: Optional[str]
    words: frozenset[str]


def evidence_words(sentence: str) -> frozenset[str]:
    return frozenset(_WORD.findall(fold(sentence)))


def _agree(a: Optional[object], b: Optional[object]) -> bool:
    return a is None or b is None or a == b


def same_story(a: EventKey, b: EventKey, near_duplicate: bool) -> float:
    """Evidence similarity when ``a`` and ``b`` are one story, else 0."""
    if a.type != b.type:
        return 0.0
    if not (_agree(a.source_actor, b.source_actor) and _agree(a.target_actor, b.target_actor)):
        return 0.0
    shared_actor = (a.source_actor is not None and a.source_actor == b.source_actor) or \
        (a.target_actor is not None and a.target_actor == b.target_actor)
    if not shared_actor:
        return 0.0
    if a.geonameid is not None and b.geonameid is not None:
        if a.geonameid != b.geonameid:
            return 0.0
    elif not _agree(a.country, b.country):
        return 0.0
    union = len(a.words | b.words) or 1
    overlap = len(a.words & b.words) / union
    if near_duplicate:
        return max(overlap, EVIDENCE_OVERLAP)
    return overlap if overlap >= EVIDENCE_OVERLAP else 0.0


def _day_window(date_key: str) -> tuple[str, str]:
    try:
        day = date.fromisoformat(date_key)
    except ValueError:
        return date_key, date_key
    return (day - timedelta(days=1)).isoformat(), (day + timedelta(days=1)).isoformat()


def assign_stories(db: Database, new_events: Iterable[EventKey], near_duplicates: set[int]) -> set[int]:
    """Give each new event a story (an existing one or a new one); the stories touched."""
    touched: set[int] = set()
    for event in new_events:
        low, high = _day_window(event.date_key)
        rows = db.rows(
            "SELECT e.id, e.article_id, e.story_id, e.date_key, e.source_actor, e.target_actor, e.geonameid, "
            "e.country, substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) "
            "FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE e.type = ? AND e.date_key BETWEEN ? AND ? AND e.has_event = 1 AND e.story_id IS NOT NULL "
            "AND e.article_id <> ? AND (e.source_actor IN (?, ?) OR e.target_actor IN (?, ?)) LIMIT 200",
            (event.type, low, high, event.article_id, event.source_actor or "", event.target_actor or "",
             event.source_actor or "", event.target_actor or ""))
        best: tuple[float, Optional[int]] = (0.0, None)
        for (eid, article_id, story_id, date_key, source, target, geonameid, country, sentence) in rows:
            other = EventKey(eid, article_id, event.type, date_key, source, target, geonameid, country,
                             evidence_words(sentence or ""))
            score = same_story(event, other, article_id in near_duplicates)
            if score > best[0]:
                best = (score, story_id)
        story_id = best[1]
        if story_id is None:
            story_id = db.insert_id(
                "INSERT INTO stories(type, date_key, source_actor, target_actor, geonameid, country, mentions, "
                "articles) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
                (event.type, event.date_key, event.source_actor, event.target_actor, event.geonameid, event.country))
        db.execute("UPDATE events SET story_id = ? WHERE id = ?", (story_id, event.event_id))
        touched.add(story_id)
    return touched


def recount(db: Database, story_ids: Iterable[int]) -> None:
    """Refresh mention and article counts; drop stories no event reports any more."""
    for story_id in story_ids:
        mentions, articles = db.one(
            "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM events WHERE story_id = ?", (story_id,))
        if mentions:
            db.execute("UPDATE stories SET mentions = ?, articles = ? WHERE id = ?", (mentions, articles, story_id))
        else:
            db.execute("DELETE FROM stories WHERE id = ?", (story_id,))

"""Query parameters shared by the event endpoints, turned into one
:class:`EventQuery` (the store checks cursors: a forged one is a 400, never a 500).

Types and ranges are declared on the parameters (so the OpenAPI document tells
clients and schemathesis what is valid); what only the store can judge raises
:class:`QueryError`, which the app turns into a 400.
"""
from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated, Any, Optional

from fastapi import Query
from pydantic import BeforeValidator

from hadath.store import BBox, EventQuery
from hadath.store.query import MAX_ID, MAX_LIMIT, PLOVER_TYPES

PloverType = Enum("PloverType", {t: t for t in PLOVER_TYPES}, type=str)  # type: ignore[misc]

_NUMBER = r"-?[0-9]{1,3}(\.[0-9]{1,15})?"
BBOX_PATTERN = f"^{_NUMBER}(,{_NUMBER}){{3}}$"
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"items per page, 1 to {MAX_LIMIT}")]
Cursor = Annotated[Optional[str], Query(max_length=2000, pattern="^[A-Za-z0-9_-]+$",
                                        description="next_cursor of the previous page")]
Total = Annotated[bool, Query(description="also count every match (slower on big corpora)")]


def _iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD (pydantic alone would also take numbers as timestamps)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("a date as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
Since = Annotated[Optional[Day], Query(description="YYYY-MM-DD, inclusive")]
Until = Annotated[Optional[Day], Query(description="YYYY-MM-DD, inclusive")]
Outlet = Annotated[Optional[str], Query(max_length=1000, description="the source outlet, exactly as stored")]
Country = Annotated[Optional[str], Query(pattern="^[A-Z]{3}$", description="ISO 3166 alpha-3, e.g. SYR")]
Text = Annotated[Optional[str], Query(max_length=1000)]
Id = Annotated[Optional[int], Query(ge=1, le=MAX_ID)]


def event_query(
    since: Since = None,
    until: Until = None,
    type: Annotated[Optional[list[PloverType]], Query(description="PLOVER type; repeat for several")] = None,
    cameo_root: Annotated[Optional[str], Query(pattern="^[0-9]{2}$", description="two-digit CAMEO root")] = None,
    actor: Annotated[Optional[str], Query(max_length=1000, description="actor id, as source or target")] = None,
    source_actor: Text = None,
    target_actor: Text = None,
    country: Annotated[Optional[str], Query(pattern="^[A-Z]{3}$",
                                            description="ISO3 of the event location, e.g. SYR")] = None,
    actor_country: Country = None,
    bbox: Annotated[Optional[str], Query(max_length=200, pattern=BBOX_PATTERN,
                                         description="min_lon,min_lat,max_lon,max_lat (of the event location)")] = None,
    outlet: Outlet = None,
    min_confidence: Annotated[Optional[float], Query(ge=0, le=1)] = None,
    article_id: Id = None,
    story_id: Id = None,
    include_unreal: Annotated[bool, Query(description="also negated, future and hypothetical events")] = False,
    exclude_historical: Annotated[bool, Query(description="leave out background events dated well before "
                                                          "their article (modality historical)")] = False,
) -> EventQuery:
    """The event filters of a request (empty values mean no constraint, so a
    submitted form with blank fields works)."""
    return EventQuery(
        since=since, until=until, types=tuple(dict.fromkeys(t.value for t in type or ())),
        cameo_root=cameo_root or None, actor=actor or None, source_actor=source_actor or None,
        target_actor=target_actor or None, country=country or None, actor_country=actor_country or None,
        bbox=BBox.parse(bbox) if bbox else None, outlet=outlet or None, min_confidence=min_confidence,
        article_id=article_id, story_id=story_id, include_unreal=include_unreal,
        exclude_historical=exclude_historical)


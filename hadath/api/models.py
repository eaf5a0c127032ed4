"""Response and request shapes of the API, so /openapi.json describes what is
really sent (checked by tests, and by schemathesis when run against a corpus).

Models allow extra fields: the store may add fields and clients must not break.
"""
from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Error(BaseModel):
    detail: str = Field(description="what was wrong, for people")
    errors: Optional[list[dict[str, Any]]] = Field(None, description="each invalid field (location, message)")


# -- events (PLOVER records) ---------------------------------------------------

class PloverActor(Open):
    raw_text: Optional[str] = None
    entity_name: Optional[str] = Field(None, description="English name")
    wikidata_id: Optional[str] = None
    identifier_id: Optional[str] = Field(None, description="hadath actor id")
    country_code: Optional[str] = None
    sector_code: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    resolved_text: Optional[str] = None


class EventLocation(Open):
    extracted_place: Optional[str] = None
    resolved_place: Optional[str] = None
    geonameid: Optional[int] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    country_code: Optional[str] = None
    resolution: Optional[int] = None
    start: Optional[int] = None
    end: Optional[int] = None


class TextInfo(Open):
    start: int = Field(description="evidence sentence, character offsets into the article text")
    end: int
    trigger_start: int
    trigger_end: int


class EventItem(Open):
    """A PLOVER record plus where it is stored: ``id`` is the store's event id
    (``record_id`` the record's own), ``text`` the evidence sentence."""

    id: int
    article_id: int
    story_id: Optional[int] = None
    story_mentions: Optional[int] = Field(None, description="events in the same story (all articles)")
    story_articles: Optional[int] = None
    record_id: str
    has_event: bool
    date: Optional[str] = None
    date_precision: Optional[str] = None
    actor: list[PloverActor] = []
    recipient: list[PloverActor] = []
    event: list[str]
    cameo: Optional[str] = None
    event_loc: Optional[EventLocation] = None
    event_text: list[str] = []
    quad_code: Optional[int] = None
    event_scale: Optional[float] = None
    mode: list[str] = []
    negated: bool = False
    modality: str
    confidence: float
    text: str
    text_info: TextInfo
    cite_info: dict[str, Any] = {}


class EventPage(BaseModel):
    items: list[EventItem]
    next_cursor: Optional[str] = Field(None, description="pass as ?cursor= for the next page; null on the last")
    total: Optional[int] = Field(None, description="matching events, when asked for with ?total=true")


# -- articles --------------------------------------------------------------------

class ArticleSummary(Open):
    id: int
    doc_id: str
    url: Optional[str] = None
    title: Optional[str] = None
    outlet: Optional[str] = None
    published: Optional[str] = None
    n_entities: int
    n_events: int
    n_quotes: int
    focus_country: Optional[str] = None
    hadath_version: str
    model_version: str
    ingested_at: str
    updated_at: str


class NearDuplicate(BaseModel):
    article_id: int
    similarity: float
    title: Optional[str] = None


class Annotations(Open):
    """The article object of the JSON output contract, without its text."""

    entities: list[dict[str, Any]] = []
    places: list[Optional[dict[str, Any]]] = []
    dates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []


class ArticleDetail(ArticleSummary):
    text: str
    annotations: Annotations
    event_ids: list[int] = Field(description="store ids of annotations.events, in the same order")
    near_duplicates: list[NearDuplicate]


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    next_cursor: Optional[str] = None
    total: Optional[int] = None


# -- actors, places, aggregates ------------------------------------------------------

class Actor(Open):
    id: str
    name_en: Optional[str] = None
    name_ar: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    mentions: int
    events: int


class ActorPage(BaseModel):
    items: list[Actor]
    next_cursor: Optional[str] = None


class Place(Open):
    geonameid: int
    name_en: Optional[str] = None
    name_ar: Optional[str] = None
    country: Optional[str] = None
    feature: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    mentions: int
    events: int


class PlacePage(BaseModel):
    items: list[Place]
    next_cursor: Optional[str] = None


class OutletCount(BaseModel):
    outlet: str
    articles: int


class Stats(Open):
    articles: int
    events: int
    entities: int
    quotes: int
    actors: int
    places: int
    stories: int
    near_duplicates: int
    first_event_date: Optional[str] = None
    last_event_date: Optional[str] = None
    outlets: list[OutletCount]


class Day(BaseModel):
    date: str
    events: int


class Timeline(BaseModel):
    days: list[Day]


class MapPlace(BaseModel):
    geonameid: Optional[int] = None
    name: Optional[str] = None
    lat: float
    lon: float
    country: Optional[str] = None
    events: int


class EventMap(BaseModel):
    places: list[MapPlace]


class Edge(BaseModel):
    source: str
    target: str
    events: int


class Network(BaseModel):
    nodes: list[Actor]
    edges: list[Edge]


# -- writing ---------------------------------------------------------------------------

class ArticleIn(BaseModel):
    """One article to annotate and store (the fields of a JSONL input line)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the article text, Arabic, at most 5 MB as UTF-8")
    title: Optional[str] = Field(None, max_length=10_000)
    published: Optional[str] = Field(None, max_length=300, description="ISO 8601, RFC 2822, Arabic or English date")
    url: Optional[str] = Field(None, max_length=10_000)
    source: Optional[str] = Field(None, max_length=1_000, description="the outlet")
    id: Optional[str] = Field(None, max_length=1_000, description="your id; default: derived from the text")


class Saved(BaseModel):
    status: Literal["new", "updated", "unchanged", "older"]
    article_id: int
    near_duplicates: list[int] = []

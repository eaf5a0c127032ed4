"""Read-only endpoints over one :class:`Store` (given, never global)."""
from __future__ import annotations

from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from hadath.api import models
from hadath.api.filters import (MAX_ID, Country, Cursor, Limit, Outlet, Since, Text, Total, Until,
                                event_query)
from hadath.store import EventQuery, Store

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.Error, "description": "a filter or cursor the store cannot use"},
    422: {"model": models.Error, "description": "a parameter of the wrong type or out of range"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": models.Error, "description": "no such id"}}
Events = Annotated[EventQuery, Depends(event_query)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _found(item: Optional[dict[str, Any]], what: str, key: Any) -> dict[str, Any]:
    if item is None:
        raise HTTPException(404, f"no {what} {key}")
    return item


def read_routes(store: Store) -> APIRouter:
    router = APIRouter(prefix="/api", responses=ERRORS)

    @router.get("/events", response_model=models.EventPage, tags=["events"])
    def list_events(query: Events, limit: Limit = 50, cursor: Cursor = None, total: Total = False) -> Any:
        """Events newest first (event date, then id); every filter narrows."""
        page = store.events(query, limit=limit, cursor=cursor, total=total)
        return {"items": page.items, "next_cursor": page.next_cursor, "total": page.total}

    @router.get("/events/{event_id}", response_model=models.EventItem, responses=NOT_FOUND, tags=["events"])
    def get_event(event_id: ItemId) -> Any:
        return _found(store.event(event_id), "event", event_id)

    def _articles(q: Optional[str], since: Any, until: Any, outlet: Optional[str], limit: int,
                  cursor: Optional[str], total: bool) -> dict[str, Any]:
        page = store.articles(q=q, since=since, until=until, outlet=outlet or None, limit=limit,
                              cursor=cursor, total=total)
        return {"items": page.items, "next_cursor": page.next_cursor, "total": page.total}

    @router.get("/articles", response_model=models.ArticlePage, tags=["articles"])
    def list_articles(q: Text = None, since: Since = None, until: Until = None, outlet: Outlet = None,
                      limit: Limit = 50, cursor: Cursor = None, total: Total = False) -> Any:
        """Articles newest first (publication date); with ``q``, full-text matches best first."""
        return _articles(q or None, since, until, outlet, limit, cursor, total)

    @router.get("/search", response_model=models.ArticlePage, tags=["articles"])
    def search(q: Annotated[str, Query(min_length=1, max_length=1000, description="Arabic words")],
               since: Since = None, until: Until = None, outlet: Outlet = None, limit: Limit = 50,
               cursor: Cursor = None, total: Total = False) -> Any:
        """Full-text search over titles and texts (diacritics and letter variants folded)."""
        return _articles(q, since, until, outlet, limit, cursor, total)

    @router.get("/articles/{article_id}", response_model=models.ArticleDetail, responses=NOT_FOUND,
                tags=["articles"])
    def get_article(article_id: ItemId) -> Any:
        """Text, annotations (character offsets into the text), event ids, near duplicates."""
        return _found(store.article(article_id), "article", article_id)

    @router.get("/actors", response_model=models.ActorPage, tags=["actors"])
    def list_actors(q: Text = None, country: Country = None, limit: Limit = 50, cursor: Cursor = None) -> Any:
        """Actors most mentioned first; ``q`` matches the English or Arabic name or the id."""
        page = store.actors(q=q or None, country=country or None, limit=limit,
                            cursor=cursor)
        return {"items": page.items, "next_cursor": page.next_cursor}

    @router.get("/actors/{actor_id}", response_model=models.Actor, responses=NOT_FOUND, tags=["actors"])
    def get_actor(actor_id: Annotated[str, Path(max_length=1000)]) -> Any:
        return _found(store.actor(actor_id), "actor", actor_id)

    @router.get("/places", response_model=models.PlacePage, tags=["places"])
    def list_places(country: Country = None, limit: Limit = 50, cursor: Cursor = None) -> Any:
        """Resolved places most mentioned first."""
        page = store.places(country=country or None, limit=limit, cursor=cursor)
        return {"items": page.items, "next_cursor": page.next_cursor}

    @router.get("/stats", response_model=models.Stats, tags=["aggregates"])
    def stats() -> Any:
        return store.stats()

    @router.get("/timeline", response_model=models.Timeline, tags=["aggregates"])
    def timeline(query: Events) -> Any:
        """Matching events per day."""
        return {"days": store.timeline(query)}

    @router.get("/map", response_model=models.EventMap, tags=["aggregates"])
    def event_map(query: Events,
                  limit: Annotated[int, Query(ge=1, le=10_000, description="most places")] = 2000) -> Any:
        """Located matching events grouped by place, most events first."""
        return {"places": store.event_places(query, limit=limit)}

    @router.get("/network", response_model=models.Network, tags=["aggregates"])
    def network(query: Events, limit: Annotated[int, Query(ge=1, le=1000, description="most edges")] = 200) -> Any:
        """Who acts on whom: source -> target edges weighted by matching events."""
        return store.network(query, limit=limit)

    return router

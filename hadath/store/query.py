"""Filters users of GDELT and ACLED expect, as one typed object shared by the API,
the exports and the CLI; and opaque cursors for keyset pagination."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MAX_LIMIT = 1000


class QueryError(ValueError):
    """A filter or cursor that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class BBox:
    """min_lon, min_lat, max_lon, max_lat (GeoJSON order)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def parse(cls, value: str) -> "BBox":
        try:
            parts = [float(p) for p in value.split(",")]
        except ValueError:
            raise QueryError(f"bbox {value!r}: four numbers min_lon,min_lat,max_lon,max_lat") from None
        if len(parts) != 4:
            raise QueryError(f"bbox {value!r}: four numbers min_lon,min_lat,max_lon,max_lat")
        box = cls(*parts)
        if not (-180 <= box.min_lon <= box.max_lon <= 180 and -90 <= box.min_lat <= box.max_lat <= 90):
            raise QueryError(f"bbox {value!r}: longitudes in -180..180, latitudes in -90..90, min before max")
        return box


@dataclass(frozen=True)
class EventQuery:
    """Which events.  Every field narrows; ``None``/empty means no constraint."""

    since: Optional[date] = None              # event date (publication date when the text gives none)
    until: Optional[date] = None
    types: tuple[str, ...] = ()               # PLOVER types
    cameo_root: Optional[str] = None          # two-digit CAMEO root, e.g. "19"
    actor: Optional[str] = None               # actor id as source or target
    source_actor: Optional[str] = None
    target_actor: Optional[str] = None
    country: Optional[str] = None             # ISO3 of the event location
    actor_country: Optional[str] = None       # ISO3 of the source or the target
    bbox: Optional[BBox] = None
    outlet: Optional[str] = None              # the article's source outlet
    min_confidence: Optional[float] = None
    article_id: Optional[int] = None
    story_id: Optional[int] = None
    include_unreal: bool = False              # also negated, future, hypothetical, conditional
    exclude_historical: bool = False          # leave out background events (modality historical)

    def __post_init__(self) -> None:
        unknown = [t for t in self.types if t not in PLOVER_TYPES]
        if unknown:
            raise QueryError(f"unknown PLOVER type {unknown[0]!r}; one of {', '.join(PLOVER_TYPES)}")
        if self.cameo_root is not None and not (self.cameo_root.isdigit() and len(self.cameo_root) == 2):
            raise QueryError(f"cameo_root {self.cameo_root!r}: two digits, 01 to 20")
        for name in ("country", "actor_country"):
            value = getattr(self, name)
            if value is not None and not (len(value) == 3 and value.isalpha() and value.isupper()):
                raise QueryError(f"{name} {value!r}: an ISO 3166 alpha-3 code such as SYR")
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise QueryError("min_confidence: between 0 and 1")
        if self.since and self.until and self.since > self.until:
            raise QueryError("since is after until")

    def where(self) -> tuple[str, list[Any]]:
        """SQL condition on ``events e`` and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []

        def add(clause: str, *values: Any) -> None:
            clauses.append(clause)
            params.extend(values)

        if not self.include_unreal:
            add("e.has_event = 1")
        if self.exclude_historical:
            add("e.modality != ?", "historical")
        if self.since:
            add("e.date_key >= ?", self.since.isoformat())
        if self.until:
            add("e.date_key <= ?", self.until.isoformat())
        if self.types:
            add(f"e.type IN ({', '.join('?' for _ in self.types)})", *self.types)
        if self.cameo_root:
            add("e.cameo_root = ?", self.cameo_root)
        if self.actor:
            add("(e.source_actor = ? OR e.target_actor = ?)", self.actor, self.actor)
        if self.source_actor:
            add("e.source_actor = ?", self.source_actor)
        if self.target_actor:
            add("e.target_actor = ?", self.target_actor)
        if self.country:
            add("e.country = ?", self.country)
        if self.actor_country:
            add("(e.source_country = ? OR e.target_country = ?)", self.actor_country, self.actor_country)
        if self.bbox:
            b = self.bbox
            add("e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?", b.min_lat, b.max_lat, b.min_lon, b.max_lon)
        if self.outlet:
            add("e.outlet = ?", self.outlet)
        if self.min_confidence is not None:
            add("e.confidence >= ?", self.min_confidence)
        if self.article_id is not None:
            add("e.article_id = ?", self.article_id)
        if self.story_id is not None:
            add("e.story_id = ?", self.story_id)
        return (" AND ".join(clauses) or "1 = 1"), params


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values), separators=(",", ":")).encode()).decode().rstrip("=")


MAX_ID = 2 ** 63 - 1
"""Largest id SQLite and PostgreSQL store."""


def decode_cursor(cursor: str, kinds: tuple[type, ...]) -> list[Any]:
    """The values of a cursor this module encoded, checked against ``kinds``
    (``int`` or ``str``): a forged cursor is a :class:`QueryError`, never a crash."""
    refused = QueryError("cursor: not one this server handed out")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        raise refused from None
    if not isinstance(values, list) or len(values) != len(kinds):
        raise refused
    for value, kind in zip(values, kinds):
        if kind is int:
            if not (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID):
                raise refused
        elif not (isinstance(value, str) and len(value) <= 1000 and "\x00" not in value):
            raise refused
    return values


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit: between 1 and {MAX_LIMIT}")
    return limit

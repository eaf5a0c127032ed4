"""The geo stage: every LOC entity geocoded against the gazetteer, disambiguated by
the article's focus country and the other countries it mentions."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hadath.doc import Document, Place


@dataclass
class GeoStage:
    gazetteer: Any   # hadath.geo.gazetteer.Gazetteer (passed in, loaded once)
    name: str = "places"
    requires: tuple[str, ...] = ("entities", "mentions")
    provides: tuple[str, ...] = ("places",)

    def __call__(self, doc: Document) -> Document:
        context = sorted({m.country for m in doc.mentions if m.country and len(m.country) == 3})
        places: list[Place] = []
        for entity in doc.entities:
            if entity.type != "LOC":
                continue
            candidate = self.gazetteer.geocode(entity.text, focus_country=doc.focus_country,
                                               context_countries=context)
            if candidate is None and entity.actor and len(entity.actor) == 3:
                candidate = self.gazetteer.country(entity.actor)
            if candidate is not None:
                places.append(candidate.to_place(entity.text, entity.start, entity.end))
        doc.places = tuple(places)
        return doc

"""The geo stage: every LOC entity geocoded against the gazetteer, disambiguated by
the article's focus country and the other countries it mentions."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Optional

from hadath.doc import Document, Entity, Place
from hadath.text.clitics import lookup_keys
from hadath.text.normalize import fold


@dataclass
class GeoStage:
    gazetteer: Any   # hadath.geo.gazetteer.Gazetteer (passed in, loaded once)
    name: str = "places"
    requires: tuple[str, ...] = ("entities", "mentions")
    provides: tuple[str, ...] = ("places",)

    def __call__(self, doc: Document) -> Document:
        places: list[Place] = []
        entities: list[Entity] = []
        dropped: set[tuple[int, int]] = set()
        by_name: dict[str, set[str]] = {}
        for m in doc.mentions:
            if m.country and len(m.country) == 3:
                by_name.setdefault(fold(m.text), set()).add(m.country)
        for entity in doc.entities:
            if entity.type != "LOC":
                entities.append(entity)
                continue
            context = self._context(by_name, entity)
            candidate = self._city_over_country(entity, context)
            if candidate is not None:
                # عمّان in an article about Jordan is Amman, not Oman
                dropped.add((entity.start, entity.end))
                entity = replace(entity, actor=None, name_en=candidate.name_en)
            else:
                candidate = self._geocode(entity.text, doc.focus_country, context)
                if candidate is None and entity.actor and len(entity.actor) == 3:
                    candidate = self.gazetteer.country(entity.actor)
            if candidate is not None:
                places.append(candidate.to_place(entity.text, entity.start, entity.end))
                if not entity.name_en:
                    entity = replace(entity, name_en=candidate.name_en)
            entities.append(entity)
        doc.entities = tuple(entities)
        if dropped:
            doc.mentions = tuple(m for m in doc.mentions if (m.start, m.end) not in dropped)
        doc.places = tuple(places)
        countries = Counter(m.country for m in doc.mentions if m.country and len(m.country) == 3)
        countries.update(p.country for p in places if p.country)
        doc.focus_country = countries.most_common(1)[0][0] if countries else doc.focus_country
        return doc

    @staticmethod
    def _context(by_name: dict[str, set[str]], entity: Entity) -> list[str]:
        """Countries the article mentions elsewhere (not through this same name)."""
        key = fold(entity.text)
        return sorted({c for name, countries in by_name.items() if name != key for c in countries})

    def _geocode(self, text: str, focus: Optional[str], context: list[str]):
        candidate = self.gazetteer.geocode(text, focus_country=focus, context_countries=context)
        if candidate is not None:
            return candidate
        head, _, rest = fold(text).partition(" ")
        for key in lookup_keys(head)[1:]:  # لمسجد الأقصى -> المسجد الأقصى
            candidate = self.gazetteer.geocode(f"{key} {rest}".strip(), focus_country=focus,
                                               context_countries=context)
            if candidate is not None:
                return candidate
        return None

    def _city_over_country(self, entity: Entity, context: list[str]):
        if not entity.actor or len(entity.actor) != 3 or entity.actor in context:
            return None
        cities = [c for c in self.gazetteer.lookup(entity.text) if c.feature != "country" and c.country in context]
        return max(cities, key=lambda c: c.population) if cities else None

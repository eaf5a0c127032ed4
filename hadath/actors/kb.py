"""The actor knowledge base: canonical actors and an alias index over folded tokens.

Built once from the bundled records (``hadath/actors/data``) and passed to the
stages that need it; nothing is loaded at import time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Literal, Optional, Sequence

from hadath.actors.agents import AGENT_TEMPLATES, expand
from hadath.memo import BoundedMemo
from hadath.text.clitics import lookup_keys
from hadath.text.normalize import fold

AliasKind = Literal["name", "nominal", "agent", "office"]


@dataclass(frozen=True)
class Actor:
    id: str
    name_en: str
    type: str
    entity_type: Optional[str]
    country: Optional[str]
    sector: Optional[str]
    qid: Optional[str] = None


@dataclass(frozen=True)
class AliasHit:
    actor_id: str
    kind: AliasKind
    is_entity: bool


@dataclass(frozen=True)
class OfficeHolding:
    actor_id: str
    start: Optional[date]
    end: Optional[date]

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class AliasMatch:
    """An alias found in a token sequence: tokens ``[first, last)``, ``skip`` proclitic
    characters of the first token's folded form to drop (وال... -> ال...)."""

    first: int
    last: int
    hits: tuple[AliasHit, ...]
    key: tuple[str, ...]


# Aliases headed by these generic nouns describe an actor rather than name it
# (الحكومة الإسرائيلية، سلطات الاحتلال، قوات الاحتلال): actor mentions, not named entities.
DESCRIPTOR_HEADS = frozenset(fold(w) for w in (
    "الحكومة", "حكومة", "السلطات", "سلطات", "القوات", "قوات", "الأجهزة", "أجهزة", "النظام", "الإدارة",
    "الشعب", "الفصائل", "المعارضة", "الدولة", "الاحتلال", "السلطة"))


def is_descriptor(alias: str) -> bool:
    words = fold(alias).split()
    return bool(words) and words[0] in DESCRIPTOR_HEADS and not (words[0] == "السلطه" and len(words) > 1)


def _is_equipment(alias: str) -> bool:
    return fold(alias).split()[0] in EQUIPMENT_HEADS


EQUIPMENT_HEADS = frozenset(fold(w) for w in ("الطائرات", "المقاتلات", "الطيران", "البحرية", "الأمن", "الأجهزة"))


TITLE_WORDS = frozenset(fold(w) for w in ("الشيخ", "الأمير", "السيد", "الملك", "الرئيس", "الإمام", "الحاج", "الدكتور"))


def _words(alias: str) -> tuple[str, ...]:
    return tuple(fold(alias).replace("-", " ").split())


@dataclass
class KnowledgeBase:
    actors: dict[str, Actor] = field(default_factory=dict)
    aliases: dict[tuple[str, ...], list[AliasHit]] = field(default_factory=dict)
    offices: dict[tuple[str, ...], list[OfficeHolding]] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)   # folded demonym (no ال) -> ISO3
    max_len: int = 1
    first_words: dict[str, int] = field(default_factory=dict)  # first word -> longest key starting with it
    ambiguous: dict[tuple[str, ...], list[str]] = field(default_factory=dict)  # alias -> actor ids (العربية)
    index_path: Optional[Path] = None     # the SQLite index this knowledge base was read from or written to
    _names_by_type: Optional[dict[str, tuple[list[str], list[str]]]] = field(default=None, repr=False)
    _fuzzy_links: BoundedMemo[tuple, Optional[str]] = field(default_factory=BoundedMemo, repr=False)

    # -- building ---------------------------------------------------------
    def add_actor(self, actor: Actor) -> None:
        self.actors[actor.id] = actor

    def add_alias(self, alias: str, actor_id: str, kind: AliasKind, is_entity: bool) -> None:
        key = _words(alias)
        if not key:
            return
        hits = self.aliases.setdefault(key, [])
        if not any(h.actor_id == actor_id and h.kind == kind for h in hits):
            hits.append(AliasHit(actor_id, kind, is_entity))
        self._index_key(key)

    def _index_key(self, key: tuple[str, ...]) -> None:
        self.max_len = max(self.max_len, len(key))
        self.first_words[key[0]] = max(self.first_words.get(key[0], 0), len(key))

    def add_office(self, phrase: str, holding: OfficeHolding) -> None:
        key = _words(phrase)
        if not key:
            return
        self.offices.setdefault(key, []).append(holding)
        self._index_key(key)

    @classmethod
    def load(cls, path=None, *, use_index: bool = True, index_at: Optional[Path] = None) -> "KnowledgeBase":
        """The bundled knowledge base, or the one in directory ``path`` (``hadath kb import --into``).

        Read from the SQLite index when one built from the same files exists;
        otherwise the records are validated, compiled and the index written
        (best effort: a read-only location only costs start-up time next time).
        ``index_at`` puts the index somewhere else than its usual place.
        """
        from hadath.actors import index
        from hadath.actors.records import _data_dir, load_records

        base = _data_dir(path)
        sources = [base / "countries.jsonl", base / "actors.jsonl"]
        missing = [source.name for source in sources if not source.is_file()]
        if missing:
            raise FileNotFoundError(f"{path}: not a knowledge base directory (no {' or '.join(missing)})")
        digest = index.source_digest(sources)
        target = index_at or ((Path(path) / index.INDEX_NAME) if path is not None else
                              index.cache_dir() / f"kb-{digest[:16]}.sqlite")
        if use_index and index.index_digest(target) == digest:
            return index.read_index(target, cls)
        countries, actors = load_records(path)
        kb = cls.from_records(countries, actors)
        if use_index:
            try:
                index.write_index(kb, countries, actors, target, digest)
                kb.index_path = target
            except OSError:
                pass
        return kb

    @classmethod
    def from_records(cls, countries: Iterable, actors: Iterable) -> "KnowledgeBase":
        kb = cls()
        for country in countries:
            iso = country.iso3
            kb.add_actor(Actor(iso, country.name_en, "country", "LOC", iso, None, country.qid))
            names = list(country.names_ar)
            for name in names:
                kb.add_alias(name, iso, "name", True)
            alternates = tuple(getattr(country, "demonyms_ar_alt", ()) or ())
            masculines = [d for d in (country.demonym_ar_m, *[a for a in alternates if a.endswith("ي")]) if d]
            feminines = [d for d in (country.demonym_ar_f, *[a for a in alternates if a.endswith("ية")]) if d]
            for demonym in masculines + feminines:
                kb.demonyms[fold(demonym)] = iso
            plurals = [p for p in (country.demonym_ar_pl, *[a for a in alternates if a.endswith("ون")]) if p]
            plurals += [p[:-2] + "ين" for p in plurals if p.endswith("ون")]
            for template in AGENT_TEMPLATES:
                agent_id = f"{iso}_{template.suffix}"
                aliases: list[str] = []
                for name in names[:3]:
                    for m, f in zip(masculines or [None], feminines or [None]):
                        for pl in plurals or [None]:
                            aliases += expand(template, name=name, m=m, f=f, pl=pl)
                if not aliases:
                    continue
                kb.add_actor(Actor(agent_id, template.name_en.format(country=country.name_en),
                                   "agent", "ORG" if template.is_entity else None, iso, template.sector))
                for alias in dict.fromkeys(aliases):
                    # الجيش المصري is a named institution; القوات السورية، الطائرات ... describe one
                    kb.add_alias(alias, agent_id, "office" if template.office else "agent",
                                 template.is_entity and not is_descriptor(alias) and not _is_equipment(alias))
        for record in actors:
            kb.add_actor(Actor(record.id, record.name_en, record.type, record.entity_type,
                               record.country, record.sector, record.qid))
            for alias in record.aliases_ar:
                kb.add_alias(alias, record.id, "name", record.entity_type is not None and not is_descriptor(alias))
            for alias in record.nominal_ar:
                kb.add_alias(alias, record.id, "nominal", False)
            for alias in record.ambiguous_ar:
                ids = kb.ambiguous.setdefault(_words(alias), [])
                if record.id not in ids:
                    ids.append(record.id)
            for term in record.offices:
                for phrase in term.office_ar:
                    kb.add_office(phrase, OfficeHolding(record.id, term.start, term.end))
        return kb

    # -- lookup -----------------------------------------------------------
    def match(self, norms: Sequence[str], i: int) -> Optional[AliasMatch]:
        """Longest alias or office phrase starting at token ``i`` (clitics on the
        first token are tolerated: وبالسلطة -> السلطة)."""
        first_keys = [k for k in lookup_keys(norms[i]) if k in self.first_words]
        if not first_keys:
            return None
        longest = max(self.first_words[k] for k in first_keys)
        for length in range(min(longest, len(norms) - i), 0, -1):
            tail = tuple(norms[i + 1:i + length])
            for head in first_keys:
                key = (head,) + tail
                hits = self.aliases.get(key)
                if hits:
                    return AliasMatch(i, i + length, tuple(hits), key)
                if key in self.offices:
                    return AliasMatch(i, i + length, (), key)
        return None

    def office_holder(self, key: tuple[str, ...], on: Optional[date]) -> Optional[str]:
        holdings = self.offices.get(key, [])
        if on is not None:
            current = [h for h in holdings if h.covers(on)]
        else:
            current = [h for h in holdings if h.end is None]
        ids = {h.actor_id for h in current}
        return ids.pop() if len(ids) == 1 else None

    # -- fuzzy linking -------------------------------------------------------
    FUZZY_MIN_SCORE = 88.0
    FUZZY_MIN_LENGTH = 5

    def _names(self, entity_type: str) -> tuple[list[str], list[str]]:
        """Folded proper-name aliases of actors of one entity type, and their actor ids."""
        if self._names_by_type is None:
            table: dict[str, tuple[list[str], list[str]]] = {}
            for key, hits in self.aliases.items():
                for hit in hits:
                    actor = self.actors.get(hit.actor_id)
                    if hit.kind == "name" and hit.is_entity and actor is not None and actor.entity_type:
                        names, ids = table.setdefault(actor.entity_type, ([], []))
                        names.append(" ".join(key))
                        ids.append(hit.actor_id)
            self._names_by_type = table
        return self._names_by_type.get(entity_type, ([], []))

    def fuzzy_link(self, text: str, entity_type: str, countries: frozenset[str] = frozenset(),
                   not_surnames: frozenset[str] = frozenset()) -> Optional[str]:
        """The actor a spelling variant names (ترمب ~ ترامب, أفورقى ~ أفورقي), or None.

        Candidates are aliases of the same entity type within a small edit distance
        (rapidfuzz ratio >= ``FUZZY_MIN_SCORE`` on folded text, and >= 75 for every
        word against the word in the same place, whose nationality must agree); when several actors
        qualify, one from a country the article mentions wins, and otherwise the best
        must lead the next by 5 points.  A single word also matches the last word of
        a multi-word person alias (a surname), but only for a person of a country the
        article mentions, only when that surname is unique among them, and never for
        a word in ``not_surnames`` (given names such as مصطفى, titles such as الشيخ).
        """
        key = (text, entity_type, countries, len(not_surnames))
        return self._fuzzy_links.get(key, lambda: self._fuzzy_link(text, entity_type, countries, not_surnames))

    def _fuzzy_link(self, text: str, entity_type: str, countries: frozenset[str],
                    not_surnames: frozenset[str]) -> Optional[str]:
        from rapidfuzz import fuzz, process

        query = " ".join(_words(text))
        if len(query.replace(" ", "")) < self.FUZZY_MIN_LENGTH:
            return None
        names, ids = self._names(entity_type)
        scored: dict[str, float] = {}
        words = query.split()
        for name, score, k in process.extract(query, names, scorer=fuzz.ratio, score_cutoff=self.FUZZY_MIN_SCORE,
                                              limit=10):
            # word by word too: وكالة الأنباء اليمنية is not وكالة الأنباء العراقية
            other = name.split()
            if len(other) == len(words) and all(fuzz.ratio(a, b) >= 75 and self.demonym_country(a) ==
                                                self.demonym_country(b) for a, b in zip(words, other)):
                scored[ids[k]] = max(score, scored.get(ids[k], 0.0))
        if not scored and entity_type == "PER" and " " not in query and countries and query not in not_surnames \
                and query not in TITLE_WORDS:
            owners = {ids[k] for k, name in enumerate(names)
                      if " " in name and name.rsplit(" ", 1)[1] == query
                      and self.actors[ids[k]].country in countries}
            return owners.pop() if len(owners) == 1 else None
        if not scored:
            return None
        ranked = sorted(scored.items(), key=lambda kv: -kv[1])
        local = [actor_id for actor_id, _ in ranked if self.actors[actor_id].country in countries]
        if len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 5:
            return ranked[0][0]
        return local[0] if len(local) == 1 else None

    def ambiguous_link(self, text: str, entity_type: str) -> Optional[str]:
        """The actor an ambiguous alias names once the tagger has called it a name of
        ``entity_type`` (العربية tagged ORG -> Al Arabiya), when exactly one fits."""
        ids = [i for i in self.ambiguous.get(_words(text), []) if self.actors[i].entity_type == entity_type]
        return ids[0] if len(ids) == 1 else None

    def demonym_country(self, norm: str) -> Optional[str]:
        """ISO3 of a folded demonym, with or without the article (الإسرائيلية -> ISR)."""
        for key in (norm, norm[2:] if norm.startswith("ال") else norm):
            if key in self.demonyms:
                return self.demonyms[key]
        return None

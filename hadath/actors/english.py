"""English names for actors the knowledge base does not know.

Analysts aggregate by English name, so an unknown mention still needs one:

* persons are romanised as English newspapers write them (:class:`Romanizer`);
* organisations are *translated* from their structure, not transliterated.  An
  Arabic organisation name is a head noun (وزارة، منظمة، محكمة) followed by a
  genitive chain (الدفاع، حظر الأسلحة), adjectives (الكيميائية، المركزية), a
  nationality (التركية) and prepositional phrases (للنفط).  English puts the
  modifiers first: [nationality] [proper names] [institutional adjectives]
  [complement, last word first] Head [prepositional phrase]:
  وزارة الدفاع التركية -> Turkish Defence Ministry,
  منظمة حظر الأسلحة الكيميائية -> Chemical Weapons Prohibition Organization,
  محكمة بئر السبع المركزية -> Beersheba Central Court.
  Words the glossary lacks are places (gazetteer), known actors (knowledge base)
  or romanised proper names; a name with no glossary word at all (المنار) is
  romanised whole.

The vocabulary is ``data/org_glossary.tsv`` and ``data/country_adjectives.tsv``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Optional

from hadath.actors.romanize import Romanizer
from hadath.memo import BoundedMemo
from hadath.text.normalize import fold

PREPOSITION_PREFIXES = (("لل", "for"), ("ل", "for"))


def _read_tsv(name: str) -> list[list[str]]:
    text = (resources.files("hadath.actors") / "data" / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _glossary_keys(word: str) -> tuple[str, ...]:
    """A folded word as the glossary may list it: without the article first."""
    return (word[2:], word) if word.startswith("ال") and len(word) > 3 else (word,)


@dataclass(frozen=True)
class _Part:
    role: str          # head, noun, adj, inst, demonym, proper (known actor/place), name (romanised), prep
    english: str


@dataclass
class EnglishNamer:
    kb: Any                                   # hadath.actors.kb.KnowledgeBase
    romanizer: Romanizer
    gazetteer: Any = None                     # hadath.geo.gazetteer.Gazetteer, optional
    glossary: dict[str, dict[str, str]] = field(default_factory=dict)   # folded word -> role -> English
    adjectives: dict[str, str] = field(default_factory=dict)            # ISO3 -> English adjective
    _organisations: BoundedMemo[str, Optional[str]] = field(default_factory=BoundedMemo, repr=False)

    @classmethod
    def load(cls, kb: Any, romanizer: Romanizer, gazetteer: Any = None) -> "EnglishNamer":
        glossary: dict[str, dict[str, str]] = {}
        for row in _read_tsv("org_glossary.tsv"):
            arabic, english, role = row[0].strip(), row[1].strip(), row[2].strip()
            glossary.setdefault(fold(arabic), {}).setdefault(role, english)
        adjectives = {row[0].strip(): row[1].strip() for row in _read_tsv("country_adjectives.tsv")}
        return cls(kb, romanizer, gazetteer, glossary, adjectives)

    def __call__(self, text: str, entity_type: Optional[str]) -> Optional[str]:
        if entity_type == "PER":
            return self.romanizer(text)
        if entity_type == "ORG":
            return self.organisation(text)
        return None

    # -- organisations ------------------------------------------------------
    def organisation(self, text: str) -> Optional[str]:
        return self._organisations.get(text, lambda: self._organisation(text))

    def _organisation(self, text: str) -> Optional[str]:
        words = [w for w in text.replace("-", " ").replace("_", " ").split() if w]
        if not words:
            return None
        parts = self._parts(words)
        if all(p.role == "name" for p in parts):
            return self.romanizer(text)
        return self._compose(parts)

    def _parts(self, words: list[str]) -> list[_Part]:
        parts: list[_Part] = []
        i = 0
        while i < len(words):
            word = fold(words[i])
            if word.startswith("و") and len(word) > 3 and self._lookup(word[1:], i) is not None:
                word = word[1:]
                parts.append(_Part("prep", "and"))
            for prefix, english in PREPOSITION_PREFIXES:
                rest = word[len(prefix):]
                if i > 0 and word.startswith(prefix) and len(rest) > 2 and (
                        self._lookup(rest, i) or self._lookup("ال" + rest, i)):
                    parts.append(_Part("prep", english))
                    word = "ال" + rest if prefix == "لل" else rest
                    break
            span = self._multiword(words, i)
            if span is not None:
                length, english = span
                parts.append(_Part("proper", english))
                i += length
                continue
            parts.append(self._lookup(word, i) or _Part("name", self.romanizer(words[i]) or words[i]))
            i += 1
        return parts

    def is_glossary_word(self, word: str) -> bool:
        """A folded word the glossary translates (المالية is finance, not Malian)."""
        return any(key in self.glossary for key in _glossary_keys(word))

    def _lookup(self, word: str, position: int) -> Optional[_Part]:
        for key in _glossary_keys(word):
            entry = self.glossary.get(key)
            if entry:
                if position == 0 and "head" in entry:
                    return _Part("head", entry["head"])
                role = next((r for r in ("noun", "inst", "adj", "prep", "head") if r in entry), None)
                if role is not None:
                    return _Part("noun" if role == "head" else role, entry[role])
        iso = self.kb.demonym_country(word)
        if iso is not None:
            country = self.kb.actors.get(iso)
            return _Part("demonym", self.adjectives.get(iso) or (country.name_en if country else iso))
        return None

    def _multiword(self, words: list[str], i: int) -> Optional[tuple[int, str]]:
        """A known actor or place name starting at word ``i`` (longest first), as (words, English)."""
        norms = [fold(w) for w in words]
        for length in range(min(4, len(words) - i), 0, -1):
            chunk = norms[i:i + length]
            if length == 1 and (self._lookup(chunk[0], i) is not None):
                return None
            match = self.kb.match(chunk, 0)
            if match is not None and match.last == length and match.hits:
                named = [h for h in match.hits if h.kind == "name"]
                if named:
                    return length, self.kb.actors[named[0].actor_id].name_en
            if self.gazetteer is not None:
                candidates = self.gazetteer.lookup(" ".join(words[i:i + length]))
                if candidates:
                    best = max(candidates, key=lambda c: c.population or 0)
                    return length, best.name_en
        return None

    @staticmethod
    def _compose(parts: list[_Part]) -> str:
        head = parts[0].english if parts and parts[0].role == "head" else None
        body = parts[1:] if head else parts
        cut = next((k for k, p in enumerate(body) if p.role == "prep" and p.english != "and"), len(body))
        complement, tail = body[:cut], body[cut:]
        demonyms = [p.english for p in complement if p.role == "demonym"]
        institutional = [p.english for p in complement if p.role == "inst"]
        propers = [p.english for p in complement if p.role in ("proper", "name")]
        chain: list[str] = []
        for p in complement:
            if p.role == "noun":
                chain.append(p.english)
            elif p.role == "adj":
                if chain:
                    chain[-1] = f"{p.english} {chain[-1]}"
                else:
                    institutional.append(p.english)
            elif p.role == "prep" and chain:      # و inside the chain: keep the pair together
                chain[-1] = f"and {chain[-1]}"
        words = demonyms + propers + institutional + list(reversed(chain)) + ([head] if head else [])
        name = " ".join(words)
        if tail:
            phrase = tail[0].english
            rest = EnglishNamer._compose([_Part("noun" if p.role == "head" else p.role, p.english)
                                          for p in tail[1:]])
            name = f"{name} {phrase} {rest}".strip()
        return " ".join(name.split())

"""Scoring actor linking, English names and geocoding against gold entities.

Gold entities (see ``benchmarks/gold/README.md``) may carry:

* ``actor``: the knowledge-base id of the actor a PER/ORG mention denotes, or
  ``"NIL"`` when the knowledge base has no record of it;
* ``en``: the English name an analyst would write;
* for LOC: ``country`` (ISO3 or null), ``geonameid`` (when GeoNames has the place),
  ``lat``/``lon`` and ``feature`` (site, city, district, province, region, country, water).

Every measure is an accuracy over gold entities, reported twice: over the gold
entities the system found (the linker's own accuracy) and over all gold entities
(end to end, a missed entity counts as wrong).  A gold entity is found when a
predicted entity has the same folded text, or else one text starts or ends the
other and is at least 40% of its length.  An English name is right when it
agrees with the gold name up to transliteration (:func:`latin_key`) or when the
mention is rightly linked to a knowledge-base actor (whose canonical name it has).
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from rapidfuzz import fuzz

from hadath.text.normalize import fold


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, other: "Accuracy") -> None:
        self.right += other.right
        self.total += other.total

    def record(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0


# distance within which a predicted point is the gold place, by the gold feature class (km)
TOLERANCE_KM = {"site": 15.0, "city": 25.0, "district": 40.0, "province": 150.0,
                "region": 400.0, "country": 800.0, "water": 400.0}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _find(gold_text: str, predicted: list[dict]) -> Optional[dict]:
    """The predicted record for a gold entity text: same folded text, else containment."""
    key = fold(gold_text)
    exact = [p for p in predicted if fold(p["text"]) == key]
    if exact:
        return exact[0]
    contained = []
    for p in predicted:
        other = fold(p["text"])
        short, long_ = sorted((other, key), key=len)
        # one starts or ends the other and is not a small part of it (حماس ~ حركة حماس, not داعش ~ التحالف ضد داعش)
        if short and (long_.startswith(short) or long_.endswith(short)) and len(short) >= 0.4 * len(long_):
            contained.append(p)
    return min(contained, key=lambda p: abs(len(fold(p["text"])) - len(key))) if contained else None


def latin_key(name: str) -> str:
    """A spelling-tolerant key for transliterated names: lower case, no diacritics,
    no article, no vowels or doubled letters (Mohamed Abdikarim ~ Muhammad Abd al-Karim)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b(al|el|ad|ar|as|ash|at|az|an)[- ]", "", text)
    text = re.sub(r"[^a-z ]", "", text).replace("ou", "u").replace("ph", "f").replace("kh", "k")
    words = []
    for word in text.split():
        skeleton = word[0] + re.sub(r"[aeiouyw]", "", word[1:])
        words.append(re.sub(r"(.)\1+", r"\1", skeleton))
    return " ".join(words)


def english_name_matches(predicted: Optional[str], gold: Optional[str]) -> bool:
    if not predicted or not gold:
        return False
    if predicted.strip().lower() == gold.strip().lower():
        return True
    return fuzz.token_set_ratio(latin_key(predicted), latin_key(gold)) >= 80


def actor_right(gold_actor: str, predicted: Optional[dict]) -> bool:
    if predicted is None:
        return False
    actor = predicted.get("actor")
    if gold_actor == "NIL":
        return bool(actor) and str(actor).startswith("nil:")
    return actor == gold_actor


def place_right(gold: dict, place: Optional[dict]) -> bool:
    if place is None:
        return False
    if gold.get("geonameid") and place.get("geonameid") == gold["geonameid"]:
        return True
    if gold.get("lat") is None or place.get("lat") is None:
        return False
    tolerance = TOLERANCE_KM.get(gold.get("feature") or "city", 25.0)
    return haversine_km(gold["lat"], gold["lon"], place["lat"], place["lon"]) <= tolerance


def score_linking(gold: dict, pred: dict, accuracies: dict[str, Accuracy], details: list[str]) -> None:
    def acc(name: str) -> Accuracy:
        return accuracies.setdefault(name, Accuracy())

    entities = pred.get("entities", [])
    places = pred.get("places", [])
    seen: set[tuple[str, str]] = set()
    for g in gold.get("entities", []):
        if (g["text"], g["type"]) in seen:
            continue
        seen.add((g["text"], g["type"]))
        if g["type"] in ("PER", "ORG") and "actor" in g:
            found = _find(g["text"], [e for e in entities if e["type"] in ("PER", "ORG")])
            ok = actor_right(g["actor"], found)
            # a right link to the knowledge base gives its canonical English name (AFP ~ Agence France-Presse)
            named = (ok and g["actor"] != "NIL") or english_name_matches(found.get("name_en") if found else None,
                                                                      g.get("en"))
            has_name = bool(found and found.get("name_en"))
            acc("actor linking (all gold)").record(ok)
            acc("English name given (all gold)").record(has_name)
            acc("English name matches (all gold)").record(named)
            if found is not None:
                acc("actor linking (found)").record(ok)
                acc("English name given (found)").record(has_name)
                acc("English name matches (found)").record(named)
                if not ok:
                    details.append(f"wrong actor for {g['type']} {g['text']}: {found.get('actor')} (gold {g['actor']})")
                elif not named:
                    details.append(f"English name {found.get('name_en')!r} for {g['text']} (gold {g.get('en')!r})")
        elif g["type"] == "LOC" and ("lat" in g or g.get("geonameid")):
            if g.get("lat") is None and not g.get("geonameid"):
                continue
            place = _find(g["text"], places)
            country_ok = place is not None and (place.get("country") == g.get("country") or (
                g.get("country") is None and place_right(g, place)))   # contested or supranational gold
            here = place_right(g, place)
            acc("geocoding country (all gold)").record(country_ok)
            acc("geocoding place (all gold)").record(here)
            if place is not None:
                acc("geocoding country (found)").record(country_ok)
                acc("geocoding place (found)").record(here)
                if not here or not country_ok:
                    details.append(f"wrong place for {g['text']}: {place.get('name_en')} {place.get('country')} "
                                   f"{place.get('geonameid')} (gold {g.get('en')} {g.get('country')} {g.get('geonameid')})")

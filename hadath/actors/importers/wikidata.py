"""Import actors (and places) from a Wikidata JSON dump.

Reads the format of Wikidata's ``latest-all.json``: a JSON array with one
entity object per line (``[``, then ``{...},`` lines, then ``]``), plain,
``.gz`` or ``.bz2``, or a partial dump of the same shape (also plain JSON
lines without the brackets).  Two streaming passes: the first keeps the
entities that become records and notes which other items (positions,
countries) they refer to; the second reads those items' labels.

Kept (statements of deprecated rank are ignored):

* **humans** (P31 = Q5) with at least one *position held* (P39): a ``person``
  record whose offices are the P39 statements with their start (P580) and end
  (P582) qualifiers.  A statement without a start date is dropped (hadath
  needs one); dates of month/year precision take the 1st (noted).  An
  office's country is the position's jurisdiction (P1001) or country (P17),
  else the person's citizenship (P27); its ``office_ar`` is the position's
  Arabic label (else the person's own Arabic name, noted), its ``office_en``
  the English label.  The sector of an office is guessed from the position's
  English label (army/military/chief of staff -> MIL, police -> COP,
  judge/court -> JUD, parliament/senator/member of/deputy/speaker -> LEG,
  else GOV); the person's sector and country are those of the longest office.
* **organisations**: items whose direct P31 is one of :data:`ORG_CLASSES`
  (party, armed organisation, government, government agency, ministry,
  legislature, military, police, intergovernmental/international
  organisation, NGO/nonprofit, educational institution, news agency,
  newspaper, TV channel, periodical, company, religious organisation).  Country:
  P17 mapped through ``countries.jsonl``'s Wikidata ids; intergovernmental
  bodies get ``IGO``, international NGOs ``NGO``, militant groups without a
  country ``IMG``.
* **places**: items whose P31 is one of :data:`PLACE_CLASSES` (cities,
  towns, villages, settlements, municipalities, first/second-level
  subdivisions, districts, mosques, churches, buildings, lakes, rivers,
  seas) become :class:`hadath.geo.gazetteer.PlaceCandidate` objects in
  ``ImportResult.places`` (source ``"wikidata"``; coordinates P625,
  population P1082, GeoNames id P1566), for the gazetteer; they are not
  actor records.  Sovereign states are skipped (``countries.jsonl`` has them).

Names: Arabic label and aliases -> ``aliases_ar``; English label and aliases
-> ``name_en``/``aliases_en``.  With ``require_arabic=True`` (default)
entities with no Arabic name are skipped.  Every record carries ``qid``; its
id is ``wd_<qid in lower case>`` (``wd_q1234``).  Arabic aliases already
taken by a country name or an earlier entity are dropped (noted in
``warnings``).  Irrelevant items are counted in ``omitted``, not listed.
"""
from __future__ import annotations

import bz2
import gzip
import json
import re
from datetime import date
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Optional

from hadath.actors.importers.base import (
    AliasRegistry, CountryIndex, ImportResult, PathLike, SkippedEntry, clean_alias,
    has_arabic, load_country_index, shorten,
)
from hadath.actors.records import ActorRecord, OfficeTerm
from hadath.text.normalize import fold

HUMAN = "Q5"
STATE_CLASSES = frozenset({"Q6256", "Q3624078", "Q3336843", "Q7275", "Q15634554"})

# P31 class -> (type, sector, default country when P17 is missing).  Only classes whose
# Wikidata ids were certain are listed; extend as needed (entities are matched on their
# direct P31 values, no subclass reasoning).
ORG_CLASSES: dict[str, tuple[str, str, Optional[str]]] = {
    "Q7278": ("party", "PTY", None),                  # political party
    "Q17149090": ("armed_group", "REB", "IMG"),       # armed organization
    "Q7188": ("government", "GOV", None),             # government
    "Q327333": ("government", "GOV", None),           # government agency
    "Q192350": ("ministry", "GOV", None),             # ministry
    "Q11204": ("government", "LEG", None),            # legislature
    "Q8473": ("military", "MIL", None),               # military
    "Q35535": ("police", "COP", None),                # police
    "Q245065": ("igo", "IGO", "IGO"),                 # intergovernmental organization
    "Q484652": ("igo", "IGO", "IGO"),                 # international organization
    "Q163740": ("ngo", "NGO", "NGO"),                 # nonprofit organization
    "Q79913": ("ngo", "NGO", "NGO"),                  # non-governmental organization
    "Q2385804": ("ngo", "EDU", None),                 # educational institution
    "Q192283": ("media", "MED", None),                # news agency
    "Q11032": ("media", "MED", None),                 # newspaper
    "Q2001305": ("media", "MED", None),               # television channel
    "Q1002697": ("media", "MED", None),               # periodical
    "Q4830453": ("company", "BUS", None),             # business
    "Q783794": ("company", "BUS", None),              # company
    "Q891723": ("company", "BUS", None),              # public company
    "Q1530022": ("religious", "REL", None),           # religious organization
}

# P31 class -> gazetteer feature
PLACE_CLASSES: dict[str, str] = {
    "Q515": "city", "Q1549591": "city", "Q1637706": "city", "Q5119": "city", "Q3957": "city",
    "Q532": "city", "Q486972": "city", "Q15284": "city",                 # city ... municipality
    "Q10864048": "province", "Q13220204": "district", "Q149621": "district",
    "Q32815": "site", "Q16970": "site", "Q41176": "site",                # mosque, church building, building
    "Q23397": "water", "Q4022": "water", "Q165": "water",                # lake, river, sea
}

_POSITION_SECTORS = (
    (re.compile(r"\b(army|military|armed forces|chief of (the )?(general )?staff|air force|navy|commander)\b",
                re.I), "MIL"),
    (re.compile(r"\bpolice\b", re.I), "COP"),
    (re.compile(r"\b(judge|justice|court|attorney general|prosecutor)\b", re.I), "JUD"),
    (re.compile(r"\b(parliament|senator|member of|deputy|speaker|legislat|assembly)\b", re.I), "LEG"),
    (re.compile(r"\b(secretary-general|secretary general|director-general) of the united nations\b", re.I), "IGO"),
)


def _position_sector(label_en: str) -> str:
    for pattern, sector in _POSITION_SECTORS:
        if pattern.search(label_en):
            return sector
    return "GOV"


# ---------------------------------------------------------------------------------------
# reading the dump

def _open_text(path: PathLike) -> IO[str]:
    """The dump as a text stream, decompressing .gz/.bz2 on the fly (dumps are large)."""
    p = Path(path)
    with open(p, "rb") as fh:
        magic = fh.read(3)
    if p.suffix == ".gz" or magic[:2] == b"\x1f\x8b":
        return gzip.open(p, "rt", encoding="utf-8", errors="replace")
    if p.suffix == ".bz2" or magic == b"BZh":
        return bz2.open(p, "rt", encoding="utf-8", errors="replace")
    return open(p, "r", encoding="utf-8", errors="replace")


_KEEP_PROPS = ("P31", "P39", "P27", "P17", "P1001", "P625", "P1082", "P1566")


def _slim(entity: dict) -> dict:
    """Only what the importer reads: ar/en labels and aliases, a few properties."""
    out = {"id": entity.get("id")}
    for key in ("labels", "aliases"):
        value = entity.get(key)
        if isinstance(value, dict):
            out[key] = {lang: value[lang] for lang in ("ar", "en") if lang in value}
    claims = entity.get("claims")
    if isinstance(claims, dict):
        out["claims"] = {p: claims[p] for p in _KEEP_PROPS if p in claims}
    return out


def _iter_entities(path: PathLike) -> Iterator[tuple[int, Optional[dict], str]]:
    """``(line, entity or None, raw)`` for each non-bracket line, streamed."""
    with _open_text(path) as fh:
        yield from _parse_lines(fh)


def _parse_lines(lines: Iterable[str]) -> Iterator[tuple[int, Optional[dict], str]]:
    for n, line in enumerate(lines, 1):
        s = line.strip()
        if not s or s in ("[", "]"):
            continue
        if s.endswith(","):
            s = s[:-1]
        try:
            obj = json.loads(s)
        except json.JSONDecodeError:
            yield n, None, s
            continue
        yield n, obj if isinstance(obj, dict) else None, s


def _statements(entity: dict, prop: str) -> list[dict]:
    out = []
    for st in (entity.get("claims") or {}).get(prop) or []:
        if not isinstance(st, dict) or st.get("rank") == "deprecated":
            continue
        out.append(st)
    return out


def _item_value(snak: Any) -> Optional[str]:
    try:
        if snak.get("snaktype", "value") != "value":
            return None
        value = snak["datavalue"]["value"]
        if isinstance(value, dict):
            if "id" in value:
                return str(value["id"])
            if "numeric-id" in value:
                return f"Q{value['numeric-id']}"
    except (KeyError, TypeError, AttributeError):
        return None
    return None


def _items(entity: dict, prop: str) -> list[str]:
    return [q for q in (_item_value(st.get("mainsnak") or {}) for st in _statements(entity, prop)) if q]


def _time(snak: Any) -> Optional[tuple[date, bool]]:
    """``(date, exact)`` of a time snak (year/month precision -> the 1st, exact=False)."""
    try:
        if snak.get("snaktype", "value") != "value":
            return None
        value = snak["datavalue"]["value"]
        m = re.match(r"^([+-])(\d+)-(\d\d)-(\d\d)", value["time"])
        precision = int(value.get("precision", 11))
    except (KeyError, TypeError, AttributeError, ValueError):
        return None
    if m is None or m.group(1) == "-":
        return None
    year, month, day = int(m.group(2)), int(m.group(3)), int(m.group(4))
    if precision < 9 or not 1 <= year <= 9999:
        return None
    exact = precision >= 11 and month > 0 and day > 0
    try:
        return date(year, max(month, 1) if precision >= 10 else 1, max(day, 1) if precision >= 11 else 1), exact
    except ValueError:
        return None


def _qualifier_time(statement: dict, prop: str) -> Optional[tuple[date, bool]]:
    for snak in (statement.get("qualifiers") or {}).get(prop) or []:
        t = _time(snak)
        if t is not None:
            return t
    return None


def _quantity(entity: dict, prop: str) -> Optional[float]:
    for st in _statements(entity, prop):
        try:
            return float(st["mainsnak"]["datavalue"]["value"]["amount"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def _coords(entity: dict) -> tuple[Optional[float], Optional[float]]:
    for st in _statements(entity, "P625"):
        try:
            v = st["mainsnak"]["datavalue"]["value"]
            return float(v["latitude"]), float(v["longitude"])
        except (KeyError, TypeError, ValueError):
            continue
    return None, None


def _string(entity: dict, prop: str) -> Optional[str]:
    for st in _statements(entity, prop):
        try:
            return str(st["mainsnak"]["datavalue"]["value"])
        except (KeyError, TypeError):
            continue
    return None


def _label(entity: dict, lang: str) -> Optional[str]:
    try:
        value = entity["labels"][lang]["value"]
    except (KeyError, TypeError):
        return None
    value = clean_alias(str(value))
    return value or None


def _aliases(entity: dict, lang: str) -> list[str]:
    out = []
    for a in (entity.get("aliases") or {}).get(lang) or []:
        try:
            v = clean_alias(str(a["value"]))
        except (KeyError, TypeError):
            continue
        if v:
            out.append(v)
    return out


def _names(entity: dict, lang: str) -> list[str]:
    label = _label(entity, lang)
    names = ([label] if label else []) + _aliases(entity, lang)
    seen: set[str] = set()
    out = []
    for n in names:
        k = fold(n)
        if k not in seen and (lang != "ar" or has_arabic(n)):
            seen.add(k)
            out.append(n)
    return out


# ---------------------------------------------------------------------------------------

def parse_wikidata_dump(path: PathLike, *, countries: Optional[CountryIndex] = None,
                        require_arabic: bool = True) -> ImportResult:
    """Import people with positions, organisations and places from a Wikidata JSON dump."""
    countries = countries or load_country_index()
    file_name = Path(path).name
    skipped: list[SkippedEntry] = []
    warnings: list[SkippedEntry] = []
    omitted: dict[str, int] = {}
    kept: list[tuple[int, dict, str]] = []        # (line, entity, kind)
    needed: set[str] = set()
    entries = 0
    lines_read = 0

    # pass 1: choose the entities
    for n, entity, raw in _iter_entities(path):
        lines_read = n
        entries += 1
        if entity is None:
            skipped.append(SkippedEntry(n, shorten(raw, 120), "not a JSON object", "unreadable line"))
            continue
        qid = entity.get("id")
        if not isinstance(qid, str) or not re.match(r"^Q[1-9][0-9]*$", qid):
            omitted["not an item"] = omitted.get("not an item", 0) + 1
            continue
        classes = set(_items(entity, "P31"))
        if HUMAN in classes:
            if not _statements(entity, "P39"):
                key = "person without a position held (P39)"
                omitted[key] = omitted.get(key, 0) + 1
                continue
            kind = "person"
        elif classes & STATE_CLASSES:
            skipped.append(SkippedEntry(n, qid, "a sovereign state: countries.jsonl covers it", "country"))
            continue
        elif any(c in ORG_CLASSES for c in classes):
            kind = "org"
        elif any(c in PLACE_CLASSES for c in classes):
            kind = "place"
        else:
            omitted["not a person, organisation or place"] = omitted.get("not a person, organisation or place", 0) + 1
            continue
        if require_arabic and not _names(entity, "ar"):
            skipped.append(SkippedEntry(n, f"{qid} {_label(entity, 'en') or ''}".strip(),
                                        "no Arabic label or alias", "no Arabic name"))
            continue
        kept.append((n, _slim(entity), kind))
        for prop in ("P39", "P27", "P17"):
            needed.update(_items(entity, prop))

    # pass 2: labels and places of the referenced items
    ref: dict[str, dict] = {}
    if needed:
        for _, entity, _ in _iter_entities(path):
            if entity is not None and entity.get("id") in needed:
                ref[entity["id"]] = {"ar": _label(entity, "ar"), "en": _label(entity, "en"),
                                     "country": next(iter(_items(entity, "P1001") + _items(entity, "P17")), None)}

    def iso_of(q: Optional[str]) -> Optional[str]:
        return countries.by_qid.get(q) if q else None

    registry = AliasRegistry.with_countries(countries)
    records: list[ActorRecord] = []
    places: list[Any] = []
    for n, entity, kind in kept:
        qid = entity["id"]
        names_ar = _names(entity, "ar")
        names_en = _names(entity, "en")
        aliases_ar = []
        for a in names_ar:
            owner = registry.owner(a)
            if owner is not None:
                warnings.append(SkippedEntry(n, a, f"alias already used by {owner[0]}; dropped", "alias taken"))
                continue
            aliases_ar.append(a)
        label = f"{qid} {names_en[0] if names_en else (names_ar[0] if names_ar else '')}".strip()
        if kind == "place":
            place = _place(entity, names_ar, names_en, countries)
            if place is None:
                skipped.append(SkippedEntry(n, label, "place without a name", "no name"))
            else:
                places.append(place)
            continue
        if require_arabic and not aliases_ar:
            skipped.append(SkippedEntry(n, label, "every Arabic name is already another record's", "duplicate"))
            continue
        name_en = names_en[0] if names_en else qid
        note = [f"imported from {file_name}:{n} (Wikidata {qid})"]
        if kind == "person":
            citizenship = next((iso_of(q) for q in _items(entity, "P27") if iso_of(q)), None)
            offices: list[OfficeTerm] = []
            for st in _statements(entity, "P39"):
                pos = _item_value(st.get("mainsnak") or {})
                if pos is None:
                    continue
                start = _qualifier_time(st, "P580")
                end = _qualifier_time(st, "P582")
                info = ref.get(pos, {})
                pos_en = info.get("en") or pos
                if start is None:
                    warnings.append(SkippedEntry(n, f"{qid} P39 {pos}", f"position {pos_en!r} has no start date "
                                                 "(P580); office dropped", "office without start"))
                    continue
                country = iso_of(info.get("country")) or citizenship
                sector = _position_sector(pos_en)
                if sector == "IGO":
                    country = "UNO"
                if country is None:
                    warnings.append(SkippedEntry(n, f"{qid} P39 {pos}", f"no hadath country for position {pos_en!r}; "
                                                 "office dropped", "office without country"))
                    continue
                office_ar = info.get("ar") if info.get("ar") and has_arabic(info["ar"]) else None
                bits = [f"Wikidata {pos}"]
                if not office_ar:
                    bits.append("no Arabic label for the position: office_ar is the holder's name")
                if not start[1] or (end is not None and not end[1]):
                    bits.append("day not exact (month/year precision)")
                end_d = end[0] if end else None
                if end_d is not None and end_d < start[0]:
                    warnings.append(SkippedEntry(n, f"{qid} P39 {pos}", "office ends before it starts; dropped",
                                                 "office dates"))
                    continue
                if not aliases_ar:
                    continue
                offices.append(OfficeTerm(office_en=pos_en, office_ar=(office_ar or aliases_ar[0],), country=country,
                                          sector=sector, start=start[0], end=end_d, note="; ".join(bits)))
            if not offices and citizenship is None:
                skipped.append(SkippedEntry(n, label, "no hadath country (citizenship or office)", "no hadath country"))
                continue
            main = max(offices, key=lambda t: ((t.end or date.today()) - t.start).days, default=None)
            rec = ActorRecord(
                id=f"wd_{qid.lower()}", name_en=name_en, type="person", entity_type="PER",
                country=main.country if main else citizenship, sector=main.sector if main else "GOV", qid=qid,
                aliases_ar=tuple(aliases_ar), aliases_en=tuple(names_en),
                offices=tuple(sorted(offices, key=lambda t: t.start)),
                note="; ".join(note))
        else:
            kind_type, sector, default_country = next(ORG_CLASSES[c] for c in _items(entity, "P31")
                                                      if c in ORG_CLASSES)
            country = next((iso_of(q) for q in _items(entity, "P17") if iso_of(q)), None)
            if kind_type == "igo":
                country = "IGO"
            country = country or default_country
            if country is None:
                skipped.append(SkippedEntry(n, label, "no hadath country (P17)", "no hadath country"))
                continue
            rec = ActorRecord(
                id=f"wd_{qid.lower()}", name_en=name_en, type=kind_type, entity_type="ORG", country=country,
                sector=sector, qid=qid, aliases_ar=tuple(aliases_ar), aliases_en=tuple(names_en),
                note="; ".join(note))
        for a in aliases_ar:
            registry.claim(a, f"actor {rec.id}", n)
        records.append(rec)
    language = "ar" if any(r.aliases_ar for r in records) or require_arabic else "en"
    return ImportResult(str(path), "wikidata", "utf-8", tuple(records), tuple(skipped), tuple(warnings),
                        lines_read=lines_read, entries_read=entries, language=language,
                        omitted=tuple(sorted(omitted.items())), places=tuple(places))


def _place(entity: dict, names_ar: list[str], names_en: list[str], countries: CountryIndex) -> Any:
    from hadath.geo.gazetteer import RESOLUTION, PlaceCandidate

    if not names_ar and not names_en:
        return None
    feature = next((PLACE_CLASSES[c] for c in _items(entity, "P31") if c in PLACE_CLASSES), "site")
    lat, lon = _coords(entity)
    country = next((countries.by_qid.get(q) for q in _items(entity, "P17") if countries.by_qid.get(q)), None)
    population = _quantity(entity, "P1082")
    geonameid = _string(entity, "P1566")
    return PlaceCandidate(
        name_en=names_en[0] if names_en else entity["id"], names=tuple(names_ar), lat=lat, lon=lon,
        geonameid=int(geonameid) if geonameid and geonameid.isdigit() else None,
        country=country, population=int(population or 0), feature=feature, admin1=None,
        resolution=RESOLUTION[feature], source="wikidata")


"""The starter actor knowledge base: typed records and a validating loader.

Two JSON-lines files ship in ``hadath/actors/data`` (see the README there):

* ``countries.jsonl`` -- one :class:`CountryRecord` per state (ISO 3166 alpha-3);
* ``actors.jsonl``    -- one :class:`ActorRecord` per named non-country actor
  (people, governments, armed groups, IGOs, media, generic agents ...).

:func:`load_records` reads and validates both.  Every problem is reported as a
``ValueError`` naming the file and the line, and all problems found are listed
at once.  Arabic strings are compared by their matching key
(:func:`hadath.text.normalize.fold`): an alias that folds to the same key as an
alias of another actor (or a country name) is a clash and is rejected unless it
is listed in :data:`SHARED_ALIASES`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from hadath.text.normalize import fold

FORMAT_VERSION = 1

ACTOR_TYPES = frozenset({
    "person", "government", "military", "police", "ministry", "party", "armed_group", "igo",
    "ngo", "media", "company", "religious", "population", "generic",
})
# PLOVER/CAMEO sector (agent) codes.  The first row is the core set; the second
# adds Phoenix/PLOVER agents that news actors need (criminals, journalists,
# elites, unarmed forces, agriculture).
SECTORS = frozenset({
    "GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "OPP", "IGO", "NGO", "MED", "BUS", "REL",
    "CVL", "SPY", "REF", "LAB", "EDU", "SET",
    "CRM", "JRN", "ELI", "UAF", "AGR",
})
# Country codes for actors that belong to no state (PLOVER/CAMEO conventions):
# IGO other intergovernmental bodies, UNO the UN system, EUR the EU's bodies,
# NGO international NGOs, IMG international militarised groups.
SPECIAL_COUNTRY_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "IMG"})
ENTITY_TYPES = frozenset({"PER", "ORG", "LOC"})
REGIONS = frozenset({
    "MENA", "Europe", "Caucasus & Central Asia", "South Asia", "East Asia", "Southeast Asia",
    "Oceania", "Sub-Saharan Africa", "North America", "Latin America & Caribbean",
})
COUNTRY_STATUSES = frozenset({
    "un_member", "un_observer", "partially_recognised", "special_administrative_region",
    "disputed_territory",
})

# Folded Arabic aliases that several records may legitimately share (genuinely
# ambiguous names).  Keep this short: ambiguous short forms belong in an
# actor's ``ambiguous_ar`` instead, which may be shared freely.
SHARED_ALIASES: frozenset[str] = frozenset()

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_ARABIC = re.compile(r"[\u0600-\u06FF]")

_COUNTRY_FIELDS = {
    "iso3": True, "iso2": True, "name_en": True, "qid": True, "names_ar": True,
    "demonym_ar_m": True, "demonym_ar_f": True, "demonym_ar_pl": True, "capital_ar": True,
    "capital_en": True, "region": True, "status": False, "arab_league": False,
    "demonyms_ar_alt": False, "epithets_ar": False, "note": False,
}
_ACTOR_FIELDS = {
    "id": True, "name_en": True, "type": True, "entity_type": True, "country": True,
    "sector": True, "qid": True, "aliases_ar": True, "aliases_en": True, "nominal_ar": True,
    "offices": True, "ambiguous_ar": False, "affiliations": False, "note": False,
}
_OFFICE_FIELDS = {
    "office_en": True, "office_ar": True, "country": True, "sector": True, "start": True,
    "end": True, "org": False, "note": False,
}


@dataclass(frozen=True)
class OfficeTerm:
    """One term in one office.  ``end`` is None while the term is running."""

    office_en: str
    office_ar: tuple[str, ...]
    country: Optional[str]
    sector: Optional[str]
    start: date
    end: Optional[date] = None
    org: Optional[str] = None           # actor id of the organisation the office belongs to
    note: Optional[str] = None

    def active_on(self, day: date) -> bool:
        """True if ``day`` falls inside the term (both ends inclusive)."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class CountryRecord:
    iso3: str
    iso2: str
    name_en: str
    qid: Optional[str]
    names_ar: tuple[str, ...]
    demonym_ar_m: Optional[str]
    demonym_ar_f: Optional[str]
    demonym_ar_pl: Optional[str]
    capital_ar: Optional[str]
    capital_en: Optional[str]
    region: str
    status: str = "un_member"
    arab_league: bool = False
    demonyms_ar_alt: tuple[str, ...] = ()
    epithets_ar: tuple[str, ...] = ()
    note: Optional[str] = None

    @property
    def demonyms_ar(self) -> tuple[str, ...]:
        """Every demonym form (m, f, pl and the alternatives), without ال."""
        forms = (self.demonym_ar_m, self.demonym_ar_f, self.demonym_ar_pl) + self.demonyms_ar_alt
        return tuple(f for f in forms if f)


@dataclass(frozen=True)
class ActorRecord:
    id: str
    name_en: str
    type: str
    entity_type: Optional[str]
    country: Optional[str]
    sector: Optional[str]
    qid: Optional[str]
    aliases_ar: tuple[str, ...]
    aliases_en: tuple[str, ...]
    nominal_ar: tuple[str, ...] = ()
    offices: tuple[OfficeTerm, ...] = ()
    ambiguous_ar: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    note: Optional[str] = None

    def offices_on(self, day: date) -> list[OfficeTerm]:
        """The office terms running on ``day``."""
        return [o for o in self.offices if o.active_on(day)]


class _Errors:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:50]
            more = len(self.items) - len(shown)
            text = "\n".join(shown) + (f"\n... and {more} more" if more > 0 else "")
            raise ValueError(f"invalid actor knowledge base ({len(self.items)} problem(s)):\n{text}")


def _read_jsonl(source: Any, name: str, errors: _Errors) -> list[tuple[int, dict]]:
    rows: list[tuple[int, dict]] = []
    text = source.read_text(encoding="utf-8")
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.add(where, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            errors.add(where, "a line must hold one JSON object")
            continue
        if "format_version" in obj:     # optional header line
            if obj.get("format_version") != FORMAT_VERSION:
                errors.add(where, f"format_version {obj.get('format_version')!r} is not supported (expected {FORMAT_VERSION})")
            continue
        rows.append((lineno, obj))
    return rows


def _check_fields(obj: dict, spec: dict[str, bool], where: str, errors: _Errors) -> bool:
    ok = True
    for key in obj:
        if key not in spec:
            errors.add(where, f"unknown field {key!r}")
            ok = False
    for key, required in spec.items():
        if required and key not in obj:
            errors.add(where, f"missing field {key!r}")
            ok = False
    return ok


def _opt_str(obj: dict, key: str, where: str, errors: _Errors, arabic: bool = False) -> Optional[str]:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        errors.add(where, f"{key} must be a non-empty string without surrounding spaces, got {value!r}")
        return None
    if arabic and not _ARABIC.search(value):
        errors.add(where, f"{key} {value!r} is not Arabic")
    return value


def _req_str(obj: dict, key: str, where: str, errors: _Errors, arabic: bool = False) -> str:
    value = _opt_str(obj, key, where, errors, arabic)
    if value is None and obj.get(key) is None:
        errors.add(where, f"{key} must not be null")
    return value or ""


def _str_list(obj: dict, key: str, where: str, errors: _Errors, arabic: bool = False,
              non_empty: bool = False) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        errors.add(where, f"{key} must be a list of strings")
        return ()
    out: list[str] = []
    seen: dict[str, str] = {}
    for item in value:
        if not isinstance(item, str) or not item.strip() or item != item.strip() or "  " in item:
            errors.add(where, f"{key} holds a bad string {item!r}")
            continue
        if arabic and not _ARABIC.search(item):
            errors.add(where, f"{key} holds a non-Arabic string {item!r}")
        key_form = fold(item)
        if key_form in seen:
            errors.add(where, f"{key} lists {item!r} twice (same matching key as {seen[key_form]!r})")
            continue
        seen[key_form] = item
        out.append(item)
    if non_empty and not out:
        errors.add(where, f"{key} must not be empty")
    return tuple(out)


def _qid(obj: dict, where: str, errors: _Errors) -> Optional[str]:
    value = obj.get("qid")
    if value is not None and (not isinstance(value, str) or not _QID.match(value)):
        errors.add(where, f"qid must be null or a Wikidata id like 'Q30', got {value!r}")
        return None
    return value


def _date(value: Any, key: str, where: str, errors: _Errors) -> Optional[date]:
    if value is None:
        return None
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        errors.add(where, f"{key} must be an ISO date YYYY-MM-DD, got {value!r}")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.add(where, f"{key} {value!r} is not a real date")
        return None


def _parse_country(obj: dict, where: str, errors: _Errors) -> Optional[CountryRecord]:
    if not _check_fields(obj, _COUNTRY_FIELDS, where, errors):
        return None
    iso3 = _req_str(obj, "iso3", where, errors)
    if iso3 and not _ISO3.match(iso3):
        errors.add(where, f"bad iso3 {iso3!r}")
    iso2 = _req_str(obj, "iso2", where, errors)
    if iso2 and not _ISO2.match(iso2):
        errors.add(where, f"bad iso2 {iso2!r}")
    region = _req_str(obj, "region", where, errors)
    if region and region not in REGIONS:
        errors.add(where, f"unknown region {region!r} (one of {sorted(REGIONS)})")
    status = obj.get("status", "un_member")
    if status not in COUNTRY_STATUSES:
        errors.add(where, f"unknown status {status!r} (one of {sorted(COUNTRY_STATUSES)})")
    arab_league = obj.get("arab_league", False)
    if not isinstance(arab_league, bool):
        errors.add(where, "arab_league must be true or false")
    for key in ("demonym_ar_m", "demonym_ar_f", "demonym_ar_pl"):
        value = obj.get(key)
        if isinstance(value, str) and value.startswith("ال"):
            errors.add(where, f"{key} {value!r} must be given without the article ال")
    return CountryRecord(
        iso3=iso3, iso2=iso2, name_en=_req_str(obj, "name_en", where, errors), qid=_qid(obj, where, errors),
        names_ar=_str_list(obj, "names_ar", where, errors, arabic=True, non_empty=True),
        demonym_ar_m=_opt_str(obj, "demonym_ar_m", where, errors, arabic=True),
        demonym_ar_f=_opt_str(obj, "demonym_ar_f", where, errors, arabic=True),
        demonym_ar_pl=_opt_str(obj, "demonym_ar_pl", where, errors, arabic=True),
        capital_ar=_opt_str(obj, "capital_ar", where, errors, arabic=True),
        capital_en=_opt_str(obj, "capital_en", where, errors),
        region=region, status=status if isinstance(status, str) else "un_member", arab_league=bool(arab_league),
        demonyms_ar_alt=_str_list(obj, "demonyms_ar_alt", where, errors, arabic=True),
        epithets_ar=_str_list(obj, "epithets_ar", where, errors, arabic=True),
        note=_opt_str(obj, "note", where, errors),
    )


def _country_code(value: Any, key: str, where: str, errors: _Errors, iso3s: set[str],
                  nullable: bool) -> Optional[str]:
    if value is None:
        if not nullable:
            errors.add(where, f"{key} must not be null here")
        return None
    if not isinstance(value, str) or (value not in iso3s and value not in SPECIAL_COUNTRY_CODES):
        errors.add(where, f"{key} {value!r} is neither an iso3 of countries.jsonl nor one of {sorted(SPECIAL_COUNTRY_CODES)}")
        return None
    return value


def _sector(value: Any, key: str, where: str, errors: _Errors, nullable: bool) -> Optional[str]:
    if value is None:
        if not nullable:
            errors.add(where, f"{key} must not be null")
        return None
    if value not in SECTORS:
        errors.add(where, f"unknown {key} {value!r} (one of {sorted(SECTORS)})")
        return None
    return value


def _parse_office(obj: Any, where: str, errors: _Errors, iso3s: set[str]) -> Optional[OfficeTerm]:
    if not isinstance(obj, dict):
        errors.add(where, "each office must be a JSON object")
        return None
    if not _check_fields(obj, _OFFICE_FIELDS, where, errors):
        return None
    start = _date(obj.get("start"), "office start", where, errors)
    if start is None:
        if obj.get("start") is None:
            errors.add(where, "office start must not be null")
        return None
    end = _date(obj.get("end"), "office end", where, errors)
    if end is not None and end < start:
        errors.add(where, f"office {obj.get('office_en')!r} ends ({end}) before it starts ({start})")
    return OfficeTerm(
        office_en=_req_str(obj, "office_en", where, errors),
        office_ar=_str_list(obj, "office_ar", where, errors, arabic=True, non_empty=True),
        country=_country_code(obj.get("country"), "office country", where, errors, iso3s, nullable=False),
        sector=_sector(obj.get("sector"), "office sector", where, errors, nullable=False),
        start=start, end=end,
        org=_opt_str(obj, "org", where, errors),
        note=_opt_str(obj, "note", where, errors),
    )


def _parse_actor(obj: dict, where: str, errors: _Errors, iso3s: set[str]) -> Optional[ActorRecord]:
    if not _check_fields(obj, _ACTOR_FIELDS, where, errors):
        return None
    actor_id = _req_str(obj, "id", where, errors)
    if actor_id and not _ID.match(actor_id):
        errors.add(where, f"id {actor_id!r} must be lower-case ascii letters, digits and _")
    kind = obj.get("type")
    if kind not in ACTOR_TYPES:
        errors.add(where, f"unknown type {kind!r} (one of {sorted(ACTOR_TYPES)})")
    collective = kind in ("population", "generic")
    entity_type = obj.get("entity_type")
    if entity_type is None and not collective:
        errors.add(where, "entity_type may be null only for population/generic actors")
    elif entity_type is not None and entity_type not in ENTITY_TYPES:
        errors.add(where, f"unknown entity_type {entity_type!r} (one of {sorted(ENTITY_TYPES)})")
    if kind == "person" and entity_type not in (None, "PER"):
        errors.add(where, "a person must have entity_type PER")
    offices_raw = obj.get("offices")
    offices: list[OfficeTerm] = []
    if not isinstance(offices_raw, list):
        errors.add(where, "offices must be a list")
    else:
        for i, raw in enumerate(offices_raw):
            term = _parse_office(raw, f"{where} (office {i + 1})", errors, iso3s)
            if term is not None:
                offices.append(term)
    affiliations = _str_list(obj, "affiliations", where, errors)
    if actor_id in affiliations:
        errors.add(where, "an actor cannot be affiliated with itself")
    return ActorRecord(
        id=actor_id, name_en=_req_str(obj, "name_en", where, errors), type=kind if isinstance(kind, str) else "",
        entity_type=entity_type, qid=_qid(obj, where, errors),
        country=_country_code(obj.get("country"), "country", where, errors, iso3s, nullable=collective),
        sector=_sector(obj.get("sector"), "sector", where, errors, nullable=False),
        aliases_ar=_str_list(obj, "aliases_ar", where, errors, arabic=True, non_empty=True),
        aliases_en=_str_list(obj, "aliases_en", where, errors),
        nominal_ar=_str_list(obj, "nominal_ar", where, errors, arabic=True),
        offices=tuple(offices),
        ambiguous_ar=_str_list(obj, "ambiguous_ar", where, errors, arabic=True),
        affiliations=affiliations,
        note=_opt_str(obj, "note", where, errors),
    )


def _data_dir(path: Union[str, Path, None, Any]) -> Any:
    if path is None:
        return resources.files("hadath.actors") / "data"
    return Path(path) if isinstance(path, str) else path


def load_records(path: Union[str, Path, None] = None,
                 shared_aliases: Iterable[str] = SHARED_ALIASES,
                 ) -> tuple[list[CountryRecord], list[ActorRecord]]:
    """Read and validate ``countries.jsonl`` and ``actors.jsonl``.

    ``path`` is the directory holding both files (default: the bundled data).
    ``shared_aliases`` lists Arabic aliases that may belong to several records;
    they are compared by their folded form.  Raises ``ValueError`` listing every
    problem as ``file:line: message``.
    """
    base = _data_dir(path)
    errors = _Errors()
    allowed = {fold(a) for a in shared_aliases}

    countries: list[CountryRecord] = []
    country_lines: dict[str, int] = {}
    iso2_lines: dict[str, int] = {}
    for lineno, obj in _read_jsonl(base / "countries.jsonl", "countries.jsonl", errors):
        where = f"countries.jsonl:{lineno}"
        rec = _parse_country(obj, where, errors)
        if rec is None:
            continue
        if rec.iso3 in country_lines:
            errors.add(where, f"duplicate iso3 {rec.iso3!r} (first on line {country_lines[rec.iso3]})")
            continue
        if rec.iso2 in iso2_lines:
            errors.add(where, f"duplicate iso2 {rec.iso2!r} (first on line {iso2_lines[rec.iso2]})")
        country_lines[rec.iso3] = lineno
        iso2_lines[rec.iso2] = lineno
        countries.append(rec)
    iso3s = set(country_lines)

    actors: list[ActorRecord] = []
    actor_lines: dict[str, int] = {}
    for lineno, obj in _read_jsonl(base / "actors.jsonl", "actors.jsonl", errors):
        where = f"actors.jsonl:{lineno}"
        rec = _parse_actor(obj, where, errors, iso3s)
        if rec is None:
            continue
        if rec.id in actor_lines:
            errors.add(where, f"duplicate id {rec.id!r} (first on line {actor_lines[rec.id]})")
            continue
        actor_lines[rec.id] = lineno
        actors.append(rec)

    # cross-record checks: references and alias clashes
    for rec in actors:
        where = f"actors.jsonl:{actor_lines[rec.id]}"
        for ref in rec.affiliations:
            if ref not in actor_lines:
                errors.add(where, f"affiliation {ref!r} is not an actor id")
        for term in rec.offices:
            if term.org is not None and term.org not in actor_lines:
                errors.add(where, f"office org {term.org!r} is not an actor id")

    owner: dict[str, tuple[str, str, str]] = {}     # folded alias -> (record key, where, surface)

    def claim(alias: str, key: str, where: str) -> None:
        folded = fold(alias)
        if folded in allowed:
            return
        prev = owner.get(folded)
        if prev is None:
            owner[folded] = (key, where, alias)
        elif prev[0] != key:
            errors.add(where, f"alias {alias!r} of {key} clashes with {prev[2]!r} of {prev[0]} ({prev[1]}); "
                              "move it to ambiguous_ar or list it in SHARED_ALIASES if it is genuinely ambiguous")

    for rec in countries:
        for name in rec.names_ar:
            claim(name, f"country {rec.iso3}", f"countries.jsonl:{country_lines[rec.iso3]}")
    for rec in actors:
        for alias in rec.aliases_ar:
            claim(alias, f"actor {rec.id}", f"actors.jsonl:{actor_lines[rec.id]}")
    for rec in actors:       # ambiguous forms may be shared, but not pass for someone's proper alias
        for alias in rec.ambiguous_ar:
            prev = owner.get(fold(alias))
            if prev is not None and prev[0] != f"actor {rec.id}":
                errors.add(f"actors.jsonl:{actor_lines[rec.id]}",
                           f"ambiguous_ar {alias!r} of {rec.id} is an unambiguous alias of {prev[0]} ({prev[1]})")
    errors.raise_if_any()
    return countries, actors

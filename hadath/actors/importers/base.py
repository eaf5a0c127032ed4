"""Shared pieces of the knowledge-base importers: results, skips, checks, output.

Every importer returns an :class:`ImportResult`: the :class:`ActorRecord` s it
could build, every source entry it could not use (:class:`SkippedEntry`, with
the line, the raw text and a reason), and the parts of imported entries it had
to drop (``warnings``: a dated code that names no country, a synonym already
claimed by another entry ...).  Importers never raise on bad content; they
raise ``OSError`` only when the file cannot be read at all.

The records follow hadath's format (``hadath/actors/data/README.md``) and pass
:func:`hadath.actors.records.load_records` when written with
:func:`write_actors_jsonl` beside the bundled ``countries.jsonl`` -- with one
documented exception: records imported from English-only sources have empty
``aliases_ar`` (and empty ``office_ar`` in their offices), which the Arabic
knowledge base requires to be non-empty.  Such records are still useful for
linking English/Latin names and CAMEO codes to an actor (``aliases_en``,
``note``), and :func:`check_record` with ``require_arabic=False`` verifies
everything else about them.
"""
from __future__ import annotations

import bz2
import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

from hadath.actors.records import (
    ACTOR_TYPES, ENTITY_TYPES, SECTORS, SPECIAL_COUNTRY_CODES, ActorRecord, OfficeTerm,
)
from hadath.text.normalize import fold

PathLike = Union[str, Path]

# An office term whose PETRARCH restriction was "<date" (before a date) has no
# known start; hadath requires one, so it starts on the first representable day.
OPEN_START = date(1, 1, 1)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_ARABIC = re.compile(r"[\u0600-\u06FF]")


@dataclass(frozen=True)
class SkippedEntry:
    """A source entry (or part of one) that was not imported.

    ``line`` is the 1-based line of the entry in the source (its first line for
    multi-line entries), ``text`` the raw source text (possibly shortened),
    ``category`` a short key the report groups by ("duplicate", "no code" ...)
    and ``reason`` the full explanation.
    """

    line: int
    text: str
    reason: str
    category: str


@dataclass(frozen=True)
class ImportResult:
    """What one importer made of one file.

    Every entry read is imported (one record or place), skipped, or -- for
    bulk sources -- counted in ``omitted``, so
    ``entries_read == imported + len(places) + skipped_total``.
    """

    source: str
    format: str                         # "petrarch-actors", "petrarch-agents", "csv", "wikidata"
    encoding: str
    records: tuple[ActorRecord, ...]
    skipped: tuple[SkippedEntry, ...]
    warnings: tuple[SkippedEntry, ...] = ()
    lines_read: int = 0
    entries_read: int = 0
    language: str = "ar"                # "ar" when the source carries Arabic names, else "en"
    # skips counted but not listed one by one (a Wikidata dump's millions of irrelevant items)
    omitted: tuple[tuple[str, int], ...] = ()
    # places found (Wikidata): hadath.geo.gazetteer.PlaceCandidate objects for the gazetteer
    places: tuple[Any, ...] = ()

    @property
    def imported(self) -> int:
        return len(self.records)

    @property
    def skipped_by_category(self) -> Counter:
        counts = Counter(s.category for s in self.skipped)
        for category, n in self.omitted:
            counts[category] += n
        return counts

    @property
    def skipped_total(self) -> int:
        return len(self.skipped) + sum(n for _, n in self.omitted)

    @property
    def arabic_records(self) -> tuple[ActorRecord, ...]:
        """The records the Arabic knowledge base can load as they are."""
        return tuple(r for r in self.records if r.aliases_ar)

    @property
    def english_only_records(self) -> tuple[ActorRecord, ...]:
        return tuple(r for r in self.records if not r.aliases_ar)


# -- reading ---------------------------------------------------------------------------

def open_bytes(path: PathLike) -> bytes:
    """The file's bytes, decompressed when it ends in .gz or .bz2."""
    p = Path(path)
    raw = p.read_bytes()
    if p.suffix == ".gz" or raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    if p.suffix == ".bz2" or raw[:3] == b"BZh":
        return bz2.decompress(raw)
    return raw


def decode(raw: bytes) -> tuple[str, str]:
    """Decode ``raw`` as UTF-8 (with or without BOM); fall back to cp1252, then latin-1.

    Returns ``(text, encoding)``.  Line ends are normalised to ``\\n``.
    """
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n"), "utf-8" if encoding == "utf-8-sig" else encoding
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def read_text(path: PathLike) -> tuple[str, str]:
    return decode(open_bytes(path))


# -- the countries the knowledge base knows -------------------------------------------

@dataclass(frozen=True)
class CountryIndex:
    """What the importers need of ``countries.jsonl``: codes, names, Arabic names."""

    iso3s: frozenset[str]
    name_en: dict[str, str]
    names_ar: dict[str, str]          # folded Arabic country name -> iso3
    by_qid: dict[str, str] = field(default_factory=dict)   # Wikidata id -> iso3

    def known(self, code: Optional[str]) -> bool:
        return code is not None and (code in self.iso3s or code in SPECIAL_COUNTRY_CODES)

    def label(self, code: Optional[str]) -> str:
        specials = {"IGO": "intergovernmental", "UNO": "UN", "EUR": "EU", "NGO": "international NGO",
                    "IMG": "international militarised"}
        if code is None:
            return "generic"
        return self.name_en.get(code) or specials.get(code, code)


def load_country_index(path: Optional[PathLike] = None) -> CountryIndex:
    """Read the iso3 codes and names of ``countries.jsonl`` (default: the bundled file).

    ``path`` may be the file or the directory holding it.  Only the few fields
    needed are read, leniently: the full validation is
    :func:`hadath.actors.records.load_records`'s job.
    """
    if path is None:
        source: Any = resources.files("hadath.actors") / "data" / "countries.jsonl"
    else:
        source = Path(path)
        if source.is_dir():
            source = source / "countries.jsonl"
    iso3s: set[str] = set()
    name_en: dict[str, str] = {}
    names_ar: dict[str, str] = {}
    by_qid: dict[str, str] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        iso = obj.get("iso3") if isinstance(obj, dict) else None
        if not isinstance(iso, str) or not _ISO3.match(iso):
            continue
        iso3s.add(iso)
        name_en[iso] = str(obj.get("name_en") or iso)
        if isinstance(obj.get("qid"), str):
            by_qid[obj["qid"]] = iso
        for name in obj.get("names_ar") or ():
            if isinstance(name, str) and name.strip():
                names_ar.setdefault(fold(name), iso)
    return CountryIndex(frozenset(iso3s), name_en, names_ar, by_qid)


# -- checks mirroring hadath/actors/records.py ----------------------------------------

def _good_string(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and value == value.strip() and "  " not in value


def _check_list(values: Sequence[str], key: str, problems: list[str], arabic: bool) -> None:
    seen: dict[str, str] = {}
    for item in values:
        if not _good_string(item):
            problems.append(f"{key} holds a bad string {item!r}")
            continue
        if arabic and not _ARABIC.search(item):
            problems.append(f"{key} holds a non-Arabic string {item!r}")
        k = fold(item)
        if k in seen:
            problems.append(f"{key} lists {item!r} twice (same matching key as {seen[k]!r})")
        seen[k] = item


def check_record(rec: ActorRecord, countries: CountryIndex, require_arabic: bool = True) -> list[str]:
    """The problems hadath's loader would report for ``rec`` on its own (no cross-record checks).

    Mirrors the per-record rules of :mod:`hadath.actors.records`.  With
    ``require_arabic=False`` the two rules English-only imports cannot meet
    (non-empty ``aliases_ar``, non-empty ``office_ar``) are not applied.
    """
    problems: list[str] = []
    if not _ID.match(rec.id or ""):
        problems.append(f"id {rec.id!r} must be lower-case ascii letters, digits and _")
    if not _good_string(rec.name_en) or "  " in rec.name_en:
        problems.append(f"bad name_en {rec.name_en!r}")
    if rec.type not in ACTOR_TYPES:
        problems.append(f"unknown type {rec.type!r}")
    collective = rec.type in ("population", "generic")
    if rec.entity_type is None and not collective:
        problems.append("entity_type may be null only for population/generic actors")
    elif rec.entity_type is not None and rec.entity_type not in ENTITY_TYPES:
        problems.append(f"unknown entity_type {rec.entity_type!r}")
    if rec.type == "person" and rec.entity_type not in (None, "PER"):
        problems.append("a person must have entity_type PER")
    if rec.country is None:
        if not collective:
            problems.append("country must not be null here")
    elif not countries.known(rec.country):
        problems.append(f"country {rec.country!r} is neither a known iso3 nor a special code")
    if rec.sector not in SECTORS:
        problems.append(f"unknown sector {rec.sector!r}")
    if rec.qid is not None and not _QID.match(rec.qid):
        problems.append(f"bad qid {rec.qid!r}")
    if require_arabic and not rec.aliases_ar:
        problems.append("aliases_ar must not be empty")
    _check_list(rec.aliases_ar, "aliases_ar", problems, arabic=True)
    _check_list(rec.aliases_en, "aliases_en", problems, arabic=False)
    _check_list(rec.nominal_ar, "nominal_ar", problems, arabic=True)
    _check_list(rec.ambiguous_ar, "ambiguous_ar", problems, arabic=True)
    if rec.note is not None and not _good_string(rec.note.replace("  ", " ")):
        problems.append("bad note")
    for term in rec.offices:
        where = f"office {term.office_en!r}"
        if not _good_string(term.office_en):
            problems.append(f"{where}: bad office_en")
        if require_arabic and not term.office_ar:
            problems.append(f"{where}: office_ar must not be empty")
        _check_list(term.office_ar, f"{where} office_ar", problems, arabic=True)
        if not countries.known(term.country):
            problems.append(f"{where}: unknown country {term.country!r}")
        if term.sector not in SECTORS:
            problems.append(f"{where}: unknown sector {term.sector!r}")
        if term.end is not None and term.end < term.start:
            problems.append(f"{where}: ends before it starts")
    return problems


# -- output ------------------------------------------------------------------------------

def _office_dict(term: OfficeTerm) -> dict:
    out = {"office_en": term.office_en, "office_ar": list(term.office_ar), "country": term.country,
           "sector": term.sector, "start": term.start.isoformat(),
           "end": term.end.isoformat() if term.end else None}
    if term.org is not None:
        out["org"] = term.org
    if term.note is not None:
        out["note"] = term.note
    return out


def record_to_dict(rec: ActorRecord) -> dict:
    """``rec`` as one ``actors.jsonl`` object (optional fields only when set)."""
    out: dict[str, Any] = {
        "id": rec.id, "name_en": rec.name_en, "type": rec.type, "entity_type": rec.entity_type,
        "country": rec.country, "sector": rec.sector, "qid": rec.qid,
        "aliases_ar": list(rec.aliases_ar), "aliases_en": list(rec.aliases_en),
        "nominal_ar": list(rec.nominal_ar), "offices": [_office_dict(t) for t in rec.offices],
    }
    if rec.ambiguous_ar:
        out["ambiguous_ar"] = list(rec.ambiguous_ar)
    if rec.affiliations:
        out["affiliations"] = list(rec.affiliations)
    if rec.note is not None:
        out["note"] = rec.note
    return out


def write_actors_jsonl(records: Iterable[ActorRecord], path: PathLike) -> int:
    """Write ``records`` as an ``actors.jsonl`` file; returns the number written."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(record_to_dict(rec), ensure_ascii=False) + "\n")
            n += 1
    return n


# -- the report --------------------------------------------------------------------------

def import_report(results: Union[ImportResult, Iterable[ImportResult]], examples: int = 0) -> str:
    """A plain-text table: file, entries read, imported, skipped, and the skips by reason.

    With ``examples > 0`` up to that many skipped lines are listed per reason.
    """
    if isinstance(results, ImportResult):
        results = [results]
    results = list(results)
    rows = [("file", "format", "entries", "imported", "arabic", "places", "skipped", "warnings")]
    for r in results:
        rows.append((Path(r.source).name, r.format, str(r.entries_read), str(r.imported),
                     str(len(r.arabic_records)), str(len(r.places)), str(r.skipped_total), str(len(r.warnings))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        cells = [cell.ljust(w) if j < 2 else cell.rjust(w) for j, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    for r in results:
        lines.append("")
        lines.append(f"{Path(r.source).name} ({r.encoding}, {r.lines_read} lines):")
        if not r.skipped_total and not r.warnings:
            lines.append("  nothing skipped")
        for title, items in (("skipped", r.skipped), ("dropped parts (warnings)", r.warnings)):
            counts = Counter(s.category for s in items)
            if title == "skipped":
                for category, n in r.omitted:
                    counts[category] += n
            if not counts:
                continue
            lines.append(f"  {title}:")
            for category, n in counts.most_common():
                lines.append(f"    {n:>7}  {category}")
                if examples:
                    for s in [s for s in items if s.category == category][:examples]:
                        lines.append(f"             line {s.line}: {s.text[:60]!r}: {s.reason}")
    return "\n".join(lines)


# -- small helpers shared by the importers -------------------------------------------------

def shorten(text: str, limit: int = 200) -> str:
    text = text.rstrip("\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_alias(text: str) -> str:
    """Collapse whitespace; the form hadath's lists require (no double spaces, no padding)."""
    return " ".join(text.split())


def dedupe(values: Iterable[str]) -> tuple[str, ...]:
    """Drop empty strings and strings with the same matching key as an earlier one."""
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        v = clean_alias(v)
        if not v:
            continue
        k = fold(v)
        if k in seen:
            continue
        seen.add(k)
        out.append(v)
    return tuple(out)


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


@dataclass
class AliasRegistry:
    """Folded Arabic aliases already claimed in one import (hadath lets each belong to one record),
    seeded with the country names so no imported actor takes a country's name."""

    owners: dict[str, tuple[str, int]] = field(default_factory=dict)   # folded -> (owner, line)

    @classmethod
    def with_countries(cls, countries: CountryIndex) -> "AliasRegistry":
        reg = cls()
        for folded, iso in countries.names_ar.items():
            reg.owners[folded] = (f"country {iso}", 0)
        return reg

    def owner(self, alias: str) -> Optional[tuple[str, int]]:
        return self.owners.get(fold(alias))

    def claim(self, alias: str, owner: str, line: int) -> None:
        self.owners.setdefault(fold(alias), (owner, line))


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    for n, line in enumerate(text.split("\n"), 1):
        yield n, line


def reconcile(result: ImportResult, actors: Iterable[ActorRecord], *, keep_english_only: bool = False) -> ImportResult:
    """``result`` made loadable beside an existing knowledge base's ``actors``.

    hadath lets an Arabic alias belong to one actor and an id name one actor, so
    an imported record whose id is already used is skipped ("id exists"), an
    imported Arabic alias that folds to one of the existing actors' aliases is
    dropped (listed in ``warnings``; the existing knowledge base wins), and a
    record left with no Arabic alias is skipped ("Arabic name taken") -- unless
    it was English-only to begin with and ``keep_english_only`` is set.  Country
    names were already excluded at import.  Affiliations and office ``org``
    references are not touched.
    """
    owners: dict[str, str] = {}
    ambiguous: dict[str, str] = {}
    ids: set[str] = set()
    for actor in actors:
        ids.add(actor.id)
        for alias in actor.aliases_ar:
            owners.setdefault(fold(alias), actor.id)
        for alias in actor.ambiguous_ar:
            ambiguous.setdefault(fold(alias), actor.id)
    records: list[ActorRecord] = []
    skipped = list(result.skipped)
    warnings = list(result.warnings)
    for rec in result.records:
        where = _note_line(rec)
        if rec.id in ids:
            skipped.append(SkippedEntry(where, rec.id, f"id {rec.id!r} is already in the knowledge base", "id exists"))
            continue
        kept: list[str] = []
        shared: list[str] = list(rec.ambiguous_ar)
        for alias in rec.aliases_ar:
            owner = owners.get(fold(alias))
            if owner is not None:
                warnings.append(SkippedEntry(where, alias, f"alias already belongs to {owner} in the knowledge base; "
                                             "dropped", "alias taken"))
            elif fold(alias) in ambiguous:
                warnings.append(SkippedEntry(where, alias, f"alias is an ambiguous form of {ambiguous[fold(alias)]} "
                                             "in the knowledge base; moved to ambiguous_ar", "alias made ambiguous"))
                if fold(alias) not in {fold(a) for a in shared}:
                    shared.append(alias)
            else:
                kept.append(alias)
        if rec.aliases_ar and not kept:
            skipped.append(SkippedEntry(where, rec.id, "every Arabic alias belongs to an actor of the knowledge "
                                        "base", "Arabic name taken"))
            continue
        if not rec.aliases_ar and not keep_english_only:
            skipped.append(SkippedEntry(where, rec.id, "English-only record (no Arabic alias)", "no Arabic name"))
            continue
        if len(kept) != len(rec.aliases_ar):
            offices = tuple(
                replace(t, office_ar=tuple(a for a in t.office_ar if a in kept) or (kept[0],))
                if set(t.office_ar) - set(kept) and set(t.office_ar) <= set(rec.aliases_ar) else t
                for t in rec.offices)
            rec = replace(rec, aliases_ar=tuple(kept), ambiguous_ar=tuple(shared), offices=offices)
        records.append(rec)
    skipped.sort(key=lambda s: s.line)
    return replace(result, records=tuple(records), skipped=tuple(skipped), warnings=tuple(warnings))


def _note_line(rec: ActorRecord) -> int:
    """The source line recorded in an imported record's note ("imported from FILE:LINE"), else 0."""
    m = re.search(r"imported from \S+?:(\d+)", rec.note or "")
    return int(m.group(1)) if m else 0

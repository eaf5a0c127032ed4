"""Import actors from a plain CSV file.

The file is UTF-8 (a BOM is fine), comma-separated with ``"`` quoting, and
starts with a header naming at least these columns, in any order::

    id,name_en,type,country,sector,aliases_ar,aliases_en,qid,entity_type

Optional columns: ``nominal_ar``, ``ambiguous_ar``, ``affiliations``, ``note``.
List columns (``aliases_ar``, ``aliases_en``, ``nominal_ar``, ``ambiguous_ar``,
``affiliations``) hold ``|``-separated values.  An empty cell is null
(``qid``, ``entity_type``, ``country``) or an empty list.  Example::

    id,name_en,type,country,sector,aliases_ar,aliases_en,qid,entity_type
    hamas,Hamas,armed_group,PSE,REB,حركة حماس|حماس,Hamas,Q38871,ORG
    lbn_protesters,Lebanese protesters,population,LBN,CVL,المحتجين اللبنانيين,,,

Values follow ``hadath/actors/data/README.md``: ``id`` lower-case ascii
``[a-z][a-z0-9_]*``; ``type`` one of :data:`hadath.actors.records.ACTOR_TYPES`;
``entity_type`` ``PER``/``ORG``/``LOC`` (empty only for ``population``/``generic``);
``country`` an iso3 of ``countries.jsonl`` or ``IGO``/``UNO``/``EUR``/``NGO``/``IMG``
(empty only for ``population``/``generic``); ``sector`` a PLOVER sector code;
``aliases_ar`` at least one Arabic name.  Offices cannot be given in CSV
(use ``actors.jsonl``).

Every row with a problem is skipped and reported with its line and all its
problems; rows whose id or an Arabic alias repeats an earlier row's (or a
country's name) are skipped as duplicates/clashes.
"""
from __future__ import annotations

import csv
import io
from typing import Optional

from hadath.actors.importers.base import (
    AliasRegistry, CountryIndex, ImportResult, PathLike, SkippedEntry, check_record, clean_alias,
    load_country_index, read_text, shorten,
)
from hadath.actors.records import ActorRecord

CSV_COLUMNS = ("id", "name_en", "type", "country", "sector", "aliases_ar", "aliases_en", "qid", "entity_type")
OPTIONAL_COLUMNS = ("nominal_ar", "ambiguous_ar", "affiliations", "note")
_LISTS = ("aliases_ar", "aliases_en", "nominal_ar", "ambiguous_ar", "affiliations")


def _split(cell: str) -> tuple[str, ...]:
    return tuple(clean_alias(v) for v in cell.split("|") if v.strip())


def _opt(cell: Optional[str]) -> Optional[str]:
    if cell is None:
        return None
    cell = cell.strip()
    return cell or None


def parse_actor_csv(path: PathLike, *, countries: Optional[CountryIndex] = None) -> ImportResult:
    """Import the actors of a CSV file (format in the module docstring); never raises on content."""
    text, encoding = read_text(path)
    countries = countries or load_country_index()
    lines_read = text.count("\n") + (0 if text.endswith("\n") else 1)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return ImportResult(str(path), "csv", encoding, (), (SkippedEntry(1, "", "empty file", "no header"),),
                            lines_read=lines_read, entries_read=1)
    except csv.Error as exc:
        return ImportResult(str(path), "csv", encoding, (), (SkippedEntry(1, "", f"unreadable header: {exc}",
                                                                         "no header"),),
                            lines_read=lines_read, entries_read=1)
    header = [h.strip().lower() for h in header]
    missing = [c for c in CSV_COLUMNS if c not in header]
    warnings: list[SkippedEntry] = []
    if missing:
        entry = SkippedEntry(1, shorten(",".join(header)),
                             f"header lacks column(s) {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}",
                             "bad header")
        rows = sum(1 for line in text.split("\n")[1:] if line.strip())
        return ImportResult(str(path), "csv", encoding, (), (entry,), lines_read=lines_read,
                            entries_read=1 + rows, omitted=(("bad header", rows),) if rows else ())
    for h in header:
        if h not in CSV_COLUMNS and h not in OPTIONAL_COLUMNS:
            warnings.append(SkippedEntry(1, h, f"unknown column {h!r} ignored", "unknown column"))

    registry = AliasRegistry.with_countries(countries)
    ids: dict[str, int] = {}
    records: list[ActorRecord] = []
    skipped: list[SkippedEntry] = []
    entries = 0
    prev_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            entries += 1
            skipped.append(SkippedEntry(prev_end + 1, "", f"unreadable CSV: {exc}", "unreadable line"))
            prev_end = reader.line_num
            continue
        line = prev_end + 1
        prev_end = reader.line_num
        if not any(c.strip() for c in row):
            continue
        entries += 1
        raw = shorten(",".join(row))
        if len(row) != len(header):
            skipped.append(SkippedEntry(line, raw, f"{len(row)} cells, the header has {len(header)} "
                                        "(quote cells that contain commas)", "wrong cell count"))
            continue
        cells = dict(zip(header, row))
        lists = {k: _split(cells.get(k, "")) for k in _LISTS}
        rec = ActorRecord(
            id=cells["id"].strip(), name_en=clean_alias(cells["name_en"]), type=cells["type"].strip(),
            entity_type=_opt(cells["entity_type"]), country=_opt(cells["country"]),
            sector=_opt(cells["sector"]), qid=_opt(cells["qid"]),
            aliases_ar=lists["aliases_ar"], aliases_en=lists["aliases_en"], nominal_ar=lists["nominal_ar"],
            ambiguous_ar=lists["ambiguous_ar"], affiliations=lists["affiliations"],
            note=_opt(clean_alias(cells.get("note", "") or "")))
        problems = check_record(rec, countries)
        if rec.id in rec.affiliations:
            problems.append("an actor cannot be affiliated with itself")
        if problems:
            skipped.append(SkippedEntry(line, raw, "; ".join(dict.fromkeys(problems)), "invalid row"))
            continue
        if rec.id in ids:
            skipped.append(SkippedEntry(line, raw, f"duplicate id {rec.id!r} (first on line {ids[rec.id]})",
                                        "duplicate"))
            continue
        clashes = []
        for alias in rec.aliases_ar:
            owner = registry.owner(alias)
            if owner is not None:
                clashes.append(f"alias {alias!r} is already {owner[0]}'s"
                               + (f" (line {owner[1]})" if owner[1] else ""))
        if clashes:
            skipped.append(SkippedEntry(line, raw, "; ".join(clashes) + " (use ambiguous_ar for shared names)",
                                        "alias clash"))
            continue
        ids[rec.id] = line
        for alias in rec.aliases_ar:
            registry.claim(alias, f"actor {rec.id}", line)
        records.append(rec)
    known = set(ids)
    for rec in records:
        for ref in rec.affiliations:
            if ref not in known:
                warnings.append(SkippedEntry(ids[rec.id], rec.id, f"affiliation {ref!r} is not an id of this file "
                                             "(it must exist in the knowledge base it is merged into)",
                                             "unknown affiliation"))
    return ImportResult(str(path), "csv", encoding, tuple(records), tuple(skipped), tuple(warnings),
                        lines_read=lines_read, entries_read=entries)


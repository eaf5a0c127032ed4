"""Importers of users' actor dictionaries (hadath/actors/importers).

The shared PETRARCH dictionaries live in ../shared (never in the repository):
those tests skip when it is absent.  Hand-made samples in tests/fixtures/kb
cover the formats' corners and malformed lines.
"""
from __future__ import annotations

import bz2
import gzip
import json
import shutil
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from hadath.actors.importers import (
    OPEN_START, ImportResult, check_record, import_report, load_country_index, parse_actor_csv,
    parse_petrarch_actors, parse_petrarch_agents, parse_wikidata_dump, record_to_dict,
    write_actors_jsonl,
)
from hadath.actors.records import ActorRecord, load_records

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EVENTS = SHARED / "data" / "events"
AR_DIR = EVENTS / "universalpetrarch_arabic" / "dictionaries_arabic_branch"
EN_DIR = EVENTS / "petrarch2_english"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "kb"

SHARED_FILES = {
    "ar_actors": (AR_DIR / "actor_dict_ar_v4.txt", parse_petrarch_actors),
    "ar_agents": (AR_DIR / "agents.all.ar.txt", parse_petrarch_agents),
    "en_countries": (EN_DIR / "Phoenix.Countries.actors.txt", parse_petrarch_actors),
    "en_international": (EN_DIR / "Phoenix.International.actors.txt", parse_petrarch_actors),
    "en_milnonstate": (EN_DIR / "Phoenix.MilNonState.actors.txt", parse_petrarch_actors),
    "en_agents": (EN_DIR / "Phoenix.agents.txt", parse_petrarch_agents),
}
# (entries read, imported) ranges: wide enough for small dictionary edits, narrow enough
# to catch a parser that drops or invents entries.
PLAUSIBLE = {
    "ar_actors": ((5000, 7000), (2500, 4500)),
    "ar_agents": ((1700, 2300), (1200, 2000)),
    "en_countries": ((16000, 20000), (15000, 19500)),
    "en_international": ((7000, 8500), (5000, 7500)),
    "en_milnonstate": ((900, 1100), (850, 1050)),
    "en_agents": ((2000, 2500), (1900, 2400)),
}


@pytest.fixture(scope="module")
def countries():
    return load_country_index()


@pytest.fixture(scope="module")
def shared() -> dict[str, ImportResult]:
    missing = [str(p) for p, _ in SHARED_FILES.values() if not p.exists()]
    if not SHARED.exists() or missing:
        pytest.skip(f"needs the PETRARCH dictionaries under {EVENTS} (the ../shared data folder beside "
                    f"the repository); missing: {', '.join(missing) or SHARED}")
    return {key: parse(path) for key, (path, parse) in SHARED_FILES.items()}


def _by_alias(result: ImportResult) -> dict[str, ActorRecord]:
    out: dict[str, ActorRecord] = {}
    for rec in result.records:
        for alias in rec.aliases_ar + rec.aliases_en:
            out.setdefault(alias, rec)
    return out


def _load_with_hadath(records, tmp_path: Path, placeholder_arabic: bool = False) -> list[ActorRecord]:
    """Run hadath's own loader on ``records`` beside the bundled countries.jsonl.

    English-only records lack the Arabic names the Arabic knowledge base requires; with
    ``placeholder_arabic`` each gets a unique made-up Arabic alias (and office title) so
    that every *other* rule is still checked by the loader itself.
    """
    if placeholder_arabic:
        digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
        fixed = []
        for i, rec in enumerate(records):
            obj = record_to_dict(rec)
            if not obj["aliases_ar"]:
                obj["aliases_ar"] = [f"اسم رقم {str(i).translate(digits)}"]
            for office in obj["offices"]:
                office["office_ar"] = office["office_ar"] or ["منصب"]
            fixed.append(obj)
        tmp_path.mkdir(parents=True, exist_ok=True)
        (tmp_path / "actors.jsonl").write_text(
            "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in fixed), encoding="utf-8")
    else:
        tmp_path.mkdir(parents=True, exist_ok=True)
        write_actors_jsonl(records, tmp_path / "actors.jsonl")
    shutil.copy(resources.files("hadath.actors") / "data" / "countries.jsonl", tmp_path / "countries.jsonl")
    _, actors = load_records(tmp_path)
    return actors


# -- the shared dictionaries ---------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(SHARED_FILES))
def test_shared_file_counts(shared, key):
    result = shared[key]
    (lo_read, hi_read), (lo_imp, hi_imp) = PLAUSIBLE[key]
    assert lo_read <= result.entries_read <= hi_read, result.entries_read
    assert lo_imp <= result.imported <= hi_imp, result.imported
    assert result.entries_read == result.imported + len(result.places) + result.skipped_total
    assert result.encoding == "utf-8"
    assert "internal error" not in result.skipped_by_category
    assert all(s.reason and s.category and s.line >= 1 for s in result.skipped)
    assert len({r.id for r in result.records}) == result.imported
    assert result.language == ("ar" if key.startswith("ar_") else "en")


@pytest.mark.parametrize("key", sorted(SHARED_FILES))
def test_shared_records_pass_hadath_rules(shared, countries, key):
    result = shared[key]
    arabic = key.startswith("ar_")
    problems = [(r.id, p) for r in result.records for p in check_record(r, countries, require_arabic=arabic)]
    assert problems == []
    if arabic:
        assert all(r.aliases_ar for r in result.records)
    else:
        assert all(not r.aliases_ar and r.aliases_en for r in result.records)


@pytest.mark.parametrize("key", ["ar_actors", "ar_agents", "en_milnonstate", "en_international"])
def test_shared_records_load_with_hadath_loader(shared, tmp_path, key):
    result = shared[key]
    loaded = _load_with_hadath(result.records, tmp_path / key, placeholder_arabic=not key.startswith("ar_"))
    assert len(loaded) == result.imported


def test_arabic_actor_entries(shared):
    result = shared["ar_actors"]
    by = _by_alias(result)
    maliki = by["نوري المالكي"]                 # نوري_المالكي_ [IRQGOV 20101221-20140908] [IRQELI 20140908-20161010]
    assert (maliki.type, maliki.entity_type, maliki.country, maliki.sector) == ("person", "PER", "IRQ", "GOV")
    assert [(t.sector, t.start, t.end) for t in maliki.offices] == [
        ("GOV", date(2010, 12, 21), date(2014, 9, 8)), ("ELI", date(2014, 9, 8), date(2016, 10, 10))]
    assert [t.sector for t in maliki.offices_on(date(2012, 1, 1))] == ["GOV"]
    assert maliki.offices[0].office_ar == ("نوري المالكي",)
    assert "CAMEO IRQGOV" in maliki.name_en and "no English name" in maliki.note
    assert maliki.id.startswith("petrarch_ar_")

    cameron = by["ديفيد كاميرون"]               # [GBRGOV 20100511-20160713] [GBROPP 20051206-20100511]
    assert (cameron.country, cameron.sector) == ("GBR", "GOV")
    assert {(t.sector, t.start) for t in cameron.offices} == {("GOV", date(2010, 5, 11)), ("OPP", date(2005, 12, 6))}

    nayef = by["أمير محمد بن نايف"]            # [SAUGOV >20121105]
    assert [(t.start, t.end) for t in nayef.offices] == [(date(2012, 11, 5), None)]
    absi = by["العبسي"]                           # [PSEUAF <20081210]
    assert absi.type == "person" and [(t.start, t.end) for t in absi.offices] == [(OPEN_START, date(2008, 12, 10))]

    hamas = by["حماس"]                            # حماس [PSEREB 20140908-20161010], then 9 repeats
    assert (hamas.type, hamas.entity_type, hamas.country, hamas.sector) == ("armed_group", "ORG", "PSE", "REB")
    assert by["حركة حماس"].type == "armed_group"
    au = by["اتحاد أفريقي"]                      # اتحاد_أفريقي_ [IGOGOV]
    assert (au.type, au.country, au.sector) == ("igo", "IGO", "IGO")
    army = by["جيش"]                              # جيش [MIL]: a generic agent, country from context
    assert (army.type, army.entity_type, army.country, army.sector) == ("generic", None, None, "MIL")
    assert "أمين عام لأمة المتحدة" in by       # أمين_عام_ل_أمة_المتحدة_: the clitic ل glued back

    skipped = {s.line: s for s in result.skipped}
    assert skipped[1].category == "place or country name"        # غزة [PSE]
    assert skipped[110].category == "duplicate" and "line 24" in skipped[110].reason


def test_arabic_agent_entries(shared):
    result = shared["ar_agents"]
    by = _by_alias(result)
    sep = by["armed separatist"]                 # ARMED_SEPARATIST [~REB]انفصالي مسلحي
    assert sep.aliases_ar == ("انفصالي مسلحي",) and sep.sector == "REB" and sep.type == "generic"
    assert "armed separatists" in sep.aliases_en
    displaced = by["النازحين"]                   # DISPLACED_PEOPLE {} [~REF]النازحين
    assert displaced.type == "population" and displaced.sector == "REF"
    assert displaced.aliases_en == ("displaced people",)            # {}: no plural
    patrols = by["armed patrols"]                # [~MIL]حرس/خفر/دورية مسلحة
    assert patrols.aliases_ar == ("حرس", "خفر", "دورية مسلحة")
    skipped = {s.line: s for s in result.skipped}
    assert skipped[16].category == "Arabic name taken"           # LIBERATION_FRONT_ جبهة التحرير (line 10 has it)
    assert skipped[534].category == "no code"                     # CHIEF_JUSTICE_OF_THE_SUPREME_COURT


def test_english_country_actor_entries(shared):
    result = shared["en_countries"]
    by = _by_alias(result)
    massoud = by["Ahmed Shah Massoud"]            # [AFGREB 19790706-20110909]
    assert (massoud.type, massoud.country, massoud.sector) == ("person", "AFG", "REB")
    assert [(t.start, t.end) for t in massoud.offices] == [(date(1979, 7, 6), date(2011, 9, 9))]
    assert massoud.aliases_ar == () and "English-only" in massoud.note
    ghani = by["Ashraf Ghani"]                    # + 2 synonyms, [AFGGOVBUS 20020602-20041214], [AFGELI]
    assert ghani.aliases_en == ("Ashraf Ghani", "Foreign Minister Ashraf Ghani", "Foreign Minister Ghani")
    assert ghani.sector == "ELI" and [t.sector for t in ghani.offices] == ["GOV"]
    ghafoorzai = by["Abdul Rahim Ghafoorzai"]     # YYMMDD dates: [AFGGOV 970811-970821]
    assert ghafoorzai.offices[0].start == date(1997, 8, 11)
    josipovic = by["Ivo Josipovic"]               # codeless IVO_JOSIPOVIC_ joined with the next lines
    assert josipovic.id == "petrarch_ivo_josipovic"
    assert {"President Josipovic", "Josipovic"} <= set(josipovic.aliases_en)
    assert josipovic.country == "HRV"
    assert by["David Cameron"].offices[0].start == date(2010, 5, 1)   # >201005011: first 8 digits, as PETRARCH
    assert "Afghanistan" not in by                # AFGHANISTAN_ [AFG]: a country, skipped
    assert any(s.line == 45 and s.category == "place or country name" for s in result.skipped)


def test_english_international_and_nonstate_entries(shared):
    intl = _by_alias(shared["en_international"])
    annan = intl["Kofi Annan"]                    # [IGOUNO 970101-061231] [ELI]
    assert (annan.type, annan.country, annan.sector) == ("person", "UNO", "IGO")
    assert "K. Annan" in annan.aliases_en
    assert [(t.country, t.start, t.end) for t in annan.offices] == [("UNO", date(1997, 1, 1), date(2006, 12, 31))]
    nato = intl["NATO"]                            # NATO_ +NORTH_ATLANTIC_TREATY_ORGANIZATION_ [IGOWSTNAT]
    assert (nato.type, nato.country) == ("igo", "IGO") and "North Atlantic Treaty Organization" in nato.aliases_en
    solana = intl["Javier Solana"]                 # [IGOEUREEC 950701-951231][IGOWSTNAT 951205-991006] inline
    assert [t.country for t in solana.offices] == ["EUR", "IGO"]
    merck = intl["Merck and Company Inc"]          # [MNCUSAHLH]
    assert (merck.type, merck.country, merck.sector) == ("company", "USA", "BUS")
    assert any(s.category == "no hadath country" and "UNOCAL" in s.text for s in shared["en_international"].skipped)

    mns = shared["en_milnonstate"]
    by = _by_alias(mns)
    abu_nidal = by["Abu Nidal Organization"]       # [IMGMUSALQ] + 4 synonyms
    assert (abu_nidal.type, abu_nidal.country, abu_nidal.sector) == ("armed_group", "IMG", "REB")
    assert "Fatah Revolutionary Council" in abu_nidal.aliases_en
    aden = by["Aden Abyan Islamic Army (AAIA)"]    # a '+' inside a synonym line splits it
    assert aden.country == "YEM" and "Islamic Aden Army" in aden.aliases_en
    assert by["KACH"].country == "IMG"             # KACH_ [MEAREB]: a regional armed group
    assert by["Zulkarnaen"].type == "person"       # comment "operational commander jma"
    assert any(s.line == 36 and s.category == "no hadath country" for s in mns.skipped)   # [KKLREB]


def test_english_agents(shared):
    by = _by_alias(shared["en_agents"])
    police = by["police"]                          # POLICE {} [~COP]
    assert police.sector == "COP" and police.aliases_en == ("police",)
    assert by["policewomen"].sector == "COP"       # POLICE!PERSON! expanded
    assert by["attorney general"].sector == "GOV"
    assert by["minister of defense"].sector == "GOV"   # !MINIST! OF_DEFENSE [~GOVMIL]
    assert by["troops"].sector == "MIL"           # regular plural generated


def test_import_report(shared):
    text = import_report(shared.values())
    for path, _ in SHARED_FILES.values():
        assert path.name in text
    assert "duplicate" in text and "place or country name" in text


# -- hand-made samples: malformed lines give skips with reasons --------------------------

def test_arabic_sample_with_malformed_lines(countries, tmp_path):
    result = parse_petrarch_actors(FIXTURES / "actors_ar_sample.txt")
    reasons = {s.line: s.category for s in result.skipped}
    assert reasons == {
        2: "orphan line", 12: "place or country name", 13: "no name", 14: "no code",
        17: "unparseable date restriction", 20: "no hadath country", 21: "malformed code", 22: "duplicate",
        23: "no hadath country", 28: "place or country name", 30: "no Arabic name",
    }
    by = _by_alias(result)
    samir = by["سمير الخطيب"]
    assert samir.name_en == "Samir al-Khatib"      # from the '# en:' comment
    assert [(t.sector, t.start, t.end) for t in samir.offices] == [
        ("GOV", date(2018, 10, 25), date(2020, 5, 7)), ("ELI", date(2020, 5, 8), None)]
    assert by["التجديد الوطني"] is by["حركة التجديد"]
    assert by["فاعل مؤقت"].offices[0].end is None  # 18000101 end date: open
    assert "الوساطة" in by                          # ال_وساطة_ glued
    assert "ما بعد التوقف" not in by                # after ---STOP---
    assert any(w.category == "placeholder dates" for w in result.warnings)
    assert result.entries_read == result.imported + len(result.skipped) == 17
    assert _load_with_hadath(result.records, tmp_path)


def test_english_sample_with_malformed_lines(countries):
    result = parse_petrarch_actors(FIXTURES / "actors_en_sample.txt")
    reasons = {s.line: s.category for s in result.skipped}
    assert reasons == {12: "null code", 13: "bad characters", 17: "unparseable date restriction",
                       19: "unparseable date restriction", 22: "no hadath country", 23: "duplicate"}
    by = _by_alias(result)
    assert by["John Example"].sector == "ELI" and by["John Example"].offices[0].start == date(2009, 1, 20)
    assert by["President John Example"] is by["John Example"]
    assert (by["Acme Widgets Inc"].type, by["Acme Widgets Inc"].country) == ("company", "USA")
    assert (by["Global Relief Network"].type, by["Global Relief Network"].country) == ("ngo", "NGO")
    assert by["First and Second Name"] is by["First Name Only"]
    assert len(by["Rogue Date"].offices) == 1      # the 7-digit date dropped, the good one kept
    assert (by["Rebel Front"].country, by["Rebel Front"].type) == ("IMG", "armed_group")
    assert all(check_record(r, countries, require_arabic=False) == [] for r in result.records)


def test_agents_sample(countries):
    result = parse_petrarch_agents(FIXTURES / "agents_ar_sample.txt")
    reasons = {s.line: s.category for s in result.skipped}
    assert reasons == {8: "Arabic name taken", 9: "duplicate", 10: "no code", 12: "unmapped code",
                       13: "no Arabic name", 14: "unreadable line"}
    by = _by_alias(result)
    assert by["النازحين"] is by["المهجرين"]
    assert by["شرطي"].aliases_en == ("policeman", "policemen", "policewoman", "policewomen", "policeperson")
    assert by["النائب العام"].aliases_en == ("attorney general", "attorneys general")
    assert by["هيئة حقوقية"].sector == "NGO"        # [NGO~]
    assert by["دورية شرطة"].sector == "COP"         # [~COP} typo read with a warning
    assert all(check_record(r, countries) == [] for r in result.records)


def test_csv_import(tmp_path, countries):
    result = parse_actor_csv(FIXTURES / "actors_sample.csv")
    assert [r.id for r in result.records] == ["renewal_party", "lbn_protesters", "samir_khatib"]
    reasons = {s.line: s for s in result.skipped}
    assert {line: s.category for line, s in reasons.items()} == {
        6: "invalid row", 7: "invalid row", 8: "invalid row", 9: "invalid row", 10: "duplicate",
        11: "alias clash", 12: "alias clash", 13: "wrong cell count", 14: "invalid row", 15: "invalid row"}
    assert "must be lower-case" in reasons[6].reason
    assert "aliases_ar must not be empty" in reasons[7].reason
    assert "unknown type 'wizard'" in reasons[8].reason
    assert "'XYZ'" in reasons[9].reason
    assert "country IRQ" in reasons[12].reason
    assert "non-Arabic" in reasons[15].reason
    assert result.records[2].aliases_en == ("Samir al-Khatib", "Samir Khatib")
    assert result.records[1].entity_type is None and result.records[1].country == "LBN"
    assert _load_with_hadath(result.records, tmp_path)


def test_csv_bad_header(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,name,type\nx,y,person\n", encoding="utf-8")
    result = parse_actor_csv(path)
    assert result.records == () and result.skipped[0].category == "bad header"
    assert "name_en" in result.skipped[0].reason
    assert result.entries_read == result.imported + result.skipped_total


@pytest.mark.parametrize("compress", [None, "gz", "bz2"])
def test_wikidata_sample(tmp_path, compress, countries):
    path = FIXTURES / "wikidata_sample.json"
    if compress:
        packed = tmp_path / f"dump.json.{compress}"
        packed.write_bytes((gzip.compress if compress == "gz" else bz2.compress)(path.read_bytes()))
        path = packed
    result = parse_wikidata_dump(path)
    by = {r.qid: r for r in result.records}
    person = by["Q990000001"]
    assert (person.id, person.type, person.country) == ("wd_q990000001", "person", "IRQ")
    assert person.aliases_ar == ("سمير الخطيب", "الوزير سمير الخطيب")
    minister, member = person.offices
    assert (minister.office_ar, minister.start, minister.end, minister.sector) == (
        ("وزير خارجية العراق",), date(2018, 10, 25), date(2020, 5, 7), "GOV")
    assert (member.start, member.end, member.sector) == (date(2021, 1, 1), None, "LEG")   # year precision
    assert "not exact" in member.note
    party = by["Q990000004"]
    assert (party.type, party.country, party.sector) == ("party", "LBN", "PTY")
    (place,) = result.places
    assert (place.name_en, place.country, place.feature, place.population) == ("Wadi al-Salam", "LBN", "city", 1200)
    cats = result.skipped_by_category
    assert cats["country"] == 1 and cats["unreadable line"] == 1
    assert cats["person without a position held (P39)"] == 1
    assert any(w.category == "office without start" for w in result.warnings)
    assert result.entries_read == result.imported + len(result.places) + result.skipped_total == 8
    assert all(check_record(r, countries) == [] for r in result.records)
    assert _load_with_hadath(result.records, tmp_path / "kb")


def test_no_crash_on_garbage(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(b"\xff\xfe[[[\n+\n\t[\n]]]\n\x00\x01 [ABC\n+SYN [X]\nNAME [GOV <]\nNAME2 [USAGOV 1-2]\n"
                     b"NAME3 [USAGOV >20200230]\n")
    for parse in (parse_petrarch_actors, parse_petrarch_agents, parse_actor_csv, parse_wikidata_dump):
        result = parse(path)
        assert result.imported == 0
        assert result.entries_read == result.imported + len(result.places) + result.skipped_total
    assert parse_petrarch_actors(path).encoding == "cp1252"


def test_reconcile_with_bundled_knowledge_base(shared, tmp_path):
    """The Arabic imports, made to fit beside the bundled actors, load as one knowledge base."""
    from hadath.actors.importers import reconcile
    from hadath.actors.kb import KnowledgeBase

    _, bundled = load_records()
    actors = reconcile(shared["ar_actors"], bundled)
    agents = reconcile(shared["ar_agents"], list(bundled) + list(actors.records))
    assert actors.entries_read == actors.imported + actors.skipped_total
    assert actors.imported > 2500 and agents.imported > 1200
    assert not any(r.id == b.id for r in actors.records for b in bundled[:5])
    loaded = _load_with_hadath(list(bundled) + list(actors.records) + list(agents.records), tmp_path)
    assert len(loaded) == len(bundled) + actors.imported + agents.imported
    countries, _ = load_records()
    kb = KnowledgeBase.from_records(countries, loaded)
    assert any(r.id in kb.actors for r in actors.records[:10])
    english = reconcile(shared["en_milnonstate"], bundled)
    assert english.imported == 0 and english.skipped_by_category["no Arabic name"] == shared["en_milnonstate"].imported
    kept = reconcile(shared["en_milnonstate"], bundled, keep_english_only=True)
    assert kept.imported == shared["en_milnonstate"].imported

"""Checks of the starter actor knowledge base (hadath/actors/data)."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from hadath.actors.records import (
    ACTOR_TYPES, SECTORS, SHARED_ALIASES, SPECIAL_COUNTRY_CODES, ActorRecord, CountryRecord,
    load_records,
)
from hadath.text.normalize import fold

DATA = resources.files("hadath.actors") / "data"


@pytest.fixture(scope="module")
def kb() -> tuple[list[CountryRecord], list[ActorRecord]]:
    return load_records()


@pytest.fixture(scope="module")
def countries(kb) -> dict[str, CountryRecord]:
    return {c.iso3: c for c in kb[0]}


@pytest.fixture(scope="module")
def actors(kb) -> dict[str, ActorRecord]:
    return {a.id: a for a in kb[1]}


@pytest.fixture(scope="module")
def by_alias(kb) -> dict[str, ActorRecord]:
    index: dict[str, ActorRecord] = {}
    for actor in kb[1]:
        for alias in actor.aliases_ar:
            index[fold(alias)] = actor
    return index


def _raw(name: str) -> list[dict]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# --------------------------------------------------------------------- loading

def test_files_load(kb):
    countries, actors = kb
    assert len(countries) >= 195
    assert len(actors) >= 250


def test_every_line_is_one_record():
    for name in ("countries.jsonl", "actors.jsonl"):
        for obj in _raw(name):
            assert isinstance(obj, dict) and "format_version" not in obj


def test_ids_unique():
    ids = [obj["id"] for obj in _raw("actors.jsonl")]
    assert len(ids) == len(set(ids))
    iso3 = [obj["iso3"] for obj in _raw("countries.jsonl")]
    assert len(iso3) == len(set(iso3))


def test_types_and_sectors_known(kb):
    for actor in kb[1]:
        assert actor.type in ACTOR_TYPES, actor.id
        assert actor.sector in SECTORS, actor.id
        for term in actor.offices:
            assert term.sector in SECTORS, actor.id


def test_country_codes_exist(countries, kb):
    valid = set(countries) | SPECIAL_COUNTRY_CODES
    for actor in kb[1]:
        if actor.country is None:
            assert actor.type in ("population", "generic"), actor.id
        else:
            assert actor.country in valid, actor.id
        for term in actor.offices:
            assert term.country in valid, (actor.id, term.office_en)


def test_references_resolve(actors):
    for actor in actors.values():
        for ref in actor.affiliations:
            assert ref in actors and ref != actor.id, (actor.id, ref)
        for term in actor.offices:
            assert term.org is None or term.org in actors, (actor.id, term.org)


def test_no_arabic_alias_shared_between_actors(kb):
    """Independent of the loader's own check: an alias (by matching key) names one record."""
    countries, actors = kb
    allowed = {fold(a) for a in SHARED_ALIASES}
    owners: dict[str, set[str]] = defaultdict(set)
    for c in countries:
        for name in c.names_ar:
            owners[fold(name)].add(c.iso3)
    for a in actors:
        for alias in a.aliases_ar:
            owners[fold(alias)].add(a.id)
    clashes = {k: v for k, v in owners.items() if len(v) > 1 and k not in allowed}
    assert not clashes


def test_ambiguous_forms_are_not_someone_elses_alias(by_alias, kb):
    for actor in kb[1]:
        for form in actor.ambiguous_ar:
            owner = by_alias.get(fold(form))
            assert owner is None or owner.id == actor.id, (actor.id, form, owner and owner.id)


def test_aliases_are_clean_arabic(kb):
    for actor in kb[1]:
        for alias in actor.aliases_ar + actor.nominal_ar + actor.ambiguous_ar:
            assert alias == alias.strip() and "  " not in alias
            assert any("\u0600" <= ch <= "\u06ff" for ch in alias), (actor.id, alias)
            # proclitics are the matcher's job
            assert not alias.startswith(("وال", "بال", "لل")), (actor.id, alias)


# --------------------------------------------------------------------- offices

def test_office_dates_parse_and_are_ordered():
    today = date.today()
    for obj in _raw("actors.jsonl"):
        for term in obj["offices"]:
            start = date.fromisoformat(term["start"])
            assert start <= today, (obj["id"], term)
            if term["end"] is not None:
                end = date.fromisoformat(term["end"])
                assert start <= end <= today, (obj["id"], term)


def test_single_holder_offices_do_not_overlap(kb):
    """Two different people never hold the same office on the same day (a handover
    day may appear as the end of one term and the start of the next)."""
    terms = defaultdict(list)
    for actor in kb[1]:
        for term in actor.offices:
            terms[term.office_en].append((term.start, term.end or date.max, actor.id))
    for office, spans in terms.items():
        spans.sort()
        for (s1, e1, a1), (s2, e2, a2) in zip(spans, spans[1:]):
            if a1 != a2:
                assert s2 >= e1, f"{office}: {a1} until {e1} overlaps {a2} from {s2}"


def test_persons_with_offices(kb):
    persons = [a for a in kb[1] if a.type == "person"]
    assert sum(1 for p in persons if p.offices) >= 150
    for p in persons:
        assert p.entity_type == "PER"


# --------------------------------------------------------------------- key facts

def test_khalil_al_hayya(by_alias, actors):
    hayya = by_alias[fold("خليل الحية")]
    assert hayya.name_en == "Khalil al-Hayya"
    assert hayya.type == "person" and hayya.country == "PSE"
    assert "hamas" in hayya.affiliations
    assert actors["hamas"].country == "PSE" and actors["hamas"].sector == "REB"


def test_netanyahu_prime_minister_terms(by_alias):
    bibi = by_alias[fold("نتنياهو")]
    assert bibi.id == "benjamin_netanyahu" and bibi.qid == "Q43723"
    on_day = bibi.offices_on(date(2023, 2, 27))
    assert [t.office_en for t in on_day] == ["Prime Minister of Israel"]
    assert on_day[0].country == "ISR" and on_day[0].sector == "GOV"
    assert not bibi.offices_on(date(2022, 1, 1))          # Bennett's government
    assert len([t for t in bibi.offices if t.office_en == "Prime Minister of Israel"]) == 3


def _holders(kb, office_en: str, day: date) -> list[str]:
    return [a.id for a in kb[1] for t in a.offices if t.office_en == office_en and t.active_on(day)]


def test_office_titles_resolve_by_date(kb):
    assert _holders(kb, "Prime Minister of Israel", date(2021, 12, 1)) == ["naftali_bennett"]
    assert _holders(kb, "Prime Minister of Israel", date(2022, 9, 1)) == ["yair_lapid"]
    assert _holders(kb, "President of the United States", date(2023, 5, 1)) == ["joe_biden"]
    assert _holders(kb, "President of the United States", date(2019, 5, 1)) == ["donald_trump"]
    assert _holders(kb, "President of the United States", date(2025, 6, 1)) == ["donald_trump"]
    assert _holders(kb, "Secretary-General of Hezbollah", date(2024, 10, 10)) == []
    assert _holders(kb, "Head of the Hamas political bureau", date(2023, 3, 1)) == ["ismail_haniyeh"]
    assert _holders(kb, "President of Syria", date(2023, 3, 1)) == ["bashar_al_assad"]
    assert _holders(kb, "Minister of Defense of Israel", date(2023, 3, 1)) == ["yoav_gallant"]


def test_seed_article_actors(by_alias, actors):
    """The actors of the project's seed article (factions meeting in Damascus, 2023)."""
    expect = {
        "فصائل المقاومة الفلسطينية": ("pse_resistance_factions", "PSE", "REB"),
        "الفصائل الفلسطينية": ("pse_resistance_factions", "PSE", "REB"),
        "حركة حماس": ("hamas", "PSE", "REB"),
        "حماس": ("hamas", "PSE", "REB"),
        "خليل الحية": ("khalil_al_hayya", "PSE", "REB"),
        "حسام بدران": ("husam_badran", "PSE", "REB"),
        "أسامة حمدان": ("osama_hamdan", "PSE", "REB"),
        "نتنياهو": ("benjamin_netanyahu", "ISR", "GOV"),
        "السلطة الفلسطينية": ("pa", "PSE", "GOV"),
        "سلطات الاحتلال": ("isr_gov", "ISR", "GOV"),
        "الحكومة الإسرائيلية": ("isr_gov", "ISR", "GOV"),
        "قوات الاحتلال": ("isr_idf", "ISR", "MIL"),
        "جيش الاحتلال": ("isr_idf", "ISR", "MIL"),
        "المستوطنين": ("isr_settlers", "ISR", "SET"),
        "الشعب السوري": ("syr_people", "SYR", "CVL"),
        "الأسرى الفلسطينيين": ("pse_prisoners", "PSE", "CVL"),
    }
    for text, (actor_id, country, sector) in expect.items():
        actor = by_alias.get(fold(text))
        assert actor is not None, text
        assert (actor.id, actor.country, actor.sector) == (actor_id, country, sector), text
    assert "الفصائل" in actors["pse_resistance_factions"].nominal_ar
    assert "السلطة" in actors["pa"].nominal_ar
    assert actors["isr_idf"].type == "military"


def test_named_actors_from_the_brief(by_alias):
    for text, actor_id in {
        "داعش": "isis", "تنظيم الدولة": "isis", "الدولة الإسلامية": "isis", "تنظيم داعش": "isis",
        "حزب الله": "hezbollah", "الحوثيون": "houthis", "أنصار الله": "houthis",
        "قسد": "sdf", "هيئة تحرير الشام": "hts", "الحرس الثوري": "irgc",
        "الجيش الإسرائيلي": "isr_idf", "الأونروا": "unrwa", "مجلس الأمن": "unsc",
        "جامعة الدول العربية": "arab_league", "الناتو": "nato", "قوات الدعم السريع": "rsf",
        "أردوغان": "recep_tayyip_erdogan", "بوتين": "vladimir_putin", "السيسي": "abdel_fattah_el_sisi",
        "محمد بن سلمان": "mohammed_bin_salman", "أبو مازن": "mahmoud_abbas", "الجولاني": "ahmed_al_sharaa",
        "حفتر": "khalifa_haftar", "حميدتي": "hemedti", "بن غفير": "itamar_ben_gvir",
        "الشاباك": "shin_bet", "الموساد": "mossad", "الليكود": "likud", "الكنيست": "knesset",
        "السلطة الوطنية الفلسطينية": "pa", "منظمة التحرير": "plo", "الجبهة الشعبية": "pflp",
        "الجهاد الإسلامي": "pij", "سرايا القدس": "quds_brigades", "كتائب القسام": "qassam_brigades",
    }.items():
        assert by_alias[fold(text)].id == actor_id, text


def test_hamza_variants_fold_together(by_alias):
    # the data lists one spelling; the matching key takes care of hamza/ta marbuta variants
    assert by_alias[fold("اسامة حمدان")].id == "osama_hamdan"
    assert by_alias[fold("الجيش الاسرائيلي")].id == "isr_idf"
    assert by_alias[fold("اردوغان")].id == "recep_tayyip_erdogan"


def test_ambiguous_words_are_not_plain_aliases(by_alias, actors):
    for word in ("فتح", "الأسد", "رئيسي", "القاعدة", "العربية", "الجزيرة", "بري", "عون"):
        assert fold(word) not in by_alias, word
    assert "فتح" in actors["fatah"].ambiguous_ar


# --------------------------------------------------------------------- countries

def test_country_basics(countries):
    for iso3 in ("PSE", "XKX", "TWN", "HKG", "ESH", "VAT", "ISR", "SYR", "USA"):
        assert iso3 in countries
    assert sum(1 for c in countries.values() if c.status == "un_member") == 193
    assert sum(1 for c in countries.values() if c.arab_league) == 22
    syr = countries["SYR"]
    assert syr.qid == "Q858" and syr.capital_ar == "دمشق" and syr.region == "MENA"
    assert (syr.demonym_ar_m, syr.demonym_ar_f, syr.demonym_ar_pl) == ("سوري", "سورية", "سوريون")
    assert countries["PSE"].qid == "Q219060" and countries["ISR"].qid == "Q801"
    assert "أمريكا" in countries["USA"].names_ar and "واشنطن" not in countries["USA"].names_ar


def test_demonyms(countries):
    with_dem = [c for c in countries.values() if c.demonym_ar_m]
    assert len(with_dem) >= 80
    must = ("SYR LBN JOR PSE ISR EGY IRQ IRN TUR SAU ARE QAT KWT BHR OMN YEM LBY TUN DZA MAR MRT SDN SOM "
            "DJI ERI ETH AFG PAK IND USA RUS CHN GBR FRA DEU ITA ESP").split()
    for iso3 in must:
        c = countries[iso3]
        assert c.demonym_ar_m and c.demonym_ar_f and c.demonym_ar_pl, iso3
        assert not c.demonym_ar_m.startswith("ال"), iso3
    assert countries["TUR"].demonym_ar_pl == "أتراك"
    assert "أميركي" in countries["USA"].demonyms_ar


def test_country_names_unique(countries):
    seen: dict[str, str] = {}
    for c in countries.values():
        for name in c.names_ar:
            key = fold(name)
            assert seen.setdefault(key, c.iso3) == c.iso3, (name, c.iso3, seen[key])


# --------------------------------------------------------------------- the loader's error reporting

def _write_kb(tmp_path: Path, actors: list[dict]) -> Path:
    (tmp_path / "countries.jsonl").write_text(
        (DATA / "countries.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "actors.jsonl").write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in actors), encoding="utf-8")
    return tmp_path


def _actor(**kw) -> dict:
    base = {"id": "x", "name_en": "X", "type": "armed_group", "entity_type": "ORG", "country": "PSE",
            "sector": "REB", "qid": None, "aliases_ar": ["جماعة إكس"], "aliases_en": ["X"],
            "nominal_ar": [], "offices": []}
    base.update(kw)
    return base


@pytest.mark.parametrize("bad, message", [
    (_actor(type="militia"), "unknown type 'militia'"),
    (_actor(sector="XYZ"), "unknown sector 'XYZ'"),
    (_actor(country="PAL"), "country 'PAL'"),
    (_actor(qid="30"), "qid"),
    (_actor(colour="red"), "unknown field 'colour'"),
    (_actor(offices=[{"office_en": "Head", "office_ar": ["رئيس"], "country": "PSE", "sector": "REB",
                      "start": "2020-05-01", "end": "2019-01-01"}]), "ends (2019-01-01) before it starts"),
    (_actor(offices=[{"office_en": "Head", "office_ar": ["رئيس"], "country": "PSE", "sector": "REB",
                      "start": "2020-02-30", "end": None}]), "not a real date"),
    (_actor(affiliations=["nobody"]), "affiliation 'nobody'"),
])
def test_loader_rejects_bad_records(tmp_path, bad, message):
    good = _actor(id="y", aliases_ar=["جماعة واي"])
    _write_kb(tmp_path, [good, bad])
    with pytest.raises(ValueError) as err:
        load_records(tmp_path)
    assert "actors.jsonl:2" in str(err.value) and message in str(err.value)


def test_loader_rejects_duplicate_id_and_alias_clash(tmp_path):
    _write_kb(tmp_path, [_actor(), _actor(aliases_ar=["جماعة زد"]), _actor(id="z", aliases_ar=["جماعة اكس"])])
    with pytest.raises(ValueError) as err:
        load_records(tmp_path)
    text = str(err.value)
    assert "actors.jsonl:2: duplicate id 'x'" in text
    assert "actors.jsonl:3: alias 'جماعة اكس' of actor z clashes" in text
    # an explicitly allowed shared alias passes
    _write_kb(tmp_path, [_actor(), _actor(id="z", aliases_ar=["جماعة اكس"])])
    assert len(load_records(tmp_path, shared_aliases=["جماعة إكس"])[1]) == 2


def test_loader_rejects_clash_with_country_name(tmp_path):
    _write_kb(tmp_path, [_actor(aliases_ar=["سوريا"])])
    with pytest.raises(ValueError, match=r"actors.jsonl:1: alias 'سوريا' of actor x clashes .* country SYR"):
        load_records(tmp_path)


def test_loader_rejects_bad_json_and_bad_country(tmp_path):
    _write_kb(tmp_path, [_actor()])
    with open(tmp_path / "actors.jsonl", "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    lines = (tmp_path / "countries.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[0])
    row["iso3"] = "xx1"
    lines[0] = json.dumps(row, ensure_ascii=False)
    (tmp_path / "countries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_records(tmp_path)
    assert "actors.jsonl:2: not valid JSON" in str(err.value)
    assert "countries.jsonl:1: bad iso3 'xx1'" in str(err.value)

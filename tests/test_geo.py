"""Tests for hadath.geo: the Arabic gazetteer and the place resolver."""
from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest

from hadath.doc import Place
from hadath.geo.gazetteer import DATA_DIR, FEATURES, Gazetteer, PlaceCandidate, default_gazetteer
from hadath.geo.resolve import rank, resolve

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def geocode(gaz, name, **kw):
    return gaz.geocode(name, **kw)


# --------------------------------------------------------------------------- the brief's examples
def test_aqaba_is_jordan(gaz):
    assert geocode(gaz, "العقبة").geonameid == 250774


def test_nablus_not_naples(gaz):
    p = geocode(gaz, "نابلس")
    assert p.geonameid == 282615 and p.country == "PSE"


def test_tripoli_libya_by_default_lebanon_in_context(gaz):
    assert geocode(gaz, "طرابلس").country == "LBY"
    assert geocode(gaz, "طرابلس", context_countries=["LBN"]).country == "LBN"
    assert geocode(gaz, "طرابلس", focus_country="LBN").country == "LBN"
    # an explicit focus beats a context mention
    assert geocode(gaz, "طرابلس", focus_country="LBY", context_countries=["LBN"]).country == "LBY"


def test_damascus_syria_never_maryland(gaz):
    assert geocode(gaz, "دمشق").geonameid == 170654
    assert geocode(gaz, "دمشق", focus_country="USA").geonameid == 170654


def test_jerusalem(gaz):
    assert geocode(gaz, "القدس").geonameid == 281184


def test_alexandria_egypt(gaz):
    p = geocode(gaz, "الإسكندرية")
    assert p.country == "EGY" and p.geonameid == 361058
    # a US focus alone does not turn it into the Virginia namesake (33x smaller)
    assert geocode(gaz, "الإسكندرية", focus_country="USA").country == "EGY"


def test_famous_city_beats_small_namesake_in_focus_country(gaz):
    assert geocode(gaz, "جنيف", focus_country="USA").geonameid == 2660646
    assert geocode(gaz, "جنيف", context_countries=["USA"]).country == "CHE"


def test_gaza_city_vs_strip(gaz):
    assert geocode(gaz, "غزة").geonameid == 281133
    strip = geocode(gaz, "قطاع غزة")
    assert strip.name_en == "Gaza Strip" and strip.feature == "region" and strip.country == "PSE"


# --------------------------------------------------------------------------- 25+ well-known places
KNOWN = [
    # name, expected geonameid or None, expected ISO3
    ("القاهرة", 360630, "EGY"),
    ("بيروت", 276781, "LBN"),
    ("بغداد", 98182, "IRQ"),
    ("الرياض", 108410, "SAU"),
    ("صنعاء", 71137, "YEM"),
    ("عدن", 415189, "YEM"),
    ("حلب", 170063, "SYR"),
    ("حمص", 169577, "SYR"),
    ("الموصل", 99072, "IRQ"),
    ("أربيل", 95446, "IRQ"),
    ("البصرة", 99532, "IRQ"),
    ("بنغازي", 88319, "LBY"),
    ("الخرطوم", 379252, "SDN"),
    ("الخليل", 285066, "PSE"),
    ("رام الله", 282239, "PSE"),
    ("بيت لحم", 284315, "PSE"),
    ("خان يونس", 281124, "PSE"),
    ("جنين", 283506, "PSE"),
    ("الدوحة", 290030, "QAT"),
    ("دبي", 292223, "ARE"),
    ("مسقط", 287286, "OMN"),
    ("المنامة", 290340, "BHR"),
    ("الرباط", 2538475, "MAR"),
    ("الدار البيضاء", 2553604, "MAR"),
    ("نواكشوط", 2377450, "MRT"),
    ("مقديشو", 53654, "SOM"),
    ("إدلب", 169389, "SYR"),
    ("دير الزور", 170794, "SYR"),
    ("الرقة", 172955, "SYR"),
    ("عفرين", 174186, "SYR"),
    ("تعز", 70225, "YEM"),
    ("الحديدة", 79415, "YEM"),
    ("مأرب", 72968, "YEM"),
    ("سرت", 2210554, "LBY"),
    ("درنة", 87205, "LBY"),
    ("طهران", 112931, "IRN"),
    ("أنقرة", 323786, "TUR"),
    ("إسطنبول", 745044, "TUR"),
    ("تل أبيب", 293397, "ISR"),
    ("حيفا", 294801, "ISR"),
    ("واشنطن", 4140963, "USA"),
    ("موسكو", 524901, "RUS"),
    ("باريس", 2988507, "FRA"),
    ("لندن", 2643743, "GBR"),
]


@pytest.mark.parametrize("name,gid,iso3", KNOWN, ids=[k[0] for k in KNOWN])
def test_known_places(gaz, name, gid, iso3):
    p = geocode(gaz, name)
    assert p is not None, name
    assert p.country == iso3
    if gid is not None:
        assert p.geonameid == gid


COUNTRIES = [
    ("مصر", "EGY"), ("سوريا", "SYR"), ("سورية", "SYR"), ("العراق", "IRQ"), ("الأردن", "JOR"),
    ("لبنان", "LBN"), ("فلسطين", "PSE"), ("إسرائيل", "ISR"), ("السعودية", "SAU"),
    ("المملكة العربية السعودية", "SAU"), ("الإمارات", "ARE"), ("اليمن", "YEM"), ("ليبيا", "LBY"),
    ("تونس", "TUN"), ("الجزائر", "DZA"), ("المغرب", "MAR"), ("السودان", "SDN"), ("إيران", "IRN"),
    ("تركيا", "TUR"), ("روسيا", "RUS"), ("الصين", "CHN"), ("الولايات المتحدة", "USA"),
    ("أمريكا", "USA"), ("أميركا", "USA"), ("بريطانيا", "GBR"), ("قطر", "QAT"), ("الكويت", "KWT"),
    ("عمان", "OMN"), ("سلطنة عمان", "OMN"),
]


@pytest.mark.parametrize("name,iso3", COUNTRIES, ids=[c[0] for c in COUNTRIES])
def test_countries(gaz, name, iso3):
    p = geocode(gaz, name)
    assert p.feature == "country" and p.country == iso3 and p.resolution == 1


def test_country_accessor(gaz):
    syr = gaz.country("SYR")
    assert syr.geonameid == 163843 and "سوريا" in syr.names
    assert gaz.country("xyz") is None


def test_country_vs_capital_by_focus(gaz):
    assert geocode(gaz, "عمان", focus_country="JOR").geonameid == 250441   # Amman
    assert geocode(gaz, "الجزائر").feature == "country"
    assert geocode(gaz, "الجزائر", prefer_feature="city").geonameid == 2507480  # Algiers


def test_adjectives_are_not_places(gaz):
    for adj in ("السوري", "الأمريكية", "الفلسطيني", "المصرية", "الإسرائيلي", "العربية", "سوري"):
        assert gaz.lookup(adj) == [], adj


# --------------------------------------------------------------------------- curated regions
REGIONS = [
    ("الضفة الغربية", "West Bank", "region", "PSE"),
    ("الجولان", "Golan Heights", "region", "SYR"),
    ("هضبة الجولان", "Golan Heights", "region", "SYR"),
    ("الجليل", "Galilee", "region", "ISR"),
    ("النقب", "Negev", "region", "ISR"),
    ("سيناء", "Sinai Peninsula", "region", "EGY"),
    ("شمال سيناء", "North Sinai Governorate", "province", "EGY"),
    ("المسجد الأقصى", "Al-Aqsa Mosque", "site", "PSE"),
    ("الأقصى", "Al-Aqsa Mosque", "site", "PSE"),
    ("الاقصى", "Al-Aqsa Mosque", "site", "PSE"),
    ("الحرم الإبراهيمي", "Ibrahimi Mosque", "site", "PSE"),
    ("كنيسة القيامة", "Church of the Holy Sepulchre", "site", "PSE"),
    ("معبر رفح", "Rafah crossing", "site", "PSE"),
    ("معبر كرم أبو سالم", "Kerem Shalom crossing", "site", "PSE"),
    ("معبر الكرامة", "Allenby / King Hussein Bridge crossing", "site", "PSE"),
    ("جسر الملك حسين", "Allenby / King Hussein Bridge crossing", "site", "PSE"),
    ("مخيم جنين", "Jenin refugee camp", "site", "PSE"),
    ("مخيم بلاطة", "Balata refugee camp", "site", "PSE"),
    ("مخيم نور شمس", "Nur Shams refugee camp", "site", "PSE"),
    ("مخيم عقبة جبر", "Aqabat Jabr refugee camp", "site", "PSE"),
    ("مخيم الشاطئ", "Beach refugee camp (al-Shati)", "site", "PSE"),
    ("مخيم جباليا", "Jabalia refugee camp", "site", "PSE"),
    ("مخيم اليرموك", "Yarmouk refugee camp", "site", "SYR"),
    ("مخيم عين الحلوة", "Ain al-Hilweh refugee camp", "site", "LBN"),
    ("الغوطة الشرقية", "Eastern Ghouta", "district", "SYR"),
    ("القلمون", "Qalamoun Mountains", "region", "SYR"),
    ("الأنبار", "Al Anbar Governorate", "province", "IRQ"),
    ("نينوى", "Nineveh Governorate", "province", "IRQ"),
    ("كردستان العراق", "Kurdistan Region", "region", "IRQ"),
    ("دارفور", "Darfur", "region", "SDN"),
    ("مضيق هرمز", "Strait of Hormuz", "water", None),
    ("باب المندب", "Bab el-Mandeb", "water", None),
    ("البحر الأحمر", "Red Sea", "water", None),
    ("البحر المتوسط", "Mediterranean Sea", "water", None),
    ("الخليج العربي", "Persian Gulf", "water", None),
]


@pytest.mark.parametrize("name,name_en,feature,iso3", REGIONS, ids=[r[0] for r in REGIONS])
def test_regions(gaz, name, name_en, feature, iso3):
    p = geocode(gaz, name)
    assert (p.name_en, p.feature, p.country) == (name_en, feature, iso3)
    assert p.lat is not None and p.lon is not None


def test_aqsa_is_in_jerusalem(gaz):
    aqsa, jlm = geocode(gaz, "الأقصى"), geocode(gaz, "القدس")
    assert abs(aqsa.lat - jlm.lat) < 0.05 and abs(aqsa.lon - jlm.lon) < 0.05
    assert aqsa.resolution == 5


def test_resolutions(gaz):
    assert geocode(gaz, "مخيم جنين").resolution == 5
    assert geocode(gaz, "جنين").resolution == 4
    assert geocode(gaz, "الغوطة الشرقية").resolution == 3
    assert geocode(gaz, "محافظة إدلب").resolution == 2
    assert geocode(gaz, "مصر").resolution == 1


def test_regions_file_is_valid_and_loaded(gaz):
    rows = [json.loads(line) for line in (DATA_DIR / "regions.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(rows) > 150
    by_gid = {c.geonameid: c for c in gaz.candidates if c.geonameid and c.feature != "country"}
    for row in rows:
        assert row["feature"] in FEATURES, row
        assert row["names_ar"] and row["name_en"], row
        assert row["country"] is None or (len(row["country"]) == 3 and row["country"].isupper()), row
        if row["lat"] is not None:
            assert -90 <= row["lat"] <= 90 and -180 <= row["lon"] <= 180, row
        for name in row["names_ar"]:
            assert gaz.lookup(name), (name, row["name_en"])
        if row["geonameid"] and row["feature"] != "country":
            # the index must hold the GeoNames city the entry adds names to
            # (rebuild with scripts/build_geo_index.py if this fails)
            assert by_gid[row["geonameid"]].source == "geonames", row


# --------------------------------------------------------------------------- lookup mechanics
def test_unknown_names_return_empty(gaz):
    for name in ("زمبلاكستان", "xyzzy", "", "   ", "قرية زمبلاكستان"):
        assert gaz.lookup(name) == []
        assert gaz.geocode(name) is None


def test_diacritics_and_tatweel(gaz):
    for variant in ("دِمَشْق", "دمـــشق", "دِمـشْـق"):
        assert geocode(gaz, variant).geonameid == 170654
    assert geocode(gaz, "القُدْس").geonameid == 281184
    assert geocode(gaz, "الإسكندريّة").country == "EGY"
    assert geocode(gaz, "الاسكندريه").country == "EGY"       # hamza and ta marbuta folded
    assert geocode(gaz, "المَسْجِدُ الأَقْصَى").name_en == "Al-Aqsa Mosque"


def test_qualifier_stripped_only_when_needed(gaz):
    assert geocode(gaz, "مدينة نابلس").geonameid == 282615
    assert geocode(gaz, "بلدة بيتا").country == "PSE"
    # the full form wins when indexed: the camp, not the city
    assert geocode(gaz, "مخيم جنين").feature == "site"
    # the qualifier narrows the candidates to the features it implies
    assert [c.feature for c in gaz.lookup("محافظة إدلب")] == ["province"]
    assert [c.feature for c in gaz.lookup("مدينة إدلب")] == ["city"]


def test_article_less_stem(gaz):
    # callers that split clitics (و+ال+رقة) may look up the bare stem
    assert geocode(gaz, "رقة").geonameid == 172955
    assert geocode(gaz, "موصل").geonameid == 99072


STOPWORDS = ["الحية", "بدران", "السلطة", "الحرية", "النصر", "الوحدة", "السلام", "المنطقة", "العاصمة",
             "الحكومة", "الجمعة", "الخميس", "كيف", "كان", "الاتحاد", "التحالف", "البلاد", "المدينة",
             "الجزيرة", "بشار", "فلاديمير", "أوباما", "صور", "سعودية", "أقصى", "هند"]


@pytest.mark.parametrize("word", STOPWORDS)
def test_stoplisted_words_do_not_resolve(gaz, word):
    assert gaz.lookup(word) == []
    assert gaz.geocode(word) is None


def test_stopword_flag(gaz):
    assert gaz.is_stopword("الحكومة") and gaz.is_stopword("صور")
    assert not gaz.is_stopword("دمشق")


def test_qualified_only_names(gaz):
    assert gaz.lookup("صور") == []
    assert geocode(gaz, "مدينة صور").geonameid == 267008        # Tyre
    assert geocode(gaz, "مدينة الطبقة").country == "SYR"


def test_lookup_returns_frozen_candidates(gaz):
    c = gaz.lookup("دمشق")[0]
    assert isinstance(c, PlaceCandidate)
    with pytest.raises(Exception):
        c.name_en = "x"  # type: ignore[misc]
    assert c.admin1 and c.admin1.startswith("SY.")


def test_to_place(gaz):
    c = geocode(gaz, "الأقصى")
    p = c.to_place("الأقصى", 10, 16, confidence=0.8)
    assert isinstance(p, Place)
    assert (p.start, p.end, p.feature, p.resolution, p.country) == (10, 16, "site", 5, "PSE")
    water = geocode(gaz, "البحر الأحمر").to_place("البحر الأحمر", 0, 12)
    assert water.feature == "region" and water.resolution == 1


def test_by_geonameid(gaz):
    assert gaz.by_geonameid(281184).name_en == "Jerusalem"
    assert gaz.by_geonameid(163843).feature == "country"
    assert gaz.by_geonameid(1) is None


def test_keys_and_max_words(gaz):
    keys = set(gaz.keys())
    assert "دمشق" in keys and "الضفه الغربيه" in keys
    assert gaz.max_words >= 3
    assert len(gaz) == len(keys)


# --------------------------------------------------------------------------- resolver
def test_resolve_empty():
    assert resolve([], focus_country="SYR") is None


def test_rank_is_sorted_and_explains(gaz):
    ranked = rank(gaz.lookup("طرابلس"), context_countries=["LBN"])
    assert ranked[0][0] >= ranked[-1][0]
    assert ranked[0][1].country == "LBN"


def test_focus_beats_population(gaz):
    assert geocode(gaz, "رفح").country == "PSE"
    assert geocode(gaz, "رفح", focus_country="EGY").country == "EGY"
    assert geocode(gaz, "القنيطرة", focus_country="SYR").country == "SYR"


def test_prefer_feature_accepts_iterables(gaz):
    cands = gaz.lookup("الكويت")
    assert resolve(cands).feature == "country"
    assert resolve(cands, prefer_feature={"city", "district"}).feature == "city"


# --------------------------------------------------------------------------- loading and the build script
def test_load_is_fast():
    t0 = time.perf_counter()
    g = Gazetteer.load()
    elapsed = time.perf_counter() - t0
    assert len(g) > 10_000
    assert elapsed < 3.0, f"Gazetteer.load() took {elapsed:.2f}s"


def test_build_script_name_filter():
    spec = importlib.util.spec_from_file_location("build_geo_index", ROOT / "scripts" / "build_geo_index.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    names = mod.arabic_names(["alqds", "Al-Quds", "القدس", "القُدس", "لا", "نیپلز، تکزاس", "ירושלים",
                              "معالي أدوميم\u200e"])
    # Latin, Hebrew, two-letter and comma-qualified names dropped; one spelling per
    # folded key (the most marked one); the LRM mark stripped
    assert names == ["القُدس", "معالي أدوميم"]


def test_distance_km(gaz):
    from hadath.geo.gazetteer import distance_km
    d = distance_km(geocode(gaz, "القدس"), geocode(gaz, "رام الله"))
    assert 10 < d < 20
    assert distance_km(geocode(gaz, "الخليج"), geocode(gaz, "الخليج")) == 0.0

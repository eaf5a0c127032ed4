"""hadath.ner.corpora: the extra NER corpora (NewsFANE, AQMAR, Wojood sample) mapped to ANERcorp's
PER/LOC/ORG/MISC.  The unit tests use inline data; the corpus tests need ../shared and are
skipped without it."""
from __future__ import annotations

import pytest

from hadath.ner import corpora as C
from hadath.ner.conll import Sentence, read_conll
from tests.conftest import SHARED, need

NER = SHARED / "data" / "ner"


def tags_of(sentences, words):
    """The tags of the first sentence whose tokens start with ``words``."""
    for s in sentences:
        if s.tokens[:len(words)] == tuple(words):
            return s.tags[:len(words)]
    raise AssertionError(f"no sentence starts with {words}")


def spans_text(sentences, kind):
    return {" ".join(s.tokens[a:b]) for s in sentences for a, b, k in C.bio_spans(s.tags) if k == kind}


# -- conventions, on inline data ---------------------------------------------------------------
def test_trigger_nouns_are_cut_off():
    tokens = ["في", "مدينة", "البيرة", "و", "جريدة", "القدس"]
    tags = C.conform(tokens, [(1, 3, "LOC"), (4, 6, "ORG")])
    assert tags == ("O", "O", "B-LOC", "O", "O", "B-ORG")


def test_national_team_becomes_loc_and_adjective_team_o():
    tokens = ["منتخب", "مصر", "و", "المنتخب", "البرتغالي"]
    assert C.conform(tokens, [(0, 2, "ORG"), (3, 5, "ORG")]) == ("O", "B-LOC", "O", "O", "O")


def test_government_bodies_are_dropped_and_inner_place_shows():
    tokens = ["حكومة", "فلسطين", "و", "وزارة", "الخارجية", "الأمريكية"]
    tags = C.conform(tokens, [(0, 2, "ORG"), (1, 2, "LOC"), (3, 6, "ORG")])
    assert tags == ("O", "B-LOC", "O", "O", "O", "O")


def test_group_nouns_are_not_persons():
    assert C.is_group_noun(["المسلمين"]) and C.is_group_noun(["والصليبيين"]) and C.is_group_noun(["العرب"])
    assert not C.is_group_noun(["الحسين"]) and not C.is_group_noun(["المأمون"])
    assert not C.is_group_noun(["أحمد", "بن", "طولون"])


def test_nested_outermost_mapped_span_wins():
    # Wojood-style: OCC (dropped) over ORG over GPE
    tokens = ["سكرتير", "اللجنة", "القومية", "في", "نابلس"]
    tag_lists = [["B-OCC"], ["I-OCC", "B-ORG"], ["I-OCC", "I-ORG"], ["I-OCC"], ["I-OCC", "B-GPE"]]
    spans = [(s, e, C.WOJOOD_MAP[k]) for s, e, k in C.nested_spans(tag_lists)]
    assert C.conform(tokens, spans) == ("O", "B-ORG", "I-ORG", "O", "B-LOC")


def test_org_that_is_a_place_name_becomes_loc():
    tokens = ["وقالت", "روسيا"]
    assert C.conform(tokens, [(1, 2, "ORG")], frozenset({C.normalised(["روسيا"])})) == ("O", "B-LOC")


def test_overlap_ignores_hamza_and_retokenisation():
    aner = [Sentence(("وأكد", "الأمين", "العام", "للأمم", "المتحدة", "كوفي", "أنان", "أن"), ("O",) * 8)]
    fane = Sentence(("و", "اكد", "الامين", "العام", "للامم", "المتحدة", "كوفي", "انان", "ان"), ("O",) * 9)
    other = Sentence(("ذهب", "اللاعب", "إلى", "الملعب", "مبكرا", "صباح", "اليوم"), ("O",) * 7)
    assert C.overlapping([fane, other], aner) == [True, False]


# -- the real corpora --------------------------------------------------------------------------
@pytest.mark.shared
def test_newsfane_reads_and_maps():
    stats = C.ReadStats()
    sents = C.read_newsfane(need(NER / "newsfane" / "NewsFANE_Gold_2014_170K.txt"), stats=stats)
    assert len(sents) == 4760 and stats.tokens == 168080
    assert not stats.unknown_labels
    assert set(C.NEWSFANE_MAP) >= {lab[2:] for lab in stats.raw_labels if lab != "O"}
    assert stats.stray_inside == 4
    # BOM and U+200E marks are gone; the first sentence starts "فرانكفورت ( د ب ا )"
    first = sents[0]
    assert first.tokens[0] == "فرانكفورت" and first.tags[0] == "B-LOC"
    assert not any(ch in tok for s in sents for tok in s.tokens for ch in "\ufeff\u200e\u200f")
    # د ب ا (a news agency, Media) -> ORG; Government (اتحاد صناعة السيارات here) -> O;
    # الألمانيا (Nation) -> LOC
    assert first.tags[2:5] == ("B-ORG", "I-ORG", "I-ORG")
    assert first.tags[7:10] == ("O", "O", "O")
    assert first.tags[11] == "B-LOC"
    assert C.NEWSFANE_MAP["Group"] is None and C.NEWSFANE_MAP["Government"] is None
    assert C.NEWSFANE_MAP["Politician"] == "PER" and C.NEWSFANE_MAP["Book"] == "MISC"
    assert {"العرب", "المسلمين"}.isdisjoint(spans_text(sents, "PER") | spans_text(sents, "ORG"))
    assert all(t == "O" or t[2:] in C.TYPES for s in sents for t in s.tags)


@pytest.mark.shared
def test_newsfane_is_anercorp_and_is_filtered_out():
    aner = NER / "anercorp"
    train = read_conll(need(aner / "ANERCorp_CamelLab_train.txt"))
    test = read_conll(need(aner / "ANERCorp_CamelLab_test.txt"))
    kept, report = C.load_extra(["newsfane"], exclude=train + test)
    r = report["newsfane"]
    assert r["overlapping_anercorp"] > 4700          # it is ANERcorp re-annotated
    assert len(kept) == r["kept"]["sentences"] < 20
    flags = C.overlapping(C.read_newsfane(NER / "newsfane" / "NewsFANE_Gold_2014_170K.txt"), test)
    assert sum(flags) > 750                           # ... test split included


@pytest.mark.shared
def test_aqmar_reads_and_maps():
    stats = C.ReadStats()
    sents = C.read_aqmar(need(NER / "aqmar"), stats=stats)
    assert len(sents) > 2600 and stats.tokens > 73000
    assert not stats.unknown_labels
    assert stats.dropped_tokens > 0                    # tokens that were only a U+200E mark
    assert all(t == "O" or t[2:] in C.TYPES for s in sents for t in s.tags)
    per = spans_text(sents, "PER")
    assert "الرازي" in per and "المسلمين" not in per and "العرب" not in per
    misc = spans_text(sents, "MISC")
    assert "دوري أبطال أوروبا" in misc               # article-specific MIS1 of a football article
    assert "اليورانيوم" not in misc and "الإلكترونات" not in misc   # science MIS1/MIS3 -> O
    assert "يورو" in misc                              # MIS0 currency
    # "منتخب البرتغال" -> منتخب O + البرتغال LOC
    assert "منتخب البرتغال" not in spans_text(sents, "ORG")


@pytest.mark.shared
def test_wojood_reads_flattens_and_maps():
    stats = C.ReadStats()
    sents = C.read_wojood(need(NER / "wojood_sample"), stats=stats)
    assert len(sents) > 1600 and not stats.unknown_labels
    assert not any(C.WOJOOD_MARKER in s.tokens for s in sents)
    assert all(t == "O" or t[2:] in C.TYPES for s in sents for t in s.tags)
    loc, org = spans_text(sents, "LOC"), spans_text(sents, "ORG")
    assert "نابلس" in loc and "مدينة البيرة" not in loc and "البيرة" in loc
    assert "اللجنة القومية العربية" in org
    assert not any(x.startswith("وزارة") for x in org)
    # OCC, DATE, NORP are not ANERcorp types
    assert "الحاكم العسكري الأردني" not in loc | org | spans_text(sents, "PER")

"""Readers for the extra Arabic NER corpora in ``../shared/data/ner``, mapped to ANERcorp's scheme.

Each reader returns :class:`hadath.ner.conll.Sentence` objects whose tags are BIO over
ANERcorp's four types ``PER``/``LOC``/``ORG``/``MISC`` (``B-PER``, not ANERcorp's ``B-PERS``;
``conll.TYPE_MAP`` treats the two alike).  Types that ANERcorp does not tag become ``O``.

ANERcorp's conventions (read off its CAMeL-Lab train file, counts are occurrences there)
-------------------------------------------------------------------------------------------
- Nationality adjectives are **O**: الأمريكي O 8×, العراقي O 36×, الإسرائيلي O 67×.  They are
  only tagged inside a name (الولايات المتحدة الأمريكية, I-LOC).
- Group nouns are mostly **O**: العرب O 77×, المسلمين O 28×, الإسرائيليين O 11×.  The exceptions
  are الشيعة (ORG 8×, O 3×) and السنة (ORG 6×).
- Titles and occupations are **O**: الرئيس O 162×, الدكتور O 32×, وزير O 81×.
- Government bodies named by common nouns are **O**: وزارة O 33× (وزارة الخارجية is O), الحكومة
  O 101×, الجيش O 83× (ORG 3×), الشرطة O 47×, البرلمان O 10×.  Named organisations are ORG:
  مجلس الأمن, الأمم المتحدة, حزب الله, رويترز, football clubs and companies.
- A trigger noun before a name stays **O**.  Examples are صحيفة " الشرق الأوسط ", شركة موتورولا,
  نادي مانشستر يونايتد, مسجد فنسبري بارك, ملعب سانتياغو برنابيو and جريدة القدس.  For a national
  team, منتخب مصر is O + LOC.
- MISC is mixed.  It covers currencies (دولار 107×, يورو, درهم), الله and الإسلام, prizes (نوبل),
  wars and championships (الحرب العالمية الثانية, بطولة كأس العالم), books and films, weapons
  and cars, and a few buildings (البيت الأبيض).
- Clitics stay on the token: وبريطانيا is B-LOC and بالقاهرة is B-LOC.

NewsFANE is **ANERcorp itself, re-annotated**
---------------------------------------------
NewsFANE Gold 2014 (Alotaibi & Lee, COLING 2014) is the ANERcorp text again.  It has 4,760
sentences and 168,080 tokens.  The text is normalised: hamza is dropped from alef and some
clitics are split off as separate tokens.  Matching normalised 20-character shingles
(:func:`overlapping`) finds this:

- 3,483 NewsFANE sentences (127,102 tokens) lie in the ANERcorp train part, 385 (13,700 tokens)
  in the dev split and 810 (26,471 tokens) in the **test** split.
- Only 95 sentences (977 tokens) fall below 50 % overlap with all of them.  These are
  punctuation lines and edited fragments of ANERcorp sentences.  For NewsFANE,
  :func:`load_extra` therefore drops a sentence that shares even one shingle with ANERcorp, and
  any sentence too short for a shingle.  That leaves 10 sentences (91 tokens).

Training on NewsFANE as it stands would therefore mean training on the ANERcorp test split.
:func:`hadath.ner.train.train` drops every extra sentence that overlaps any ANERcorp sentence,
whether train, dev or test.  For NewsFANE this leaves almost nothing, so NewsFANE adds no new
text.  It is still useful as evidence for the mapping below: on the train part, the same spans
can be compared class by class with ANERcorp's labels.  ``NEWSFANE_EVIDENCE`` holds those counts.

Label mappings
--------------
``NEWSFANE_MAP`` maps NewsFANE's fine classes.  The file carries only the fine class of its
two-level taxonomy.  The mapping follows what ANERcorp does with the same spans, as recorded in
``NEWSFANE_EVIDENCE``:

- Person classes map to PER.
- GPE and geographic classes map to LOC.
- Named organisations (Non-Governmental, Sports, Media, Commercial, Educational) map to ORG.
- Government, Group, facilities, Medical-Science and Religious_ORG map to O.
- Works and vehicles map to MISC.

``WOJOOD_MAP`` maps Wojood's types:

- PERS → PER. GPE and LOC → LOC. ORG → ORG.
- EVENT, CURR and PRODUCT → MISC.
- Every other type → O: NORP, OCC, FAC, LAW, WEBSITE, LANGUAGE, DATE, TIME and the numeric types.

Wojood is nested, so each token can carry several tags.  After mapping, the outermost remaining
span wins.  For example, OCC "سكرتير اللجنة القومية العربية في نابلس" is dropped, which leaves
ORG اللجنة القومية العربية and LOC نابلس.  The corpus's ``$#$`` segment markers are removed.

``AQMAR_MAP`` maps AQMAR's classes:

- PER, LOC and ORG keep their type.
- MIS0, AQMAR's general "miscellaneous" class, maps to MISC.  In the five science articles it
  maps to O, because there it marks scientific terms (الكيمياء, النيوترونات).
- MIS1–MIS3 are categories defined per article.  ``AQMAR_ARTICLE_MAP`` keeps those that are
  ANERcorp-style MISC, such as competitions, wars and campaigns, battles and book titles, and
  maps the IFAB/FIFA category of the Football article to ORG.  All the other per-article
  categories become O: chemical elements, particles, operating systems, software terms and
  historical eras.
- AQMAR tags group nouns as PER (المسلمين, العرب, الصليبيين).  :func:`is_group_noun` turns them
  into O, as ANERcorp leaves them.

Three normalisations apply to every corpus (:func:`conform`):

1. A leading trigger noun is cut off a span.  The nouns are ``TRIGGERS``: مدينة, قرية, صحيفة,
   جريدة, شركة, نادي and so on, also with a clitic.  For example, "مدينة البيرة" becomes
   "البيرة".  A span led by منتخب becomes LOC over the country name that follows, or O if the
   rest is an adjective such as البرتغالي.
2. An ORG span headed by a generic government noun (``GOVERNMENT_HEADS``: وزارة, الحكومة,
   الجيش, الشرطة, ...) is dropped.  Any span nested inside it then shows, so "حكومة فلسطين"
   leaves LOC فلسطين.
3. Quotes and brackets at the edges of a span are cut off.

Format oddities handled
-----------------------
- NewsFANE: the UTF-8 BOM, CRLF line ends, a U+200E left-to-right mark at the start of
  152,599 tokens, and four stray I- tags, which are read as B-.
- AQMAR: one file per article, space-separated, with U+200F and U+200E inside tokens.  A token
  that is nothing but a U+200E mark (Damascus.txt) is dropped.  The tag typos MIS1`, MISS1,
  MIS-1, MIS-2, I--ORG, IO and OO are fixed, and B-ENGLISH and B-SPANISH become O.
- Wojood: several tags per token (nested), and ``$#$`` marker tokens.
- In every reader, blank lines end a sentence, runs of blank lines are allowed, and a line
  without a tag is counted and skipped, not fatal.

Licences
--------
- **NewsFANE Gold** (Fahd Alotaibi and Mark Lee, University of Birmingham; COLING 2014, "A Hybrid
  Approach to Features Representation for Fine-grained Arabic Named Entity Recognition") is
  licensed **CC BY-SA 3.0 Unported** (see its Readme.txt and License.txt).  Because its text is
  ANERcorp's, ANERcorp's **CC BY-SA 4.0** applies to the text as well.
- **AQMAR** Arabic Wikipedia NER corpus (Mohit, Schneider, Bhowmick, Oflazer and Smith, EACL 2012,
  "Recall-Oriented Learning of Named Entities in Arabic Wikipedia", CMU ARK).  The copy in
  ``shared`` has no licence file, and its README.repo.md only points to the CMU ARK AQMAR page
  and to the GTS cleaning tools.  The corpus is licensed **CC BY-SA 3.0 Unported**.  The
  licence comes from secondary sources: flair's ``NER_ARABIC_AQMAR`` documentation, which
  quotes the AQMAR page, and the Masader catalogue.  That fits its Wikipedia origin.  Confirm
  it against the AQMAR page before shipping weights trained on it.
- **Wojood sample** (Jarrar, Khalilia and Ghanem, LREC 2022; SinaLab, Birzeit University).  Its
  LICENSE file is **MIT**, (c) 2021 Mohammed Khalilia, and it sits in the code repository.  The
  README says that the sample is in the repository's ``data`` folder and that the full corpus
  is "available to download upon request for academic and commercial use".  It states no
  separate data licence, so the sample is covered only by the repository's MIT file.  Confirm
  that with the authors before shipping weights trained on it.

The ShareAlike terms carry over to weights trained on these corpora, and the shipped model is
already CC BY-SA 4.0 through ANERcorp.  CC BY-SA 3.0 material may be adapted under 4.0 (it is
a "later version" under §4(b)).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from hadath.ner.conll import Sentence

SHARED = Path(__file__).resolve().parents[3] / "shared"
NER_DIR = SHARED / "data" / "ner"
NEWSFANE_FILE = NER_DIR / "newsfane" / "NewsFANE_Gold_2014_170K.txt"
AQMAR_DIR = NER_DIR / "aqmar"
WOJOOD_DIR = NER_DIR / "wojood_sample"

TYPES = ("PER", "LOC", "ORG", "MISC")
_MARKS = "\ufeff\u200e\u200f\u200b\u200c\u200d\u202a\u202b\u202c\u202d\u202e"

# -- label mappings ---------------------------------------------------------------------------
# NewsFANE fine class -> ANERcorp type (None = O).  The evidence column: how ANERcorp's train part
# labels the same spans (exact normalised match; "part-X" = inside a longer X; see the docstring).
NEWSFANE_MAP: dict[str, str | None] = {
    # persons
    "Politician": "PER", "Athlete": "PER", "Artist": "PER", "Other_PER": "PER", "Religious_PER": "PER",
    "Scientist": "PER", "Businessperson": "PER", "Police": "PER", "Engineer": "PER", "Lawyer": "PER",
    # places (GPE + geographic LOC)
    "Nation": "LOC", "Population-Center": "LOC", "State-or-Province": "LOC", "GPE-Cluster": "LOC",
    "Continent": "LOC", "County-or-District": "LOC", "Water-Body": "LOC",
    "Land-Region-Natural": None,   # ANERcorp: O 11, LOC 4 (mountains, deserts)
    "Celestial": None,             # المريخ
    # organisations
    "Non-Governmental": "ORG", "Sports": "ORG", "Media": "ORG", "Commercial": "ORG", "Educational": "ORG",
    "Government": None,            # ANERcorp: O 174, ORG 11 (وزارة الخارجية, الجيش الإسرائيلي, الحكومة ...)
    "Group": None,                 # ANERcorp: O 452, ORG 52 (العرب, المسلمين, الإسرائيليين ...)
    "Medical-Science": None,       # ANERcorp: O 12, ORG 7 (hospitals, institutes)
    "Religious_ORG": None, "Entertainment": None,
    # facilities
    "Building-Grounds": None,      # ANERcorp: O 129, MISC 35, ORG 15, LOC 13
    "Airport": None, "Path": None, "Subarea-Facility": None,
    # works, products, vehicles, weapons -> MISC
    "Book": "MISC", "Movie": "MISC", "Land": "MISC", "Air": "MISC", "Water": "MISC",
    "Projectile": "MISC", "Shooting": "MISC", "Food": "MISC", "Drug": "MISC",
    "Hardware": None, "Software": None, "Plant": None,
}

# ANERcorp train-part labels of the same spans (hadath/ner/corpora.py docstring; the script that
# counted them aligned NewsFANE sentences to the ANERcorp train part only, never dev or test).
NEWSFANE_EVIDENCE: dict[str, dict[str, int]] = {
    "Nation": {"LOC": 1385, "part-LOC": 251, "O": 47, "ORG": 6},
    "Population-Center": {"LOC": 860, "part-LOC": 142, "O": 117, "ORG": 9},
    "Politician": {"PER": 852, "O": 47, "part-PER": 35, "LOC": 4},
    "Group": {"O": 452, "ORG": 52, "part-ORG": 25, "LOC": 8},
    "Non-Governmental": {"ORG": 396, "O": 85, "part-ORG": 48, "MISC": 12},
    "Athlete": {"PER": 354, "part-PER": 82, "O": 14, "ORG": 6},
    "Sports": {"ORG": 225, "LOC": 66, "O": 52, "part-ORG": 33},
    "Artist": {"PER": 273, "part-PER": 49, "O": 6},
    "Other_PER": {"PER": 254, "part-PER": 28, "O": 16},
    "Media": {"ORG": 141, "O": 82, "LOC": 4, "MISC": 3},
    "Building-Grounds": {"O": 129, "MISC": 35, "ORG": 15, "LOC": 13},
    "Government": {"O": 174, "ORG": 11, "MISC": 4},
    "Religious_PER": {"PER": 138, "part-PER": 12, "O": 10},
    "State-or-Province": {"LOC": 111, "O": 26, "part-LOC": 15},
    "Scientist": {"PER": 102, "MISC": 16, "part-PER": 5},
    "GPE-Cluster": {"LOC": 78, "O": 18, "part-LOC": 13},
    "Commercial": {"ORG": 54, "O": 30, "part-ORG": 5},
    "Water-Body": {"LOC": 42, "O": 35, "part-LOC": 11},
    "Book": {"MISC": 45, "O": 36},
    "Continent": {"LOC": 65, "part-LOC": 10},
    "Educational": {"O": 32, "ORG": 27, "part-ORG": 5},
    "Movie": {"O": 23, "MISC": 20, "part-MISC": 3},
    "Businessperson": {"PER": 38, "part-PER": 2, "O": 1},
    "Police": {"PER": 31, "O": 4, "part-PER": 2},
    "County-or-District": {"O": 16, "LOC": 12, "part-LOC": 7},
    "Land": {"MISC": 8, "O": 8, "ORG": 5},
    "Medical-Science": {"O": 12, "ORG": 7, "LOC": 1},
    "Land-Region-Natural": {"O": 11, "LOC": 4},
    "Path": {"O": 13, "MISC": 2},
    "Air": {"MISC": 7, "O": 6, "ORG": 1},
    "Airport": {"O": 9, "MISC": 2, "LOC": 1},
    "Subarea-Facility": {"O": 11},
    "Software": {"O": 6, "ORG": 2, "MISC": 2},
    "Religious_ORG": {"O": 5, "ORG": 2, "LOC": 2},
    "Entertainment": {"O": 6, "ORG": 2},
    "Hardware": {"O": 4, "MISC": 3},
    "Engineer": {"PER": 5, "MISC": 1},
    "Lawyer": {"PER": 5},
    "Food": {"MISC": 3}, "Projectile": {"MISC": 2, "O": 1}, "Shooting": {"MISC": 2, "O": 1},
    "Drug": {"MISC": 2}, "Water": {"MISC": 1, "O": 1}, "Plant": {"ORG": 1},
}

WOJOOD_MAP: dict[str, str | None] = {
    "PERS": "PER", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG",
    "EVENT": "MISC", "CURR": "MISC", "PRODUCT": "MISC",
    "NORP": None, "OCC": None, "FAC": None, "LAW": None, "WEBSITE": None, "LANGUAGE": None,
    "DATE": None, "TIME": None, "CARDINAL": None, "ORDINAL": None, "PERCENT": None, "QUANTITY": None,
    "UNIT": None, "MONEY": None,
}

AQMAR_MAP: dict[str, str | None] = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "MIS0": "MISC",
                                    "MIS1": None, "MIS2": None, "MIS3": None}
# MIS0 marks scientific terms in these articles, not ANERcorp-style MISC
AQMAR_SCIENCE = frozenset({"Atom", "Light", "Nuclear_Power", "Physics", "Periodic_Table"})
# article-specific classes that are ANERcorp-style entities (everything else: O).  Known conflict:
# ANERcorp tags "دوري أبطال أوروبا" as O O B-LOC, but "بطولة كأس العالم" as MISC.  The one training run
# with --extra aqmar,wojood (dev micro-F1 77.69, below ANERcorp alone at 79.19) produced new dev false
# positives on such competitions as MISC, and lost أوروبا as LOC inside them.  Mapping the
# competition classes to O is the obvious next change; it has not been tried.
AQMAR_ARTICLE_MAP: dict[tuple[str, str], str] = {
    ("Christiano_Ronaldo", "MIS1"): "MISC",     # competitions: دوري أبطال أوروبا, تصفيات كأس العالم
    ("Crusades", "MIS1"): "MISC",               # الحروب الصليبية, الحملة الصليبية الرابعة
    ("Football", "MIS0"): "MISC",               # كأس العالم, كأس الأمم الأوروبية
    ("Football", "MIS2"): "ORG",                # IFAB, FIFA, Sheffield FA
    ("Islamic_History", "MIS1"): "MISC",        # battles: الردة, صفين, الجمل
    ("Portugal_football_team", "MIS1"): "MISC",  # نهائيات كأس العالم, كأس أمم أوروبا
    ("Raul_Gonzales", "MIS1"): "MISC",          # الدوري الأسباني, دوري أبطال أوروبا
    ("Raul_Gonzales", "MIS2"): "MISC",          # prizes: جائزة دون بول
    ("Razi", "MIS1"): "MISC",                   # book titles: الحاوي في الطب
    ("Real_Madrid", "MIS1"): "MISC",            # competitions
    ("Summer_Olympics2004", "MIS1"): "MISC",    # الألعاب الأولمبية, أولمبياد
}
_AQMAR_FIX = {"MIS1`": "MIS1", "MISS1": "MIS1", "MIS-1": "MIS1", "MIS-2": "MIS2", "MIS": "MIS0", "-ORG": "ORG",
              "ENGLISH": None, "SPANISH": None}

# -- ANERcorp conventions applied to every corpus ------------------------------------------------
TRIGGERS = frozenset({
    "مدينة", "قرية", "بلدة", "قضاء", "محافظة", "مخيم", "جريدة", "صحيفة", "مجلة", "شركة",
    "نادي", "النادي", "فريق", "مسجد", "ملعب", "استاد", "مستشفى", "مطار", "فيلم", "رواية", "كتاب", "مسلسل",
    "مسرحية", "إذاعة", "اذاعة",
})
TEAM_TRIGGERS = frozenset({"منتخب", "المنتخب"})
GOVERNMENT_HEADS = frozenset({
    "وزارة", "الوزارة", "حكومة", "الحكومة", "الجيش", "الشرطة", "البرلمان", "الخارجية", "الداخلية",
    "مجلس النواب", "مجلس الشيوخ", "مجلس الوزراء", "مجلس الشعب", "مجلس الشورى",
})
# one-word ORG mentions that are common nouns (coreference to a named body): O in ANERcorp
GENERIC_ORG = frozenset({"الهيئة", "التنظيم", "الاحتلال", "السلطة", "الأوقاف", "الاوقاف", "الحركة", "الجماعة",
                         "المنظمة", "الوزارة", "البلدية", "اللجنة", "الشركة", "الحزب"})
# plural/collective nouns for peoples, religions and dynasties that AQMAR tags PER (ANERcorp: O)
GROUP_NOUNS = frozenset({
    "العرب", "عرب", "الفرس", "الروم", "الفرنجة", "المغول", "الأتراك", "الاتراك", "الشيعة", "السنة",
    "الأكراد", "الاكراد", "اليهود", "النصارى", "القرامطة", "الأدارسة", "الأتابكة", "السلاجقة", "الزنادقة",
})
_CLITICS = ("وال", "بال", "فال", "كال", "لل", "و", "ب", "ل", "ف", "ك")
_EDGE_PUNCT = set('"«»“”\'()[]{}-–—:،,.؛;!?')


def _bare(word: str) -> str:
    """``word`` without one leading clitic (و/ف/ب/ل/ك, or وال/بال/... -> ال)."""
    for c in ("و", "ف"):
        if word.startswith(c) and len(word) > 3:
            word = word[1:]
            break
    for c in ("بال", "كال", "فال"):
        if word.startswith(c) and len(word) > 4:
            return "ال" + word[3:]
    if word.startswith("لل") and len(word) > 4:
        return "ال" + word[2:]
    if word[:1] in ("ب", "ل", "ك") and len(word) > 3 and word[1:2] != "ل":
        return word[1:]
    return word


def _in(word: str, vocab: frozenset[str]) -> bool:
    return word in vocab or _bare(word) in vocab


def is_group_noun(words: Sequence[str]) -> bool:
    """A one-word name of a people, religion or dynasty (المسلمين, الصليبيون, العباسيين, العرب):
    ANERcorp leaves these O (العرب O 77x, المسلمين O 28x), AQMAR tags them PER."""
    if len(words) != 1:
        return False
    w = words[0]
    if _in(w, GROUP_NOUNS):
        return True
    b = _bare(w)
    # a definite plural in -يين/-يون/-ين/-ون: الصليبيين, المسلمون, العباسيين (not الحسين: too short
    # a stem; names in ANERcorp's PER list with this shape are singular, e.g. المأمون, so require
    # the nisba plural -ي(ي)ن/-يون or a stem of 4+ letters before -ين/-ون)
    if not b.startswith("ال"):
        return False
    stem = b[2:]
    if stem.endswith(("يين", "يون", "ييون")) and len(stem) >= 5:
        return True
    if stem.endswith(("ين", "ون")) and len(stem) >= 6 and stem[:-2] not in ("مأم", "حس"):
        return True
    return False


@dataclass
class ReadStats:
    """What a reader saw and fixed."""
    sentences: int = 0
    tokens: int = 0
    skipped_lines: int = 0
    dropped_tokens: int = 0
    stray_inside: int = 0
    raw_labels: Counter = field(default_factory=Counter)
    unknown_labels: Counter = field(default_factory=Counter)


# -- span helpers -------------------------------------------------------------------------------
def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) of a plain BIO sequence; a stray I- opens a span."""
    out, start, kind = [], None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and kind == label and start is not None:
            continue
        if start is not None:
            out.append((start, i, kind))
            start, kind = None, None
        if prefix in ("B", "I") and label:
            start, kind = i, label
    return out


def nested_spans(tag_lists: Sequence[Sequence[str]]) -> list[tuple[int, int, str]]:
    """Spans of a nested BIO annotation (several tags per token, as in Wojood).  Per type, an
    ``I-T`` continues the open ``T`` spans and a ``B-T`` opens a new (possibly inner) one."""
    out: list[tuple[int, int, str]] = []
    open_: dict[str, list[int]] = {}
    for i, tags in enumerate(list(tag_lists) + [[]]):
        kinds_i = {t[2:] for t in tags if t.startswith("I-")}
        for kind in list(open_):
            if kind not in kinds_i:
                out.extend((s, i, kind) for s in open_.pop(kind))
        for t in tags:
            if t.startswith("B-"):
                open_.setdefault(t[2:], []).append(i)
            elif t.startswith("I-") and t[2:] not in open_:
                open_[t[2:]] = [i]              # stray I-: open a span
    return out


def conform(tokens: Sequence[str], spans: Iterable[tuple[int, int, str | None]],
            place_names: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """BIO tags (PER/LOC/ORG/MISC) for already-mapped ``spans`` (type None = not an entity),
    with ANERcorp's conventions applied (trigger nouns cut off, government bodies and group nouns
    dropped, edge punctuation cut off); overlapping spans: the outermost wins.  An ORG span whose
    whole text is in ``place_names`` (normalised; a country acting, a national team: قطر, روسيا)
    becomes LOC, as ANERcorp tags it (NewsFANE Sports -> ANERcorp LOC 66 times)."""
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if kind is None:
            continue
        if kind == "ORG" and place_names and normalised(tokens[start:end]) in place_names:
            kind = "LOC"
        while start < end and (tokens[start] in _EDGE_PUNCT or not tokens[start].strip()):
            start += 1
        while end > start and (tokens[end - 1] in _EDGE_PUNCT or not tokens[end - 1].strip()):
            end -= 1
        if start >= end:
            continue
        if kind == "ORG" and (_in(tokens[start], GOVERNMENT_HEADS) or
                              (end - start >= 2 and " ".join((_bare(tokens[start]), tokens[start + 1]))
                               in GOVERNMENT_HEADS) or
                              (end - start == 1 and _in(tokens[start], GENERIC_ORG))):
            continue
        if _in(tokens[start], TEAM_TRIGGERS):
            rest = tokens[start + 1:end]
            if not rest or rest[-1].endswith(("ي", "ية")):
                continue                                   # المنتخب البرتغالي: O
            start, kind = start + 1, "LOC"                 # منتخب مصر: O + LOC
        while end - start > 1 and _in(tokens[start], TRIGGERS):
            start += 1
            while start < end and tokens[start] in _EDGE_PUNCT:
                start += 1
        if start >= end:
            continue
        if kind == "PER" and is_group_noun(tokens[start:end]):
            continue
        kept.append((start, end, kind))
    # outermost first (longest, then leftmost); drop anything overlapping a kept span
    kept.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    tags = ["O"] * len(tokens)
    taken = [False] * len(tokens)
    for start, end, kind in kept:
        if any(taken[start:end]):
            continue
        tags[start] = f"B-{kind}"
        for i in range(start + 1, end):
            tags[i] = f"I-{kind}"
        for i in range(start, end):
            taken[i] = True
    return tuple(tags)


# -- reading ------------------------------------------------------------------------------------
def _clean_token(tok: str) -> str:
    return tok.translate({ord(c): None for c in _MARKS}).strip()


def _blocks(path: Path, stats: ReadStats, sep: str | None = None) -> list[list[list[str]]]:
    """Sentences as lists of ``[token, tag, ...]`` rows; blank lines separate sentences."""
    raw = path.read_bytes().decode("utf-8-sig")
    out: list[list[list[str]]] = []
    cur: list[list[str]] = []
    for line in raw.splitlines():
        parts = line.split(sep) if sep else line.split()
        parts = [p for p in (x.strip() for x in parts) if p] if sep else parts
        if not parts or not _clean_token(" ".join(parts)):
            if parts:                     # a line of marks only: nothing to keep
                stats.dropped_tokens += 1
                continue
            if cur:
                out.append(cur)
                cur = []
            continue
        if len(parts) < 2:
            stats.skipped_lines += 1
            continue
        tok = _clean_token(parts[0])
        if not tok:
            stats.dropped_tokens += 1     # a token that was only a U+200E/U+200F mark
            continue
        cur.append([tok] + parts[1:])
    if cur:
        out.append(cur)
    return out


def _finish(tokens: list[str], tags: tuple[str, ...], out: list[Sentence], stats: ReadStats) -> None:
    if tokens:
        out.append(Sentence(tuple(tokens), tags))
        stats.sentences += 1
        stats.tokens += len(tokens)


def read_newsfane(path: Path = NEWSFANE_FILE, stats: ReadStats | None = None) -> list[Sentence]:
    """NewsFANE Gold (tab-separated ``token<TAB>B-Fine-Class``), mapped with ``NEWSFANE_MAP``.
    NB: this is ANERcorp's own text; see the module docstring before training on it."""
    stats = stats if stats is not None else ReadStats()
    out: list[Sentence] = []
    blocks = _blocks(Path(path), stats, sep="\t")
    parsed = []
    places: set[str] = set()
    for rows in blocks:
        tokens = [r[0] for r in rows]
        raw = [r[-1] for r in rows]
        stats.raw_labels.update(raw)
        for i, t in enumerate(raw):
            if t.startswith("I-") and (i == 0 or raw[i - 1][2:] != t[2:]):
                stats.stray_inside += 1
        spans = bio_spans(raw)
        places.update(normalised(tokens[s:e]) for s, e, k in spans if k in ("Nation", "Population-Center"))
        parsed.append((tokens, spans))
    frozen = frozenset(places)
    for tokens, spans in parsed:
        mapped = []
        for s, e, kind in spans:
            if kind not in NEWSFANE_MAP:
                stats.unknown_labels[kind] += 1
            mapped.append((s, e, NEWSFANE_MAP.get(kind)))
        _finish(tokens, conform(tokens, mapped, frozen), out, stats)
    return out


def _aqmar_label(tag: str) -> str:
    """A cleaned AQMAR tag: ``B-MIS1`` ``I-ORG`` or ``O`` (typos fixed, language markers O)."""
    tag = tag.strip()
    if tag in ("O", "IO", "OO") or not tag:
        return "O"
    prefix, _, label = tag.partition("-")
    if prefix not in ("B", "I"):
        return "O"
    label = _AQMAR_FIX.get(label, label)
    return f"{prefix}-{label}" if label else "O"


def read_aqmar(folder: Path = AQMAR_DIR, stats: ReadStats | None = None,
               articles: Iterable[str] | None = None) -> list[Sentence]:
    """AQMAR (one ``Article.txt`` per Wikipedia article, ``token TAG`` lines), mapped with
    ``AQMAR_MAP`` / ``AQMAR_ARTICLE_MAP``."""
    stats = stats if stats is not None else ReadStats()
    out: list[Sentence] = []
    wanted = set(articles) if articles is not None else None
    for path in sorted(Path(folder).glob("*.txt")):
        article = path.stem
        if wanted is not None and article not in wanted:
            continue
        for rows in _blocks(path, stats):
            tokens = [r[0] for r in rows]
            stats.raw_labels.update(r[-1] for r in rows)
            raw = [_aqmar_label(r[-1]) for r in rows]
            spans = []
            for s, e, kind in bio_spans(raw):
                if (article, kind) in AQMAR_ARTICLE_MAP:
                    mapped = AQMAR_ARTICLE_MAP[(article, kind)]
                elif kind == "MIS0" and article in AQMAR_SCIENCE:
                    mapped = None
                elif kind in AQMAR_MAP:
                    mapped = AQMAR_MAP[kind]
                else:
                    stats.unknown_labels[kind] += 1
                    mapped = None
                spans.append((s, e, mapped))
            _finish(tokens, conform(tokens, spans), out, stats)
    return out


WOJOOD_MARKER = "$#$"


def read_wojood(folder: Path = WOJOOD_DIR, splits: Sequence[str] = ("train", "val", "test"),
                stats: ReadStats | None = None) -> list[Sentence]:
    """The Wojood sample (``token TAG [TAG ...]``, nested), flattened with ``WOJOOD_MAP``:
    outermost mapped span wins.  ``$#$`` marker tokens are removed."""
    stats = stats if stats is not None else ReadStats()
    out: list[Sentence] = []
    parsed = []
    places: set[str] = set()
    for split in splits:
        for rows in _blocks(Path(folder) / f"{split}.txt", stats):
            stats.dropped_tokens += sum(1 for r in rows if r[0] == WOJOOD_MARKER)
            rows = [r for r in rows if r[0] != WOJOOD_MARKER]
            tokens = [r[0] for r in rows]
            tag_lists = [[t for t in r[1:] if t != "O"] for r in rows]
            for r in rows:
                stats.raw_labels.update(r[1:])
            spans = nested_spans(tag_lists)
            places.update(normalised(tokens[s:e]) for s, e, k in spans if k == "GPE")
            parsed.append((tokens, spans))
    frozen = frozenset(places)
    for tokens, spans in parsed:
        mapped = []
        for s, e, kind in spans:
            if kind not in WOJOOD_MAP:
                stats.unknown_labels[kind] += 1
            mapped.append((s, e, WOJOOD_MAP.get(kind)))
        _finish(tokens, conform(tokens, mapped, frozen), out, stats)
    return out


READERS = {"newsfane": read_newsfane, "aqmar": read_aqmar, "wojood": read_wojood}


# -- overlap with ANERcorp ------------------------------------------------------------------------
_NORM = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
                       "ء": None, "ـ": None})
_NON_LETTER = re.compile(r"[^\u0621-\u064a]")
SHINGLE = 20


def normalised(tokens: Iterable[str]) -> str:
    """Arabic letters only, hamza and ta marbuta folded, spaces removed (NewsFANE's re-tokenised,
    hamza-less copy of ANERcorp matches ANERcorp under this)."""
    return _NON_LETTER.sub("", "".join(tokens).translate(_NORM))


def shingles(tokens: Iterable[str], k: int = SHINGLE) -> set[str]:
    s = normalised(tokens)
    return {s[i:i + k] for i in range(len(s) - k + 1)}


def overlapping(sentences: Sequence[Sentence], reference: Iterable[Sentence], threshold: float = 0.5,
                k: int = SHINGLE, strict: bool = False) -> list[bool]:
    """Per sentence: do at least ``threshold`` of its normalised ``k``-character shingles occur in
    ``reference``?  A sentence too short for one shingle counts as overlapping if its whole
    normalised text (when 8+ letters) occurs in the reference text.  ``strict``: one shared
    shingle is enough, and every sentence too short for a shingle counts as overlapping."""
    ref: set[str] = set()
    ref_text: list[str] = []
    for s in reference:
        ref |= shingles(s.tokens, k)
        ref_text.append(normalised(s.tokens))
    joined = "\n".join(ref_text)
    out = []
    for s in sentences:
        g = shingles(s.tokens, k)
        if strict:
            out.append(not g or any(x in ref for x in g))
        elif g:
            out.append(sum(1 for x in g if x in ref) >= threshold * len(g))
        else:
            n = normalised(s.tokens)
            out.append(len(n) >= 8 and n in joined)
    return out


def entity_counts(sentences: Iterable[Sentence]) -> Counter:
    c: Counter = Counter()
    for s in sentences:
        for _, _, kind in bio_spans(s.tags):
            c[kind] += 1
    return c


def summary(sentences: Sequence[Sentence]) -> dict:
    ents = entity_counts(sentences)
    return {"sentences": len(sentences), "tokens": sum(len(s.tokens) for s in sentences),
            "entities": {k: ents.get(k, 0) for k in TYPES}, "entities_total": sum(ents.values())}


STRICT_OVERLAP = frozenset({"newsfane"})


def load_extra(names: Iterable[str], exclude: Iterable[Sentence] = (), threshold: float = 0.5
               ) -> tuple[list[Sentence], dict]:
    """The named corpora (``newsfane``, ``aqmar``, ``wojood``), minus every sentence that overlaps
    ``exclude`` (pass all of ANERcorp: train, dev and test).  Returns the sentences and a report
    per corpus (counts before/after, what was dropped)."""
    exclude = list(exclude)
    sentences: list[Sentence] = []
    report: dict = {}
    for name in names:
        name = name.strip().lower()
        if not name:
            continue
        if name not in READERS:
            raise ValueError(f"unknown extra corpus {name!r}; choose from {sorted(READERS)}")
        stats = ReadStats()
        got = READERS[name](stats=stats)
        # NewsFANE is ANERcorp re-annotated: even its unmatched remainder (95 sentences at 50 %
        # overlap) are edited ANERcorp fragments, so any shared shingle excludes a sentence
        flags = (overlapping(got, exclude, threshold, strict=name in STRICT_OVERLAP) if exclude
                 else [False] * len(got))
        kept = [s for s, f in zip(got, flags) if not f]
        report[name] = {"read": summary(got), "overlapping_anercorp": sum(flags), "kept": summary(kept),
                        "skipped_lines": stats.skipped_lines, "dropped_tokens": stats.dropped_tokens,
                        "stray_inside": stats.stray_inside, "unknown_labels": dict(stats.unknown_labels)}
        sentences.extend(kept)
    return sentences, report

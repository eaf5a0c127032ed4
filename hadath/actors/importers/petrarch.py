"""Import PETRARCH/TABARI actor and agent dictionaries as hadath actor records.

Reads the formats of PETRARCH2's ``dictionaries.rst`` in their English
(Phoenix ``*.actors.txt``, ``Phoenix.agents.txt``) and Arabic
(UniversalPetrarch ``actor_dict_ar_v4.txt``, ``agents.all.ar.txt``)
variants.  Nothing of those dictionaries ships with hadath: users import
their own copy.

Actor dictionaries
------------------
An entry is a primary phrase, optional ``+synonym`` lines and optional
date-restriction lines (indented, ``[CODE >YYMMDD]``, ``[CODE <YYMMDD]``,
``[CODE YYMMDD-YYMMDD]``, or ``[CODE]`` for the default code).  The primary
line may carry the default code and, in some files, restrictions inline
(``NAME [IGOUNO 820101-911231] [ELI]``).  ``#`` starts a comment anywhere,
``;`` a legacy TABARI comment, ``<!-- ... -->`` and lines starting with ``<``
are notes; ``---STOP---`` ends the file.  Phrase words are joined by ``_`` or
blanks; a final ``_`` (word boundary) is dropped.

Each usable entry becomes one :class:`ActorRecord`:

* ``id``: ``petrarch_<slug of the English name>`` or, for Arabic names (no
  ascii form), ``petrarch_ar_<first 10 hex digits of sha1(fold(name))>``:
  stable across runs and file versions as long as the name is unchanged.
  (hadath ids must match ``[a-z][a-z0-9_]*``, so ``petrarch:<name>`` is not
  possible.)  ``id_prefix`` changes the ``petrarch`` part.
* names: an Arabic entry's phrase and synonyms become ``aliases_ar``
  (with the clitic tokens UniversalPetrarch separates -- ``ال_`` ``و_`` ``ل_``
  ... -- glued back to the next word); an English entry's become
  ``aliases_en`` and its ``aliases_ar`` stays empty (see
  :mod:`hadath.actors.importers.base` on how such records are used).  Note
  that the UniversalPetrarch Arabic dictionary is written in *lemmas*
  (``وزارة_دفاع_أميركي_`` for وزارة الدفاع الأميركية): such aliases only match
  text that is lemmatised the same way; person names are mostly unaffected.
* ``name_en``: for English entries the phrase in title case; for Arabic
  entries an English name from an inline comment (``# en: Name`` or a comment
  that is only a Latin name), else -- the Arabic dictionary has none and no
  romanisation is applied unless a ``romanizer`` is passed -- a description
  built from the CAMEO code ("Iraq government person (CAMEO IRQGOV)"); the
  note then says so.
* ``country``/``sector`` from the entry's main code (see
  :mod:`hadath.actors.importers.cameo`): the default code when it names a
  country, else the restriction covering the longest period, else a
  country-less default (a generic agent).  Every dated code that maps to a
  country and a sector becomes an :class:`OfficeTerm` (``<date`` terms start on
  :data:`OPEN_START`; the Arabic file's end date ``18000101``, which precedes
  every start, means "open"; a range ending before it starts is dropped, as
  PETRARCH drops it; ``19700101-19700101`` is UniversalPetrarch's placeholder
  for "no date" and is read as a default code).  ``office_en`` names the
  CAMEO code; since hadath requires Arabic office titles and PETRARCH has
  none, ``office_ar`` holds the actor's own primary name (harmless in the
  alias index: the name is an alias of the same actor).
* ``type``/``entity_type``: role-only codes (``[MIL]``, ``[GOV]``) give
  ``generic`` (``population`` for civilians, refugees, labour, farmers,
  settlers) with no country and no entity type.  Otherwise, in this order:
  a name with an organisation word (حركة، حزب، وزارة، جيش، نيوز ... /
  MINISTRY, PARTY, FRONT, ARMY, BANK, INC ...) is an organisation; an
  ``MNC`` code a company; a name starting with a title (رئيس، وزير، الشيخ ...
  / PRESIDENT, MINISTER, GENERAL, COMMANDER ...) or, in English files, a
  comment such as "leader", "member", "commander of" is a person; an entry
  with dated codes or an ``ELI`` code is a person, unless it is a one-word
  Arabic name coded as a group (حماس [PSEREB >19870101]) or names a
  collective (البلجيكيين); undated ``IGO``/``NGO``/``IMG``/armed-group
  entries are organisations; an undated name of 2--4 name-like words (no
  digits, no "of/the/and") or a lone Arabic nisba surname (الغنوشي) is a
  person; the rest are organisations, typed by sector (GOV -> government or
  ministry, MIL -> military, COP -> police, PTY/OPP -> party, REB/UAF/CRM ->
  armed_group, IGO -> igo, MED -> media, BUS -> company, REL -> religious,
  other civil sectors -> ngo).  It is a heuristic: the dictionaries do not
  say which entries are people; expect a few per cent of errors, mostly
  one-word names.
* ``note``: source file and line, every CAMEO code of the entry.

A phrase line with no code that is *directly* followed by another phrase line
(``IVO_JOSIPOVIC_`` / ``PRESIDENT_JOSIPOVIC_`` / ``[HRVGOV >20120219]``) gets
that entry's codes, as PETRARCH's reader gives them, and the two become one
record (the first phrase is the primary name); with a blank or comment line
between them it is skipped as "no code" instead (PETRARCH would still lend it
the next entry's codes, which is how ``U.N._`` ends up coded as the UN
Secretary-General there).

Entries are skipped, with a reason, when they have no name, no code, only
codes hadath cannot map (bare country codes -- a country or place name --,
territories, historical states, regions that are not armed groups, malformed
or null ``---`` codes), only unusable date restrictions (unreal dates, 7-digit
dates, ranges ending before they start; PETRARCH's reading of 9+-digit dates
as their first 8 digits is kept), repeat an earlier entry's name (same
matching key: ``fold`` for Arabic, the slug for English) -- the first entry
wins, as the dictionaries list some actors many times with conflicting codes
--, are a Latin-only entry in a mostly Arabic file, or (Arabic) are a
country's name in ``countries.jsonl`` or headed by a place word (منطقة، مخيم،
مدينة ...).  Synonyms already claimed by an earlier entry are dropped from the
later one (hadath lets an Arabic alias belong to one actor); each such drop,
and each dated code that cannot become an office, is listed in ``warnings``.

Agent dictionaries
------------------
``PHRASE {PLURALS} [~CODE] arabic gloss # comment`` (``[CODE~]`` for
organisations).  English plurals are generated as PETRARCH does (+S, Y->IES,
SS->ES) unless ``{}`` or explicit plurals are given; ``!SET!`` substitution
markers are expanded from ``!SET! = a, b`` lines (``!PERSON!`` and ``!MINIST!``
default to PETRARCH's sets when a file uses them without defining them).  The
Arabic gloss (``/``-separated alternatives) gives ``aliases_ar``.  Each entry
becomes a ``generic``/``population`` record with no country, the code's
sector, id ``petrarch_agent_<slug>``.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Optional

from hadath.actors.importers.base import (
    OPEN_START, AliasRegistry, CountryIndex, ImportResult, PathLike, SkippedEntry, clean_alias,
    has_arabic, load_country_index, read_text, shorten,
)
from hadath.actors.importers.cameo import (
    SECTOR_LABELS, CodeError, CodeInfo, agent_sector, interpret_code,
)
from hadath.actors.records import ActorRecord, OfficeTerm
from hadath.text.normalize import fold

# ---------------------------------------------------------------------------------------
# names

_BAD_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]")
_CLITICS = frozenset({"ال", "و", "ف", "ب", "ل", "ك"})


def _phrase(raw: str) -> str:
    """A dictionary phrase as plain text: underscores and blanks -> one space."""
    return clean_alias(raw.replace("_", " "))


def _glue_clitics(text: str) -> str:
    """UniversalPetrarch writes clitics as tokens (``ال وساطة``, ``ل أمة``): glue them on."""
    tokens = text.split()
    out: list[str] = []
    pending = ""
    for tok in tokens:
        if tok in _CLITICS:
            pending += tok
            continue
        out.append(pending + tok)
        pending = ""
    if pending:
        out.append(pending)
    return " ".join(out)


def _ascii_slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", norm).strip("_")


_LOWER_EN = frozenset({"OF", "AND", "FOR", "THE", "TO", "IN", "ON", "AT", "BY", "DE", "DES", "DU", "LA", "LE",
                       "DEL", "DI", "DA", "VON", "VAN", "AL", "EL"})
_NOT_ACRONYM = frozenset({"INC", "LTD", "CO", "CORP", "NEW", "OLD", "AIR", "SEA", "WAR", "OIL", "GAS", "BIN",
                          "BEN", "ABU", "IBN", "MR", "MRS", "DR", "ST", "SAN", "II", "III", "IV"}) | _LOWER_EN


def _title(text: str, person: bool) -> str:
    """HAMID KARZAI -> Hamid Karzai; BANK OF ENGLAND -> Bank of England.

    Kept in capitals (organisations only): a one-word name of up to 6 letters
    (NATO, UNICEF), words in parentheses (ALF), words of up to 3 letters that
    are not common words (UN, EU, IMF).
    """
    words = text.split()
    out = []
    for i, w in enumerate(words):
        if not w.isupper():
            out.append(w)
            continue
        core = re.sub(r"[^A-Z]", "", w)
        if not person and (w.startswith("(") or (len(words) == 1 and len(core) <= 6)
                           or (len(core) <= 3 and core not in _NOT_ACRONYM)):
            out.append(w)
        elif i > 0 and core in _LOWER_EN and w == core:
            out.append(w.lower())
        else:
            out.append(w.title().replace("'S", "'s"))
    return " ".join(out)


# ---------------------------------------------------------------------------------------
# type heuristics

_ORG_AR = frozenset(fold(w) for w in (
    "حركة", "حزب", "منظمة", "جيش", "قوة", "قوات", "وزارة", "مجلس", "اتحاد", "جامعة", "جبهة", "هيئة",
    "وكالة", "شركة", "محكمة", "برلمان", "حكومة", "كتائب", "كتيبة", "لواء", "جماعة", "تنظيم", "رابطة",
    "جمعية", "لجنة", "مؤسسة", "شرطة", "سفارة", "بنك", "مصرف", "صندوق", "تحالف", "ائتلاف", "تيار",
    "مكتب", "ديوان", "الديوان", "إدارة", "سلطة", "دائرة", "صحيفة", "قناة", "تلفزيون", "إذاعة", "مركز",
    "معهد", "رئاسة", "نقابة", "غرفة", "كنيسة", "مفوضية", "برنامج", "بعثة", "أمانة", "نظام", "أمن",
    "استخبارات", "مخابرات", "جهاز", "حرس", "فيلق", "ميليشيا", "مليشيا", "سرايا", "فصائل", "فصيل",
    "تجمع", "منتدى", "اللجنة", "المجلس", "الحركة", "الحزب", "المنظمة", "الجيش", "الاتحاد", "الجبهة",
    "الهيئة", "الوكالة", "المحكمة", "البرلمان", "الحكومة", "الجماعة", "الشرطة", "الأمم", "وكالة",
    "بلدية", "كلية", "مستشفى", "مجموعة", "الائتلاف", "التحالف", "نيوز", "تايمز", "بوست", "برس", "صحافة",
    "مجلة", "تلفزيون", "راديو", "موقع", "مؤتمر", "استخبار", "مخابرة", "مجمع", "أكاديمية",
))
_PLACE_AR = frozenset(fold(w) for w in (
    "منطقة", "مخيم", "مدينة", "محافظة", "ولاية", "قرية", "نهر", "جبل", "إقليم", "بلدة", "مقاطعة",
    "جزيرة", "شمال", "جنوب", "شرق", "غرب", "حي", "ميناء", "مطار",
))
_TITLES_AR = frozenset(fold(w) for w in (
    "رئيس", "الرئيس", "وزير", "الوزير", "ملك", "الملك", "أمير", "الأمير", "شيخ", "الشيخ", "جنرال",
    "الجنرال", "عاهل", "العاهل", "نائب", "النائب", "سفير", "السفير", "قائد", "القائد", "زعيم", "الزعيم",
    "مرشد", "المرشد", "سلطان", "السلطان", "رئيسة", "وزيرة", "ملكة", "السيد", "السيدة", "الدكتور",
    "دكتور", "العقيد", "عقيد", "اللواء", "العميد", "عميد", "المشير", "مشير", "الإمام", "إمام", "آية",
    "حجة", "الحاج", "حاج", "البابا", "بابا", "الأمين", "أمين", "مفتي", "المفتي", "ميجر", "لميجر",
    "مستشار", "المستشار", "محافظ", "المحافظ", "الناطق", "ناطق", "المتحدث", "متحدث",
))
_ORG_EN = frozenset({
    "MINISTRY", "MINISTRIES", "DEPARTMENT", "PARTY", "ARMY", "ARMIES", "FORCE", "FORCES", "FRONT",
    "MOVEMENT", "ORGANIZATION", "ORGANISATION", "COUNCIL", "UNION", "GROUP", "GROUPS", "BRIGADE",
    "BRIGADES", "COMMITTEE", "ASSOCIATION", "BANK", "CORP", "CORP.", "CORPORATION", "INC", "INC.",
    "LTD", "LTD.", "COMPANY", "CO.", "AGENCY", "COURT", "PARLIAMENT", "ASSEMBLY", "GOVERNMENT",
    "POLICE", "MILITIA", "MILITIAS", "COMMISSION", "FUND", "FOUNDATION", "INSTITUTE", "UNIVERSITY",
    "SOCIETY", "LEAGUE", "ALLIANCE", "COALITION", "FEDERATION", "CONGRESS", "SENATE", "NAVY",
    "GUARD", "GUARDS", "CORPS", "OFFICE", "AUTHORITY", "BUREAU", "NETWORK", "NEWS", "TIMES",
    "TELEVISION", "RADIO", "PRESS", "CHURCH", "TRUST", "HOLDINGS", "SYSTEMS", "CENTER", "CENTRE",
    "PROGRAM", "PROGRAMME", "MISSION", "BOARD", "CABINET", "REGIME", "ADMINISTRATION", "TRIBUNAL",
    "CELLS", "CELL", "FACTION", "BRIGADE", "ARMED", "JIHAD", "COMMANDOS", "SQUAD", "SQUADS",
    "ORGANIZATIONS", "NETWORKS", "TECHNOLOGIES", "INCORPORATED", "INDUSTRIES", "AIRLINES", "BANCORP",
    "PARTNERS", "FOUNDATIONS", "CHAMBER", "SERVICE", "SERVICES", "INTERNATIONAL", "COOPERATIVE",
    "AIR", "MARINES", "JUNTA", "SECRETARIAT", "UN", "U.N.", "EU", "NATO", "RED", "CROSS", "CRESCENT",
    "TALIBAN", "QAEDA", "AL-QAEDA", "HAMAS", "HEZBOLLAH", "HIZBALLAH", "REPUBLIC", "KINGDOM",
    "EMBASSY", "CONSULATE", "PROJECT", "INITIATIVE", "COMMAND", "BATTALION", "REGIMENT", "DIVISION",
})
_TITLES_EN = frozenset({
    "PRESIDENT", "PRIME", "MINISTER", "KING", "QUEEN", "PRINCE", "PRINCESS", "SHEIKH", "SHEIK",
    "GENERAL", "GEN.", "COLONEL", "COL.", "MAJOR", "CAPTAIN", "LORD", "SIR", "BARON", "DR.", "DOCTOR",
    "SENATOR", "AMBASSADOR", "SECRETARY", "SECRETARY-GENERAL", "EMIR", "AMIR", "SULTAN", "AYATOLLAH",
    "POPE", "CARDINAL", "BISHOP", "ARCHBISHOP", "IMAM", "MULLAH", "MR.", "MRS.", "MS.", "ADMIRAL",
    "FOREIGN", "DEFENSE", "DEFENCE", "VICE", "CHANCELLOR", "MAYOR", "GOVERNOR", "JUDGE", "JUSTICE",
    "REV.", "REVEREND", "ACTING", "DEPUTY", "SPEAKER", "MARSHAL", "FIELD", "CHIEF", "JONKHEER",
    "COMMANDER", "MAULANA", "MULLA", "HAJI", "USTADZ", "PRESIDENT-ELECT",
})
_PERSON_HINT = re.compile(r"\b(leader|member|commander|head of|founder|spokes(?:man|woman|person)|chief|emir|"
                          r"alias of|president of|minister|secretary|ambassador)\b", re.I)
_FUNCTION_EN = frozenset({"OF", "THE", "AND", "FOR", "IN", "ON", "DE", "DU", "LA", "LE", "DES", "DEL", "&"})
_GROUPISH = frozenset({"REB", "PTY", "IGO", "NGO", "MED", "BUS", "REL", "OPP", "UAF", "CRM"})
_POPULATION = frozenset({"CVL", "REF", "LAB", "AGR", "SET"})

_TYPE_OF_SECTOR = {
    "GOV": "government", "LEG": "government", "JUD": "government", "SPY": "government",
    "MIL": "military", "COP": "police", "PTY": "party", "OPP": "party", "REB": "armed_group",
    "UAF": "armed_group", "CRM": "armed_group", "IGO": "igo", "MED": "media", "JRN": "media",
    "BUS": "company", "REL": "religious",
}


def _org_type(info: CodeInfo, head: str, arabic: bool) -> str:
    if info.kind == "company":
        return "company"
    if info.kind == "igo":
        return "igo"
    if info.kind == "img":
        return "armed_group"
    if info.sector == "GOV" and ((arabic and fold(head) in {fold("وزارة")}) or
                                 (not arabic and head in ("MINISTRY", "DEPARTMENT"))):
        return "ministry"
    if info.kind == "ngo":
        return "ngo" if info.sector in ("NGO", "CVL") else _TYPE_OF_SECTOR.get(info.sector, "ngo")
    return _TYPE_OF_SECTOR.get(info.sector, "ngo")


def infer_type(name: str, info: CodeInfo, dated: bool, comment: str = "") -> tuple[str, Optional[str]]:
    """``(type, entity_type)`` of an actor entry (the heuristic of the module docstring)."""
    if info.country is None:
        return ("population" if info.sector in _POPULATION else "generic"), None
    arabic = has_arabic(name)
    tokens = name.split()
    if arabic:
        keys = [fold(t) for t in tokens]
        org = any(k in _ORG_AR for k in keys[:2]) or any(k in _ORG_AR and len(k) > 3 for k in keys[2:])
        title = keys[0] in _TITLES_AR
    else:
        keys = [t.upper() for t in tokens]
        org = any(t.strip("()") in _ORG_EN for t in keys)
        title = keys[0] in _TITLES_EN
    head = tokens[0] if arabic else keys[0]
    if org:
        return _org_type(info, head, arabic), "ORG"
    if info.kind == "company":
        return "company", "ORG"
    if title or (not arabic and _PERSON_HINT.search(comment or "")):
        return "person", "PER"
    nisba = arabic and len(tokens) == 1 and keys[0].startswith("ال") and keys[0].endswith("ي")
    collective = arabic and any(k.startswith("ال") and k.endswith(("يين", "يون")) for k in keys)
    if dated or "ELI" in info.code[3:]:
        if arabic and (collective or (len(tokens) == 1 and info.sector in _GROUPISH and not nisba)):
            return _org_type(info, head, arabic), "ORG"
        return "person", "PER"
    if info.kind in ("ngo", "igo", "img") or info.sector in ("REB", "UAF"):
        return _org_type(info, head, arabic), "ORG"
    name_like = 2 <= len(tokens) <= 4 and not any(ch.isdigit() for ch in name) and not collective
    if not arabic:
        name_like = name_like and not any(t in _FUNCTION_EN for t in keys) and "(" not in name
    if name_like or nisba:                 # a nisba surname alone: الغنوشي، القذافي
        return "person", "PER"
    return _org_type(info, head, arabic), "ORG"


def _is_place(name: str) -> bool:
    if not has_arabic(name):
        return False
    return fold(name.split()[0]) in _PLACE_AR


# ---------------------------------------------------------------------------------------
# dates and codes

_DATE = re.compile(r"^\d{6}$|^\d{8,}$")


class DateRestrictionError(ValueError):
    pass


def parse_date(text: str) -> date:
    """PETRARCH date: YYMMDD (YY <= 30 -> 20YY, else 19YY) or YYYYMMDD."""
    text = text.strip()
    if not _DATE.match(text):
        raise DateRestrictionError(f"bad date {text!r} (YYMMDD or YYYYMMDD; PETRARCH would misread a "
                                   "7-digit date as YYMMDD)" if len(text) == 7 else
                                   f"bad date {text!r} (YYMMDD or YYYYMMDD)")
    if len(text) > 8:                 # PETRARCH reads the first 8 digits of a long date
        text = text[:8]
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return date(year, month, day)
    except ValueError:
        raise DateRestrictionError(f"{text!r} is not a real date") from None


@dataclass(frozen=True)
class Restriction:
    code: str
    start: Optional[date]         # None: no restriction (a default code)
    end: Optional[date]
    line: int
    raw: str
    placeholder: bool = False     # 19700101-19700101


_OPEN_END_YEAR = 1800


def parse_restriction(content: str, line: int) -> Restriction:
    """The inside of one ``[...]``: ``CODE``, ``CODE >D``, ``CODE <D`` or ``CODE D-D``."""
    raw = f"[{content}]"
    text = content.strip()
    if not text:
        raise DateRestrictionError("empty brackets")
    code, _, rest = text.partition(" ")
    rest = rest.strip()
    if code[:1] in "<>" or code[:1].isdigit():
        raise DateRestrictionError(f"restriction {raw} has no code")
    if not rest:
        return Restriction(code, None, None, line, raw)
    if rest[0] in "<>":
        day = parse_date(rest[1:])
        if rest[0] == "<":
            return Restriction(code, OPEN_START, day, line, raw)
        return Restriction(code, day, None, line, raw)
    a, dash, b = rest.partition("-")
    if not dash:
        raise DateRestrictionError(f"cannot read the restriction {rest!r}")
    start, end = parse_date(a), parse_date(b)
    if start == end == date(1970, 1, 1):
        return Restriction(code, None, None, line, raw, placeholder=True)
    if end < start:
        if end.year <= _OPEN_END_YEAR:
            return Restriction(code, start, None, line, raw)
        raise DateRestrictionError(f"end {end} before start {start}")
    return Restriction(code, start, end, line, raw)


# ---------------------------------------------------------------------------------------
# reading the file into entries

_BRACKET = re.compile(r"\[([^\[\]]*)\]")


@dataclass
class _Entry:
    line: int
    name: str
    comment: str
    raw: list[str] = field(default_factory=list)
    synonyms: list[tuple[int, str]] = field(default_factory=list)
    codes: list[tuple[int, str]] = field(default_factory=list)   # (line, bracket content)
    problems: list[SkippedEntry] = field(default_factory=list)
    has_body: bool = False          # a '+' synonym or a code line was read


def _split_comment(line: str) -> tuple[str, str]:
    """``(content, comment)``: ``#`` anywhere, ``;`` (TABARI) when no code follows it."""
    comment = ""
    if "#" in line:
        line, _, comment = line.partition("#")
    if ";" in line:
        head, _, tail = line.partition(";")
        if "[" not in tail:
            line, comment = head, (tail + " " + comment).strip()
    return line, comment.strip()


def _logical_lines(text: str) -> Iterable[tuple[int, str]]:
    """Lines with comments and notes removed (line numbers kept); stops at ``---STOP---``."""
    in_xml = False
    for n, line in enumerate(text.split("\n"), 1):
        if in_xml:
            if "-->" in line:
                in_xml = False
                line = line[line.index("-->") + 3:]
            else:
                continue
        if "<!--" in line:
            head, _, tail = line.partition("<!--")
            if "-->" in tail:
                line = head + tail[tail.index("-->") + 3:]
            else:
                in_xml = True
                line = head
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped.startswith("<"):
            continue
        if "---STOP---" in stripped:
            break
        yield n, line


def _read_entries(text: str) -> tuple[list[_Entry], list[SkippedEntry]]:
    entries: list[_Entry] = []
    orphans: list[SkippedEntry] = []
    current: Optional[_Entry] = None
    last = 0                                    # line number of the previous logical line
    for n, line in _logical_lines(text):
        prev, last = last, n
        content, comment = _split_comment(line)
        stripped = content.strip()
        if not stripped:
            continue
        if stripped.startswith("["):                        # restriction / default code line
            if current is None:
                orphans.append(SkippedEntry(n, shorten(line), "code line before any entry", "orphan line"))
                continue
            current.raw.append(line)
            current.has_body = True
            current.codes += [(n, m.group(1)) for m in _BRACKET.finditer(stripped)]
            if not _BRACKET.search(stripped):
                current.problems.append(SkippedEntry(n, shorten(line), "unclosed '[' in code line",
                                                     "unparseable date restriction"))
            continue
        if stripped.startswith("+"):                        # synonym(s)
            if current is None:
                orphans.append(SkippedEntry(n, shorten(line), "synonym before any entry", "orphan line"))
                continue
            current.raw.append(line)
            current.has_body = True
            body = stripped.split("[", 1)[0]
            for piece in body.split("+"):
                if piece.strip():
                    current.synonyms.append((n, piece))
            current.codes += [(n, m.group(1)) for m in _BRACKET.finditer(stripped)]
            continue
        name = stripped.split("[", 1)[0]
        codes = [(n, m.group(1)) for m in _BRACKET.finditer(stripped)]
        if current is not None and not current.codes and not current.has_body and n == prev + 1:
            # A phrase without any code directly followed by the next entry: PETRARCH's
            # reader gives it that entry's codes, so it is in effect one of its names
            # (IVO_JOSIPOVIC_ / PRESIDENT_JOSIPOVIC_ / [HRVGOV >20120219]).  It stays the
            # primary name; the later phrase becomes a synonym.
            current.problems.append(SkippedEntry(
                current.line, shorten(current.name), "no code of its own: joined with the next line's "
                f"entry (line {n}), as PETRARCH does", "codeless phrase joined to next entry"))
            current.raw.append(line)
            current.synonyms.append((n, name))
            current.codes += codes
            if comment and not current.comment:
                current.comment = comment
            continue
        current = _Entry(n, name, comment, [line])
        current.codes += codes
        entries.append(current)
    return entries, orphans


# ---------------------------------------------------------------------------------------
# entries -> records

_LATIN_NAME = re.compile(r"^(?:en:\s*)?([A-Z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*){0,5})$")


def _english_from_comment(comment: str) -> Optional[str]:
    """``# en: Nouri al-Maliki`` or a comment that is only a Latin name (not 'kkl 21 Mar 13')."""
    text = " ".join(comment.split())
    m = _LATIN_NAME.match(text)
    if m is None or any(ch.isdigit() for ch in text):
        return None
    if not text.lower().startswith("en:") and len(text.split()) < 2:
        return None
    return m.group(1)


def _make_id(prefix: str, name: str, arabic: bool) -> str:
    if not arabic:
        slug = _ascii_slug(name)
        if slug:
            return f"{prefix}_{slug}"
    digest = hashlib.sha1(fold(name).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}_ar_{digest}"


def _key(name: str, arabic: bool) -> str:
    return fold(name) if arabic else _ascii_slug(name) or fold(name)


_WHERE = {"IGO": "intergovernmental", "UNO": "UN", "EUR": "EU", "NGO": "international", "IMG": "international"}


def _role(info: CodeInfo, countries: CountryIndex) -> str:
    """'Iraq government', 'UN body', 'international armed group' ..."""
    where = _WHERE.get(info.country or "", countries.label(info.country) if info.country else "")
    label = "body" if info.sector == "IGO" else SECTOR_LABELS.get(info.sector, info.sector)
    return clean_alias(f"{where} {label}")


def _describe(info: CodeInfo, kind: str, countries: CountryIndex) -> str:
    """A name_en for an entry whose source has no English name: 'Iraq government person (CAMEO IRQGOV)'."""
    what = {"person": "person", "generic": "agent", "population": "people"}.get(kind, "organisation")
    role = _role(info, countries)
    if info.sector == "IGO":
        role, what = role.rsplit(" ", 1)[0], {"person": "official"}.get(kind, "body")
    return clean_alias(f"{role} {what} (CAMEO {info.code})")


def _span(r: Restriction) -> int:
    start = r.start or OPEN_START
    end = r.end or date.today()
    return (end - max(start, date(1900, 1, 1))).days


@dataclass
class _Options:
    countries: CountryIndex
    id_prefix: str
    romanizer: Optional[Callable[[str], Optional[str]]]
    language: str = "en"            # "ar": the file's names are Arabic; Latin-only entries are skipped


def _build(entry: _Entry, file_name: str, opts: _Options, registry: AliasRegistry,
           seen: dict[str, int], warnings: list[SkippedEntry]) -> tuple[Optional[ActorRecord], Optional[SkippedEntry]]:
    raw = shorten("\n".join(entry.raw))

    def skip(reason: str, category: str) -> tuple[None, SkippedEntry]:
        return None, SkippedEntry(entry.line, raw, reason, category)

    if _BAD_CHARS.search(entry.name):
        return skip("control or replacement character in the name (the file was mis-encoded here)",
                    "bad characters")
    name = _phrase(entry.name)
    arabic = has_arabic(name)
    if arabic:
        name = _glue_clitics(name)
    if not name or not re.search(r"\w", name):
        return skip("no name", "no name")
    warnings.extend(entry.problems)
    if not entry.codes:
        broken = [p for p in entry.problems if p.category == "unparseable date restriction"]
        if broken:
            return skip(f"unparseable date restriction (line {broken[0].line}: {broken[0].reason})",
                        "unparseable date restriction")
        return skip("no code (and no directly following entry whose codes PETRARCH would lend it)", "no code")

    # codes -> restrictions
    restrictions: list[Restriction] = []
    date_errors: list[str] = []
    for line, content in entry.codes:
        try:
            restrictions.append(parse_restriction(content, line))
        except DateRestrictionError as exc:
            date_errors.append(f"[{content}]: {exc}")
            warnings.append(SkippedEntry(line, shorten(f"[{content}]"), f"{exc}; restriction dropped",
                                         "unparseable date restriction"))
    if not restrictions:
        return skip("unparseable date restriction: " + "; ".join(date_errors), "unparseable date restriction")

    # interpret every code
    interpreted: list[tuple[Restriction, CodeInfo]] = []
    code_errors: list[CodeError] = []
    for r in restrictions:
        try:
            interpreted.append((r, interpret_code(r.code, opts.countries)))
        except CodeError as exc:
            code_errors.append(exc)
            if r.start is not None:
                warnings.append(SkippedEntry(r.line, r.raw, f"{exc.reason}; restriction dropped", exc.category))
    if not interpreted:
        first = code_errors[0]
        return skip(first.reason, first.category)

    defaults = [(r, i) for r, i in interpreted if r.start is None]
    dated = [(r, i) for r, i in interpreted if r.start is not None]
    ranked = ([x for x in defaults if x[1].country] +
              sorted((x for x in dated if x[1].country), key=lambda x: -_span(x[0])) +
              [x for x in defaults if not x[1].country] +
              [x for x in dated if not x[1].country])
    main_r, info = ranked[0]

    if arabic and _is_place(name):
        return skip(f"place name ({name!r}) coded {info.code}: hadath actors are not places", "place or country name")
    if arabic and fold(name) in opts.countries.names_ar:
        iso = opts.countries.names_ar[fold(name)]
        return skip(f"{name!r} is the name of the country {iso} (countries.jsonl covers it)", "place or country name")

    if opts.language == "ar" and not arabic:
        return skip(f"no Arabic name ({name!r}) in an Arabic dictionary", "no Arabic name")
    key = _key(name, arabic)
    if key in seen:
        return skip(f"duplicate of line {seen[key]} (same name)", "duplicate")
    kind, entity_type = infer_type(name, info, bool(dated), entry.comment)

    # names
    names = [name]
    for line, syn in entry.synonyms:
        s = _phrase(syn)
        if has_arabic(s):
            s = _glue_clitics(s)
        if not s or _BAD_CHARS.search(s):
            warnings.append(SkippedEntry(line, shorten(syn), "empty or mis-encoded synonym dropped", "bad synonym"))
            continue
        if has_arabic(s) != arabic:
            warnings.append(SkippedEntry(line, shorten(syn), "synonym in another script than the entry's name dropped",
                                         "bad synonym"))
            continue
        names.append(s)
    aliases: list[str] = []
    keys: set[str] = set()
    for i, n in enumerate(names):
        k = _key(n, arabic)
        if k in keys:
            continue
        if arabic:
            owner = registry.owner(n)
            if owner is not None:
                warnings.append(SkippedEntry(entry.line, n, f"alias already used by {owner[0]}"
                                             f"{' (line %d)' % owner[1] if owner[1] else ''}; dropped",
                                             "alias taken"))
                continue
        elif i > 0 and k in seen:
            warnings.append(SkippedEntry(entry.line, n, f"synonym is the name of line {seen[k]}; dropped",
                                         "alias taken"))
            continue
        keys.add(k)
        aliases.append(n)
    if arabic and not aliases:
        return skip("every name of the entry is already another actor's", "duplicate")

    # offices from dated codes
    office_ar: tuple[str, ...] = (aliases[0],) if arabic else ()
    offices: list[OfficeTerm] = []
    for r, term_info in dated:
        if term_info.country is None:
            warnings.append(SkippedEntry(r.line, r.raw, f"dated code {term_info.code} names no country; "
                                         "restriction dropped", "dated code without country"))
            continue
        offices.append(OfficeTerm(
            office_en=f"CAMEO {term_info.code} ({_role(term_info, opts.countries)})",
            office_ar=office_ar, country=term_info.country, sector=term_info.sector,
            start=r.start or OPEN_START, end=r.end,
            note=f"PETRARCH restriction {r.raw} ({file_name}:{r.line})"))
    offices.sort(key=lambda t: (t.start, t.end or date.max))
    for r, _ in defaults:
        if r.placeholder:
            warnings.append(SkippedEntry(r.line, r.raw, "placeholder dates 19700101-19700101 read as a default code",
                                         "placeholder dates"))
    if info.country is None:
        offices = []

    # English name
    note_bits = [f"imported from {file_name}:{entry.line}",
                 "CAMEO " + " ".join(r.raw for r in restrictions)]
    if arabic:
        name_en = _english_from_comment(entry.comment)
        if name_en is None and opts.romanizer is not None and kind == "person":
            name_en = opts.romanizer(name)
            if name_en:
                note_bits.append("name_en romanised")
        if not name_en:
            name_en = _describe(info, kind, opts.countries)
            note_bits.append("name_en describes the CAMEO code: the source gives no English name")
        aliases_ar: tuple[str, ...] = tuple(aliases)
        aliases_en: tuple[str, ...] = ()
    else:
        name_en = _title(name, kind == "person")
        aliases_ar, aliases_en = (), tuple(_title(a, kind == "person") for a in aliases)
        note_bits.append("English-only entry")
    if info.religion:
        note_bits.append(f"religion {info.religion}")

    rec = ActorRecord(
        id=_make_id(opts.id_prefix, name, arabic), name_en=clean_alias(name_en), type=kind,
        entity_type=entity_type, country=info.country, sector=info.sector, qid=None,
        aliases_ar=aliases_ar, aliases_en=_dedupe_en(aliases_en), offices=tuple(offices),
        note=clean_alias("; ".join(note_bits)))
    for n in aliases:
        k = _key(n, arabic)
        seen.setdefault(k, entry.line)
        if arabic:
            registry.claim(n, f"actor {rec.id}", entry.line)
    return rec, None


def _dedupe_en(values: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for v in values:
        k = fold(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return tuple(out)


def parse_petrarch_actors(path: PathLike, *, countries: Optional[CountryIndex] = None,
                          id_prefix: str = "petrarch",
                          romanizer: Optional[Callable[[str], Optional[str]]] = None) -> ImportResult:
    """Import a PETRARCH/TABARI ``.actors`` dictionary (English or Arabic).

    ``countries`` defaults to the bundled ``countries.jsonl``; ``romanizer``
    (e.g. :class:`hadath.actors.romanize.Romanizer`) gives Arabic person
    entries an English name when the file has none.  Never raises on content.
    """
    text, encoding = read_text(path)
    entries, orphans = _read_entries(text)
    arabic_names = sum(1 for e in entries if has_arabic(e.name))
    language = "ar" if arabic_names * 2 > len(entries) else "en"
    opts = _Options(countries or load_country_index(), id_prefix, romanizer, language)
    file_name = Path(path).name
    registry = AliasRegistry.with_countries(opts.countries)
    seen: dict[str, int] = {}
    records: list[ActorRecord] = []
    skipped: list[SkippedEntry] = list(orphans)
    warnings: list[SkippedEntry] = []
    ids: set[str] = set()
    for entry in entries:
        try:
            rec, skip = _build(entry, file_name, opts, registry, seen, warnings)
        except Exception as exc:          # never let one odd entry stop an import
            rec, skip = None, SkippedEntry(entry.line, shorten("\n".join(entry.raw)),
                                           f"could not be read ({type(exc).__name__}: {exc})", "internal error")
        if rec is not None and rec.id in ids:
            skip = SkippedEntry(entry.line, shorten("\n".join(entry.raw)), f"id {rec.id} already used", "duplicate")
            rec = None
        if rec is not None:
            ids.add(rec.id)
            records.append(rec)
        else:
            assert skip is not None
            skipped.append(skip)
    skipped.sort(key=lambda s: s.line)
    return ImportResult(str(path), "petrarch-actors", encoding, tuple(records), tuple(skipped),
                        tuple(warnings), lines_read=text.count("\n") + (0 if text.endswith("\n") else 1),
                        entries_read=len(entries) + len(orphans), language=language)


# ---------------------------------------------------------------------------------------
# agents

DEFAULT_SUBSTITUTIONS = {
    "!PERSON!": ("MAN", "MEN", "WOMAN", "WOMEN", "PERSON"),
    "!MINIST!": ("MINISTER", "MINISTERS", "MINISTRY", "MINISTRIES"),
}
_AGENT = re.compile(r"^(?P<phrase>[^\[{]*?)\s*(?:\{(?P<plural>[^}]*)\}\s*)?\[(?P<code>[^\]]*)\](?P<rest>.*)$")
_AGENT_LOOSE = re.compile(r"^(?P<phrase>[^\[{]*?)\s*(?:\{(?P<plural>[^}]*)\}\s*)?"
                          r"\[(?P<code>\s*(?:~[A-Z]+|[A-Z]+~))\s*[}\]]?(?P<rest>.*)$")
_MARKER = re.compile(r"![A-Z]+!")
_ARABIC_RUN = re.compile(r"[\u0600-\u06FF][\u0600-\u06FF\s]*")


def _plural(word_phrase: str) -> str:
    if word_phrase.endswith("SS"):
        return word_phrase + "ES"
    if word_phrase.endswith("Y") and not word_phrase.endswith(("AY", "EY", "OY", "UY")):
        return word_phrase[:-1] + "IES"
    if word_phrase.endswith("S"):
        return word_phrase
    return word_phrase + "S"


def _expand_markers(phrase: str, sets: dict[str, tuple[str, ...]]) -> list[str]:
    m = _MARKER.search(phrase)
    if m is None:
        return [phrase]
    options = sets.get(m.group(0))
    if not options:
        raise KeyError(m.group(0))
    out: list[str] = []
    for opt in options:
        out += _expand_markers(phrase[:m.start()] + opt + phrase[m.end():], sets)
    return out


def parse_petrarch_agents(path: PathLike, *, id_prefix: str = "petrarch_agent",
                          countries: Optional[CountryIndex] = None) -> ImportResult:
    """Import a PETRARCH agents dictionary (English, or with Arabic glosses after the code)."""
    text, encoding = read_text(path)
    countries = countries or load_country_index()
    file_name = Path(path).name
    sets: dict[str, tuple[str, ...]] = {}
    for line in text.split("\n"):
        m = re.match(r"^\s*(![A-Z]+!)\s*=\s*(.+)$", line.split("#", 1)[0])
        if m:
            sets[m.group(1)] = tuple(x.strip() for x in m.group(2).split(",") if x.strip())
    used_defaults: set[str] = set()
    registry = AliasRegistry.with_countries(countries)
    seen: dict[str, int] = {}
    records: list[ActorRecord] = []
    skipped: list[SkippedEntry] = []
    warnings: list[SkippedEntry] = []
    entries = 0
    language = "ar" if has_arabic(text) else "en"
    for n, line in _logical_lines(text):
        if re.match(r"^\s*![A-Z]+!\s*=", line):
            continue
        entries += 1
        raw = shorten(line)
        body, _, comment = line.partition("#")
        m = _AGENT.match(body.strip())
        if m is None:
            m = _AGENT_LOOSE.match(body.strip())
            if m is not None:
                warnings.append(SkippedEntry(n, raw, "code bracket not closed with ']': read anyway", "bracket typo"))
        if m is None:
            phrase_only = body.strip()
            reason = "no code" if phrase_only and "[" not in phrase_only else "unreadable agent line"
            skipped.append(SkippedEntry(n, raw, f"{reason}: expected 'PHRASE {{PLURAL}} [~CODE]'",
                                        "no code" if reason == "no code" else "unreadable line"))
            continue
        phrase, plural, code, rest = m.group("phrase"), m.group("plural"), m.group("code").strip(), m.group("rest")
        sector = agent_sector(code) if "~" in code else None
        if sector is None:
            skipped.append(SkippedEntry(n, raw, f"agent code [{code}] maps to no hadath sector"
                                        + ("" if "~" in code else " (an agent code needs '~')"), "unmapped code"))
            continue
        # English forms
        english: list[str] = []
        try:
            roots = _expand_markers(phrase.strip(), {**DEFAULT_SUBSTITUTIONS, **sets})
        except KeyError as exc:
            skipped.append(SkippedEntry(n, raw, f"undefined substitution set {exc.args[0]}", "unreadable line"))
            continue
        for marker in _MARKER.findall(phrase):
            if marker not in sets:
                used_defaults.add(marker)
        marker_used = bool(_MARKER.search(phrase))
        english += [_phrase(root) for root in roots]
        if plural is None and not marker_used:
            english += [_phrase(_plural(r.strip().rstrip("_"))) for r in roots if r.strip()]
        elif plural:
            english += [_phrase(p) for p in plural.split()]
        english = [e for e in english if e]
        # Arabic gloss (UniversalPetrarch sometimes left it in the comment, after a '?')
        gloss = rest.strip()
        if not has_arabic(gloss) and has_arabic(comment):
            gloss = " / ".join(clean_alias(x) for x in _ARABIC_RUN.findall(comment))
            warnings.append(SkippedEntry(n, raw, "Arabic gloss taken from the comment", "gloss in comment"))
        arabic_names: list[str] = []
        for piece in re.split(r"[/،,]", gloss):
            piece = clean_alias(re.sub(r"[?؟!\"()\[\]{}:;.]", " ", piece))
            if piece and has_arabic(piece):
                arabic_names.append(piece)
            elif piece:
                warnings.append(SkippedEntry(n, shorten(piece), "non-Arabic text after the code ignored", "bad gloss"))
        if not english and not arabic_names:
            skipped.append(SkippedEntry(n, raw, "no name", "no name"))
            continue
        key = _ascii_slug(english[0]) if english else fold(arabic_names[0])
        if key in seen:
            skipped.append(SkippedEntry(n, raw, f"duplicate of line {seen[key]}", "duplicate"))
            continue
        aliases_ar: list[str] = []
        keys: set[str] = set()
        for a in arabic_names:
            k = fold(a)
            if k in keys:
                continue
            owner = registry.owner(a)
            if owner is not None:
                warnings.append(SkippedEntry(n, a, f"Arabic gloss already used by {owner[0]}"
                                             f"{' (line %d)' % owner[1] if owner[1] else ''}; dropped", "alias taken"))
                continue
            keys.add(k)
            aliases_ar.append(a)
        if language == "ar" and not aliases_ar:
            why = "no Arabic gloss" if not arabic_names else "its Arabic gloss belongs to an earlier agent"
            skipped.append(SkippedEntry(n, raw, f"{why} (the Arabic knowledge base needs one)",
                                        "no Arabic name" if not arabic_names else "Arabic name taken"))
            continue
        kind = "population" if sector in _POPULATION else "generic"
        if english and key:
            rid = f"{id_prefix}_{key}"
        else:
            rid = f"{id_prefix}_ar_{hashlib.sha1(key.encode()).hexdigest()[:10]}"
        name_en = english[0].lower() if english else f"{SECTOR_LABELS.get(sector, sector)} agent"
        rec = ActorRecord(
            id=rid, name_en=name_en, type=kind, entity_type=None, country=None, sector=sector, qid=None,
            aliases_ar=tuple(aliases_ar), aliases_en=_dedupe_en(e.lower() for e in english),
            note=clean_alias(f"imported from {file_name}:{n}; PETRARCH agent [{code}]"
                             + (f"; {comment.strip()}" if comment.strip() else "")))
        seen[key] = n
        for a in aliases_ar:
            registry.claim(a, f"agent {rid}", n)
        records.append(rec)
    for marker in sorted(used_defaults):
        warnings.append(SkippedEntry(0, marker, f"{marker} is used but not defined in the file; PETRARCH's "
                                     f"default set {DEFAULT_SUBSTITUTIONS[marker]} was used",
                                     "default substitution set"))
    return ImportResult(str(path), "petrarch-agents", encoding, tuple(records), tuple(skipped), tuple(warnings),
                        lines_read=text.count("\n") + (0 if text.endswith("\n") else 1), entries_read=entries,
                        language=language)

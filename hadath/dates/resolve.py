"""Find Arabic date expressions and resolve them to calendar dates.

:func:`find_dates` folds the text (see :mod:`hadath.text.normalize`), finds the
words an expression can start with in one pass (``RE_TRIGGER``), tries the full
patterns only there, turns every match into a candidate ``(start, end, value,
precision, calendar)``, keeps the longest non-overlapping candidates and maps
their spans back into the raw text.  A match that resolves to an impossible date
("31 فبراير 2023") stays as a *veto* so that its fragments ("فبراير 2023") are not
reported either.

Conventions
-----------
* ``value`` is the first day of the period for ``week``/``month``/``year``
  precision; weeks start on Monday (ISO).
* Gregorian dates without a year take the closest occurrence on or before the
  publication date (news reports past events) unless a modifier says otherwise
  (``المقبل``/``القادم`` → next occurrence, ``الماضي`` → strictly before).  A
  weekday in the same expression ("الأحد 5 مارس") picks the consistent year.
* Hijri dates without a year take the occurrence nearest the publication date.
  ``precision="month"`` on a Hijri month means the Hijri month: ``value`` is its
  first day in the Gregorian calendar.
* Relative expressions ("أمس", "الأسبوع الماضي", "قبل يومين") need the
  publication date; without one they are skipped, never guessed.  A bare
  weekday is the most recent such day on or before publication.  Vague spans
  widen the precision: "قبل أيام" → that week, "قبل أسابيع" → that month,
  "منذ أشهر" → that year.  "بعد يومين" counts only after a future/imperfective
  verb ("سيعقد بعد يومين"), not in narration ("أفرج عنه بعد يومين").
* Years: after عام/سنة/العام (or with an era هـ/م) 1800-2100; after a plain
  preposition ("في 2019", "منذ 2011") 1900-2100 and not before a counted noun
  ("في 2000 شخص").  Hijri years 1343-1500 (the range of ``hijridate``).
* Span policy: the span covers the expression itself (with عام/شهر/يوم/صباح ...,
  and ``منذ``/``قبل``/``بعد`` of durations, and "خلال الساعات الماضية") but not a
  governing preposition ("في 2019" → "2019") nor a clitic و/ف/ب/ل.
* Every regex uses bounded repetition only, so matching is linear in the input.

Nothing here raises on any input: :func:`find_dates` returns ``[]`` and
:func:`parse_published` ``None`` for what they cannot read.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Callable, Iterable, Optional, Union

from hijridate import Gregorian, Hijri

from hadath.doc import DateMention
from hadath.dates import lexicon as lx
from hadath.text.normalize import normalize

__all__ = ["find_dates", "parse_published"]

STRICT = False      # tests set this to see the exceptions find_dates would swallow

# folded start, end, value (None: a veto that only blocks overlapping matches), precision, calendar
Candidate = tuple[int, int, Optional[dt.date], str, str]

# ----------------------------------------------------------------------------- regex parts
_LETTER = r"[^\W\d_]"
LBW = rf"(?:(?<!{_LETTER})|(?<=(?<!{_LETTER})[وف]))"          # word start, or after و/ف
LBC = rf"(?:(?<!{_LETTER})|(?<=(?<!{_LETTER})[وفبل])|(?<=(?<!{_LETTER})[وف][بل]))"  # ... or و/ف/ب/ل
RB = rf"(?!{_LETTER})"                                        # word end
_WS = re.compile(r"\s+")


def _alt(words: Iterable[str]) -> str:
    """Alternation of folded words, longest first; inner spaces match 1-2 blanks."""
    parts = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(r"\s{1,2}".join(re.escape(p) for p in w.split()) for w in parts) + ")"


_MONTHS = {**lx.GREGORIAN_MONTHS, **lx.HIJRI_MONTHS}
_MONTH_ALT = _alt(_MONTHS)
_ERA_ALT = _alt(lx.HIJRI_ERA + lx.GREGORIAN_ERA)
_MODS_ALT = _alt(lx.ALL_MODS)
_TOD_WORDS = _alt(lx.TIME_OF_DAY)
_TOD_QUAL = _alt(lx.TIME_QUALIFIERS) + r"(?:\s{1,2}من)?"
_TOD_ALT = rf"(?:{_TOD_QUAL}\s{{1,3}}{_TOD_WORDS}|{_TOD_QUAL}|{_TOD_WORDS})"
_WD_ALT = _alt(lx.WEEKDAYS)
_ORD_ALT = _alt(lx.ORDINAL_DAYS)

_M = "#?" + LBW + _MONTH_ALT + RB
_MONX = (rf"(?P<mon>\(\s{{0,2}}{_M}\s{{0,2}}\)\s{{0,2}}{_M}"
         rf"|{_M}(?:\s{{0,2}}[/\\|-]\s{{0,2}}{_M}|\s{{0,2}}\(\s{{0,2}}{_M}\s{{0,2}}\)|\s{{1,2}}{_M})?)")
_WDP = (rf"(?P<wdp>(?:{LBW}{_TOD_ALT}\s{{1,3}})?(?:{LBW}(?:يوم|اليوم|امس)\s{{1,3}})?"
        rf"{LBC}(?P<wd>{_WD_ALT}){RB}\s{{0,3}},?\s{{0,3}}(?:(?:الموافق|الموافقه)\s{{1,3}})?)?")
_DAYPART = (r"(?:(?P<day>(?<![0-9.,:/])[0-9]{1,2})(?![0-9])\s{0,3}(?:من\s{1,3})?"
            rf"|(?P<ord>{LBC}{_ORD_ALT}){RB}\s{{1,3}}(?P<min>من\s{{1,3}})?(?:شهر\s{{1,3}})?"
            rf"|(?P<shahr>{LBC}شهر)\s{{1,3}})?")
_YEARPART = (rf"(?:\s{{0,3}},?\s{{0,3}}(?:من\s{{1,3}})?(?:(?:ال)?(?:عام|سنه)\s{{1,3}})?"
             rf"(?<![0-9])(?P<year>[0-9]{{4}})(?![0-9])(?:\s{{0,2}}(?P<era>{_ERA_ALT}){RB})?"
             rf"|\s{{1,3}}من\s{{1,3}}(?:(?:العام|السنه)\s{{1,3}}(?P<relyear>{_MODS_ALT})"
             rf"|(?P<thisyear>هذا\s{{1,3}}العام|هذه\s{{1,3}}السنه)){RB})?")
_MOD = rf"(?:\s{{1,3}}(?P<mod>{_MODS_ALT}){RB})?"

RE_DATE = re.compile(_WDP + _DAYPART + _MONX + _YEARPART + _MOD)
_MONTH_FIND = re.compile(LBW + "(" + _MONTH_ALT + ")" + RB)

RE_NUMERIC = re.compile(
    r"(?<![0-9.,:/-])(?:(?P<Y>[0-9]{4})(?P<s1>[-/.])(?P<M>[0-9]{1,2})(?P=s1)(?P<D>[0-9]{1,2})"
    r"|(?P<d>[0-9]{1,2})(?P<s2>[-/.])(?P<m>[0-9]{1,2})(?P=s2)(?P<y>[0-9]{4}))"
    rf"(?![0-9]|[./-][0-9])(?:\s{{0,2}}(?P<era>{_ERA_ALT}){RB})?")

_WEAK_PREPS = ("في", "منذ", "حتي", "خلال", "مطلع", "بدايه", "نهايه", "اواخر", "اوائل", "اواسط",
               "منتصف", "صيف", "شتاء", "ربيع", "خريف", "مواليد", "قبل", "بعد", "بين", "لغايه",
               "بحلول", "ابتداء من", "اعتبارا من", "عن عام")
RE_YEAR = re.compile(
    rf"(?:(?P<kw>{LBC}(?:ال)?(?:عامي|عام|سنه)|{LBW}لل(?:عام|سنه)){RB}\s{{0,3}}"
    rf"|{LBW}{_alt(_WEAK_PREPS)}{RB}\s{{0,3}}(?:(?P<kw2>(?:ال)?(?:عام|سنه)){RB}\s{{0,3}})?)"
    rf"(?P<year>[0-9]{{4}})(?![0-9]|[.,][0-9])(?:\s{{0,2}}(?P<era>{_ERA_ALT}){RB})?")
RE_ERA_YEAR = re.compile(rf"(?<![0-9.,])(?P<year>[0-9]{{4}})\s{{0,2}}(?P<era>{_ERA_ALT}){RB}")

_REL_WORDS = (r"اول\s{1,3}من\s{1,3}امس|اول\s{1,3}امس|امس\s{1,3}الاول|الامس|امس|البارحه"
              r"|بعد\s{1,3}(?:ال)?غد|غدا|غد"
              r"|الليله\s{1,3}(?:الماضيه|المنصرمه|الفائته)|الليله|ليله\s{1,3}(?:امس|البارحه)|ليل\s{1,3}امس"
              r"|هذا\s{1,3}(?:الصباح|المساء)|اليوم")
RE_REL = re.compile(
    rf"(?P<tod>{LBW}{_TOD_ALT}\s{{1,3}})?(?P<yawm>{LBW}يوم\s{{1,3}})?"
    rf"{LBC}(?P<rel>{_REL_WORDS}){RB}(?:\s{{0,3}},?\s{{0,3}}(?P<wd>{_WD_ALT}){RB})?")
RE_WEEKDAY = re.compile(
    rf"(?P<tod>{LBW}{_TOD_ALT}\s{{1,3}})?(?P<yawm>{LBW}يوم\s{{1,3}})?"
    rf"{LBC}(?P<wd>{_WD_ALT}){RB}(?:\s{{1,3}}(?P<mod>{_MODS_ALT}){RB})?")
RE_PERIOD = re.compile(
    rf"(?:(?P<this>{LBW}(?:هذا|هذه))\s{{1,3}})?"
    rf"(?P<unit>{LBC}ال(?:اسبوع|شهر|عام|سنه)|{LBW}لل(?:اسبوع|شهر|عام|سنه)){RB}"
    rf"(?:\s{{1,3}}(?P<mod>قبل\s{{1,3}}الماضيه|قبل\s{{1,3}}الماضي|{_MODS_ALT}){RB})?")
RE_AGO = re.compile(
    rf"(?P<dir>{LBW}(?:منذ|قبل|بعد)){RB}\s{{1,3}}(?:(?:حوالي|نحو|قرابه|زهاء)\s{{1,3}})?"
    rf"(?:(?P<num>(?<![0-9.,])[0-9]{{1,4}}|{_alt(lx.NUMBER_WORDS)})(?![0-9])\s{{0,3}})?"
    rf"(?P<unit>{_alt(lx.DURATION_UNITS)}){RB}")
RE_HOURS = re.compile(
    rf"(?:{LBW}(?:خلال|طوال|طيله)\s{{1,3}})?(?:{LBC}الساعات(?:\s{{1,3}}القليله)?|(?:{LBC}ال\s{{0,2}})?[0-9]{{1,3}}\s{{1,3}}ساعه)"
    rf"\s{{1,3}}(?:الماضيه|الاخيره|المنصرمه|الفائته){RB}")

# Every expression starts at one of these words (or a digit, or "(" before a month):
# one cheap pass finds them and the full patterns are only tried there.
_HEADS = ({n.split()[0] for n in _MONTHS} | set(lx.WEEKDAYS)
          | {t.split()[0] for t in lx.TIME_OF_DAY + lx.TIME_QUALIFIERS}
          | {o.split()[0] for o in lx.ORDINAL_DAYS}
          | {"يوم", "اليوم", "امس", "الامس", "البارحه", "اول", "بعد", "غدا", "غد", "الليله", "ليله", "ليل",
             "شهر", "هذا", "هذه", "الاسبوع", "الشهر", "العام", "السنه", "للاسبوع", "للشهر", "للعام", "للسنه",
             "عام", "سنه", "عامي", "العامي", "منذ", "قبل", "خلال", "طوال", "طيله", "الساعات"})
RE_TRIGGER = re.compile(
    rf"{LBC}(?P<w>{_alt(_HEADS)}{RB}"
    rf"|{_alt(w.split()[0] for w in _WEAK_PREPS)}{RB}(?=\s{{0,3}}(?:\S{{1,6}}\s{{0,3}})?[0-9])"
    rf"|ال(?=\s{{0,2}}[0-9]))|(?P<d>(?<![0-9])[0-9]|\()")


def _run(rx: re.Pattern, text: str, positions: list[int]) -> list[re.Match]:
    """Matches of ``rx`` anchored at each position (duplicates removed)."""
    out = []
    last = None
    for p in positions:
        m = rx.match(text, p)
        if m is not None and m.end() > m.start():
            key = (m.start(), m.end())
            if key != last:
                out.append(m)
                last = key
    return out


_NEXT_WORD = re.compile(r"\s{0,3},?\s{0,3}([^\s,.;:!?\"'()]{1,40})")

_MIN_VALUE, _MAX_VALUE = dt.date(1800, 1, 1), dt.date(2200, 12, 31)   # "قبل 2000 عام" is no event date
_PAST, _FUTURE, _CURRENT = set(lx.PAST_MODS), set(lx.FUTURE_MODS), set(lx.CURRENT_MODS)


# ----------------------------------------------------------------------------- small helpers
def _mod_kind(mod: Optional[str]) -> Optional[str]:
    if not mod:
        return None
    mod = _WS.sub(" ", mod)
    if mod in _PAST:
        return "past"
    if mod in _FUTURE:
        return "future"
    if mod in _CURRENT:
        return "current"
    return None


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text, pos)
    return m.group(1) if m else ""


def _prev_word(text: str, pos: int) -> str:
    chunk = text[max(0, pos - 45):pos].rstrip(" \t\n,\"'(")
    cut = max(chunk.rfind(" "), chunk.rfind("\n"), chunk.rfind("\t"), chunk.rfind(","))
    return chunk[cut + 1:].strip("\"'()")


def _strip_clitics(word: str) -> str:
    for pre in ("وب", "فب", "ول", "فل", "و", "ف", "ب", "ل"):
        if word.startswith(pre) and len(word) - len(pre) >= 2:
            rest = word[len(pre):]
            if rest in lx.MONTH_CONTEXT:
                return rest
    return word


def _date(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except (ValueError, OverflowError, TypeError):
        return None


def _shift_days(d: dt.date, days: int) -> Optional[dt.date]:
    try:
        return d + dt.timedelta(days=days)
    except OverflowError:
        return None


def _shift_months(d: dt.date, months: int) -> Optional[dt.date]:
    total = d.year * 12 + (d.month - 1) + months
    return _date(total // 12, total % 12 + 1, 1)


def _week_start(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _hijri(y: int, m: int, d: int) -> Optional[dt.date]:
    """Gregorian date of a Hijri (Umm al-Qura) date; day 30 of a 29-day month is the
    day after the 29th (sighting and the tables can differ by one)."""
    try:
        g = Hijri(y, m, d).to_gregorian()
        return dt.date(g.year, g.month, g.day)
    except ValueError:
        if d == 30:
            first = _hijri(y, m, 29)
            return _shift_days(first, 1) if first else None
        return None
    except (OverflowError, TypeError):
        return None


def _hijri_month_span(y: int, m: int) -> Optional[tuple[dt.date, dt.date]]:
    start = _hijri(y, m, 1)
    if start is None:
        return None
    try:
        length = Hijri(y, m, 1).month_length()
    except Exception:
        length = 29
    return start, start + dt.timedelta(days=length - 1)


def _hijri_year_of(d: dt.date) -> Optional[int]:
    try:
        return Gregorian(d.year, d.month, d.day).to_hijri().year
    except (ValueError, OverflowError):
        return None


def _closest(pool: list[dt.date], pub: dt.date) -> dt.date:
    return min(pool, key=lambda c: (abs((c - pub).days), c > pub))


def _filter_kind(cands: list[dt.date], pub: dt.date, kind: Optional[str], default: str) -> list[dt.date]:
    kind = kind or default
    if kind == "past":
        pool = [c for c in cands if c < pub]
    elif kind == "future":
        pool = [c for c in cands if c > pub]
    elif kind == "past_or_now":
        pool = [c for c in cands if c <= pub]
    else:
        pool = cands
    return pool or cands


# ----------------------------------------------------------------------------- resolvers
def _resolve_gregorian(day: Optional[int], month: int, year: Optional[int], pub: Optional[dt.date],
                       kind: Optional[str], weekday: Optional[int]) -> Optional[tuple[dt.date, str]]:
    if year is not None:
        if not 1800 <= year <= 2100:
            return None
        if day is None:
            return _date(year, month, 1), "month"
        value = _date(year, month, day)
        return (value, "day") if value else None
    if pub is None:
        return None
    if day is None:
        if not 1 <= month <= 12:
            return None
        pm = dt.date(pub.year, pub.month, 1)
        cands = [dt.date(y, month, 1) for y in range(pub.year - 1, pub.year + 2)]
        if kind == "current":
            return dt.date(pub.year, month, 1), "month"
        return _closest(_filter_kind(cands, pm, kind, "past_or_now"), pm), "month"
    if not 1 <= day <= 31:
        return None
    cands = [c for y in range(pub.year - 4, pub.year + 2) if (c := _date(y, month, day))]
    if not cands:
        return None
    if weekday is not None:
        cands = [c for c in cands if c.weekday() == weekday] or cands
    if kind == "current":
        cands = [c for c in cands if c.year == pub.year] or cands
    return _closest(_filter_kind(cands, pub, kind, "past_or_now"), pub), "day"


def _resolve_hijri(day: Optional[int], month: int, year: Optional[int], pub: Optional[dt.date],
                   kind: Optional[str], weekday: Optional[int]) -> Optional[tuple[dt.date, str]]:
    if year is not None and 1900 <= year <= 2100:
        # "رمضان 2018": the Hijri month that begins in that Gregorian year
        hy = _hijri_year_of(dt.date(year, 7, 1))
        if hy is None:
            return None
        for y in (hy - 1, hy, hy + 1):
            start = _hijri(y, month, 1)
            if start and start.year == year:
                if day is None:
                    return start, "month"
                value = _hijri(y, month, day) if 1 <= day <= 30 else None
                return (value, "day") if value else None
        return None
    if year is not None:
        if not 1343 <= year <= 1500:
            return None
        if day is None:
            value = _hijri(year, month, 1)
            return (value, "month") if value else None
        if not 1 <= day <= 30:
            return None
        value = _hijri(year, month, day)
        return (value, "day") if value else None
    if pub is None:
        return None
    hy = _hijri_year_of(pub)
    if hy is None:
        return None
    if day is None:
        spans = [s for y in (hy - 1, hy, hy + 1) if (s := _hijri_month_span(y, month))]
        if not spans:
            return None
        if kind == "past":
            spans = [s for s in spans if s[1] < pub] or spans
        elif kind == "future":
            spans = [s for s in spans if s[0] > pub] or spans

        def distance(span: tuple[dt.date, dt.date]) -> int:
            if span[0] <= pub <= span[1]:
                return 0
            return min(abs((span[0] - pub).days), abs((span[1] - pub).days))
        return min(spans, key=distance)[0], "month"
    if not 1 <= day <= 30:
        return None
    cands = [c for y in (hy - 1, hy, hy + 1) if (c := _hijri(y, month, day))]
    if not cands:
        return None
    if weekday is not None:
        cands = [c for c in cands if c.weekday() == weekday] or cands
    return _closest(_filter_kind(cands, pub, kind, "any"), pub), "day"


# ----------------------------------------------------------------------------- matchers
def _match_date(text: str, pos: list[int], pub: Optional[dt.date], out: list[Candidate],
                raw_first: Callable[[int], str] = lambda i: "") -> None:
    for m in _run(RE_DATE, text, pos):
        start, end = m.start(), m.end()
        names = [_WS.sub(" ", n) for n in _MONTH_FIND.findall(m.group("mon"))]
        if not names:
            continue
        first = names[0]
        hijri = first in lx.HIJRI_MONTHS
        month = _MONTHS[first]
        day: Optional[int] = None
        if m.group("day"):
            day = int(m.group("day"))
        elif m.group("ord"):
            ordinal = _WS.sub(" ", m.group("ord"))
            if ordinal not in ("اول", "غره") and not m.group("min"):
                start = m.start("mon")      # "الثاني مارس": not a day
            else:
                day = lx.ORDINAL_DAYS.get(ordinal)
        weekday = lx.WEEKDAYS.get(m.group("wd") or "")
        if m.group("wdp") and day is None:
            weekday = None
            start = m.start("shahr") if m.group("shahr") else m.start("mon")
        elif m.group("wdp") is None and day is None and start < m.start("mon") and not m.group("shahr"):
            start = m.start("mon")
        kind = _mod_kind(m.group("mod"))
        year: Optional[int] = None
        if m.group("year"):
            year = int(m.group("year"))
            era = m.group("era") or ""
            if era in lx.HIJRI_ERA and not hijri:
                out.append((start, end, None, "", ""))     # "فبراير 1444 هـ": inconsistent
                continue
            if not m.group("era") and _next_word(text, m.end("year")) in lx.COUNTED_NOUNS \
                    and "عام" not in text[m.end("mon"):m.start("year")] \
                    and "سنه" not in text[m.end("mon"):m.start("year")]:
                year, end = None, m.end("mon")      # "5 يونيو 1500 جندي": a count, not a year
        elif m.group("relyear") or m.group("thisyear"):
            if pub is None:
                continue
            rk = _mod_kind(m.group("relyear")) if m.group("relyear") else "current"
            year = pub.year + {"past": -1, "future": 1}.get(rk or "", 0)
            if hijri:
                hy = _hijri_year_of(dt.date(year, pub.month, min(pub.day, 28)))
                if hy is None:
                    continue
                year = hy
        if day is None and year is None and kind is None and len(names) == 1 and not m.group("shahr"):
            # a bare month name: only a date when unambiguous or introduced by في/خلال/...
            before = text[max(0, start - 1):start]
            if before[-1:].isdigit() or (before[-1:] == " " and text[max(0, start - 2):start - 1].isdigit()):
                continue        # "99999999 يناير", "45 مارس": a broken day, not a month
            if first in lx.AMBIGUOUS_MONTHS:
                if _strip_clitics(_prev_word(text, start).lstrip("#")) not in lx.MONTH_CONTEXT:
                    continue
                if first == "اب" and raw_first(m.start("mon")) in "أإ":
                    continue    # إب (the Yemeni city), أب "father"; the month is آب
        resolver = _resolve_hijri if hijri else _resolve_gregorian
        res = resolver(day, month, year, pub, kind, weekday)
        if res and res[0]:
            out.append((start, end, res[0], res[1], "hijri" if hijri else "gregorian"))
        elif day is not None or year is not None:
            out.append((start, end, None, "", ""))      # "31 فبراير 2023": veto the fragments


def _match_numeric(text: str, pos: list[int], out: list[Candidate]) -> None:
    for m in _run(RE_NUMERIC, text, pos):
        if _prev_word(text, m.start()) in ("رقم", "الرقم", "برقم"):
            continue
        if m.group("Y"):
            y, mo, d = int(m.group("Y")), int(m.group("M")), int(m.group("D"))
        else:
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            if mo > 12 >= d:
                mo, d = d, mo       # month-first (US) order
        era = m.group("era") or ""
        if era in lx.HIJRI_ERA or (1343 <= y <= 1500 and era not in lx.GREGORIAN_ERA):
            value, cal = (_hijri(y, mo, d) if 1 <= mo <= 12 and 1 <= d <= 30 else None), "hijri"
        elif 1900 <= y <= 2100:
            value, cal = _date(y, mo, d), "gregorian"
        else:
            value = None
        if value:
            out.append((m.start(), m.end(), value, "day", cal))


def _year_value(year: int, era: str, strong: bool) -> Optional[tuple[dt.date, str]]:
    if era in lx.HIJRI_ERA:
        value = _hijri(year, 1, 1) if 1343 <= year <= 1500 else None
        return (value, "hijri") if value else None
    lo = 1800 if (strong or era) else 1900
    if lo <= year <= 2100:
        return dt.date(year, 1, 1), "gregorian"
    return None


def _match_year(text: str, pos: list[int], out: list[Candidate]) -> None:
    for m in _run(RE_YEAR, text, pos):
        year, era = int(m.group("year")), m.group("era") or ""
        strong = bool(m.group("kw") or m.group("kw2"))
        if not strong and not era:
            follow = _next_word(text, m.end("year"))
            if follow in lx.COUNTED_NOUNS or text[m.end("year"):m.end("year") + 2].strip()[:1] in ("%", "$"):
                continue
        res = _year_value(year, era, strong)
        if res:
            start = m.start("kw") if m.group("kw") else m.start("kw2") if m.group("kw2") else m.start("year")
            out.append((start, m.end(), res[0], "year", res[1]))
    for m in _run(RE_ERA_YEAR, text, pos):
        res = _year_value(int(m.group("year")), m.group("era"), True)
        if res:
            out.append((m.start(), m.end(), res[0], "year", res[1]))


_REL_OFFSETS = {"اليوم": 0, "الليله": 0, "هذا الصباح": 0, "هذا المساء": 0, "امس": -1, "الامس": -1, "البارحه": -1,
                "اول امس": -2, "اول من امس": -2, "امس الاول": -2,
                "غدا": 1, "غد": 1, "بعد غد": 2, "بعد الغد": 2}
# "اليوم <adjective>" is "the day ...", not today; nisba adjectives (العالمي، الوطني،
# التالي، الذي) are caught by their final ي, while "قال اليوم الرئيس" stays a date.
_DAY_ADJECTIVES = frozenset({o.split()[0] for o in lx.ORDINAL_DAYS} | {
    "الاخير", "الاخر", "السابق", "المحدد", "المقرر", "المنتظر", "الموعود", "المشهود", "المفتوح",
    "الكامل", "الطويل", "الاسود", "الاول", "الحاسم", "الثالث", "الرابع", "الخامس", "الاربعين"})
_NOT_TODAY_AFTER = frozenset({"نفسه", "ذاته", "عينه", "نفسها", "ذاتها"})
_NOT_TODAY_BEFORE = frozenset({"ذلك", "ذات", "نفس", "تلك", "بنفس", "بذات", "وذلك", "لذلك"})


def _match_relative(text: str, pos: list[int], pub: dt.date, out: list[Candidate]) -> None:
    for m in _run(RE_REL, text, pos):
        rel = _WS.sub(" ", m.group("rel"))
        start = m.start()
        rel_start = m.start("rel")
        if not rel.startswith("ال") and rel_start > 0 and text[rel_start - 1] in "بل":
            continue            # لامس "touched", بامس
        if rel == "غد" and not (m.group("tod") or m.group("yawm")):
            continue
        if rel in ("اليوم", "الليله"):
            if m.group("yawm"):
                continue
            if not m.group("wd"):
                nxt = _next_word(text, m.end())
                if nxt in _NOT_TODAY_AFTER:
                    continue    # اليوم نفسه
                if nxt.startswith("ال") and nxt not in lx.WEEKDAYS and (
                        rel == "الليله" or nxt in _DAY_ADJECTIVES or nxt.endswith("ي")):
                    continue    # اليوم التالي، اليوم العالمي للمرأة، اليوم الذي، الليلة الختامية ...
            if _prev_word(text, start) in _NOT_TODAY_BEFORE:
                continue
        if rel in _REL_OFFSETS:
            offset = _REL_OFFSETS[rel]
        else:                   # الليلة الماضية، ليلة أمس ...
            offset = -1
        value = _shift_days(pub, offset)
        if value:
            out.append((start, m.end(), value, "day", "relative"))


def _match_weekday(text: str, pos: list[int], pub: dt.date, out: list[Candidate]) -> None:
    for m in _run(RE_WEEKDAY, text, pos):
        wd_name = m.group("wd")
        if _next_word(text, m.end("wd")) == "عشر":
            continue            # الأحد عشر "the eleven"
        if wd_name == "الاثنين" and not m.group("yawm") and not m.group("tod"):
            if _prev_word(text, m.start()) in ("بين", "كلا", "كلتا", "هذين", "هاذين", "من"):
                continue
        wd = lx.WEEKDAYS[wd_name]
        kind = _mod_kind(m.group("mod"))
        if kind == "past":
            delta = -((pub.weekday() - wd) % 7 or 7)
        elif kind == "future":
            delta = (wd - pub.weekday()) % 7 or 7
        else:
            delta = -((pub.weekday() - wd) % 7)
        value = _shift_days(pub, delta)
        if value:
            out.append((m.start(), m.end(), value, "day", "relative"))


def _match_period(text: str, pos: list[int], pub: dt.date, out: list[Candidate]) -> None:
    for m in _run(RE_PERIOD, text, pos):
        mod = _WS.sub(" ", m.group("mod") or "")
        if m.group("this"):
            if mod:
                continue
            offset = 0
        elif mod.startswith("قبل"):
            offset = -2
        else:
            kind = _mod_kind(mod)
            if kind is None:
                continue
            offset = {"past": -1, "future": 1, "current": 0}[kind]
        unit = m.group("unit")
        try:
            if unit.endswith("اسبوع"):
                value, precision = _week_start(pub) + dt.timedelta(days=7 * offset), "week"
            elif unit.endswith("شهر"):
                value, precision = _shift_months(dt.date(pub.year, pub.month, 1), offset), "month"
            else:
                value, precision = _date(pub.year + offset, 1, 1), "year"
        except OverflowError:
            continue
        if value:
            out.append((m.start(), m.end(), value, precision, "relative"))


_NOT_ARTICLE = frozenset({"الي", "الا", "الان", "الذي", "التي", "الذين", "اللذين", "اللتين"})
_FUTURE_CUES = frozenset({"المقرر", "المتوقع", "المنتظر", "مقرر", "متوقع", "ينتظر", "يتوقع", "يفترض", "موعد"})


def _looks_future(text: str, pos: int) -> bool:
    """Is the word before ``pos`` a future/imperfective verb ("سيعقد بعد يومين")?"""
    if pos > 0 and text[pos - 1] in "وف":
        return False        # "وبعد يومين" narrates
    word = _prev_word(text, pos)
    if word in _FUTURE_CUES:
        return True
    return len(word) >= 4 and (word[0] == "س" and word[1] in "يتنا" or word[0] in "يت")


def _match_ago(text: str, pos: list[int], pub: dt.date, out: list[Candidate]) -> None:
    for m in _run(RE_AGO, text, pos):
        unit, implicit = lx.DURATION_UNITS[_WS.sub(" ", m.group("unit"))]
        num = m.group("num")
        if num:
            n = int(num) if num.isdigit() else lx.NUMBER_WORDS.get(num)
        else:
            n = implicit
        future = m.group("dir") == "بعد"
        if _prev_word(text, m.start()).rstrip("ا") == m.group("unit").rstrip("ا"):
            continue            # "يوما بعد يوم", "عاما بعد عام"
        if future and not _looks_future(text, m.start()):
            continue            # "أفرج عنه بعد يومين": two days after the story's event, not publication
        vague = n == 0 and unit != "hour"
        if n is None or (vague and (future or unit in ("year", "decade"))):
            continue
        nxt = _next_word(text, m.end())
        if nxt in ("قليله", "قلائل", "معدوده", "فقط", "اخري", "اضافيه"):
            skip = _NEXT_WORD.match(text, m.end())
            nxt = _next_word(text, skip.end()) if skip else ""
        if nxt == "من" and re.match(r"\s{0,3}من\s{1,3}(?:الزمن|الزمان)", text[m.end():m.end() + 20]):
            nxt = ""            # "منذ عقد من الزمن"
        if nxt in ("من", "علي", "ان", "عن") or (nxt.startswith("ال") and nxt not in _NOT_ARTICLE) or nxt in ("امس", "غد", "غدا") \
                or nxt[:1].isdigit():
            continue            # "قبل يومين من الانتخابات", "منذ يوم الجمعة", "قبل عام 2011"
        if n > 100_000:
            continue
        sign = 1 if future else -1
        if vague:           # "قبل أيام" -> that week, "قبل أسابيع" -> that month, "منذ أشهر" -> that year
            back = _shift_days(pub, {"day": -3, "week": -21, "month": -90}[unit])
            if back is None:
                continue
            value, precision = {"day": (_week_start(back), "week"),
                                "week": (dt.date(back.year, back.month, 1), "month"),
                                "month": (dt.date(back.year, 1, 1), "year")}[unit]
        elif unit == "hour":
            value, precision = _shift_days(pub, sign * (n // 24)), "day"
        elif unit == "day":
            value, precision = _shift_days(pub, sign * n), "day"
        elif unit == "week":
            value, precision = _shift_days(pub, sign * 7 * n), "day"
        elif unit == "month":
            value, precision = _shift_months(dt.date(pub.year, pub.month, 1), sign * n), "month"
        else:
            years = n * (10 if unit == "decade" else 1)
            value, precision = _date(pub.year + sign * years, 1, 1), "year"
        if value:
            out.append((m.start(), m.end(), value, precision, "relative"))
    for m in _run(RE_HOURS, text, pos):
        out.append((m.start(), m.end(), pub, "day", "relative"))


# ----------------------------------------------------------------------------- public API
def _select(cands: list[Candidate], size: int) -> list[Candidate]:
    """Longest candidates first (leftmost on ties); drop anything overlapping an
    already kept one.  Matches are short, so marking them in a bitmap is linear."""
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken = bytearray(size + 1)
    kept: list[Candidate] = []
    for c in cands:
        start, end = c[0], c[1]
        if end <= start or taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append(c)
    kept.sort(key=lambda c: c[0])
    return kept


def _as_date(published) -> Optional[dt.date]:
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    if isinstance(published, str):
        return parse_published(published)
    return None


def find_dates(text: str, published: Optional[dt.date] = None) -> list[DateMention]:
    """Date expressions in ``text`` with raw offsets, sorted and non-overlapping.

    ``published`` anchors relative expressions and year-less dates; without it
    those are skipped.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        pub = _as_date(published)
        if pub is not None and not _MIN_VALUE <= pub <= _MAX_VALUE:
            pub = None          # a publication date in year 1 or 9999 anchors nothing
        norm = normalize(text)
        folded = norm.text
        words: list[int] = []
        digits: list[int] = []
        for t in RE_TRIGGER.finditer(folded):
            (words if t.lastgroup == "w" else digits).append(t.start())
        both = sorted(words + digits)
        cands: list[Candidate] = []
        _match_date(folded, both, pub, cands, lambda i: text[norm.to_raw[i]])
        _match_numeric(folded, digits, cands)
        _match_year(folded, both, cands)
        if pub is not None:
            _match_relative(folded, words, pub, cands)
            _match_weekday(folded, words, pub, cands)
            _match_period(folded, words, pub, cands)
            _match_ago(folded, both, pub, cands)
        mentions = []
        for fs, fe, value, precision, calendar in _select(cands, len(folded)):
            if value is None or not _MIN_VALUE <= value <= _MAX_VALUE:
                continue        # a veto (an invalid date that must not leave fragments)
            rs, re_ = norm.raw_span(fs, fe)
            mentions.append(DateMention(text=text[rs:re_], start=rs, end=re_, value=value,
                                        precision=precision, calendar=calendar))
        return mentions
    except Exception:       # never let a malformed article stop the pipeline
        if STRICT:
            raise
        return []


# ----------------------------------------------------------------------------- publication dates
_EN_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}
_RE_ISO = re.compile(r"^\s*([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
_RE_COMPACT = re.compile(r"^\s*([0-9]{4})([0-9]{2})([0-9]{2})(?:[T\s]|$)")
_RE_DMY = re.compile(r"^\s*([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})(?![0-9])")
_RE_EN_DMY = re.compile(r"\b([0-9]{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+([0-9]{4})\b")
_RE_EN_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})\b")


def _plausible(y: int, m: int, d: int) -> Optional[dt.date]:
    return _date(y, m, d) if 1900 <= y <= 2100 else None


def parse_published(value: Union[str, dt.date, dt.datetime, None]) -> Optional[dt.date]:
    """A publication date from article metadata, or ``None`` if it cannot be read.

    Accepts ``date``/``datetime`` objects, ISO 8601 (``2023-02-27``,
    ``2023-02-27T10:00:00Z``), RFC 2822 (``Sun, 18 Feb 2018 21:35:43 +0400``; the
    date as written, not converted to UTC), ``27/02/2023`` (day first),
    English ("27 February 2023") and Arabic ("27 فبراير 2023", Hijri too).
    """
    try:
        return _parse_published(value)
    except Exception:
        if STRICT:
            raise
        return None


def _parse_published(value) -> Optional[dt.date]:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    s = normalize(value.strip()[:300]).text
    if not s:
        return None
    if m := _RE_ISO.match(s):
        return _plausible(int(m[1]), int(m[2]), int(m[3]))
    if m := _RE_COMPACT.match(s):
        return _plausible(int(m[1]), int(m[2]), int(m[3]))
    if m := _RE_DMY.match(s):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        if mo > 12 >= d:
            d, mo = mo, d
        return _plausible(y, mo, d)
    if s.isascii():
        try:
            parsed = email.utils.parsedate_tz(s)
        except Exception:
            parsed = None
        if parsed and parsed[0] and parsed[1] and parsed[2]:
            if (d := _plausible(parsed[0], parsed[1], parsed[2])) is not None:
                return d
        if m := _RE_EN_DMY.search(s):
            if (mo := _EN_MONTHS.get(m[2].lower())) is not None:
                return _plausible(int(m[3]), mo, int(m[1]))
        if m := _RE_EN_MDY.search(s):
            if (mo := _EN_MONTHS.get(m[1].lower())) is not None:
                return _plausible(int(m[3]), mo, int(m[2]))
        return None
    for mention in find_dates(value[:300], None):
        if mention.precision == "day" and mention.calendar != "relative":
            return mention.value
    return None


def period_end(mention) -> dt.date:
    """The last day of the period a resolved :class:`~hadath.doc.DateMention` stands for
    (``value`` is its first day); Hijri months and years are taken as 30 and 355 days."""
    value, precision = mention.value, mention.precision
    if precision == "week":
        return value + dt.timedelta(days=6)
    if precision == "month":
        if mention.calendar == "hijri":
            return value + dt.timedelta(days=29)
        following = dt.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if precision == "year":
        return value + dt.timedelta(days=354) if mention.calendar == "hijri" else dt.date(value.year, 12, 31)
    return value

"""The Arabic event-trigger lexicon (PLOVER/CAMEO), bundled as TSV.

``data/triggers.tsv`` lists one trigger per row (a verb, an event noun or a
multiword phrase) with its PLOVER type, CAMEO code, PLOVER mode, quad class,
Goldstein-like intensity, how its target is introduced and every surface form
that news uses.  ``data/support_verbs.tsv`` lists the light verbs that turn an
event noun into an event (شن غارة، عقد اجتماعا).  The column formats are
documented in ``data/README.md``.

:func:`load_triggers` reads and validates both files and returns a
:class:`TriggerLexicon` whose ``by_form`` index maps a *folded* form
(:func:`hadath.text.normalize.fold`) to the entries that use it.  Forms are
stored bare: without the conjunctions و/ف, the article ال, the prepositions
ب/ل/ك, the future prefix س and suffix pronouns.  :meth:`TriggerLexicon.candidates`
is the reference clitic-stripping that the matcher and the coverage script use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping, Optional, Sequence

from hadath.text.normalize import fold
from hadath.tsv import read_tsv

# --------------------------------------------------------------------------- ontology

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",
    "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",
    "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

#: PLOVER quad class of each type (PLOVER manual, table "Quad categories in PLOVER":
#: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict).
#: The manual's SANCTION chapter says "material conflict" but its numeric quad
#: table (and the PLOVER README) put SANCTION in verbal conflict; we follow the table.
QUAD: Mapping[str, int] = MappingProxyType({
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
})

#: Modes defined by the PLOVER manual (v0.8 tables); types without modes map to ∅.
MODES: Mapping[str, frozenset[str]] = MappingProxyType({
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset({"asylum"}),  # CAMEO2PLOVER 075; not in the manual's (empty) AID table
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
                         "withhold", "misinformation", "cyber"}),
    "ASSAULT": frozenset({"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                          "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
                          "crowd-control", "unconventional"}),
})

#: PLOVER types a CAMEO cue family (first two digits) may be coded as.  Mostly
#: CAMEO2PLOVER-2021; the extra options follow explicit rules of the PLOVER manual
#: (01x deny → REJECT, 055 apology → CONCEDE, 116 conviction → SANCTION convict,
#: 163 sanctions → SANCTION discontinue, 1712 destroy → ASSAULT).
CAMEO_FAMILY_TYPES: Mapping[str, frozenset[str]] = MappingProxyType({
    "01": frozenset({"REJECT", "AGREE"}),
    "03": frozenset({"AGREE"}),
    "04": frozenset({"CONSULT"}),
    "05": frozenset({"SUPPORT", "CONCEDE"}),
    "06": frozenset({"COOPERATE"}),
    "07": frozenset({"AID"}),
    "08": frozenset({"CONCEDE", "RETREAT"}),
    "09": frozenset({"ACCUSE"}),
    "10": frozenset({"REQUEST"}),
    "11": frozenset({"ACCUSE", "SANCTION"}),
    "12": frozenset({"REJECT"}),
    "13": frozenset({"THREATEN"}),
    "14": frozenset({"PROTEST"}),
    "15": frozenset({"MOBILIZE"}),
    "16": frozenset({"SANCTION", "COERCE"}),
    "17": frozenset({"COERCE", "ASSAULT"}),
    "18": frozenset({"ASSAULT"}),
    "19": frozenset({"ASSAULT", "COERCE"}),
    "20": frozenset({"ASSAULT"}),
})

#: CAMEO Goldstein (1992) conflict–cooperation weights as distributed with the
#: CAMEO codebook / GDELT (``CAMEO.goldsteinscale.txt``).  Four-digit codes not
#: listed inherit the value of their three-digit parent.
CAMEO_GOLDSTEIN: Mapping[str, float] = MappingProxyType({
    "01": 0.0, "010": 0.0, "011": -0.1, "012": -0.4, "013": 0.4, "014": 0.0, "015": 0.0,
    "016": 3.4, "017": 0.0, "018": 3.4, "019": 3.4,
    "02": 3.0, "020": 3.0, "021": 3.4, "022": 3.2, "023": 3.4, "024": -0.3, "025": -0.3,
    "026": 4.0, "027": 4.0, "028": 4.0,
    "03": 4.0, "030": 4.0, "031": 5.2, "032": 4.5, "033": 5.2, "034": 7.0, "035": 7.0,
    "036": 4.0, "037": 5.0, "038": 7.0, "039": 5.0,
    "04": 1.0, "040": 1.0, "041": 1.0, "042": 1.9, "043": 2.8, "044": 2.5, "045": 5.0, "046": 7.0,
    "05": 3.5, "050": 3.5, "051": 3.4, "052": 3.5, "053": 3.8, "054": 6.0, "055": 7.0,
    "056": 7.0, "057": 8.0,
    "06": 6.0, "060": 6.0, "061": 6.4, "062": 7.4, "063": 7.4, "064": 7.0,
    "07": 7.0, "070": 7.0, "071": 7.4, "072": 8.3, "073": 7.4, "074": 8.5, "075": 7.0,
    "08": 5.0, "080": 5.0, "081": 5.0, "082": 5.0, "083": 5.0, "084": 7.0, "085": 7.0,
    "086": 9.0, "087": 9.0, "0874": 10.0,
    "09": -2.0, "090": -2.0, "091": -2.0, "092": -2.0, "093": -2.0, "094": -2.0,
    "10": -5.0, "100": -5.0, "101": -5.0, "102": -5.0, "103": -5.0, "104": -5.0,
    "105": -5.0, "106": -5.0, "107": -5.0, "108": -5.0,
    "11": -2.0, "110": -2.0, "111": -2.0, "112": -2.0, "113": -2.0, "114": -2.0,
    "115": -2.0, "116": -2.0,
    "12": -4.0, "120": -4.0, "121": -4.0, "122": -4.0, "123": -4.0, "124": -4.0,
    "125": -5.0, "126": -5.0, "127": -5.0, "128": -5.0, "129": -5.0,
    "13": -6.0, "130": -4.4, "131": -5.8, "132": -5.8, "133": -5.8, "134": -5.8,
    "135": -5.8, "136": -7.0, "137": -7.0, "138": -7.0, "139": -7.0,
    "14": -6.5, "140": -6.5, "141": -6.5, "142": -6.5, "143": -6.5, "144": -7.5, "145": -7.5,
    "15": -7.2, "150": -7.2, "151": -7.2, "152": -7.2, "153": -7.2, "154": -7.2,
    "16": -4.0, "160": -4.0, "161": -4.0, "162": -5.6, "163": -8.0, "164": -7.0,
    "165": -7.0, "166": -7.0,
    "17": -7.0, "170": -7.0, "171": -9.2, "172": -5.0, "173": -5.0, "174": -5.0, "175": -9.0,
    "18": -9.0, "180": -9.0, "181": -9.0, "182": -9.5, "183": -10.0, "184": -8.0,
    "185": -8.0, "186": -10.0,
    "19": -10.0, "190": -10.0, "191": -9.5, "192": -9.5, "193": -10.0, "194": -10.0,
    "195": -10.0, "196": -9.5,
    "20": -10.0, "200": -10.0, "201": -9.5, "202": -10.0, "203": -10.0, "204": -10.0,
})

#: Every CAMEO 2.0 event code (CAMEO2PLOVER-2021 plus the 01/02 families).
CAMEO_CODES: frozenset[str] = frozenset(CAMEO_GOLDSTEIN) | frozenset(
    "0211 0212 0213 0214 0231 0232 0233 0234 0241 0242 0243 0244 0251 0252 0253 0254 0255 0256 "
    "0311 0312 0313 0314 0331 0332 0333 0334 0341 0342 0343 0344 0351 0352 0353 0354 0355 0356 "
    "0811 0812 0813 0814 0831 0832 0833 0834 0841 0842 0861 0862 0863 0871 0872 0873 0874 "
    "1011 1012 1013 1014 1031 1032 1033 1034 1041 1042 1043 1044 1051 1052 1053 1054 1055 1056 "
    "1121 1122 1123 1124 1125 1211 1212 1213 1214 1221 1222 1223 1224 1231 1232 1233 1234 "
    "1241 1242 1243 1244 1245 1246 1311 1312 1313 1321 1322 1323 1324 1381 1382 1383 1384 1385 "
    "1411 1412 1413 1414 1421 1422 1423 1424 1431 1432 1433 1434 1441 1442 1443 1444 "
    "1451 1452 1453 1454 1621 1622 1623 1661 1662 1663 1711 1712 1721 1722 1723 1724 "
    "1821 1822 1823 1831 1832 1833 2041 2042".split()
)


def goldstein(code: str) -> Optional[float]:
    """Goldstein weight of a CAMEO code (four-digit codes fall back to their parent)."""
    for key in (code, code[:3], code[:2]):
        if key in CAMEO_GOLDSTEIN:
            return CAMEO_GOLDSTEIN[key]
    return None


POS_VALUES = frozenset({"verb", "noun", "phrase"})

#: How a target may be introduced: ``obj`` (direct object, or genitive for a noun)
#: or a preposition.
TARGET_PREPS = frozenset({
    "obj", "مع", "على", "إلى", "ل", "ضد", "من", "عن", "ب", "في", "بين", "لدى", "أمام",
    "بحق", "نحو", "باتجاه", "داخل", "إزاء",
})

COLUMNS = (
    "lemma", "pos", "plover", "cameo", "mode", "quad", "intensity", "target_prep", "forms",
    "support", "standalone", "phrase_object", "block_prev", "block_next", "note",
)
SUPPORT_COLUMNS = ("lemma", "forms", "note")

# Reference clitics.  Proclitics: conjunction, future س (verbs), prepositions and
# the article; enclitics: object/possessive pronouns.  "ي" and "ك" are left out on
# purpose: اجتماعي (social) → اجتماع and شارك → شار would be wrong far more often
# than they would be right.
_CONJ = ("و", "ف")
_PREP_DET = ("بال", "وال", "كال", "فال", "لل", "ال", "ب", "ل", "ك")
_SUFFIXES = ("هما", "هم", "هن", "ها", "كم", "نا", "ه")

_AMBIGUOUS_RE = re.compile(r"ambiguous(?:=([^\s:;,()]+))?")


def parse_ambiguity(note: str) -> tuple[bool, frozenset[str]]:
    """``(whole_entry, folded_forms)`` marked ambiguous by a note.

    ``ambiguous=فورم|فورم`` marks those forms; a bare ``ambiguous`` marks the entry.
    """
    whole = False
    forms: set[str] = set()
    for m in _AMBIGUOUS_RE.finditer(note):
        if m.group(1):
            forms.update(fold(f) for f in m.group(1).split("|") if f)
        else:
            whole = True
    return whole, frozenset(forms)


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class TriggerEntry:
    """One row of ``triggers.tsv``.

    ``forms`` keeps the spelling of the file; every other string field is folded
    (the matching key): ``folded_forms``, ``target_prep`` (``"obj"`` or a folded
    preposition), ``support`` (all forms of the support verbs, ready to compare
    with clitic-stripped tokens), ``phrase_object`` (the key word of each object
    alternative — the last, distinctive word) and ``objects`` (each alternative
    as a word tuple, for matchers that check multiword objects exactly).
    """

    lemma: str
    pos: str                                  # verb | noun | phrase (multiword)
    plover: str
    cameo: str
    mode: str                                 # "" when PLOVER defines none / unspecified
    quad: int
    intensity: float
    target_prep: tuple[str, ...]
    forms: tuple[str, ...]
    folded_forms: tuple[str, ...]
    support: frozenset[str] = frozenset()     # folded forms of the support verbs
    support_lemmas: tuple[str, ...] = ()      # as written in the file (support_verbs.tsv lemmas)
    standalone: bool = True                   # the form alone reports an event
    head: str = "verb"                        # verb | noun: category of the (first) form
    phrase_object: frozenset[str] = frozenset()
    objects: tuple[tuple[str, ...], ...] = ()
    block_prev: frozenset[str] = frozenset()  # folded words that cancel the match right before it
    block_next: frozenset[str] = frozenset()  # … or right after the form
    note: str = ""
    ambiguous: bool = False                   # the whole entry is marked ambiguous
    ambiguous_forms: frozenset[str] = frozenset()
    line: int = 0                             # line number in triggers.tsv

    @property
    def is_phrase(self) -> bool:
        """A multiword trigger: one of ``objects`` must follow the form."""
        return bool(self.objects)

    @property
    def nominal(self) -> bool:
        """The form is an event noun (it may carry the article and needs no subject)."""
        return self.head == "noun"

    @property
    def key(self) -> str:
        return f"{self.lemma}/{self.pos}/{self.plover}"

    def is_ambiguous(self, form: Optional[str] = None) -> bool:
        if self.ambiguous:
            return True
        return form is not None and fold(form) in self.ambiguous_forms

    def blocked(self, prev: Optional[str | Iterable[str]], next_: Optional[str | Iterable[str]] = None) -> bool:
        """True when the neighbouring words cancel this trigger.  Each neighbour is
        a key or an iterable of its candidate keys (clitic readings)."""
        def hit(keys: Optional[str | Iterable[str]], block: frozenset[str]) -> bool:
            if keys is None or not block:
                return False
            if isinstance(keys, str):
                keys = (keys,)
            return any(k in block for k in keys)

        return hit(prev, self.block_prev) or hit(next_, self.block_next)

    def object_match(self, following: Sequence[Iterable[str]], window: int = 4) -> Optional[tuple[str, ...]]:
        """The object alternative that follows, if any.

        ``following[k]`` holds the candidate keys (clitic readings, least stripped
        first) of the k-th word after the form.  The first word of an alternative
        must start within ``window`` words; the rest must follow it contiguously.
        The nearest start wins, then the longest alternative, then the one matched
        with fewer clitics stripped (سفيره "its ambassador" beats سفير).
        """
        hit = self.object_hit(following, window)
        return hit[0] if hit else None

    def object_hit(self, following: Sequence[Iterable[str]],
                   window: int = 4) -> Optional[tuple[tuple[str, ...], tuple[int, int]]]:
        """``(alternative, (length, specificity))`` of the best following object."""
        readings = [list(keys) for keys in following]
        for start in range(min(window, len(readings))):
            best: Optional[tuple[tuple[str, ...], tuple[int, int]]] = None
            for alt in self.objects:
                if start + len(alt) > len(readings):
                    continue
                cost = 0
                for k, word in enumerate(alt):
                    keys = readings[start + k]
                    if word not in keys:
                        break
                    cost += keys.index(word)
                else:
                    score = (len(alt), -cost)
                    if best is None or score > best[1]:
                        best = (alt, score)
            if best is not None:
                return best
        return None

    def goldstein(self) -> Optional[float]:
        return goldstein(self.cameo)


@dataclass(frozen=True)
class SupportVerb:
    lemma: str
    forms: tuple[str, ...]
    folded_forms: tuple[str, ...]
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class TokenCandidate:
    """A reading of a token as ``prefix + key + suffix``."""

    key: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class TriggerLexicon:
    entries: tuple[TriggerEntry, ...]
    by_form: Mapping[str, tuple[TriggerEntry, ...]]
    support_verbs: Mapping[str, SupportVerb] = field(default_factory=dict)
    support_by_form: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[TriggerEntry]:
        return iter(self.entries)

    def lookup(self, form: str) -> tuple[TriggerEntry, ...]:
        """Entries for a bare form (any spelling; it is folded here)."""
        return self.by_form.get(fold(form), ())

    def by_type(self, plover: str) -> tuple[TriggerEntry, ...]:
        return tuple(e for e in self.entries if e.plover == plover)

    def single_word(self, form: str) -> tuple[TriggerEntry, ...]:
        return tuple(e for e in self.lookup(form) if not e.is_phrase)

    def phrases(self, form: str) -> tuple[TriggerEntry, ...]:
        return tuple(e for e in self.lookup(form) if e.is_phrase)

    def is_support(self, form: str, lemmas: Iterable[str] = ()) -> bool:
        hit = self.support_by_form.get(fold(form), ())
        wanted = set(lemmas)
        return bool(hit) and (not wanted or bool(wanted.intersection(hit)))

    @staticmethod
    def candidates(token: str) -> list[TokenCandidate]:
        """Reference readings of a token, most literal first.

        The token itself; then with و/ف removed; then with a preposition and/or
        the article removed; then, for each of those, with a suffix pronoun
        removed (a stem left ending in ت also tries ة, one ending in و tries وا).
        """
        t = fold(token)
        stems: list[tuple[str, str]] = [("", t)]
        for c in _CONJ:
            if t.startswith(c) and len(t) - len(c) >= 2:
                stems.append((c, t[len(c):]))
        for pre, s in list(stems):
            for p in _PREP_DET:
                if s.startswith(p) and len(s) - len(p) >= 2:
                    stems.append((pre + p, s[len(p):]))
            if s.startswith("س") and len(s) >= 4 and s[1] in "يتنا":
                stems.append((pre + "س", s[1:]))
        out: list[TokenCandidate] = [TokenCandidate(s, p, "") for p, s in stems]
        for p, s in stems:
            for suf in _SUFFIXES:
                if s.endswith(suf) and len(s) - len(suf) >= 2:
                    base = s[: -len(suf)]
                    out.append(TokenCandidate(base, p, suf))
                    if base.endswith("ت"):
                        out.append(TokenCandidate(base[:-1] + "ه", p, suf))
                    if base.endswith("و"):
                        out.append(TokenCandidate(base + "ا", p, suf))
        seen: set[tuple[str, str, str]] = set()
        uniq = []
        for c in out:
            k = (c.key, c.prefix, c.suffix)
            if k not in seen:
                seen.add(k)
                uniq.append(c)
        return uniq

    def match_token(self, token: str) -> tuple[Optional[TokenCandidate], tuple[TriggerEntry, ...]]:
        """First reading of ``token`` that is a form, with its entries.

        Verbal entries are not accepted behind the article (الانسحاب is a noun), and
        nominal ones not behind the future prefix.
        """
        for cand in self.candidates(token):
            entries = self.by_form.get(cand.key)
            if not entries:
                continue
            has_det = cand.prefix.endswith("ال") or cand.prefix.endswith("لل")
            fut = cand.prefix.endswith("س")
            ok = tuple(e for e in entries if not (has_det and not e.nominal) and not (fut and e.nominal))
            if ok:
                return cand, ok
        return None, ()

    def select(self, form: str, following: Sequence[Iterable[str]] = (),
               prev: Optional[str | Iterable[str]] = None) -> Optional[tuple[TriggerEntry, tuple[str, ...]]]:
        """The entry a matcher should use for ``form`` in context.

        ``following[k]`` holds the candidate keys (clitic readings, least stripped
        first) of the k-th next word, ``prev`` those of the previous word.  A phrase
        whose object follows beats the single-word reading (longer object first,
        then fewer clitics stripped); otherwise the first single-word entry that its
        neighbours do not block.  Returns the entry and the matched object words
        (empty for a single word), or None.
        """
        entries = self.lookup(form)
        nxt = list(following[0]) if following else None
        best: Optional[tuple[TriggerEntry, tuple[str, ...], tuple[int, int]]] = None
        for e in entries:
            if not e.is_phrase or e.blocked(prev, None):
                continue
            hit = e.object_hit(following)
            if hit is not None and (best is None or hit[1] > best[2]):
                best = (e, hit[0], hit[1])
        if best is not None:
            return best[0], best[1]
        for e in entries:
            if not e.is_phrase and not e.blocked(prev, nxt):
                return e, ()
        return None


# --------------------------------------------------------------------------- loading

def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]




def _check_form(form: str, name: str, lineno: int, what: str) -> str:
    f = fold(form)
    letters = [ch for ch in f if ch.isalpha()]
    if len(letters) < 2:
        raise ValueError(f"{name}:{lineno}: {what} {form!r} is shorter than 2 letters")
    if " " in f:
        raise ValueError(f"{name}:{lineno}: {what} {form!r} contains a space (forms are single words)")
    return f


def parse_support_verbs(text: str, name: str = "support_verbs.tsv") -> dict[str, SupportVerb]:
    verbs: dict[str, SupportVerb] = {}
    for lineno, row in read_tsv(text, SUPPORT_COLUMNS, name):
        lemma = row["lemma"]
        if not lemma:
            raise ValueError(f"{name}:{lineno}: empty lemma")
        if lemma in verbs:
            raise ValueError(f"{name}:{lineno}: duplicate support verb {lemma!r}")
        forms = _split(row["forms"])
        if not forms:
            raise ValueError(f"{name}:{lineno}: support verb {lemma!r} has no forms")
        folded = tuple(dict.fromkeys(_check_form(f, name, lineno, "form") for f in forms))
        verbs[lemma] = SupportVerb(lemma, tuple(forms), folded, row["note"], lineno)
    return verbs


def parse_triggers(text: str, support_verbs: Optional[Mapping[str, SupportVerb]] = None,
                   name: str = "triggers.tsv") -> TriggerLexicon:
    """Parse and validate ``triggers.tsv`` text.  Raises ValueError naming the line.

    Without ``support_verbs`` the support column is kept as lemmas only (and
    ``entry.support`` holds their folded lemmas).
    """
    support_verbs = support_verbs or {}
    entries: list[TriggerEntry] = []
    keys: dict[str, int] = {}
    for lineno, row in read_tsv(text, COLUMNS, name):
        where = f"{name}:{lineno}"
        lemma, pos, plover = row["lemma"], row["pos"], row["plover"]
        if not lemma:
            raise ValueError(f"{where}: empty lemma")
        if pos not in POS_VALUES:
            raise ValueError(f"{where}: unknown pos {pos!r} (verb | noun | phrase)")
        if plover not in QUAD:
            raise ValueError(f"{where}: unknown PLOVER type {plover!r}")
        cameo = row["cameo"]
        if not cameo.isdigit():
            raise ValueError(f"{where}: CAMEO code {cameo!r} is not numeric")
        if cameo not in CAMEO_CODES:
            raise ValueError(f"{where}: {cameo!r} is not a CAMEO event code")
        if plover not in CAMEO_FAMILY_TYPES.get(cameo[:2], frozenset()):
            raise ValueError(f"{where}: CAMEO {cameo} (family {cameo[:2]}) cannot be PLOVER {plover}")
        mode = row["mode"]
        if mode and mode not in MODES[plover]:
            raise ValueError(f"{where}: mode {mode!r} is not a PLOVER mode of {plover}")
        try:
            quad = int(row["quad"])
        except ValueError:
            raise ValueError(f"{where}: quad {row['quad']!r} is not an integer") from None
        if not 1 <= quad <= 4:
            raise ValueError(f"{where}: quad {quad} not in 1-4")
        if quad != QUAD[plover]:
            raise ValueError(f"{where}: quad {quad} but PLOVER {plover} is quad {QUAD[plover]}")
        try:
            intensity = float(row["intensity"])
        except ValueError:
            raise ValueError(f"{where}: intensity {row['intensity']!r} is not a number") from None
        if not -10.0 <= intensity <= 10.0:
            raise ValueError(f"{where}: intensity {intensity} out of range -10..10")
        preps = _split(row["target_prep"])
        for prep in preps:
            if prep not in TARGET_PREPS:
                raise ValueError(f"{where}: unknown target_prep {prep!r}")
        forms = _split(row["forms"])
        if not forms:
            raise ValueError(f"{where}: empty forms")
        folded = tuple(dict.fromkeys(_check_form(f, name, lineno, "form") for f in forms))

        objects: list[tuple[str, ...]] = []
        for alt in _split(row["phrase_object"]):
            for w in alt.split():
                _check_form(w, name, lineno, "phrase_object word")
                # bare words only: the matcher strips the article (written ال; آليات and
                # ألغام keep their hamza in the file and are fine)
                if w.startswith("ال") and len(w) > 4:
                    raise ValueError(f"{where}: phrase_object word {w!r} must be bare (no article)")
            objects.append(tuple(fold(w) for w in alt.split()))
        if pos == "phrase" and not objects:
            raise ValueError(f"{where}: pos=phrase needs phrase_object")
        if pos != "phrase" and objects:
            raise ValueError(f"{where}: phrase_object given but pos is {pos!r} (use pos=phrase)")

        sa = row["standalone"]
        if sa not in ("", "yes", "no"):
            raise ValueError(f"{where}: standalone must be yes, no or empty, got {sa!r}")
        if pos == "verb" and sa:
            raise ValueError(f"{where}: standalone applies to nouns and noun-headed phrases only")
        head = "noun" if pos == "noun" or (pos == "phrase" and sa) else "verb"
        support_lemmas = tuple(_split(row["support"]))
        if support_lemmas and head != "noun":
            raise ValueError(f"{where}: only nouns (and noun-headed phrases, standalone set) take support verbs")
        support_forms: set[str] = set()
        for lem in support_lemmas:
            if support_verbs:
                if lem not in support_verbs:
                    raise ValueError(f"{where}: support verb {lem!r} is not defined in support_verbs.tsv")
                support_forms.update(support_verbs[lem].folded_forms)
            else:
                support_forms.add(fold(lem))
        standalone = (sa == "yes") if sa else (head == "verb" or not support_lemmas)
        if head == "noun" and not standalone and not support_lemmas:
            raise ValueError(f"{where}: a noun that is not standalone needs support verbs")

        blocks = {}
        for column in ("block_prev", "block_next"):
            words = _split(row[column])
            for w in words:
                _check_form(w, name, lineno, f"{column} word")
                if w.startswith("ال") and len(w) > 4:
                    raise ValueError(f"{where}: {column} word {w!r} must be bare (no article)")
            blocks[column] = frozenset(fold(w) for w in words)
        block_prev, block_next = blocks["block_prev"], blocks["block_next"]
        note = row["note"]
        whole, amb_forms = parse_ambiguity(note)
        unknown = amb_forms - set(folded)
        if unknown:
            raise ValueError(f"{where}: ambiguous= names forms not in the entry: {sorted(unknown)}")
        entry = TriggerEntry(
            lemma=lemma, pos=pos, plover=plover, cameo=cameo, mode=mode, quad=quad,
            intensity=intensity, target_prep=tuple(p if p == "obj" else fold(p) for p in preps),
            forms=tuple(forms), folded_forms=folded,
            support=frozenset(support_forms), support_lemmas=support_lemmas, standalone=standalone,
            head=head, phrase_object=frozenset(alt[-1] for alt in objects), objects=tuple(objects),
            block_prev=block_prev, block_next=block_next, note=note,
            ambiguous=whole, ambiguous_forms=amb_forms, line=lineno,
        )
        if entry.key in keys:
            raise ValueError(f"{where}: duplicate entry {entry.key} (first on line {keys[entry.key]})")
        keys[entry.key] = lineno
        entries.append(entry)

    index: dict[str, list[TriggerEntry]] = {}
    for e in entries:
        for f in e.folded_forms:
            index.setdefault(f, []).append(e)
    # The same single-word form in entries of different PLOVER types must be marked.
    for form, es in index.items():
        single = [e for e in es if not e.is_phrase]
        if len({e.plover for e in single}) > 1:
            unmarked = [e for e in single if not e.is_ambiguous(form)]
            if unmarked:
                lines = ", ".join(f"{e.plover} line {e.line}" for e in single)
                raise ValueError(
                    f"{name}:{unmarked[0].line}: form {form!r} is shared by conflicting types "
                    f"({lines}); mark it ambiguous in every entry"
                )
    support_by_form: dict[str, list[str]] = {}
    for sv in support_verbs.values():
        for f in sv.folded_forms:
            support_by_form.setdefault(f, []).append(sv.lemma)
    # Single-word entries first, then phrases (file order within each group): a
    # matcher that takes the first entry gets the plain reading.
    ordered = {k: tuple(sorted(v, key=lambda e: (e.is_phrase, e.line))) for k, v in index.items()}
    return TriggerLexicon(
        entries=tuple(entries),
        by_form=MappingProxyType(ordered),
        support_verbs=MappingProxyType(dict(support_verbs)),
        support_by_form=MappingProxyType({k: tuple(v) for k, v in support_by_form.items()}),
    )


def _data(name: str) -> str:
    return resources.files("hadath.events").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_triggers() -> TriggerLexicon:
    """The bundled trigger lexicon (validated; cached)."""
    support = parse_support_verbs(_data("support_verbs.tsv"))
    return parse_triggers(_data("triggers.tsv"), support)


def write_rows(rows: Iterable[Mapping[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    """Serialise rows back to TSV (used by maintenance scripts)."""
    out = ["\t".join(columns)]
    for r in rows:
        cells = [str(r.get(c, "")) for c in columns]
        for c in cells:
            if "\t" in c or "\n" in c:
                raise ValueError(f"cell contains a tab or newline: {c!r}")
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"

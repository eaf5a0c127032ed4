"""Reporting-cue lexicon: the verbs that introduce quotes, and attribution markers.

``data/cues.tsv`` (columns ``lemma  class  forms  note``) lists reporting verbs
with every inflected surface form, bare like the trigger lexicon: without و/ف,
the future prefix س or a suffix pronoun (the matcher strips those).
``data/attributions.tsv`` (columns ``lemma  kind  forms  note``) lists the
non-verbal markers that name a source — بحسب، وفقا ل، نقلا عن، على لسان … —
whose forms may be several words.

:func:`load_cues` reads and validates both files and returns a
:class:`CueLexicon` with ``by_form`` (folded form → cue entries) and
``attributions_by_form`` (folded first word → attribution entries).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Iterator, Mapping, Optional

from hadath.text.normalize import fold
from hadath.tsv import read_tsv, split_bar

#: Speech-act classes of reporting verbs.
CUE_CLASSES = frozenset({
    "neutral", "assertive", "opinion", "condemn", "demand", "warn", "deny", "accuse",
    "support", "threaten", "promise",
})

#: Kinds of attribution marker: ``source`` is followed by the source (بحسب X),
#: ``clause`` by a reporting clause (حسبما أفادت X), ``document`` by a document
#: (جاء في البيان), ``anonymous`` is itself an unnamed source (مصادر مطلعة).
ATTRIBUTION_KINDS = frozenset({"source", "clause", "document", "anonymous"})

CUE_COLUMNS = ("lemma", "class", "forms", "note")
ATTRIBUTION_COLUMNS = ("lemma", "kind", "forms", "note")

_AMBIGUOUS_RE = re.compile(r"ambiguous(?:=([^\s:;,()]+))?")


@dataclass(frozen=True)
class CueEntry:
    lemma: str
    cls: str
    forms: tuple[str, ...]
    folded_forms: tuple[str, ...]
    note: str = ""
    ambiguous: bool = False
    ambiguous_forms: frozenset[str] = frozenset()
    line: int = 0

    def is_ambiguous(self, form: Optional[str] = None) -> bool:
        if self.ambiguous:
            return True
        return form is not None and fold(form) in self.ambiguous_forms


@dataclass(frozen=True)
class AttributionEntry:
    lemma: str
    kind: str
    forms: tuple[str, ...]
    folded_forms: tuple[tuple[str, ...], ...]   # each form as a tuple of folded words
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class CueLexicon:
    entries: tuple[CueEntry, ...]
    by_form: Mapping[str, tuple[CueEntry, ...]]
    attributions: tuple[AttributionEntry, ...] = ()
    attributions_by_form: Mapping[str, tuple[AttributionEntry, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[CueEntry]:
        return iter(self.entries)

    def lookup(self, form: str) -> tuple[CueEntry, ...]:
        return self.by_form.get(fold(form), ())

    def by_lemma(self, lemma: str) -> Optional[CueEntry]:
        for e in self.entries:
            if e.lemma == lemma:
                return e
        return None

    def by_class(self, cls: str) -> tuple[CueEntry, ...]:
        return tuple(e for e in self.entries if e.cls == cls)





def _word(form: str, name: str, lineno: int) -> str:
    f = fold(form)
    if sum(ch.isalpha() for ch in f) < 2:
        raise ValueError(f"{name}:{lineno}: form {form!r} is shorter than 2 letters")
    return f


def parse_cues(text: str, name: str = "cues.tsv") -> tuple[tuple[CueEntry, ...], dict[str, tuple[CueEntry, ...]]]:
    entries: list[CueEntry] = []
    seen: dict[str, int] = {}
    for lineno, row in read_tsv(text, CUE_COLUMNS, name):
        where = f"{name}:{lineno}"
        lemma, cls = row["lemma"], row["class"]
        if not lemma:
            raise ValueError(f"{where}: empty lemma")
        if cls not in CUE_CLASSES:
            raise ValueError(f"{where}: unknown cue class {cls!r}")
        if lemma in seen:
            raise ValueError(f"{where}: duplicate lemma {lemma!r} (first on line {seen[lemma]})")
        seen[lemma] = lineno
        forms = split_bar(row["forms"])
        if not forms:
            raise ValueError(f"{where}: empty forms")
        folded = []
        for f in forms:
            w = _word(f, name, lineno)
            if " " in w:
                raise ValueError(f"{where}: cue form {f!r} must be one word")
            folded.append(w)
        whole, amb = False, set()
        for m in _AMBIGUOUS_RE.finditer(row["note"]):
            if m.group(1):
                amb.update(fold(x) for x in m.group(1).split("|") if x)
            else:
                whole = True
        missing = amb - set(folded)
        if missing:
            raise ValueError(f"{where}: ambiguous= names forms not in the entry: {sorted(missing)}")
        entries.append(CueEntry(lemma, cls, tuple(forms), tuple(dict.fromkeys(folded)), row["note"],
                                whole, frozenset(amb), lineno))
    index: dict[str, list[CueEntry]] = {}
    for e in entries:
        for f in e.folded_forms:
            index.setdefault(f, []).append(e)
    for form, es in index.items():
        if len({e.cls for e in es}) > 1 and not all(e.is_ambiguous(form) for e in es):
            lines = ", ".join(f"{e.lemma} ({e.cls}) line {e.line}" for e in es)
            raise ValueError(f"{name}:{es[-1].line}: form {form!r} has conflicting classes: {lines}; "
                             "mark it ambiguous in every entry")
    return tuple(entries), {k: tuple(v) for k, v in index.items()}


def parse_attributions(text: str, name: str = "attributions.tsv") -> tuple[AttributionEntry, ...]:
    out: list[AttributionEntry] = []
    for lineno, row in read_tsv(text, ATTRIBUTION_COLUMNS, name):
        where = f"{name}:{lineno}"
        if not row["lemma"]:
            raise ValueError(f"{where}: empty lemma")
        if row["kind"] not in ATTRIBUTION_KINDS:
            raise ValueError(f"{where}: unknown attribution kind {row['kind']!r}")
        forms = split_bar(row["forms"])
        if not forms:
            raise ValueError(f"{where}: empty forms")
        folded = tuple(tuple(_word(w, name, lineno) for w in f.split()) for f in forms)
        out.append(AttributionEntry(row["lemma"], row["kind"], tuple(forms), folded, row["note"], lineno))
    return tuple(out)


def _data(name: str) -> str:
    return resources.files("hadath.quotes").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_cues() -> CueLexicon:
    """The bundled cue lexicon (validated; cached)."""
    entries, index = parse_cues(_data("cues.tsv"))
    attributions = parse_attributions(_data("attributions.tsv"))
    attr_index: dict[str, list[AttributionEntry]] = {}
    for a in attributions:
        for words in a.folded_forms:
            attr_index.setdefault(words[0], []).append(a)
    return CueLexicon(
        entries=entries,
        by_form=MappingProxyType(index),
        attributions=attributions,
        attributions_by_form=MappingProxyType({k: tuple(v) for k, v in attr_index.items()}),
    )

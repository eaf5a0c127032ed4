"""Scoring the event coder on the OEDA Arabic event gold standard (issue 4).

The data (``../shared/data/events/arabic_event_gsr``, MIT, Open Event Data
Alliance 2018) is two sentence-level detection sets, ``assault_gsr.csv`` and
``protest_gsr.csv`` (label ``yes`` / ``easy no`` / ``difficult no`` /
``ambiguous``), and ``*_spans.json``: for gold event sentences, one record per
sentence holding each annotator's source / verb / target token lists.

Why this module exists: these are the only real Arabic event labels we have, so
they need a *fixed* split whose test part is never used for tuning.

Split (deterministic, by article).  A sentence id is ``<doc>-<n>`` (AAW_ARB...)
or ``<hex>_<n>`` (the protest file's other outlets); the article is what comes
before the last ``-``/``_``.  Some sentences occur verbatim in two articles (the
same story twice, 70 texts), so articles that share a sentence text are merged
into one group (union-find over both files).  A group goes to ``test`` when
``sha256("arabic_event_gsr/v1:" + smallest article id of the group)`` read as a
fraction in [0, 1) is below 0.30, to ``dev`` below 0.45, else ``train`` (30 / 15
/ 55 %).  The same article is in the same split in both files.

Scoring rules:

* ``ambiguous`` sentences are not scored (too few judgements to call them);
  ``yes`` is positive, ``easy no`` and ``difficult no`` are negative.
* A sentence is predicted positive when hadath, run on the sentence alone (with its
  article's date from the id as publication date), codes an event of the type that is
  not negated and whose modality is ``asserted`` or ``historical`` (future / conditional /
  hypothetical events have not happened).  Events inside
  quotations count: the annotators judged reported events too.
* Span gold is linked to its sentence by exact text, not by ``source``: in
  ``protest_spans.json`` 34 records carry an outlet name there and 27 a wrong
  sentence id.  Span accuracy is computed on records whose sentence is ``yes``.
  See :func:`span_matches` for the matching rule and :func:`score_spans` for how
  several annotators and several events are handled.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Iterable, Literal, Mapping, Optional, Sequence

from hadath.doc import Event, Participant
from hadath.eval.gold import Counts
from hadath.text.clitics import lookup_keys
from hadath.text.function_words import FUNCTION_WORDS
from hadath.text.normalize import fold

Label = Literal["yes", "easy no", "difficult no", "ambiguous"]
Split = Literal["train", "dev", "test"]
LABELS: tuple[str, ...] = ("yes", "easy no", "difficult no", "ambiguous")
SPLITS: tuple[str, ...] = ("train", "dev", "test")
DATASETS = {"assault": "ASSAULT", "protest": "PROTEST"}
SPLIT_SALT = "arabic_event_gsr/v1:"
TEST_FRACTION, DEV_FRACTION = 0.30, 0.15
DEFAULT_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "events" / "arabic_event_gsr"
_ID = re.compile(r"^(?P<doc>.+)[-_](?P<n>\d+)$")
_ID_DATE = re.compile(r"_((?:19|20)\d\d)(\d\d)(\d\d)(?:\.|$)")


@dataclass(frozen=True)
class GsrSentence:
    """One row of ``<dataset>_gsr.csv``."""

    dataset: str              # assault | protest
    event_type: str           # ASSAULT | PROTEST
    id: str
    doc_id: str
    number: int               # sentence number inside the article
    label: Label
    accept: int
    reject: int
    total: int
    text: str
    split: Split = "train"

    @property
    def scored(self) -> bool:
        return self.label != "ambiguous"

    @property
    def positive(self) -> bool:
        return self.label == "yes"


@dataclass(frozen=True)
class SpanAnnotation:
    """One annotator's reading of the event: tokens of the sentence (punctuation
    split off, in click order, not always text order)."""

    source: tuple[str, ...]
    verb: tuple[str, ...]
    target: tuple[str, ...]
    source_code: str = ""     # CAMEO-like main+role, e.g. "PAK OPP" (not scored)
    target_code: str = ""


@dataclass(frozen=True)
class SpanGold:
    """One record of ``<dataset>_spans.json`` linked to its sentence."""

    sentence: GsrSentence
    annotations: tuple[SpanAnnotation, ...]
    source_gold: str          # tokens every annotator marked ("" when they disagree)
    target_gold: str
    verb_gold: str
    linked_by_id: bool        # the record's ``source`` was the sentence id

    def role_spans(self, role: str) -> tuple[tuple[str, ...], ...]:
        """The annotators' non-empty spans for ``source`` or ``target``."""
        return tuple(s for a in self.annotations if (s := getattr(a, role)))


@dataclass(frozen=True)
class GsrData:
    sentences: tuple[GsrSentence, ...]
    spans: tuple[SpanGold, ...]
    unlinked_spans: int = 0   # span records whose text is not in the CSV (0 in the 2018 release)

    def select(self, dataset: Optional[str] = None, split: Optional[str] = None) -> list[GsrSentence]:
        return [s for s in self.sentences if (dataset in (None, s.dataset)) and (split in (None, "all", s.split))]

    def select_spans(self, dataset: Optional[str] = None, split: Optional[str] = None) -> list[SpanGold]:
        return [g for g in self.spans
                if (dataset in (None, g.sentence.dataset)) and (split in (None, "all", g.sentence.split))]

    def counts(self) -> dict[tuple[str, str], Counter]:
        """(dataset, split) -> Counter of labels."""
        out: dict[tuple[str, str], Counter] = {}
        for s in self.sentences:
            out.setdefault((s.dataset, s.split), Counter())[s.label] += 1
        return out


# --------------------------------------------------------------------------- loading and split

def split_of(key: str) -> Split:
    """The split of an article group, from a stable hash of its key."""
    value = int.from_bytes(hashlib.sha256((SPLIT_SALT + key).encode("utf-8")).digest()[:8], "big") / 2 ** 64
    return "test" if value < TEST_FRACTION else "dev" if value < TEST_FRACTION + DEV_FRACTION else "train"


def parse_id(sentence_id: str) -> tuple[str, int]:
    match = _ID.match(sentence_id)
    if not match:
        raise ValueError(f"sentence id {sentence_id!r} is not <article>-<n> or <article>_<n>")
    return match["doc"], int(match["n"])


def _group_keys(rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """article id -> key of its group (smallest article id among the articles
    connected through a shared sentence text)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_doc: dict[str, str] = {}
    for doc, text in rows:
        find(doc)
        other = first_doc.setdefault(text, doc)
        a, b = find(doc), find(other)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {doc: find(doc) for doc in parent}


def _read_csv(path: Path, dataset: str) -> list[GsrSentence]:
    out = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["label"] not in LABELS:
                raise ValueError(f"{path}: unknown label {row['label']!r} for {row['id']}")
            doc, number = parse_id(row["id"])
            out.append(GsrSentence(dataset, row["event_type"], row["id"], doc, number, row["label"],  # type: ignore[arg-type]
                                   int(row["accept"]), int(row["reject"]), int(row["total"]), row["text"]))
    return out


def _code(role) -> str:
    """``{"main": "PAK", "role": "OPP"}`` -> "PAK OPP"; some records hold "UNKNOWN"."""
    if isinstance(role, str):
        return role
    return " ".join(v for v in (role.get("main"), role.get("role")) if v and v != "None")


def _read_spans(path: Path, dataset: str, sentences: Sequence[GsrSentence]) -> tuple[list[SpanGold], int]:
    by_text: dict[str, list[GsrSentence]] = {}
    for s in sentences:
        if s.dataset == dataset:
            by_text.setdefault(s.text, []).append(s)
    out, unlinked = [], 0
    with open(path, encoding="utf-8") as handle:
        records = json.load(handle)
    for record in records:
        candidates = by_text.get(record["text"])
        if not candidates:
            unlinked += 1
            continue
        # a text in two articles: prefer the row the record names, else the first
        sentence = next((s for s in candidates if s.id == record["source"]), candidates[0])
        annotations = tuple(SpanAnnotation(tuple(a["source_actor"]), tuple(a["verb"]), tuple(a["target_actor"]),
                                           _code(a.get("source_role") or ""), _code(a.get("target_role") or ""))
                            for a in record["spans"])
        out.append(SpanGold(sentence, annotations, record.get("source_gold", ""), record.get("target_gold", ""),
                            record.get("verb_gold", ""), record["source"] == sentence.id))
    return out, unlinked


def load_gsr(data_dir: Path = DEFAULT_DIR) -> GsrData:
    """Both datasets with their split; raises FileNotFoundError when absent."""
    data_dir = Path(data_dir)
    rows: list[GsrSentence] = []
    for dataset in DATASETS:
        rows.extend(_read_csv(data_dir / f"{dataset}_gsr.csv", dataset))
    groups = _group_keys((s.doc_id, s.text) for s in rows)
    split_cache = {key: split_of(key) for key in set(groups.values())}
    sentences = tuple(replace(s, split=split_cache[groups[s.doc_id]]) for s in rows)
    spans: list[SpanGold] = []
    unlinked = 0
    for dataset in DATASETS:
        found, missing = _read_spans(data_dir / f"{dataset}_spans.json", dataset, sentences)
        spans.extend(found)
        unlinked += missing
    return GsrData(sentences, tuple(spans), unlinked)


# --------------------------------------------------------------------------- span matching

#: Words that are not the head of an actor phrase even when they come first
#: (آلاف المتظاهرين، عدد من الفلسطينيين، أحد التونسيين).
NON_HEADS = FUNCTION_WORDS | frozenset(fold(w) for w in """آلاف الآلاف ألوف مئات المئات عشرات العشرات ملايين
مليون ألف مئة مائة عدد أحد إحدى احدى بعض جميع كل نحو حوالي حوالى أكثر اقل أقل مجموعة""".split())
_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> list[str]:
    """Folded letter-only tokens (punctuation and numbers dropped)."""
    return _WORD.findall(fold(text))


def _keys(word: str) -> frozenset[str]:
    """Clitic-stripped readings of a folded word (و/ف، ب/ل/ك، ال، لل)."""
    return frozenset(lookup_keys(word)) | {word}


def _same_word(a: str, b: str) -> bool:
    return bool(_keys(a) & _keys(b))


def _content(words: Sequence[str]) -> list[str]:
    """Words that can head an actor phrase (not و+function word either)."""
    return [w for w in words if w not in NON_HEADS and not (w[:1] in "وف" and w[1:] in NON_HEADS)]


def span_matches(predicted: str, gold: Sequence[str], sentence: str = "") -> bool:
    """Whether a predicted actor phrase denotes the gold actor span.

    Both sides are folded and split into letter tokens; quantifiers and function
    words are dropped (آلاف، عدد، من ...).  The *head* of a side is its first
    remaining word in text order (Arabic noun phrases are head-initial; gold token
    lists are put back in sentence order using ``sentence``).  The spans match when
    the predicted head is a word of the gold span, or the gold head is a word of
    the predicted span, comparing words up to the clitics و/ف، ب/ل/ك، ال.  So
    قوات الاحتلال ~ الاحتلال and الرئيس محمود عباس ~ محمود عباس match, but a
    phrase that only shares a modifier (الحكومة العراقية vs القوات العراقية) does
    not.
    """
    pred = _content(_words(predicted))
    gold_words = _content([w for token in gold for w in _words(token)])
    if not pred or not gold_words:
        return False
    if sentence:
        order = _words(sentence)
        position = {w: i for i, w in reversed(list(enumerate(order)))}
        gold_words = sorted(gold_words, key=lambda w: position.get(w, len(order)))
    return any(_same_word(pred[0], g) for g in gold_words) or any(_same_word(gold_words[0], p) for p in pred)


# --------------------------------------------------------------------------- scoring

def happened(event: Event) -> bool:
    """An event that the text says took place (:attr:`Event.happened`: not negated,
    reported or recalled as background)."""
    return event.happened


def predicted_events(events: Sequence[Event], event_type: str) -> list[Event]:
    return [e for e in events if e.type == event_type and happened(e)]


@dataclass
class DetectionScore:
    counts: Counts = field(default_factory=Counts)
    n: int = 0                # scored sentences
    excluded: int = 0         # ambiguous
    fp_by_label: Counter = field(default_factory=Counter)
    negatives_by_label: Counter = field(default_factory=Counter)
    false_negatives: list[GsrSentence] = field(default_factory=list)
    false_positives: list[GsrSentence] = field(default_factory=list)


def score_detection(sentences: Iterable[GsrSentence], events: dict[str, Sequence[Event]]) -> DetectionScore:
    """P/R/F1 of "the sentence reports an event of its dataset's type";
    ``events`` maps a sentence text to hadath's events for it."""
    score = DetectionScore()
    for s in sentences:
        if not s.scored:
            score.excluded += 1
            continue
        score.n += 1
        found = bool(predicted_events(events[s.text], s.event_type))
        if s.positive:
            if found:
                score.counts.tp += 1
            else:
                score.counts.fn += 1
                score.false_negatives.append(s)
        else:
            score.negatives_by_label[s.label] += 1
            if found:
                score.counts.fp += 1
                score.fp_by_label[s.label] += 1
                score.false_positives.append(s)
    return score


@dataclass
class RoleScore:
    gold: int = 0             # records where at least half of the readings mark this role
    right: int = 0            # ... and hadath's event has a matching participant
    detected: int = 0         # ... and hadath coded an event of the type at all
    empty_gold: int = 0       # fewer than half mark it (e.g. passives)
    empty_agreed: int = 0     # ... and hadath's events leave it empty too

    @property
    def accuracy(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def accuracy_detected(self) -> float:
        return self.right / self.detected if self.detected else 0.0


def _participant_texts(p: Optional[Participant]) -> list[str]:
    return [t for t in (p.text, p.resolved_text) if t] if p else []


def score_spans(golds: Iterable[SpanGold], events: dict[str, Sequence[Event]]) -> dict[str, RoleScore]:
    """Source and target accuracy over span records of ``yes`` sentences.

    For each record, the candidate events are hadath's happened events of the
    type in the sentence; when some candidate's trigger is one of the annotators'
    verb words, only those are kept.  The role is right when any candidate's
    participant (its text, or the antecedent it was resolved to) matches any
    annotator's span (:func:`span_matches`): annotators disagree on extent, not on
    who.  A missed event makes the role wrong (end-to-end accuracy);
    ``accuracy_detected`` is over the records where an event was coded.
    The role is scored only when at least half of the annotator readings mark it;
    otherwise (passives, agentless explosions, where one reader put the weapon as
    source) the record counts under ``empty_gold``, right when hadath's events
    leave the role empty too.
    """
    scores = {"source": RoleScore(), "target": RoleScore()}
    for gold in golds:
        if not gold.sentence.positive:
            continue
        candidates = predicted_events(events[gold.sentence.text], gold.sentence.event_type)
        verbs = [w for a in gold.annotations for token in a.verb for w in _words(token)]
        on_verb = [e for e in candidates if any(_same_word(w, v) for w in _words(e.trigger.text) for v in verbs)]
        candidates = on_verb or candidates
        for role, score in scores.items():
            spans = gold.role_spans(role)
            texts = [t for e in candidates for t in _participant_texts(getattr(e, role))]
            if 2 * len(spans) < len(gold.annotations):
                score.empty_gold += 1
                score.empty_agreed += bool(candidates) and not texts
                continue
            score.gold += 1
            score.detected += bool(candidates)
            score.right += any(span_matches(t, span, gold.sentence.text) for t in texts for span in spans)
    return scores


@dataclass(frozen=True)
class AnnotatorAgreement:
    """How one human annotator scores against the others under the same rules: the
    reference a system's figures should be read against."""

    detection: Counts          # expected counts, fractional (each annotator weighted 1/n)
    source: float              # span accuracy of one reader against the other readers
    target: float
    source_records: float
    target_records: float


def annotator_agreement(sentences: Iterable[GsrSentence], golds: Iterable[SpanGold]) -> AnnotatorAgreement:
    """Leave-one-out agreement of a single annotator, averaged over annotators.

    Detection: each annotator in turn is the "system" and the label is recomputed from
    the others with the file's rule (positive only when every remaining judgement
    accepts).  An accepting annotator is a true positive when the others all accept and
    a false positive otherwise; a rejecting one is a false negative when the others all
    accept.  Sentences labelled ``ambiguous`` and those with fewer than two judgements
    are left out, as in :func:`score_detection`.  The CSV holds vote counts only, so
    each annotator counts with weight 1/n.

    Spans: each reading of a ``yes`` record in turn against the other readings, with
    :func:`span_matches` and the half-of-the-readings rule of :func:`score_spans`.
    """
    tp = fp = fn = 0.0
    for s in sentences:
        n = s.accept + s.reject
        if not s.scored or n < 2:
            continue
        if s.accept:
            if s.reject == 0:
                tp += s.accept / n
            else:
                fp += s.accept / n
        if s.reject == 1 and s.accept:
            fn += 1 / n
    right = {"source": 0.0, "target": 0.0}
    records = {"source": 0.0, "target": 0.0}
    for gold in golds:
        readings = gold.annotations
        n = len(readings)
        if not gold.sentence.positive or n < 2:
            continue
        for i, reading in enumerate(readings):
            others = readings[:i] + readings[i + 1:]
            for role in right:
                spans = [span for other in others if (span := getattr(other, role))]
                if 2 * len(spans) < len(others):
                    continue
                records[role] += 1 / n
                mine = getattr(reading, role)
                if mine and any(span_matches(" ".join(mine), span, gold.sentence.text) for span in spans):
                    right[role] += 1 / n
    return AnnotatorAgreement(
        Counts(tp=tp, fp=fp, fn=fn),  # type: ignore[arg-type]
        right["source"] / records["source"] if records["source"] else 0.0,
        right["target"] / records["target"] if records["target"] else 0.0,
        records["source"], records["target"])


def published_of(sentence: GsrSentence) -> Optional[date]:
    """The article's date from its id (AAW_ARB_20070415.0091-3: 2007-04-15; None for
    ids that carry none), given to hadath as the publication date."""
    match = _ID_DATE.search(sentence.doc_id)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def run_pipeline(pipeline, texts: Iterable[str], batch_size: int = 64,
                 published: Optional[Mapping[str, date]] = None) -> dict[str, tuple[Event, ...]]:
    """hadath's events for each distinct text, each text as a one-sentence document
    (``published``: the publication date of each text, where known)."""
    from hadath.engine import make_document

    unique = list(dict.fromkeys(texts))
    published = published or {}
    docs = (make_document(text, id=f"gsr{i}", published=published.get(text)) for i, text in enumerate(unique))
    return {doc.text: doc.events for doc in pipeline.pipe(docs, batch_size=batch_size)}

"""Scoring hadath output against gold files in the seed's format.

Gold files carry no offsets: every verbatim field is located in the article text.
Matching rules (documented in the README):

* entities: distinct (text, type) pairs; *strict* needs the same folded text,
  *lenient* also accepts one text containing the other (حركة حماس ~ حماس);
* events: a predicted event matches a gold event of the same type when its trigger
  lies inside the gold evidence (or has the gold trigger's text in the same
  sentence); gold events marked ``optional`` are neither rewarded nor penalised,
  and predicted events that are negated, future or conditional are not scored as
  happened events;
* participants: texts contain one another (after folding), or match the gold
  ``*_resolved`` antecedent, or the English names agree;
* quotes: same cue, and the predicted content covers at least half of the gold
  content's characters.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from hadath.doc import REALIS
from hadath.eval.linking import Accuracy, score_linking
from hadath.text.normalize import fold


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict[str, Counts] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)
    quotes_right_speaker: int = 0
    gold_quotes: int = 0
    accuracies: dict[str, Accuracy] = field(default_factory=dict)

    def counts(self, name: str) -> Counts:
        return self.scores.setdefault(name, Counts())

    def merge(self, other: "Report") -> None:
        for name, counts in other.scores.items():
            self.counts(name).add(counts)
        self.details.extend(other.details)
        self.quotes_right_speaker += other.quotes_right_speaker
        self.gold_quotes += other.gold_quotes
        for name, accuracy in other.accuracies.items():
            self.accuracies.setdefault(name, Accuracy()).add(accuracy)

    def table(self) -> str:
        lines = [f"{'measure':<28} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
        for name, c in self.scores.items():
            lines.append(f"{name:<28} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.tp:5d} {c.fp:5d} {c.fn:5d}")
        if self.gold_quotes:
            lines.append(f"quotes with the right speaker: {self.quotes_right_speaker}/{self.gold_quotes}")
        if self.accuracies:
            lines.append(f"{'accuracy':<36} {'right':>6} {'of':>6} {'acc':>6}")
            for name, a in self.accuracies.items():
                lines.append(f"{name:<36} {a.right:6d} {a.total:6d} {a.value:6.3f}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {name: {"precision": c.precision, "recall": c.recall, "f1": c.f1, "tp": c.tp, "fp": c.fp, "fn": c.fn}
                for name, c in self.scores.items()} | {
            "quotes_right_speaker": self.quotes_right_speaker, "gold_quotes": self.gold_quotes,
            "accuracy": {name: {"right": a.right, "total": a.total, "accuracy": a.value}
                         for name, a in self.accuracies.items()}}


def _occurrences(text: str, needle: Optional[str]) -> list[tuple[int, int]]:
    if not needle:
        return []
    out, start = [], text.find(needle)
    while start != -1:
        out.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def _caseless(text: str) -> str:
    """Folded text with the sound-plural case endings merged (المحتجون ~ المحتجين)."""
    words = []
    for word in fold(text).split():
        if len(word) > 4 and word.endswith(("ون", "ين")):
            word = word[:-2] + "ين"
        words.append(word)
    return " ".join(words)


def _contains(a: str, b: str) -> bool:
    fa, fb = _caseless(a), _caseless(b)
    return bool(fa and fb) and (fa in fb or fb in fa)


def participant_matches(pred: Optional[dict], gold_text: Optional[str], gold_resolved: Optional[str],
                        gold_en: Optional[str]) -> bool:
    if gold_text is None and gold_resolved is None:
        return pred is None
    if pred is None:
        return False
    texts = [t for t in (pred.get("text"), pred.get("resolved_text")) if t]
    for gold in (gold_text, gold_resolved):
        if gold and any(_contains(t, gold) for t in texts):
            return True
    return bool(gold_en and pred.get("name_en") and gold_en.lower() == str(pred["name_en"]).lower())


def _scored(event: dict) -> bool:
    return not event.get("negated") and event.get("modality", "asserted") in REALIS


def score_entities(gold: dict, pred: dict, report: Report) -> None:
    gold_set = {(e["text"], e["type"]) for e in gold.get("entities", [])}
    pred_set = {(e["text"], e["type"]) for e in pred.get("entities", [])}
    for name, same in (("entities (strict)", lambda a, b: fold(a) == fold(b)), ("entities (lenient)", _contains)):
        counts = report.counts(name)
        for text, kind in gold_set:
            if any(k == kind and same(t, text) for t, k in pred_set):
                counts.tp += 1
            else:
                counts.fn += 1
                if name == "entities (lenient)":
                    report.details.append(f"missed entity {kind} {text}")
        for text, kind in pred_set:
            if not any(k == kind and same(t, text) for t, k in gold_set):
                counts.fp += 1
                if name == "entities (lenient)":
                    report.details.append(f"extra entity {kind} {text}")
    by_type: dict[str, Counts] = {}
    for kind in ("PER", "ORG", "LOC"):
        counts = by_type.setdefault(kind, report.counts(f"entities {kind} (lenient)"))
        g = {t for t, k in gold_set if k == kind}
        p = {t for t, k in pred_set if k == kind}
        counts.tp += sum(1 for t in g if any(_contains(x, t) for x in p))
        counts.fn += sum(1 for t in g if not any(_contains(x, t) for x in p))
        counts.fp += sum(1 for t in p if not any(_contains(x, t) for x in g))


def _event_matches(text: str, gold_event: dict, pred_event: dict) -> bool:
    trigger = pred_event["trigger"]
    for start, end in _occurrences(text, gold_event.get("evidence")):
        if start <= trigger["start"] < end:
            return True
    sentence = pred_event.get("sentence") or {}
    for start, end in _occurrences(text, gold_event.get("trigger")):
        if sentence.get("start", -1) <= start < sentence.get("end", -1) and fold(trigger["text"]) == fold(gold_event["trigger"]):
            return True
    return False


def score_events(text: str, gold: dict, pred: dict, report: Report) -> None:
    gold_events = gold.get("events", [])
    predicted = [e for e in pred.get("events", []) if _scored(e)]
    levels = {
        "events: type": lambda g, p: True,
        "events: type+source": lambda g, p: participant_matches(p.get("source"), g.get("source"), g.get("source_resolved"), g.get("source_en")),
        "events: type+source+target": lambda g, p: participant_matches(p.get("source"), g.get("source"), g.get("source_resolved"), g.get("source_en"))
        and participant_matches(p.get("target"), g.get("target"), g.get("target_resolved"),
                                g.get("target_en") if g.get("target") or g.get("target_resolved") else None),
    }
    for level, extra in levels.items():
        counts = report.counts(level)
        outcomes, missed = _match_events(text, gold_events, predicted, extra)
        counts.tp += sum(1 for right in outcomes if right)
        counts.fp += sum(1 for right in outcomes if right is False)
        counts.fn += len(missed)
        if level == "events: type+source+target":
            report.details.extend(f"missed/partial event {g['type']} «{g.get('trigger')}» source={g.get('source')} "
                                  f"target={g.get('target')}" for g in missed)
        if level == "events: type":
            report.details.extend(f"extra event {p['type']} «{p['trigger']['text']}» @{p['trigger']['start']}"
                                  for p, right in zip(predicted, outcomes) if right is False)
    score_event_places_and_dates(text, gold_events, predicted, pred.get("dates", []), report)


def date_matches(pred_event: dict, gold_date_text: Optional[str], dates: list[dict]) -> bool:
    """An event's date against the gold's date phrase: with no phrase in the gold, right when
    hadath gave no date of its own (none, or only the publication date); otherwise right when
    the event's date is the value of a date hadath read where the gold phrase is (inside the
    event's sentence first), so a missed or misread date expression counts as wrong."""
    if not gold_date_text:
        return pred_event.get("date_precision") in (None, "published")
    sentence = pred_event.get("sentence") or {}
    near = [d for d in dates if _contains(d.get("text") or "", gold_date_text)]
    inside = [d for d in near if sentence.get("start", -1) <= d.get("start", -2) < sentence.get("end", -1)]
    return any(d.get("value") == pred_event.get("date") for d in (inside or near))


def location_matches(pred: Optional[dict], gold_text: Optional[str], gold_en: Optional[str]) -> bool:
    """An event's place against the gold's: both absent, or the predicted place's text
    contains the gold's or is contained in it (دمشق ~ العاصمة السورية دمشق), or the English
    names agree."""
    if not gold_text:
        return pred is None
    if pred is None:
        return False
    if _contains(pred.get("text") or "", gold_text):
        return True
    return bool(gold_en and pred.get("name_en") and gold_en.lower() == str(pred["name_en"]).lower())


def _found_events(text: str, gold_events: list[dict], predicted: list[dict]) -> Iterator[tuple[dict, dict]]:
    """Each non-optional gold event with the predicted event of its type that matches it
    (greedy, in gold order; an optional gold event takes none)."""
    used: set[int] = set()
    for g in gold_events:
        if g.get("optional"):
            continue
        hit = next((k for k, p in enumerate(predicted) if k not in used and p["type"] == g["type"]
                    and _event_matches(text, g, p)), None)
        if hit is not None:
            used.add(hit)
            yield g, predicted[hit]


def score_event_places_and_dates(text: str, gold_events: list[dict], predicted: list[dict], dates: list[dict],
                                 report: Report) -> None:
    """Where and when it happened, for every gold event hadath found (type level): each as
    the accuracy over the events the gold places (dates) and over those it does not (then no
    place, and no date or only the publication date, is right)."""
    def record(name: str, ok: bool) -> None:
        report.accuracies.setdefault(name, Accuracy()).record(ok)

    for g, p in _found_events(text, gold_events, predicted):
        place = p.get("location")
        ok = location_matches(place, g.get("location"), g.get("location_en"))
        record("event location (gold places it)" if g.get("location") else "event location (gold has none)", ok)
        if not ok:
            report.details.append(f"event location {g['type']} «{g.get('trigger')}»: "
                                  f"{place.get('text') if place else None} (gold {g.get('location')})")
        ok = date_matches(p, g.get("date_text"), dates)
        record("event date (gold dates it)" if g.get("date_text") else "event date (gold has none)", ok)
        if not ok:
            report.details.append(f"event date {g['type']} «{g.get('trigger')}»: {p.get('date')} "
                                  f"({p.get('date_precision')}; gold {g.get('date_text')})")


def _match_events(text: str, gold_events: list[dict], predicted: list[dict],
                  extra=lambda g, p: True) -> tuple[list[Optional[bool]], list[dict]]:
    """Greedy matching in gold order.  Returns, per predicted event, True (it matches a
    gold event), False (an extra event) or None (it matches an ``optional`` gold event
    and is neither rewarded nor penalised), and the non-optional gold events missed."""
    used: set[int] = set()
    matched_optional: set[int] = set()
    missed: list[dict] = []
    for g in gold_events:
        hit = next((k for k, p in enumerate(predicted) if k not in used and p["type"] == g["type"]
                    and _event_matches(text, g, p) and extra(g, p)), None)
        if hit is not None:
            used.add(hit)
            if g.get("optional"):
                matched_optional.add(hit)
        elif not g.get("optional"):
            missed.append(g)
    outcomes: list[Optional[bool]] = []
    for k, p in enumerate(predicted):
        if k in used:
            outcomes.append(None if k in matched_optional else True)
        elif any(g.get("optional") and g["type"] == p["type"] and _event_matches(text, g, p) for g in gold_events):
            outcomes.append(None)  # matches an optional gold event by type and place: not penalised
        else:
            outcomes.append(False)
    return outcomes, missed


def event_outcomes(text: str, gold: dict, pred: dict) -> tuple[list[tuple[dict, bool]], int]:
    """Each scored predicted event with whether it is right at the type level (events
    matching only optional gold are left out), and the number of gold events (not
    optional): the data for a calibration table."""
    predicted = [e for e in pred.get("events", []) if _scored(e)]
    outcomes, _ = _match_events(text, gold.get("events", []), predicted)
    gold_count = sum(1 for g in gold.get("events", []) if not g.get("optional"))
    return [(p, right) for p, right in zip(predicted, outcomes) if right is not None], gold_count


def score_quotes(text: str, gold: dict, pred: dict, report: Report) -> None:
    counts = report.counts("quotes (cue+content)")
    speaker_counts = report.counts("quotes (+speaker)")
    used: set[int] = set()
    quotes = pred.get("quotes", [])
    for g in gold.get("quotes", []):
        report.gold_quotes += 1
        spans = _occurrences(text, g.get("text"))
        best = None
        for k, q in enumerate(quotes):
            if k in used or fold(q["cue"]["text"]) != fold(g["cue"]):
                continue
            content = q["content"]
            for start, end in spans:
                overlap = min(end, content["end"]) - max(start, content["start"])
                if overlap * 2 >= end - start:
                    best = k
                    break
            if best is not None:
                break
        if best is None:
            counts.fn += 1
            speaker_counts.fn += 1
            report.details.append(f"missed quote cue={g['cue']} «{g['text'][:40]}»")
            continue
        used.add(best)
        counts.tp += 1
        if participant_matches(quotes[best].get("speaker"), g.get("speaker"), g.get("speaker_resolved"), g.get("speaker_en")):
            speaker_counts.tp += 1
            report.quotes_right_speaker += 1
        else:
            speaker_counts.fn += 1
            speaker_counts.fp += 1
            report.details.append(f"wrong speaker for quote cue={g['cue']}: {quotes[best].get('speaker')}")
    for k, q in enumerate(quotes):
        if k not in used:
            counts.fp += 1
            speaker_counts.fp += 1
            report.details.append(f"extra quote cue={q['cue']['text']} «{q['content']['text'][:40]}»")


def score_document(text: str, gold: dict, pred: dict) -> Report:
    report = Report()
    score_entities(gold, pred, report)
    score_events(text, gold, pred, report)
    score_quotes(text, gold, pred, report)
    score_linking(gold, pred, report.accuracies, report.details)
    return report


# -- gold files and their texts ------------------------------------------------
def gold_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.rglob("*.gold.json"))
    return [path]


def load_gold(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        gold = json.load(handle)
    if not isinstance(gold, dict) or "entities" not in gold:
        raise ValueError(f"{path}: not a hadath gold file (no 'entities')")
    return gold


def corpus_texts(corpus: Path, wanted: Iterable[str]) -> dict[str, dict]:
    """Records of the wanted docnos from a JSONL(.gz) corpus."""
    wanted = set(wanted)
    found: dict[str, dict] = {}
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        for line in handle:
            if not wanted - found.keys():
                break
            record = json.loads(line)
            key = record.get("docno") or record.get("id")
            if key in wanted:
                found[key] = record
    return found


def gold_text(path: Path, gold: dict, corpus_records: dict[str, dict]) -> str:
    source = gold.get("source_file")
    if source and (path.parent / source).exists():
        return (path.parent / source).read_text(encoding="utf-8")
    docno = gold.get("docno")
    if docno in corpus_records:
        return corpus_records[docno]["text"]
    raise FileNotFoundError(f"{path}: article text not found (looked for {source!r} beside it"
                            f" and docno {docno!r} in the corpus; pass --corpus)")

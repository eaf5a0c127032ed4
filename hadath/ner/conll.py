"""CoNLL-style NER evaluation: exact-span precision, recall and F1 per type.

``hadath eval ner FILE`` reads a token-per-line file (``token TAG``, BIO tags, blank
line between sentences), runs hadath's entity stage on the sentences joined with
spaces, maps its character spans back to tokens and scores exact token spans
(CoNLL-2003 convention).  Types are compared after mapping PERS->PER; types hadath
does not produce (MISC) are reported so their recall shows what is missing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from hadath.eval.gold import Counts as TypeScore  # the same P/R/F1 counter as the gold scorer

TYPE_MAP = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC", "MIS": "MISC", "GPE": "LOC"}


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass
class NerReport:
    by_type: dict[str, TypeScore] = field(default_factory=dict)
    sentences: int = 0
    tokens: int = 0

    def score(self, kind: str) -> TypeScore:
        return self.by_type.setdefault(kind, TypeScore())

    def add(self, gold: set[tuple[int, int, str]], predicted: set[tuple[int, int, str]]) -> None:
        """Count one sentence's exact (first, last, type) spans."""
        for item in predicted & gold:
            self.score(item[2]).tp += 1
        for item in predicted - gold:
            self.score(item[2]).fp += 1
        for item in gold - predicted:
            self.score(item[2]).fn += 1

    @property
    def micro(self) -> TypeScore:
        total = TypeScore()
        for score in self.by_type.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    def micro_over(self, kinds: Iterable[str]) -> TypeScore:
        total = TypeScore()
        for kind in kinds:
            score = self.by_type.get(kind, TypeScore())
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    def table(self) -> str:
        lines = [f"{self.sentences} sentences, {self.tokens} tokens",
                 f"{'type':<18} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
        rows = sorted(self.by_type.items()) + [("micro (all)", self.micro),
                                               ("micro PER/LOC/ORG", self.micro_over(("PER", "LOC", "ORG")))]
        for kind, s in rows:
            lines.append(f"{kind:<18} {100 * s.precision:6.1f} {100 * s.recall:6.1f} {100 * s.f1:6.1f} "
                         f"{s.tp:5d} {s.fp:5d} {s.fn:5d}")
        return "\n".join(lines)


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of a CoNLL file; a malformed line is a ValueError naming it."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.strip().lstrip("\u200e\u200f")
            if not line:
                if tokens:
                    sentences.append(Sentence(tuple(tokens), tuple(tags)))
                    tokens, tags = [], []
                continue
            parts = line.split()
            if len(parts) < 2:
                raise ValueError(f"{path}:{number}: expected 'token TAG', got {raw.rstrip()!r}")
            tokens.append(parts[0].lstrip("\u200e\u200f"))
            tags.append(parts[-1])
    if tokens:
        sentences.append(Sentence(tuple(tokens), tuple(tags)))
    return sentences


def spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Exact (first, last+1, type) token spans of a BIO sequence (a stray I- opens a span)."""
    out: set[tuple[int, int, str]] = set()
    start, kind = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, label = tag.partition("-")
        label = TYPE_MAP.get(label, label)
        if prefix == "I" and kind == label and start is not None:
            continue
        if start is not None:
            out.add((start, i, kind))  # type: ignore[arg-type]
            start, kind = None, None
        if prefix in ("B", "I"):
            start, kind = i, label
    return out


def _documents(sentences: Sequence[Sentence], size: int) -> Iterator[Sequence[Sentence]]:
    for i in range(0, len(sentences), size):
        yield sentences[i:i + size]


def evaluate_conll(path: Path, pipeline, sentences_per_doc: int = 20) -> NerReport:
    """Score the pipeline's entities against a CoNLL file.  Sentences are grouped into
    pseudo-documents so that in-document evidence (repeated surnames) can help."""
    from hadath.engine import make_document

    sentences = read_conll(path)
    report = NerReport(sentences=len(sentences), tokens=sum(len(s.tokens) for s in sentences))
    for group in _documents(sentences, sentences_per_doc):
        lines: list[str] = []
        offsets: list[list[tuple[int, int]]] = []
        position = 0
        for sentence in group:  # one sentence per line, tokens separated by spaces
            token_offsets = []
            for token in sentence.tokens:
                token_offsets.append((position, position + len(token)))
                position += len(token) + 1
            offsets.append(token_offsets)
            lines.append(" ".join(sentence.tokens))
        text = "\n".join(lines)
        doc = pipeline(make_document(text))
        for sentence, token_offsets in zip(group, offsets):
            gold = spans(sentence.tags)
            predicted: set[tuple[int, int, str]] = set()
            for entity in doc.entities:
                covered = [i for i, (s, e) in enumerate(token_offsets) if s < entity.end and entity.start < e]
                if covered:
                    predicted.add((covered[0], covered[-1] + 1, entity.type))
            report.add(gold, predicted)
    return report

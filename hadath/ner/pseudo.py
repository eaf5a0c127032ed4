"""Self-training data: unlabelled news sentences tagged by a finished NER model.

ANERcorp has 3,576 training sentences from 2007 newswire; the shared news corpora hold
articles from 2015-2018 with names the gold never saw.  This module cuts articles into
ANERcorp-style sentences (punctuation split off, clitics left on), tags them with a shipped
:class:`~hadath.ner.tagger.NerModel`, and keeps the sentences the model is sure of, written as
a CoNLL file that ``python -m hadath.ner.train --pseudo FILE`` adds to the training part.

    python -m hadath.ner.pseudo --out /tmp/pseudo.conll --sentences 6000

The default corpus is ANT v1.1 (JawharaFM, 10,161 articles, **Apache-2.0**), so that the
weights trained on it carry no licence beyond ANERcorp's; ANT v2.1 (``--corpus``) is
licensed for research use only.  Articles of hadath's own event gold
(``benchmarks/gold/ant*``) are skipped, so that entity scores on that gold are not trained
on.  Nothing here reads the ANERcorp test file.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from hadath.ner.conll import Sentence

ROOT = Path(__file__).resolve().parents[2]
NEWS_DIR = ROOT.parent / "shared" / "data" / "news"
NEWS_FILE = NEWS_DIR / "ant_v1.1_jawharafm.jsonl.gz"      # Apache-2.0
RESEARCH_NEWS_FILE = NEWS_DIR / "ant_v2.1_multisource.jsonl.gz"   # research use only
GOLD_DIRS = (ROOT / "benchmarks" / "gold" / "ant", ROOT / "benchmarks" / "gold" / "ant_test")

# ANERcorp's tokens: runs of letters/digits, every other non-space character on its own
_TOKEN = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+|[^\s\w\u0640\u064B-\u065F\u0670]")
_FORMAT_MARKS = re.compile("[\ufeff\u200b-\u200f\u202a-\u202e\u2066-\u2069\u00ad]")   # invisible: no token
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+|\n+")
_ARABIC = re.compile(r"[\u0621-\u064A]")


@dataclass(frozen=True)
class PseudoOptions:
    """What counts as a usable sentence and a confident tagging."""
    min_words: int = 8
    max_words: int = 60
    min_word_confidence: float = 0.7   # every word's best label probability at least this
    empty_share: float = 0.2           # share of confident sentences with no entity to keep
    articles_per_category: int = 0     # 0: no per-category cap


def gold_article_ids(folders: Iterable[Path] = GOLD_DIRS) -> set[str]:
    """Article ids (``docno``) of hadath's event gold, to keep out of training data."""
    ids: set[str] = set()
    for folder in folders:
        if folder.is_dir():
            ids.update(p.name.split(".gold.json")[0] for p in folder.glob("*.gold.json"))
    return ids


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(_FORMAT_MARKS.sub("", text))


def news_sentences(path: Path = NEWS_FILE, *, exclude: set[str] = frozenset(), options: PseudoOptions = PseudoOptions(),
                   article_limit: int | None = None) -> Iterator[tuple[str, list[str]]]:
    """``(docno, tokens)`` for every usable sentence of the corpus, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if article_limit is not None and n >= article_limit:
                break
            record = json.loads(line)
            docno = record.get("docno", "")
            if docno in exclude:
                continue
            for piece in _SENTENCE_END.split(record.get("text") or ""):
                tokens = tokenize(piece)
                if options.min_words <= len(tokens) <= options.max_words and len(_ARABIC.findall(piece)) > len(piece) // 2:
                    yield docno, tokens


def confident(emissions: np.ndarray, options: PseudoOptions) -> bool:
    """All words' best label has probability >= the floor (emissions are log-probs)."""
    return bool(len(emissions)) and float(np.exp(emissions.max(axis=1)).min()) >= options.min_word_confidence


def pseudo_label(model, sentences: Sequence[Sequence[str]], options: PseudoOptions = PseudoOptions(),
                 seed: int = 13, batch: int = 64) -> tuple[list[Sentence], dict]:
    """Tag ``sentences`` with ``model``; keep the confident ones (a share of those with no entity)."""
    from hadath.ner.decode import join_words

    rng = random.Random(seed)
    kept: list[Sentence] = []
    stats = {"sentences": 0, "confident": 0, "with_entities": 0, "kept": 0}
    for i in range(0, len(sentences), batch):
        part = [list(s) for s in sentences[i:i + batch]]
        joined = [join_words(ws) for ws in part]
        for words, em in zip(part, model.emissions(joined)):
            stats["sentences"] += 1
            if not confident(em, options):
                continue
            stats["confident"] += 1
            tags = tuple(model.labels[k] for k in model.decode(em))
            has_entity = any(t != "O" for t in tags)
            stats["with_entities"] += has_entity
            if has_entity or rng.random() < options.empty_share:
                kept.append(Sentence(tuple(words), tags))
    stats["kept"] = len(kept)
    return kept, stats


def write_conll(sentences: Iterable[Sentence], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for s in sentences:
            for token, tag in zip(s.tokens, s.tags):
                fh.write(f"{token} {tag}\n")
            fh.write("\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, required=True, help="CoNLL file to write")
    ap.add_argument("--sentences", type=int, default=6000, help="sentences to tag (sampled from the corpus)")
    ap.add_argument("--corpus", type=Path, default=NEWS_FILE,
                    help="JSON lines with a 'text' field (default: ANT v1.1 JawharaFM, Apache-2.0)")
    ap.add_argument("--articles", type=int, default=None, help="read only the first N articles")
    ap.add_argument("--min-confidence", type=float, default=PseudoOptions.min_word_confidence)
    ap.add_argument("--model", type=Path, default=None, help="NER model (default: the shipped one)")
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args(argv)
    from hadath.ner.tagger import DEFAULT_MODEL, NerModel

    if not a.corpus.exists():
        raise SystemExit(f"news corpus not found: {a.corpus}")
    options = PseudoOptions(min_word_confidence=a.min_confidence)
    pool = [tokens for _, tokens in news_sentences(a.corpus, exclude=gold_article_ids(), options=options,
                                                   article_limit=a.articles)]
    random.Random(a.seed).shuffle(pool)
    model = NerModel.load(a.model or DEFAULT_MODEL)
    kept, stats = pseudo_label(model, pool[:a.sentences], options, seed=a.seed)
    write_conll(kept, a.out)
    print(json.dumps({"corpus": a.corpus.name, "pool": len(pool), **stats, "out": str(a.out)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""``hadath eval``: score predictions (or a fresh run) against gold files."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Iterator, Optional

from hadath.eval.gold import Report, corpus_texts, gold_files, gold_text, load_gold, score_document


def _predictions(path: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from None
            out[str(record.get("id"))] = record
    return out


def evaluate(gold_path: Path, *, pred: Optional[Path] = None, corpus: Optional[Path] = None,
             published: Optional[date] = None, options=None, resources=None) -> Report:
    total = Report()
    for doc_id, gold, text, predicted in gold_predictions(gold_path, pred=pred, corpus=corpus, published=published,
                                                          options=options, resources=resources):
        report = score_document(text, gold, predicted)
        report.details = [f"{doc_id}: {line}" for line in report.details]
        total.merge(report)
    return total


def gold_predictions(gold_path: Path, *, pred: Optional[Path] = None, corpus: Optional[Path] = None,
                     published: Optional[date] = None, options=None, resources=None
                     ) -> Iterator[tuple[str, dict, str, dict]]:
    """``(doc id, gold, article text, hadath's JSON output)`` for every gold file: the
    predictions read from ``pred``, or hadath run now with ``options`` (and ``resources``:
    a user's knowledge base or tagger)."""
    from hadath.dates.resolve import parse_published
    from hadath.engine import Resources, build_pipeline, make_document
    from hadath.export.records import document_json
    from hadath.options import ExtractOptions

    files = gold_files(gold_path)
    if not files:
        raise ValueError(f"{gold_path}: no *.gold.json files")
    golds = [(path, load_gold(path)) for path in files]
    records = corpus_texts(corpus, [g.get("docno") for _, g in golds if g.get("docno")]) if corpus else {}
    predictions = _predictions(pred) if pred else {}
    pipeline = None if pred else build_pipeline(options or ExtractOptions(), resources or Resources())
    for path, gold in golds:
        text = gold_text(path, gold, records)
        doc_id = gold.get("docno") or path.stem
        if pred:
            predicted = predictions.get(doc_id)
            if predicted is None:
                raise ValueError(f"{pred}: no prediction with id {doc_id!r}")
            if predicted.get("text") not in (None, text):
                raise ValueError(f"{pred}: prediction {doc_id!r} was made on a different text")
        else:
            when = parse_published(gold.get("published")) if gold.get("published") else None
            assert pipeline is not None
            predicted = document_json(pipeline(make_document(text, id=doc_id, published=when or published)))
        yield doc_id, gold, text, predicted

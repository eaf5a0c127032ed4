"""Running the pipeline over a stream of inputs: problems are reported and skipped,
a failing article never stops the rest."""
from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, TextIO, Union

from hadath.doc import Document
from hadath.engine import Resources, build_pipeline, make_document
from hadath.ingest.model import ArticleInput, InputProblem
from hadath.options import ExtractOptions


@dataclass
class RunSummary:
    processed: int = 0
    skipped: int = 0


def to_document(article: ArticleInput, default_published: Optional[date]) -> Document:
    from hadath.dates.resolve import parse_published

    published = parse_published(article.published) if article.published else None
    return make_document(article.text, id=article.id, published=published or default_published,
                         title=article.title, url=article.url, source=article.source)


def annotate(items: Iterable[Union[ArticleInput, InputProblem]], *, options: ExtractOptions = ExtractOptions(),
             resources: Optional[Resources] = None, report: Callable[[str], None] = lambda m: None,
             debug: bool = False) -> Iterator[Document]:
    """Documents for the good inputs; every problem goes to ``report``."""
    pipeline = build_pipeline(options, resources)
    published = options.published
    for item in items:
        if isinstance(item, InputProblem):
            report(f"skipped {item.origin}: {item.message}")
            continue
        try:
            doc = pipeline(to_document(item, published))
        except Exception as error:  # noqa: BLE001 - one bad article must not stop a batch
            if debug:
                traceback.print_exc()
            report(f"skipped {item.origin}: processing failed: {type(error).__name__}: {error}")
            continue
        yield doc


def process_inputs(items: Iterable[Union[ArticleInput, InputProblem]], render: Callable[[Document, TextIO], None],
                   out: TextIO, *, options: ExtractOptions = ExtractOptions(), debug: bool = False,
                   kb_dir: Optional[Path] = None, resources: Optional[Resources] = None) -> RunSummary:
    summary = RunSummary()

    def report(message: str) -> None:
        summary.skipped += 1
        print(f"hadath: {message}", file=sys.stderr)

    resources = resources or Resources(kb_dir=kb_dir)
    for doc in annotate(items, options=options, resources=resources, report=report, debug=debug):
        render(doc, out)
        summary.processed += 1
    return summary

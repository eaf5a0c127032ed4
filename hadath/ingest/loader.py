"""``hadath ingest``: read inputs, annotate what is new, store it.

Each article is stored in its own transaction, so an interrupted run keeps every
article it reported as stored and a rerun skips them before annotating (the
text hash is checked first: re-ingesting a corpus costs a read, not a pipeline
run).  A bad input or an article the pipeline fails on is reported and skipped.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from hadath.engine import Pipeline
from hadath.ingest.model import ArticleInput, InputProblem
from hadath.ingest.reader import Item
from hadath.runner import to_document
from hadath.store import SaveResult, Store
from hadath.options import ExtractOptions


@dataclass
class IngestSummary:
    """Counts by outcome (problems themselves go to the ``report`` callback)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    skipped: int = 0
    near_duplicates: int = 0

    @property
    def stored(self) -> int:
        return self.new + self.updated

    def line(self) -> str:
        return (f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {self.older} older versions "
                f"ignored, {self.skipped} skipped; {self.near_duplicates} near-duplicate links")


def ingest_items(items: Iterable[Item], store: Store, pipeline: Pipeline, options: ExtractOptions, *,
                 report: Callable[[str], None] = lambda message: None,
                 on_article: Callable[[str], None] = lambda status: None,
                 on_saved: Callable[[ArticleInput, SaveResult], None] = lambda article, result: None,
                 debug: bool = False) -> IngestSummary:
    """Store every good input; ``report`` gets each problem, ``on_article`` each
    outcome, ``on_saved`` each article once its transaction has committed."""
    summary = IngestSummary()
    for item in items:
        if isinstance(item, InputProblem):
            summary.skipped += 1
            report(f"skipped {item.origin}: {item.message}")
            on_article("skipped")
            continue
        known = store.known(item.text)
        if known is not None:
            summary.unchanged += 1
            on_article("unchanged")
            on_saved(item, SaveResult("unchanged", known))
            continue
        try:
            doc = pipeline(to_document(item, options.published))
        except Exception as error:  # noqa: BLE001 - one bad article must not stop a corpus
            if debug:
                traceback.print_exc()
            summary.skipped += 1
            report(f"skipped {item.origin}: processing failed: {type(error).__name__}: {error}")
            on_article("skipped")
            continue
        result = store.save(doc, ner=options.profile, origin=item.origin)
        setattr(summary, result.status, getattr(summary, result.status) + 1)
        summary.near_duplicates += len(result.near_duplicates)
        on_article(result.status)
        on_saved(item, result)
    return summary


def reprocess(store: Store, pipeline: Pipeline, options: ExtractOptions, *, limit: Optional[int] = None,
              report: Callable[[str], None] = lambda message: None,
              on_article: Callable[[str], None] = lambda status: None) -> tuple[int, int]:
    """Annotate stale articles again with this hadath and these models: (done, failed)."""
    from hadath.engine import make_document

    done = failed = 0
    for article_id in store.stale(options.profile, limit):
        stored = store.stored_input(article_id)
        if stored is None:
            continue
        try:
            doc = pipeline(make_document(stored["text"], id=stored["id"], published=stored["published"]
                                         or options.published, title=stored["title"], url=stored["url"],
                                         source=stored["source"]))
        except Exception as error:  # noqa: BLE001 - one bad article must not stop the rest
            failed += 1
            report(f"article {article_id}: processing failed: {type(error).__name__}: {error}")
            on_article("failed")
            continue
        store.replace(article_id, doc, ner=options.profile)
        done += 1
        on_article("reprocessed")
    return done, failed

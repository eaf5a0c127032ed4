"""The worker side, shared by both engines: load the pipeline once, annotate the
articles of one chunk, return table rows.  One article at a time, so an article's
records never depend on which others share its chunk, worker or engine.

Importing this module loads neither NumPy nor the pipeline (see :func:`limit_threads`)."""
from __future__ import annotations

import traceback
from typing import Any, Optional, Sequence

from hadath.batch.model import Rows
from hadath.ingest.model import ArticleInput
from hadath.options import ExtractOptions

ARTICLE_FIELDS = ("id", "text", "title", "published", "url", "source", "origin")


def article_to_dict(article: ArticleInput) -> dict[str, Optional[str]]:
    """An article as plain JSON for engines that cannot ship Python objects."""
    return {name: getattr(article, name) for name in ARTICLE_FIELDS}


def article_from_dict(item: dict[str, Any]) -> ArticleInput:
    return ArticleInput(id=item["id"], text=item["text"], title=item.get("title"), published=item.get("published"),
                        url=item.get("url"), source=item.get("source"), origin=item["origin"])


class Annotator:
    """A pipeline built once (in a worker process or a Ray actor) and the versions
    it stamps on every article.  Versions are computed here, not in the driver, so
    a node with another hadath install is noticed rather than mislabelled."""

    def __init__(self, options: ExtractOptions, debug: bool = False):
        from hadath.engine import build_pipeline
        from hadath.store.versions import hadath_version, model_version

        self.pipeline = build_pipeline(options)
        self.published = options.published
        self.versions = (hadath_version(), model_version(options.profile))
        self.debug = debug

    def annotate(self, articles: Sequence[ArticleInput]) -> Rows:
        """Rows for every article; one that makes the pipeline raise becomes a problem row."""
        from hadath.batch.tables import add_document, empty_rows, problem_row
        from hadath.runner import to_document

        rows = empty_rows()
        for article in articles:
            try:
                doc = self.pipeline(to_document(article, self.published))
                part: Rows = empty_rows()
                add_document(part, doc, article.origin, self.versions)
            except Exception as error:  # noqa: BLE001 - one bad article must not stop a batch
                if self.debug:
                    traceback.print_exc()
                rows["problems"].append(problem_row(
                    article.origin, f"processing failed: {type(error).__name__}: {error}", article.id))
                continue
            for table, new in part.items():
                rows[table].extend(new)
        return rows


def limit_threads(threads: int) -> None:
    """Keep a worker process to ``threads`` cores for BLAS and ONNX Runtime, unless
    the user set the variables: N workers each spreading over every core fight over
    them.  Call before NumPy loads in the process (worker processes and Ray actors
    only, never the caller's process).

    ``arabic-name-romanizer`` gives ONNX Runtime two intra-op threads and offers no
    setting; their spin-waiting doubled the CPU time of one worker here (14.4 s
    instead of 6.2 s for 400 articles, and slower), so its default is lowered.
    """
    import os

    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, str(threads))
    try:
        from arabic_name_romanizer import inference
    except ImportError:
        return
    for cls in (getattr(inference, "OnnxBackend", None), getattr(inference, "OnnxModel", None)):
        if cls is not None:
            _set_default(cls.__init__, "intra_op_threads", threads)


def _set_default(func: Any, name: str, value: Any) -> None:
    code, defaults = getattr(func, "__code__", None), getattr(func, "__defaults__", None)
    if code is None or not defaults:
        return
    params = code.co_varnames[:code.co_argcount]
    index = params.index(name) - (len(params) - len(defaults)) if name in params else -1
    if index >= 0:
        func.__defaults__ = defaults[:index] + (value,) + defaults[index + 1:]

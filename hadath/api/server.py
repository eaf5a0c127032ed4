"""Running the API and explorer: ``hadath serve`` calls :func:`serve`."""
from __future__ import annotations

import os
import threading
from typing import Callable, Optional

from hadath.doc import Document
from hadath.ingest.model import ArticleInput

API_KEY_ENV = "HADATH_API_KEY"


def make_annotator(ner: str = "hybrid") -> Callable[[ArticleInput], Document]:
    """ArticleInput -> Document with one pipeline, built on the first write (a
    read-only server never loads the models)."""
    lock = threading.Lock()
    built: list = []

    def annotate(article: ArticleInput) -> Document:
        from hadath.runner import to_document

        with lock:
            if not built:
                from hadath.engine import build_pipeline
                from hadath.options import ExtractOptions

                built.append(build_pipeline(ExtractOptions(ner=ner)))
        return built[0](to_document(article, None))

    return annotate


def api_key_from(api_key: Optional[str]) -> Optional[str]:
    """The key writes need: the one given, else $HADATH_API_KEY (kept out of the
    process list and shell history), else None (writes refused)."""
    return api_key or os.environ.get(API_KEY_ENV) or None


def serve(db_url: Optional[str] = None, host: str = "127.0.0.1", port: int = 8000, api_key: Optional[str] = None,
          ner: str = "hybrid", log_level: str = "info") -> None:
    """Serve the corpus at ``db_url`` (a path, sqlite:///PATH, postgresql://...;
    default $HADATH_DB or hadath.db) until interrupted.  Writes need ``api_key``,
    or the environment variable HADATH_API_KEY; without either they are refused."""
    import uvicorn

    from hadath.api.app import create_app
    from hadath.store import Store

    key = api_key_from(api_key)
    store = Store.open(db_url)
    try:
        app = create_app(store, api_key=key, annotate=make_annotator(ner), ner=ner)
        uvicorn.run(app, host=host, port=port, log_level=log_level)
    finally:
        store.close()

"""HTTP API and web explorer over a hadath corpus.

>>> from hadath.api import create_app, serve
>>> app = create_app(Store.open("corpus.db"), api_key=None, annotate=None)   # an ASGI app
>>> serve("corpus.db", port=8000, api_key="secret")                          # blocks

The API key for writes can also come from the environment variable
``HADATH_API_KEY``.  FastAPI and uvicorn are imported only when these are called.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app", "serve"]


def create_app(store: Any, *, api_key: Optional[str] = None, annotate: Any = None, ner: str = "hybrid",
               ingest_options: Any = None) -> "FastAPI":
    """See :func:`hadath.api.app.create_app`."""
    from hadath.api.app import create_app as build

    return build(store, api_key=api_key, annotate=annotate, ner=ner, ingest_options=ingest_options)


def serve(db_url: Optional[str] = None, host: str = "127.0.0.1", port: int = 8000, api_key: Optional[str] = None,
          ner: str = "hybrid", log_level: str = "info") -> None:
    """See :func:`hadath.api.server.serve`."""
    from hadath.api.server import serve as run

    run(db_url, host=host, port=port, api_key=api_key, ner=ner, log_level=log_level)

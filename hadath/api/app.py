"""The FastAPI application: JSON API under /api, the explorer at / and /articles/{id}.

Everything is built by :func:`create_app` from what it is given (no module
state), so tests and the CLI can run several apps over different stores.
"""
from __future__ import annotations

import logging
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from hadath.api.pages import STATIC, SecurityHeaders, page_routes
from hadath.api.read_routes import read_routes
from hadath.api.write_routes import Annotate, write_routes
from hadath.ingest.model import IngestOptions
from hadath.store import QueryError, Store, StoreError

log = logging.getLogger("hadath.api")

DESCRIPTION = """Events (PLOVER records), articles, actors and places of a hadath corpus.

Lists are pages: pass `next_cursor` back as `cursor` for the next one (`null` on the last page).
Errors are `{"detail": "..."}`: 400 a filter or cursor the store cannot use, 404 an unknown id,
422 a parameter of the wrong type or out of range.  Writing (`POST /api/articles`) needs the
`X-API-Key` header; a server started without a key refuses writes."""


def create_app(store: Store, *, api_key: Optional[str] = None, annotate: Optional[Annotate] = None,
               ner: str = "hybrid", ingest_options: Optional[IngestOptions] = None) -> FastAPI:
    """An app over ``store``.  ``api_key``: the key writes need (None: writes
    refused with 403).  ``annotate``: ArticleInput -> Document for writes (None:
    writes answer 503); ``ner`` names its entity stage, recorded with each
    article.  The interactive /docs page is off: it loads scripts from a CDN."""
    from hadath import __version__

    app = FastAPI(title="hadath", version=__version__, description=DESCRIPTION, docs_url=None, redoc_url=None)
    routers = [read_routes(store), write_routes(store, api_key=api_key or None, annotate=annotate, ner=ner,
                                                options=ingest_options or IngestOptions()), page_routes(store)]
    routes = [route for router in routers for route in router.routes if isinstance(route, APIRoute)]
    app.add_middleware(SecurityHeaders, allowed=lambda path: _methods(routes, path))
    for router in routers:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _error_handlers(app)
    return app


def _methods(routes: list[APIRoute], path: str) -> list[str]:
    """The methods some route answers at ``path`` (for ``Allow``)."""
    return sorted({method for route in routes if route.path_regex.match(path) for method in route.methods})


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QueryError)
    async def bad_filter(request: Request, error: QueryError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, error: RequestValidationError) -> JSONResponse:
        """One readable message, and the fields, without echoing the input back."""
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in error.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'][1:]) or e['loc'][0] if e['loc'] else 'request'}: {e['msg']}"
                           for e in errors)
        return JSONResponse({"detail": detail or "invalid request", "errors": errors}, status_code=422)

    @app.exception_handler(StoreError)
    async def store_down(request: Request, error: StoreError) -> JSONResponse:
        return JSONResponse({"detail": f"database unavailable: {error}"}, status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"detail": f"internal error: {type(error).__name__}"}, status_code=500)

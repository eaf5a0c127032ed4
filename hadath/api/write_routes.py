"""``POST /api/articles``: annotate one article and store it.

Checks run cheapest first and before the body is parsed, so an unauthenticated
or oversized request costs nothing: writes enabled (403), key (401), annotator
(503), body size (413), JSON and fields (422), text checks (422).  One write
at a time: the store wants a single writer and the pipeline is not shared
across threads.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from typing import Any, Callable, Optional

from fastapi import APIRouter, HTTPException, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from hadath.api import models
from hadath.doc import Document
from hadath.ingest.checks import clean_surrogates, human_size, text_checks
from hadath.ingest.model import LINE_SIZE_FACTOR, ArticleInput, IngestOptions
from hadath.store import Store, StoreError

Annotate = Callable[[ArticleInput], Document]
log = logging.getLogger("hadath.api")
key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                          description="the key the server was started with (--api-key or HADATH_API_KEY)")


def _problem(status: int, detail: str) -> HTTPException:
    return HTTPException(status, detail)


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it is known to be over ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _problem(413, f"request body too large: {human_size(int(declared))} > {human_size(limit)} limit")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _problem(413, f"request body too large: over {human_size(limit)} limit")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_article(body: bytes, options: IngestOptions) -> ArticleInput:
    """The validated, checked article of a request body (or an HTTPException)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise _problem(422, f"body: not JSON ({error})") from None
    try:
        article = models.ArticleIn.model_validate(data)
    except ValidationError as error:
        fields = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in error.errors())
        raise _problem(422, f"body: {fields}") from None
    text = clean_surrogates(article.text)
    size = len(text.encode("utf-8"))
    if size > options.max_bytes:
        raise _problem(413, f"article too large: {human_size(size)} > {human_size(options.max_bytes)} limit")
    reason = text_checks(text, options)
    if reason:
        raise _problem(422, f"text: {reason}")
    if article.published:
        from hadath.dates.resolve import parse_published

        if parse_published(clean_surrogates(article.published)) is None:
            raise _problem(422, f"published: cannot read a date in {article.published[:40]!r}")

    def clean(value: Optional[str]) -> Optional[str]:
        return clean_surrogates(value).replace("\x00", "") or None if value else None

    doc_id = clean(article.id) or "api-" + hashlib.sha256(text.encode()).hexdigest()[:16]
    return ArticleInput(id=doc_id, text=text, title=clean(article.title), published=clean(article.published),
                        url=clean(article.url), source=clean(article.source), origin="<http>")


def write_routes(store: Store, *, api_key: Optional[str], annotate: Optional[Annotate], ner: str,
                 options: IngestOptions) -> APIRouter:
    router = APIRouter(prefix="/api")
    lock = threading.Lock()
    body_limit = options.max_bytes * LINE_SIZE_FACTOR + 1_000_000   # JSON escapes inflate text
    responses: dict[int | str, dict[str, Any]] = {
        200: {"model": models.Saved, "description": "already stored (unchanged) or older than the stored version"},
        **{status: {"model": models.Error, "description": why} for status, why in (
            (401, "missing or wrong X-API-Key"), (403, "writes disabled: no API key configured"),
            (413, "body or text too large"), (422, "not JSON, bad fields, or text that is not usable Arabic"),
            (503, "no annotator or database unavailable"))}}

    def save(article: ArticleInput) -> models.Saved:
        with lock:
            known = store.known(article.text)
            if known is not None:
                return models.Saved(status="unchanged", article_id=known)
            assert annotate is not None
            try:
                doc = annotate(article)
            except Exception as error:  # noqa: BLE001 - a pipeline failure is reported, never a 500
                log.exception("annotating %s failed", article.id)
                raise _problem(422, f"processing failed: {type(error).__name__}: {error}") from None
            try:
                result = store.save(doc, ner=ner, origin="api")
            except StoreError as error:
                raise _problem(503, f"database unavailable: {error}") from None
        return models.Saved(status=result.status, article_id=result.article_id,
                            near_duplicates=list(result.near_duplicates))

    @router.post("/articles", status_code=201, response_model=models.Saved, responses=responses, tags=["articles"],
                 openapi_extra={"requestBody": {"required": True, "content": {
                     "application/json": {"schema": models.ArticleIn.model_json_schema()}}}})
    async def post_article(request: Request, key: Optional[str] = Security(key_header)) -> Any:
        """Annotate an article and store it; idempotent (the same text again is ``unchanged``).
        201 when new, 200 otherwise."""
        if api_key is None:
            raise _problem(403, "writes disabled: start the server with --api-key")
        if not key or not hmac.compare_digest(key.encode("utf-8", "replace"), api_key.encode("utf-8")):
            raise _problem(401, "missing or wrong X-API-Key")
        if annotate is None:
            raise _problem(503, "writes unavailable: the server has no annotator")
        article = parse_article(await _read_body(request, body_limit), options)
        saved = await run_in_threadpool(save, article)
        return JSONResponse(saved.model_dump(), status_code=201 if saved.status == "new" else 200)

    return router

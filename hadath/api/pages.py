"""The explorer's pages (static HTML shells; their scripts call the API) and the
headers every response carries.

Pages hold no inline script or style, so the Content-Security-Policy can forbid
both: text from articles can never run, even if a bug put it into markup.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hadath.api.filters import MAX_ID
from hadath.store import Store

WEB = Path(__file__).resolve().parents[1] / "web"
STATIC = WEB / "static"
PAGES = WEB / "pages"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


def page_routes(store: Store) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def events_page() -> FileResponse:
        return FileResponse(PAGES / "events.html", media_type="text/html; charset=utf-8")

    @router.get("/articles/{article_id}")
    def article_page(article_id: str) -> FileResponse:
        """The article's page; a 404 page for an unknown id (its script fetches the rest)."""
        exists = _exists(store, article_id)
        return FileResponse(PAGES / ("article.html" if exists else "not_found.html"),
                            status_code=200 if exists else 404, media_type="text/html; charset=utf-8")

    return router


def _exists(store: Store, article_id: str) -> bool:
    if not (article_id.isascii() and article_id.isdigit() and 0 < int(article_id) <= MAX_ID):
        return False
    return store.article(int(article_id)) is not None


class SecurityHeaders:
    """Adds :data:`HEADERS` to every response and ``Cache-Control: no-store`` to
    the API's; refuses NUL bytes in the URL (PostgreSQL cannot store them).
    ``allowed(path)`` gives the methods a 405 response lists in ``Allow``."""

    def __init__(self, app: ASGIApp, allowed: Optional[Callable[[str], list[str]]] = None) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if b"%00" in scope.get("query_string", b"") or "\x00" in path:
            await _send_json(send, 400, {"detail": "NUL characters are not allowed in the URL"})
            return
        is_api = path.startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if is_api:
                    headers["cache-control"] = "no-store"
                if message["status"] == 405 and self.allowed:   # every method of the path, not the first route's
                    headers["allow"] = ", ".join(self.allowed(path))
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _send_json(send: Send, status: int, body: Any) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})

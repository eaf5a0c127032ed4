"""RSS and Atom feeds: one article per entry, after refusing XML bombs.

The XML prolog is first read with defusedxml, which refuses entity declarations
(the billion-laughs bomb, external entities that would read local files or
URLs); a plain ``<!DOCTYPE rss ...>`` is allowed, RSS 0.91 needs it.  Only then
does feedparser, lenient with the broken feeds of real sites, see the bytes.
Entry content is HTML made plain text by :func:`hadath.ingest.html.fragment_text`,
so scripts and styles never reach an article.
"""
from __future__ import annotations

import email.utils
import io
import re
import xml.sax
import xml.sax.handler
import xml.sax.xmlreader
from datetime import datetime, timezone
from typing import Iterator, Optional, Union
from urllib.parse import urlsplit

from hadath.ingest.checks import clean_surrogates, stable_id, text_checks
from hadath.ingest.html import fragment_text
from hadath.ingest.model import ArticleInput, IngestOptions, InputProblem

Item = Union[ArticleInput, InputProblem]

FEED_ROOTS = ("rss", "feed", "rdf:rdf")
BOMB = "refused: XML with entity declarations (possible XML bomb)"
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_NAME = re.compile(rb"[A-Za-z_][\w:.-]*")
_TEXT_REASONS = {"empty text": "no text", "only whitespace": "no text"}


def root_name(head: bytes) -> Optional[str]:
    """Name of the first element of an XML document, skipping the XML
    declaration, comments, processing instructions and DOCTYPE (whose internal
    subset holds only ``<!`` and ``<?`` items); ``None`` if there is none.
    Linear in ``head``: every step moves forward."""
    head = head.replace(b"\x00", b"")       # UTF-16/32: the tag names are ASCII
    position = 0
    while True:
        start = head.find(b"<", position)
        if start < 0:
            return None
        if head.startswith(b"<!--", start):
            end = head.find(b"-->", start + 4)
            if end < 0:
                return None
            position = end + 3
        elif head.startswith((b"<?", b"<!"), start):
            end = head.find(b">", start)
            if end < 0:
                return None
            position = end + 1
        else:
            match = _NAME.match(head, start + 1)
            return match.group(0).decode("ascii", "replace") if match else None


def looks_like_feed(head: bytes) -> bool:
    """Is this (the start of) an RSS, RDF or Atom document?"""
    name = root_name(head)
    return name is not None and name.lower() in FEED_ROOTS


class _RootSeen(Exception):
    """Stops the check at the root element: declarations come before it."""


class _Prolog(xml.sax.handler.ContentHandler):
    def startElement(self, name, attrs):  # noqa: N802 (SAX names)
        raise _RootSeen(name)


def xml_problem(data: bytes) -> Optional[str]:
    """Why this XML must not be parsed, or ``None``.  Only the prolog is read
    (entities can only be declared there);
    when expat cannot get through it (malformed XML, which feedparser reads
    leniently), any ``<!ENTITY`` at all is refused."""
    import defusedxml  # only needed for feeds
    import defusedxml.sax

    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd = False             # <!DOCTYPE rss PUBLIC ... "rss-0.91.dtd"> is harmless:
    parser.forbid_external = False        # the external DTD is never read (expat cannot) ...
    parser.forbid_entities = True         # ... and no entity may be declared, inside or outside
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setContentHandler(_Prolog())
    source = xml.sax.xmlreader.InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except _RootSeen:
        return None
    except defusedxml.EntitiesForbidden:
        return BOMB
    except defusedxml.ExternalReferenceForbidden:
        return "refused: XML with external references"
    except (xml.sax.SAXException, ValueError, LookupError):      # LookupError: unknown encoding
        if _ENTITY.search(data) or _ENTITY.search(data.replace(b"\x00", b"")):
            return BOMB
    return None


def _clean(value: object) -> Optional[str]:
    if not isinstance(value, str):
        return None
    if "<" in value:
        value = fragment_text(value)
    value = " ".join(clean_surrogates(value).split())
    return value or None


def host_of(url: Optional[str]) -> Optional[str]:
    if not url:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def _entry_text(entry: dict) -> str:
    """The longest of the entry's contents (``content:encoded``, Atom
    ``content``) and its summary, as plain text."""
    details = [d for d in entry.get("content") or [] if isinstance(d, dict)]
    if isinstance(entry.get("summary_detail"), dict):
        details.append(entry["summary_detail"])
    best = ""
    for detail in details:
        value = detail.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        kind = str(detail.get("type") or "text/html").lower()
        text = fragment_text(value) if ("html" in kind or "xml" in kind) else value.strip()
        if len(text) > len(best):
            best = text
    return clean_surrogates(best)


def _iso(raw: object, parsed: object) -> Optional[str]:
    """An ISO 8601 date: the feed's own string re-written with its UTC offset
    kept (the local date is the one news text refers to), else feedparser's
    UTC reading, else the string as given (e.g. an Arabic date)."""
    raw = raw.strip() if isinstance(raw, str) else None
    if raw:
        try:
            return email.utils.parsedate_to_datetime(raw).isoformat()            # RSS: RFC 822
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).isoformat()  # Atom: RFC 3339
        except ValueError:
            pass
    if parsed is not None:
        try:
            return datetime(*tuple(parsed)[:6], tzinfo=timezone.utc).isoformat()  # type: ignore[arg-type,misc]
        except (TypeError, ValueError, OverflowError):
            pass
    return raw or None


def read_feed(data: bytes, origin: str, stem: str, options: IngestOptions) -> Iterator[Item]:
    """An :class:`ArticleInput` per usable entry (``origin#n``; id ``stem:hash``
    of its guid or link, before the run makes it unique) and an
    :class:`InputProblem` per unusable one or for the feed as a whole."""
    reason = xml_problem(data)
    if reason is not None:
        yield InputProblem(origin, reason)
        return
    import feedparser  # only needed for feeds

    try:
        # feedparser's own sanitiser keeps the text of <iframe>, <object>...: the
        # markup is left whole for fragment_text, which drops those with their content
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=False)
    except Exception as err:  # feedparser is heuristic code; a bad feed must not stop a run
        yield InputProblem(origin, f"unreadable feed ({type(err).__name__})")
        return
    entries = [e for e in parsed.get("entries") or [] if isinstance(e, dict)]
    if not entries:
        if parsed.get("version"):
            yield InputProblem(origin, "feed has no entries")
        else:
            root = root_name(data[:1 << 16])
            yield InputProblem(origin, "not an RSS or Atom feed" + (f" (root element <{root}>)" if root else ""))
        return
    feed = parsed.get("feed") or {}
    source = _clean(feed.get("title")) or host_of(feed.get("link"))
    for n, entry in enumerate(entries, 1):
        text = _entry_text(entry)
        reason = text_checks(text, options)
        if reason is not None:
            yield InputProblem(origin, f"entry {n}: {_TEXT_REASONS.get(reason, reason)}")
            continue
        title = _clean(entry.get("title"))
        link = entry.get("link") if isinstance(entry.get("link"), str) else None
        if link and not link.lower().startswith(("http://", "https://")):
            link = None     # feedparser falls back to a guid such as "tag:site,2023:1"
        guid = entry.get("id") if isinstance(entry.get("id"), str) else None
        key = guid or link or f"{title}\n{text}"
        published = (_iso(entry.get("published"), entry.get("published_parsed"))
                     or _iso(entry.get("updated"), entry.get("updated_parsed")))
        yield ArticleInput(id=f"{stem}:{stable_id(key)}", text=text, title=title, published=published,
                           url=link or None, source=source, origin=f"{origin}#{n}")

"""News pages: main text and metadata out of HTML, safely and offline.

The page is parsed once with lxml's HTML parser set up defensively (no network,
no huge trees; libxml2's HTML parser never expands DTD entities, and the internal
DTD subset is cut out before parsing anyway), scripts, styles, event handlers and
``javascript:`` URLs are removed, and trafilatura picks the article body and the
title/date/url/site metadata from what is left.  Only text comes out.
"""
from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from typing import Optional

import lxml.html
from lxml import etree

from hadath.ingest.model import IngestOptions

_LOG = logging.getLogger(__name__)

# <!DOCTYPE name [ internal subset ]>: where entity bombs live.  The subset is
# dropped and the names it declared are remembered, so that a literal "&lol9;"
# left in the text can be removed too.
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.IGNORECASE | re.DOTALL)
_ENTITY_DECL = re.compile(r"<!ENTITY\s+%?\s*([A-Za-z_][\w.-]*)", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# libxml2 checks each attribute of a tag against all earlier ones: a tag with
# 300,000 attributes takes minutes.  Tags of over 8,000 characters are looked at
# and, past 1,000 attributes, stripped of them.  (Both patterns match in linear
# time: a tag name cannot swallow the whitespace that must follow it.)
_LONG_TAG = re.compile(r"<([A-Za-z][\w:-]*)(\s[^<>]{8000,})>")
_ATTRIBUTE = re.compile(r"\s[^\s=<>\"']+\s*=")
_MAX_ATTRIBUTES = 1000

# Control characters (raw, or from "&#1;") survive parsing, but lxml refuses to
# set them as text, which removing an element does for the text around it.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Elements whose content is never article text.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "frameset",
              "object", "embed", "applet", "svg", "math", "canvas", "audio", "video",
              "button", "select", "textarea", "input", "form")
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
               "article", "section", "header", "footer", "blockquote", "pre", "tr",
               "table", "dd", "dt", "figure", "figcaption", "main", "aside", "nav", "hr"}


@dataclass(frozen=True)
class HtmlArticle:
    text: str
    title: Optional[str]
    published: Optional[str]
    url: Optional[str]
    source: Optional[str]


def _parser() -> lxml.html.HTMLParser:
    # A fresh parser per document: lxml parsers are not thread-safe.
    return lxml.html.HTMLParser(
        recover=True, no_network=True, huge_tree=False, remove_comments=True,
        remove_pis=True, collect_ids=False, default_doctype=False, encoding="utf-8",
    )


def _strip_doctype(markup: str) -> tuple[str, set[str]]:
    head = markup[:200_000]
    first = head.lower().find("<!doctype")
    match = _DOCTYPE_SUBSET.match(head, first) if first >= 0 else None    # one try: linear
    if not match:
        return _XML_DECL.sub("", markup, count=1), set()
    names = set(_ENTITY_DECL.findall(match.group(1)))
    stripped = head[:match.start()] + "<!DOCTYPE html>" + head[match.end():] + markup[200_000:]
    return _XML_DECL.sub("", stripped, count=1), names


def _tame_tags(markup: str) -> str:
    def replace(match: re.Match) -> str:
        if len(_ATTRIBUTE.findall(match.group(2))) > _MAX_ATTRIBUTES:
            return f"<{match.group(1)}>"
        return match.group(0)

    return _LONG_TAG.sub(replace, markup)


def _sanitise(tree: lxml.html.HtmlElement) -> None:
    """Remove active content in place; JSON-LD metadata scripts are kept because
    they carry the publication date (they are data, never run, never text)."""
    for element in tree.iter():
        if element.text and _CONTROL.search(element.text):
            element.text = _CONTROL.sub(" ", element.text)
        if element.tail and _CONTROL.search(element.tail):
            element.tail = _CONTROL.sub(" ", element.tail)
    for element in list(tree.iter(*_DROP_TAGS)):
        if element.tag == "script" and (element.get("type") or "").strip().lower() == "application/ld+json":
            continue
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter(etree.Element):
        attributes = element.attrib.items()
        kept = [(name, value) for name, value in attributes if _harmless(name, value)]
        if len(kept) < len(attributes):
            element.attrib.clear()      # rebuilt: a name with a control character cannot be deleted
            for name, value in kept:
                try:
                    element.set(name, value)
                except ValueError:      # a name the HTML parser let through but lxml will not set
                    pass


def _harmless(name: str, value: str) -> bool:
    lowered = name.lower()
    if lowered.startswith("on") or lowered in ("style", "srcdoc"):
        return False
    if value.strip().lower().startswith(("javascript:", "vbscript:", "data:")):
        return False
    return not (_CONTROL.search(name) or _CONTROL.search(value))


def _plain_text(tree: lxml.html.HtmlElement) -> str:
    """Fallback body text when trafilatura finds no main content."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    for element in list(root.iter("script", "head", "title")):
        if element is not root and element.getparent() is not None:
            element.drop_tree()
    pieces: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            if event == "end" and element.tail:
                pieces.append(element.tail)
            continue
        block = element.tag in _BLOCK_TAGS
        if event == "start":
            if block:
                pieces.append("\n")
            if element.text:
                pieces.append(element.text)
        else:
            if block:
                pieces.append("\n")
            if element.tail and element is not root:
                pieces.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _remove_entity_refs(text: str, names: set[str]) -> str:
    if not names or "&" not in text:
        return text
    pattern = re.compile("&(?:" + "|".join(re.escape(n) for n in sorted(names)) + ");")
    return pattern.sub("", text)


def _field(document: object, name: str) -> Optional[str]:
    """A field of trafilatura's result: an object (2.x) or a dict (1.x)."""
    value = document.get(name) if isinstance(document, dict) else getattr(document, name, None)
    return value if isinstance(value, str) else None


def _clean_meta(value: object) -> Optional[str]:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def extract_html(markup: str, options: IngestOptions) -> tuple[Optional[HtmlArticle], Optional[str]]:
    """``(article, None)`` or ``(None, reason)`` for an HTML document as text."""
    markup, entity_names = _strip_doctype(markup)
    markup = _tame_tags(markup)
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        return None, f"unparseable HTML ({err})"
    if tree is None:
        return None, "unparseable HTML"
    _sanitise(tree)
    fallback_source = copy.deepcopy(tree)   # trafilatura edits the tree it is given

    import trafilatura  # slow to import; only needed for HTML

    document = None
    try:
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=options.html_include_comments,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # trafilatura is heuristic code; a bad page must not stop a run
        _LOG.debug("trafilatura failed: %s", err)
    text = ""
    title = published = url = source = None
    if document is not None:
        text = _field(document, "text") or ""
        comments = _field(document, "comments")
        if options.html_include_comments and comments:
            text = f"{text}\n\n{comments}" if text else comments
        title = _clean_meta(_field(document, "title"))
        published = _clean_meta(_field(document, "date"))
        url = _clean_meta(_field(document, "url"))
        source = _clean_meta(_field(document, "sitename")) or _clean_meta(_field(document, "hostname"))
    if not text.strip():
        text = _plain_text(fallback_source)
        if title is None:
            title = _clean_meta(fallback_source.findtext(".//title"))
    text = _remove_entity_refs(text, entity_names).strip()
    if title:
        title = _remove_entity_refs(title, entity_names) or None
    if not text:
        return None, "no article text found in the HTML"
    return HtmlArticle(text=text, title=title, published=published, url=url, source=source), None


def fragment_text(markup: str) -> str:
    """Plain text of an HTML fragment that is already an article body (a feed
    entry's content): no trafilatura, which would judge a short fragment to be
    boilerplate; sanitised the same way, so scripts and styles never reach it."""
    markup, entity_names = _strip_doctype(markup)
    markup = _tame_tags(markup)
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return ""
    if tree is None:
        return ""
    _sanitise(tree)
    return _remove_entity_refs(_plain_text(tree), entity_names).strip()

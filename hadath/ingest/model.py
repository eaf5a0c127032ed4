"""Typed records of the ingest stage: what came in, what was refused, and how."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class ArticleInput:
    """One usable article, as the user brought it.

    ``text`` becomes :attr:`hadath.doc.Document.text`; ``published`` is kept as
    the string the input gave (date parsing happens in :mod:`hadath.dates`).
    ``origin`` says where it came from: a path, ``path:line`` for a JSONL line,
    ``path#n`` for the n-th object of a JSON list, or ``<stdin>`` (``<stdin>:line``).
    """

    id: str
    text: str
    title: Optional[str]
    published: Optional[str]
    url: Optional[str]
    source: Optional[str]
    origin: str


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be used, and a human-readable reason.

    ``origin`` is the file (or ``<stdin>``); for a bad line of a JSONL file the
    message starts with ``line N:``, so ``f"{origin}: {message}"`` reads well.
    """

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


@dataclass(frozen=True)
class IngestOptions:
    """Limits and switches for reading inputs, built once and passed down."""

    max_bytes: int = 5_000_000
    """Largest article text, in UTF-8 bytes (a ``.txt`` file's size, a record's
    ``text``).  HTML files may be :data:`HTML_SIZE_FACTOR` times larger, since
    markup is not text; a JSONL line may be :data:`LINE_SIZE_FACTOR` times larger
    (plus 1 MB) because JSON escapes inflate text."""

    min_arabic_ratio: float = 0.3
    """Least share of the letters that must be Arabic letters."""

    follow_symlinks: bool = False
    """When walking a directory: follow symlinks to directories, and to files
    outside the directory given.  Off: only symlinked files that resolve inside
    the tree are read.  Paths named explicitly are always followed."""

    html_include_comments: bool = False
    """Keep the readers' comment section of a news page (trafilatura's option)."""

    max_total_bytes: int = 2_000_000_000
    """Most bytes one ``.gz`` file may decompress to, and the largest JSON
    document (``.json``, or JSON on stdin) that is loaded whole.  Plain JSONL is
    streamed line by line and has no total limit."""

    max_compression_ratio: float = 100.0
    """A ``.gz`` whose output outgrows its input by more than this (once past
    16 MB of output) is treated as a decompression bomb.  Text compresses ~3-10x."""

    fetch: bool = False
    """Download inputs given as ``http://`` / ``https://`` URLs.  Off: a URL is
    refused, so that reading files never reaches the network by surprise."""

    allow_private: bool = False
    """Let fetching reach loopback, private, link-local and other non-public
    addresses (off: a URL cannot be used to probe the local network)."""

    fetch_timeout: float = 20.0
    """Seconds one URL may take in all: every redirect, connection and byte."""

    fetch_max_bytes: Optional[int] = None
    """Largest response body, before and after gzip/deflate decoding; ``None``:
    ``max_bytes * HTML_SIZE_FACTOR``, the HTML file limit."""

    max_redirects: int = 5
    """Redirects followed per URL; each hop is checked like the first."""

    user_agent: str = "hadath/0.1 (Arabic news event extraction)"
    """Sent with every request."""

    def fetch_limit(self) -> int:
        """Largest body one fetch may return."""
        return self.fetch_max_bytes if self.fetch_max_bytes is not None else self.max_bytes * HTML_SIZE_FACTOR


HTML_SIZE_FACTOR = 4
LINE_SIZE_FACTOR = 3
FEED_SIZE_FACTOR = 10
"""A feed file may be this many times ``max_bytes``: it holds many articles."""

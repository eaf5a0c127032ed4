"""``read_inputs``: every path a user names, turned into articles or problems.

Formats, by extension (content is sniffed for stdin and unknown extensions):

* ``.txt`` - one article; UTF-8 (BOM or not), UTF-16 with BOM, or Windows-1256
  when UTF-8 fails and that decoding is mostly Arabic.
* ``.html`` / ``.htm`` / ``.xhtml`` - one article, main text via trafilatura.
* ``.jsonl`` / ``.ndjson`` - one JSON object per line, streamed.
* ``.json`` - one object, a list of objects, an object holding such a list
  under ``articles``/``documents``/``items``/``data``/``records``, or
  (misnamed) JSON Lines.
* ``.rss`` / ``.atom`` / ``.xml`` - an RSS or Atom feed, one article per entry
  (:mod:`hadath.ingest.feeds`; XML with entity declarations is refused).
* ``.warc`` - a web archive, one article per HTML page (:mod:`hadath.ingest.warc`).
* any of these gzip-compressed (``.gz``), with caps on decompressed size.
* a directory - recursively, sorted by name, hidden entries skipped, only the
  extensions above; symlinks leading out of the tree are not followed.
* ``-`` - standard input: JSON Lines if the first non-blank character is ``{``
  (a pretty-printed single object is recognised too), JSON if ``[``, a feed if
  the root element is ``rss``/``feed``/``rdf:RDF``, other markup is HTML, a WARC
  if it starts ``WARC/``, else plain text; gzip is recognised by its magic bytes.
* ``http://`` / ``https://`` URLs - only with ``IngestOptions.fetch``
  (:mod:`hadath.ingest.fetch`); the response is read as its content type says.

Ids come from the record (``id``/``docno``), else the file name stem, or
``stem:line`` / ``stem:n`` for records of a JSONL file or JSON list,
``stem:hash`` for feed entries (hash of the guid or link), a hash of the URL for
WARC pages and fetched pages; an id seen before in the same run gets ``~2``,
``~3``... appended.
"""
from __future__ import annotations

import io
import json
import os
import stat
import sys
import zlib
from dataclasses import replace
from typing import BinaryIO, Iterable, Iterator, Optional, Sequence, Union
from urllib.parse import urlsplit

from hadath.ingest.checks import decode_bytes, human_size, text_checks, too_large
from hadath.ingest.feeds import looks_like_feed, read_feed
from hadath.ingest.fetch import fetch_url, is_url
from hadath.ingest.html import extract_html
from hadath.ingest.model import FEED_SIZE_FACTOR, HTML_SIZE_FACTOR, ArticleInput, IngestOptions, InputProblem
from hadath.ingest.records import (
    Record,
    StreamProblem,
    capped_lines,
    line_limit,
    open_guarded,
    parse_json_line,
    parse_record,
    read_capped,
)
from hadath.ingest.warc import is_warc, read_warc

Item = Union[ArticleInput, InputProblem]

EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".warc": "warc",
}
KNOWN_NAMES = ".txt, .html, .htm, .json, .jsonl, .ndjson, .rss, .atom, .xml, .warc (optionally .gz)"
LIST_KEYS = ("articles", "documents", "items", "data", "records")

_SNIFF_BYTES = 1 << 16
_GIVE_UP_AFTER = 10     # leading non-JSON lines after which a "JSONL" file is abandoned
_TEXT_REASONS = {"empty text": "empty file"}


def kind_of(name: str) -> tuple[Optional[str], bool]:
    """(format, gzip-compressed) from a file name; format ``None`` if unknown."""
    lower = name.lower()
    compressed = lower.endswith(".gz")
    if compressed:
        lower = lower[:-3]
    return EXTENSIONS.get(os.path.splitext(lower)[1]), compressed


def stem_of(name: str) -> str:
    base = os.path.basename(name.rstrip("/\\")) or name
    if base.lower().endswith(".gz"):
        base = base[:-3]
    stem, ext = os.path.splitext(base)
    return stem or base


def sniff(head: bytes) -> str:
    """Format of a stream from its first bytes: jsonl, json, feed, html, warc or text."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return "jsonl"
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"<"):
        return "feed" if looks_like_feed(text) else "html"
    if is_warc(text):
        return "warc"
    return "text"


class _RawChain(io.RawIOBase):
    """Bytes already read (``head``) followed by the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self.head = head
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.stream.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n


def _chain(head: bytes, stream: BinaryIO) -> BinaryIO:
    return io.BufferedReader(_RawChain(head, stream), buffer_size=_SNIFF_BYTES)  # type: ignore[return-value]


def _read_head(stream: BinaryIO, size: int) -> bytes:
    chunks, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


class _Run:
    """State of one ``read_inputs`` call: options, ids handed out, stdin use."""

    def __init__(self, options: IngestOptions, stdin: Optional[BinaryIO]):
        self.options = options
        self.stdin = stdin
        self.stdin_used = False
        self.ids: set[str] = set()

    # -- articles -------------------------------------------------------------

    def _unique(self, candidate: str) -> str:
        if candidate not in self.ids:
            self.ids.add(candidate)
            return candidate
        n = 2
        while f"{candidate}~{n}" in self.ids:
            n += 1
        unique = f"{candidate}~{n}"
        self.ids.add(unique)
        return unique

    def _adopt(self, items: Iterable[Item]) -> Iterator[Item]:
        """Articles of the feed and WARC readers, their ids made unique in the run."""
        for item in items:
            yield replace(item, id=self._unique(item.id)) if isinstance(item, ArticleInput) else item

    def _from_record(self, record: Record, default_id: str, origin: str) -> ArticleInput:
        return ArticleInput(
            id=self._unique(record.id or default_id), text=record.text, title=record.title,
            published=record.published, url=record.url, source=record.source, origin=origin,
        )

    # -- entry points ---------------------------------------------------------

    def read_stdin(self) -> Iterator[Item]:
        origin = "<stdin>"
        if self.stdin_used:
            yield InputProblem(origin, "standard input named twice (it was already read)")
            return
        self.stdin_used = True
        stream = self.stdin if self.stdin is not None else sys.stdin.buffer
        yield from self._stream(stream, origin, "stdin", None, None)

    def read_url(self, url: str) -> Iterator[Item]:
        fetched = fetch_url(url, self.options)
        if isinstance(fetched, InputProblem):
            yield fetched
            return
        kind = fetched.kind or kind_of(urlsplit(fetched.url).path)[0]
        for item in self._stream(io.BytesIO(fetched.body), url, fetched.stem, kind, None):
            if isinstance(item, ArticleInput) and item.origin == url:     # one document, not list items
                page = kind in ("html", "text") or item.url is None
                item = replace(item, url=fetched.url if page else item.url, source=item.source or fetched.host)
            yield item

    def read_path(self, path: str) -> Iterator[Item]:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            yield InputProblem(path, "broken symlink" if os.path.islink(path) else "no such file or directory")
            return
        except PermissionError:
            yield InputProblem(path, "permission denied")
            return
        except OSError as err:
            yield InputProblem(path, f"cannot access: {err.strerror or err}")
            return
        except ValueError:
            yield InputProblem(repr(path), "invalid path (NUL character)")
            return
        if stat.S_ISDIR(info.st_mode):
            yield from self._directory(path)
        elif stat.S_ISREG(info.st_mode):
            kind, compressed = kind_of(path)
            yield from self._file(path, info.st_size, kind, compressed if kind else None)
        elif stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
            # a pipe such as <(zcat x.gz): read as a stream, with the usual caps
            kind, compressed = kind_of(path)
            try:
                with open(path, "rb") as handle:
                    yield from self._stream(handle, path, stem_of(path), kind, compressed if kind else None)
            except OSError as err:
                yield InputProblem(path, f"cannot read: {err.strerror or err}")
        else:
            yield InputProblem(path, "not a regular file")

    # -- directories ----------------------------------------------------------

    def _directory(self, root: str) -> Iterator[Item]:
        root_real = os.path.realpath(root)
        visited = {root_real}
        readable = 0
        problems = 0
        skipped: dict[str, int] = {}

        def inside(target: str) -> bool:
            return target == root_real or target.startswith(root_real.rstrip(os.sep) + os.sep)

        def walk(directory: str) -> Iterator[Item]:
            nonlocal readable, problems
            try:
                with os.scandir(directory) as scan:
                    entries = sorted(scan, key=lambda e: e.name)
            except OSError as err:
                problems += 1
                yield InputProblem(directory, f"cannot list directory: {err.strerror or err}")
                return
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = entry.path
                try:
                    is_link = entry.is_symlink()
                    is_dir = entry.is_dir(follow_symlinks=True)
                    is_file = entry.is_file(follow_symlinks=True)
                except OSError:
                    is_link, is_dir, is_file = False, False, False
                kind, compressed = kind_of(entry.name)
                if is_link:
                    target = os.path.realpath(path)
                    if not (is_dir or is_file):
                        if kind:
                            problems += 1
                            yield InputProblem(path, "broken symlink")
                        continue
                    if is_dir and not self.options.follow_symlinks:
                        continue        # symlinked directories: duplicates or escapes
                    if is_file and not inside(target) and not self.options.follow_symlinks:
                        if kind:
                            problems += 1
                            yield InputProblem(path, "symlink points outside the directory (not followed)")
                        continue
                if is_dir:
                    real = os.path.realpath(path)
                    if real in visited:
                        continue        # a cycle through symlinks
                    visited.add(real)
                    yield from walk(path)
                elif is_file:
                    if kind is None:
                        ext = os.path.splitext(entry.name)[1].lower() or "(no extension)"
                        skipped[ext] = skipped.get(ext, 0) + 1
                        continue
                    readable += 1
                    try:
                        size = entry.stat(follow_symlinks=True).st_size
                    except OSError as err:
                        problems += 1
                        yield InputProblem(path, f"cannot access: {err.strerror or err}")
                        continue
                    yield from self._file(path, size, kind, compressed)
                # sockets, pipes and devices inside a directory are never read

        yield from walk(root)
        if readable == 0 and problems == 0:
            if skipped:
                listed = ", ".join(f"{ext} ({n})" for ext, n in sorted(skipped.items()))
                yield InputProblem(root, f"no readable files (looked for {KNOWN_NAMES}; skipped {listed})")
            else:
                yield InputProblem(root, f"no readable files (looked for {KNOWN_NAMES})")

    # -- files and streams ----------------------------------------------------

    def _file(self, path: str, size: int, kind: Optional[str], compressed: Optional[bool]) -> Iterator[Item]:
        options = self.options
        if size == 0:
            yield InputProblem(path, "empty file")
            return
        if not compressed:
            if kind == "text" and size > options.max_bytes:
                yield InputProblem(path, too_large(size, options.max_bytes))
                return
            if kind == "html" and size > options.max_bytes * HTML_SIZE_FACTOR:
                yield InputProblem(path, too_large(size, options.max_bytes * HTML_SIZE_FACTOR, "HTML file"))
                return
            if kind == "feed" and size > options.max_bytes * FEED_SIZE_FACTOR:
                yield InputProblem(path, too_large(size, options.max_bytes * FEED_SIZE_FACTOR, "feed file"))
                return
            if kind == "json" and size > options.max_total_bytes:
                yield InputProblem(path, too_large(size, options.max_total_bytes, "JSON file")
                                   .replace("(raise --max-bytes)", "(split it into JSON Lines)"))
                return
        try:
            with open(path, "rb") as handle:
                yield from self._stream(handle, path, stem_of(path), kind, compressed)
        except PermissionError:
            yield InputProblem(path, "permission denied")
        except IsADirectoryError:
            yield InputProblem(path, "is a directory")
        except OSError as err:
            yield InputProblem(path, f"cannot read: {err.strerror or err}")

    def _stream(self, raw: BinaryIO, origin: str, stem: str,
                kind: Optional[str], compressed: Optional[bool]) -> Iterator[Item]:
        options = self.options
        try:
            if compressed is None:
                head = _read_head(raw, 2)
                compressed = head == b"\x1f\x8b"
                raw = _chain(head, raw)
            stream, guard = open_guarded(raw, options, compressed)
            if kind is None:
                head = _read_head(stream, _SNIFF_BYTES)
                kind = sniff(head)
                stream = _chain(head, stream)
        except StreamProblem as err:
            yield InputProblem(origin, str(err))
            return
        except OSError as err:
            yield InputProblem(origin, "not a gzip file" if compressed else f"cannot read: {err.strerror or err}")
            return
        except EOFError:
            yield InputProblem(origin, "truncated gzip file")
            return
        except zlib.error as err:
            yield InputProblem(origin, f"corrupt gzip data: {err}")
            return
        try:
            if kind == "jsonl":
                yield from self._jsonl(stream, guard, origin, stem)
            elif kind == "json":
                data = read_capped(stream, options.max_total_bytes, guard,
                                   f"JSON too large: more than {human_size(options.max_total_bytes)} "
                                   "(split it into JSON Lines)")
                yield from self._json_bytes(data, origin, stem)
            elif kind == "feed":
                limit = options.max_bytes * FEED_SIZE_FACTOR
                data = read_capped(stream, limit, guard,
                                   f"feed too large: more than {human_size(limit)} limit (raise --max-bytes)")
                yield from self._adopt(read_feed(data, origin, stem, self.options))
            elif kind == "warc":
                yield from self._adopt(read_warc(stream, guard, origin, self.options))
            else:
                limit = options.max_bytes * (HTML_SIZE_FACTOR if kind == "html" else 1)
                what = "HTML file" if kind == "html" else "article"
                data = read_capped(stream, limit, guard,
                                   f"{what} too large: more than {human_size(limit)} limit (raise --max-bytes)")
                yield from self._document(data, kind, origin, stem)
        except StreamProblem as err:
            yield InputProblem(origin, str(err))

    def _document(self, data: bytes, kind: str, origin: str, stem: str) -> Iterator[Item]:
        text, reason = decode_bytes(data, html=(kind == "html"))
        if text is None:
            yield InputProblem(origin, reason or "unreadable")
            return
        title = published = url = source = None
        if kind == "html":
            if not text.strip():
                yield InputProblem(origin, "only whitespace")
                return
            article, reason = extract_html(text, self.options)
            if article is None:
                yield InputProblem(origin, reason or "no article text found in the HTML")
                return
            text, title, published, url, source = (article.text, article.title, article.published,
                                                   article.url, article.source)
        reason = text_checks(text, self.options)
        if reason is not None:
            yield InputProblem(origin, _TEXT_REASONS.get(reason, reason))
            return
        yield ArticleInput(id=self._unique(stem), text=text, title=title, published=published,
                           url=url, source=source, origin=origin)

    def _jsonl(self, stream: BinaryIO, guard, origin: str, stem: str,
               allow_document: bool = True) -> Iterator[Item]:
        options = self.options
        limit = line_limit(options)
        lines = capped_lines(stream, limit, guard)
        good = 0
        bad_syntax = 0
        seen = 0
        for number, raw in lines:
            if raw is None:
                seen += 1
                yield InputProblem(origin, f"line {number}: line too long (more than {human_size(limit)}; "
                                           "raise --max-bytes)")
                continue
            if not raw.strip():
                continue
            seen += 1
            result = parse_json_line(raw, options)
            if isinstance(result, Record):
                good += 1
                yield self._from_record(result, f"{stem}:{number}", f"{origin}:{number}")
                continue
            if allow_document and seen == 1 and result.startswith("invalid JSON") and _continues(raw):
                # a pretty-printed JSON document, not JSON Lines
                rest = read_capped(stream, options.max_total_bytes, guard,
                                   f"JSON too large: more than {human_size(options.max_total_bytes)}")
                yield from self._json_bytes(raw + rest, origin, stem)
                return
            if result.startswith(("invalid JSON", "not UTF-8")):
                bad_syntax += 1
                if good == 0 and bad_syntax == seen and bad_syntax >= _GIVE_UP_AFTER:
                    yield InputProblem(origin, f"line {number}: {result}")
                    yield InputProblem(origin, f"not JSON Lines: the first {bad_syntax} lines are not JSON; "
                                               "rest of the file skipped")
                    return
            yield InputProblem(origin, f"line {number}: {result}")
        if seen == 0:
            yield InputProblem(origin, "empty file" if guard.total == 0 else "only whitespace")

    def _json_bytes(self, data: bytes, origin: str, stem: str) -> Iterator[Item]:
        text, reason = decode_bytes(data)
        if text is None:
            yield InputProblem(origin, reason or "unreadable")
            return
        if not text.strip():
            yield InputProblem(origin, "only whitespace")
            return
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            if err.msg == "Extra data":
                if _first_line_is_json(text):      # JSON Lines in a .json file
                    yield from self._jsonl(io.BytesIO(data), _NoGuard(), origin, stem, allow_document=False)
                else:                              # pretty-printed objects one after another
                    yield from self._json_sequence(text, origin, stem)
                return
            yield InputProblem(origin, f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})")
            return
        except RecursionError:
            yield InputProblem(origin, "invalid JSON: nested too deeply")
            return
        if isinstance(value, dict) and not any(k in value for k in ("text", "body", "content")):
            for key in LIST_KEYS:
                if isinstance(value.get(key), list):
                    value = value[key]
                    break
        if isinstance(value, dict):
            result = parse_record(value, self.options)
            if isinstance(result, Record):
                yield self._from_record(result, stem, origin)
            else:
                yield InputProblem(origin, result)
            return
        if not isinstance(value, list):
            yield InputProblem(origin, "JSON is neither an object nor a list of objects")
            return
        if not value:
            yield InputProblem(origin, "no articles (empty JSON list)")
            return
        for n, item in enumerate(value, 1):
            result = parse_record(item, self.options)
            if isinstance(result, Record):
                yield self._from_record(result, f"{stem}:{n}", f"{origin}#{n}")
            else:
                yield InputProblem(origin, f"item {n}: {result}")


    def _json_sequence(self, text: str, origin: str, stem: str) -> Iterator[Item]:
        decoder = json.JSONDecoder()
        position, n = 0, 0
        while True:
            while position < len(text) and text[position] in " \t\r\n\ufeff":
                position += 1
            if position >= len(text):
                return
            n += 1
            try:
                value, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError as err:
                yield InputProblem(origin, f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})")
                return
            except RecursionError:
                yield InputProblem(origin, "invalid JSON: nested too deeply")
                return
            result = parse_record(value, self.options)
            if isinstance(result, Record):
                yield self._from_record(result, f"{stem}:{n}", f"{origin}#{n}")
            else:
                yield InputProblem(origin, f"item {n}: {result}")


def _first_line_is_json(text: str) -> bool:
    for line in text.lstrip("\ufeff").splitlines():
        if line.strip():
            try:
                json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                return False
            return True
    return False


class _NoGuard:
    """For re-reading bytes already counted."""

    total = 1

    def add(self, n: int) -> None:
        pass


def _continues(raw: bytes) -> bool:
    """Does this first line look like the start of a multi-line JSON value?"""
    try:
        json.loads(raw.decode("utf-8", "replace").lstrip("\ufeff"))
    except json.JSONDecodeError as err:
        return err.pos >= len(raw.decode("utf-8", "replace").lstrip("\ufeff").rstrip())
    except RecursionError:
        return False
    return False


def read_stream(stream: BinaryIO, name: str, options: IngestOptions = IngestOptions(),
                origin: Optional[str] = None) -> Iterator[Item]:
    """The articles of one already opened byte stream (a file on a remote
    filesystem, say), read as its ``name`` says (``x.jsonl.gz``, ``x.html``...;
    sniffed when the extension is unknown).  Never raises for bad input."""
    kind, compressed = kind_of(name)
    yield from _Run(options, None)._stream(stream, origin or name, stem_of(name), kind,
                                           compressed if kind else None)


def read_inputs(paths: Sequence[str], options: IngestOptions = IngestOptions(),
                stdin: Optional[BinaryIO] = None) -> Iterator[Item]:
    """Yield an :class:`ArticleInput` for every usable article in ``paths`` (files,
    directories, ``-`` for ``stdin``, URLs) and an :class:`InputProblem` in place of
    every unusable input, in order.  Never raises for bad input."""
    run = _Run(options, stdin)
    for path in paths:
        path = os.fspath(path)
        if path == "-":
            yield from run.read_stdin()
        elif is_url(path):
            yield from run.read_url(path)
        else:
            yield from run.read_path(path)

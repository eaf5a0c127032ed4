"""JSON and JSON Lines: one article per object, read as a stream with limits."""
from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator, Optional, Union

from hadath.ingest.checks import clean_surrogates, human_size, text_checks
from hadath.ingest.model import LINE_SIZE_FACTOR, IngestOptions

ID_FIELDS = ("id", "docno", "doc_id")
TEXT_FIELDS = ("text", "body", "content")
TITLE_FIELDS = ("title", "headline")
PUBLISHED_FIELDS = ("published", "time", "date", "datetime", "pubdate")
URL_FIELDS = ("url", "link")
SOURCE_FIELDS = ("source", "src", "sitename")

_TEXT_REASONS = {
    "empty text": "empty 'text' field",
    "only whitespace": "'text' is only whitespace",
    "no letters (not text)": "'text' has no letters",
}
_BOMB_FLOOR = 16_000_000        # ratio check starts after this much output
_SKIP_CHUNK = 1 << 20


@dataclass(frozen=True)
class Record:
    """The fields of one JSON object, before an id is assigned."""

    id: Optional[str]
    text: str
    title: Optional[str]
    published: Optional[str]
    url: Optional[str]
    source: Optional[str]


class StreamProblem(Exception):
    """The stream as a whole cannot be read further (bad gzip, a bomb)."""


def line_limit(options: IngestOptions) -> int:
    return options.max_bytes * LINE_SIZE_FACTOR + 1_000_000


def _scalar(value: object) -> Optional[str]:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        value = str(value).lower()
    text = clean_surrogates(str(value)).strip()
    return text or None


def _first(obj: dict, names: tuple[str, ...]) -> Optional[str]:
    for name in names:
        if name in obj:
            value = _scalar(obj[name])
            if value is not None:
                return value
    return None


def parse_record(obj: object, options: IngestOptions) -> Union[Record, str]:
    """A :class:`Record` from a decoded JSON value, or the reason it is unusable."""
    if not isinstance(obj, dict):
        return f"not a JSON object (got {type(obj).__name__ if obj is not None else 'null'})"
    text = None
    for name in TEXT_FIELDS:
        if name in obj:
            text = obj[name]
            break
    else:
        return "no 'text' field"
    if not isinstance(text, str):
        return "'text' is not a string"
    text = clean_surrogates(text)
    reason = text_checks(text, options)
    if reason is not None:
        return _TEXT_REASONS.get(reason, reason)
    return Record(
        id=_first(obj, ID_FIELDS),
        text=text,
        title=_first(obj, TITLE_FIELDS),
        published=_first(obj, PUBLISHED_FIELDS),
        url=_first(obj, URL_FIELDS),
        source=_first(obj, SOURCE_FIELDS),
    )


def parse_json_line(raw: bytes, options: IngestOptions) -> Union[Record, str]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"not UTF-8 text (invalid byte 0x{raw[err.start]:02x} at column {err.start + 1})"
    line = line.lstrip("\ufeff").rstrip("\r\n")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return f"invalid JSON: {err.msg} (column {err.colno})"
    except RecursionError:
        return "invalid JSON: nested too deeply"
    return parse_record(obj, options)


class _Guard:
    """Counts the bytes a stream yields; for a compressed stream, refuses more
    than ``max_total_bytes`` in all or more than ``max_compression_ratio`` times
    what was read from disk."""

    def __init__(self, options: IngestOptions, compressed_pos: Optional[Callable[[], int]]):
        self.total = 0
        self.limit = options.max_total_bytes
        self.ratio = options.max_compression_ratio
        self.compressed_pos = compressed_pos

    def add(self, n: int) -> None:
        self.total += n
        if self.compressed_pos is None:
            return      # plain streams are read line by line: no total to cap
        if self.total > self.limit:
            raise StreamProblem(f"decompressed data exceeds the {human_size(self.limit)} limit per file")
        if self.total > _BOMB_FLOOR:
            read = max(self.compressed_pos(), 1)
            if self.total / read > self.ratio:
                raise StreamProblem(
                    f"decompression bomb refused ({human_size(read)} expands to more than "
                    f"{human_size(self.total)}, ratio {self.total / read:.0f}:1)"
                )


def capped_lines(stream: BinaryIO, limit: int, guard: _Guard) -> Iterator[tuple[int, Optional[bytes]]]:
    """``(line_number, bytes)`` for each line; ``bytes`` is ``None`` for a line
    longer than ``limit`` (its rest is skipped without being kept).  Raises
    :class:`StreamProblem` for unreadable or oversized streams."""
    number = 0
    try:
        while True:
            raw = stream.readline(limit + 1)
            if not raw:
                return
            number += 1
            guard.add(len(raw))
            if len(raw) > limit and not raw.endswith(b"\n"):
                while True:
                    rest = stream.readline(_SKIP_CHUNK)
                    guard.add(len(rest))
                    if not rest or rest.endswith(b"\n"):
                        break
                yield number, None
                continue
            yield number, raw
    except gzip.BadGzipFile as err:
        raise StreamProblem("not a gzip file" if number == 0 else f"corrupt gzip data after line {number}: {err}")
    except EOFError:
        raise StreamProblem(f"truncated gzip file (after line {number})")
    except zlib.error as err:
        raise StreamProblem(f"corrupt gzip data after line {number}: {err}")
    except OSError as err:
        raise StreamProblem(f"read error after line {number}: {err.strerror or err}")


class _Counting:
    """A read-only file object that counts the bytes taken from it."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.count += len(data)
        return data

    def position(self) -> int:
        return self.count


def open_guarded(stream: BinaryIO, options: IngestOptions, compressed: bool) -> tuple[BinaryIO, _Guard]:
    """Wrap a raw binary stream (decompressing if asked) together with its guard."""
    if compressed:
        counting = _Counting(stream)
        gz = gzip.GzipFile(fileobj=counting, mode="rb")  # type: ignore[call-overload]
        return gz, _Guard(options, counting.position)
    return stream, _Guard(options, None)


def read_capped(stream: BinaryIO, limit: int, guard: _Guard, too_large: str) -> bytes:
    """All of ``stream``, or :class:`StreamProblem` with the message ``too_large``
    once past ``limit`` bytes (never holding more than ``limit + 1`` of them)."""
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = stream.read(min(_SKIP_CHUNK, limit + 1 - size))
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            guard.add(len(chunk))
            if size > limit:
                raise StreamProblem(too_large)
            chunks.append(chunk)
    except gzip.BadGzipFile:
        raise StreamProblem("not a gzip file")
    except EOFError:
        raise StreamProblem("truncated gzip file")
    except zlib.error as err:
        raise StreamProblem(f"corrupt gzip data: {err}")
    except OSError as err:
        raise StreamProblem(f"read error: {err.strerror or err}")

"""Web archives (WARC): every archived news page, through the HTML reader.

Only ``response`` records of HTTP 200 with an HTML content type are articles;
requests, metadata, images, redirects and 404s are skipped without a word (a
crawl holds many), and one problem says so if the file held no page at all.
The reader hands over the archive already decompressed and counted by its
bomb guard, so warcio sees a plain WARC; a file cut short is reported once,
after the articles read before the cut.
"""
from __future__ import annotations

import gzip
import zlib
from typing import BinaryIO, Iterator, Union

from hadath.ingest.checks import charset_of, decode_bytes, human_size, stable_id, text_checks
from hadath.ingest.feeds import host_of
from hadath.ingest.html import extract_html
from hadath.ingest.model import HTML_SIZE_FACTOR, ArticleInput, IngestOptions, InputProblem
from hadath.ingest.records import StreamProblem

Item = Union[ArticleInput, InputProblem]

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAGIC = b"WARC/"
_BLOCK = 1 << 16
_EMPTY_REASONS = {"empty file": "empty page", "only whitespace": "empty page"}


def is_warc(head: bytes) -> bool:
    return head.startswith(MAGIC)


class _Guarded:
    """What warcio reads: ``head`` and then the stream, every byte counted by the
    guard (decompression caps), and a gzip cut short reported as such - warcio
    would take the ``EOFError`` for the clean end of the archive."""

    def __init__(self, head: bytes, stream: BinaryIO, guard):
        self.head = head
        self.read_some = getattr(stream, "read1", stream.read)    # a cut gzip: keep what came before
        self.guard = guard
        self.count = 0

    def tell(self) -> int:
        return self.count

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            self.count += len(data)
            return data
        try:
            data = self.read_some(size)
        except EOFError:
            raise StreamProblem("truncated gzip file")
        except gzip.BadGzipFile as err:
            raise StreamProblem(f"corrupt gzip data: {err}")
        except zlib.error as err:
            raise StreamProblem(f"corrupt gzip data: {err}")
        except OSError as err:
            raise StreamProblem(f"read error: {err.strerror or err}")
        self.guard.add(len(data))
        self.count += len(data)
        return data


def _page(record, number: int, origin: str, limit: int, options: IngestOptions) -> Item:
    """The article of one HTML response record, or why there is none."""
    where = f"record {number}"
    try:
        payload = record.content_stream().read(limit + 1)
    except (ValueError, zlib.error) as err:      # a bad chunked or gzip body
        return InputProblem(origin, f"{where}: unreadable HTTP body ({err})")
    _drain(record, number)
    if len(payload) > limit:
        return InputProblem(origin, f"{where}: HTML page too large: more than {human_size(limit)} limit "
                                    "(raise --max-bytes)")
    text, reason = decode_bytes(payload, html=True,
                                declared=charset_of(record.http_headers.get_header("Content-Type")))
    if text is None or not text.strip():
        return InputProblem(origin, f"{where}: {_EMPTY_REASONS.get(reason or 'empty file', reason)}")
    article, reason = extract_html(text, options)
    if article is None:
        return InputProblem(origin, f"{where}: {reason or 'no article text found in the HTML'}")
    reason = text_checks(article.text, options)
    if reason is not None:
        return InputProblem(origin, f"{where}: {reason}")
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>") or None
    warc_date = (record.rec_headers.get_header("WARC-Date") or "").strip()
    return ArticleInput(
        id=stable_id(uri) if uri else f"{origin}#{number}", text=article.text, title=article.title,
        published=article.published or warc_date[:10] or None, url=uri,
        source=article.source or host_of(uri), origin=f"{origin}#{number}",
    )


class _Cut(StreamProblem):
    """A record the file ends inside of (its message names the record)."""


def _drain(record, number: int) -> None:
    """Read the record to its end; a WARC cut short inside it is an error."""
    raw = record.raw_stream
    while raw.read(_BLOCK):
        pass
    left = getattr(raw, "limit", None)
    if left is None:            # no Content-Length: the headers were cut (or never valid)
        raise _Cut(f"corrupt or truncated WARC: record {number} has no Content-Length")
    if left > 0:
        raise _Cut(f"truncated WARC: record {number} ends {human_size(left)} early")


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:200] if text else type(err).__name__


def _kind(record) -> str:
    """``page``, or which kind of record is skipped."""
    if record.rec_type != "response" or record.http_headers is None:
        return "other records"
    if record.http_headers.get_statuscode() != "200":
        return "responses not status 200"
    media = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return "page" if media in HTML_TYPES else "responses not HTML"


def read_warc(stream: BinaryIO, guard, origin: str, options: IngestOptions) -> Iterator[Item]:
    """An :class:`ArticleInput` per HTML page (``origin#n`` for the n-th record;
    id: a hash of its URI, before the run makes it unique), an
    :class:`InputProblem` per unusable page, and one for a damaged archive."""
    from warcio.archiveiterator import ArchiveIterator  # only needed for WARC
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    try:
        head = stream.read(len(MAGIC))
    except (EOFError, OSError, zlib.error):
        head = b""
    if not is_warc(head):
        yield InputProblem(origin, "not a WARC file" if head else "empty file")
        return
    limit = options.max_bytes * HTML_SIZE_FACTOR
    done = 0            # records read to their end
    yielded = 0
    skipped: dict[str, int] = {}
    source = _Guarded(head, stream, guard)
    try:
        records = ArchiveIterator(source)
        for record in records:
            kind = _kind(record)
            if kind == "page":
                item = _page(record, done + 1, origin, limit, options)
                done += 1
                yielded += 1
                yield item
            else:
                _drain(record, done + 1)
                done += 1
                skipped[kind] = skipped.get(kind, 0) + 1
    except StreamProblem as err:
        yield InputProblem(origin, str(err) if isinstance(err, _Cut) else f"{err} (after record {done})")
        return
    except (ArchiveLoadFailed, StatusAndHeadersParserException) as err:
        yield InputProblem(origin, f"corrupt WARC: record {done + 1}: {_first_line(err)}")
        return
    except Exception as err:  # warcio trips over damaged records in many ways; a bad file must not stop a run
        yield InputProblem(origin, f"corrupt WARC: record {done + 1} is unreadable "
                                   f"({type(err).__name__}: {_first_line(err)})")
        return
    if source.count > getattr(records, "offset", source.count):
        # warcio ends quietly when the file stops inside a record's headers
        yield InputProblem(origin, f"truncated WARC: record {done + 1} is incomplete")
    elif yielded == 0:
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))
        yield InputProblem(origin, f"no HTML pages in the WARC ({done} records" + (f": {listed})" if listed else ")"))

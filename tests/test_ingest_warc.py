"""hadath.ingest.warc: web archives, their HTML pages, and damaged files."""
from __future__ import annotations

import gzip
import io
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from hadath.ingest import ArticleInput, IngestOptions, InputProblem, read_inputs
from hadath.ingest.checks import stable_id
from hadath.ingest.records import open_guarded
from hadath.ingest.warc import read_warc

AR = "قال وزير الخارجية إن المحادثات مع الجانب الآخر ستستأنف الأسبوع المقبل في العاصمة."
AR2 = "وأضاف أن الحكومة ترفض أي تدخل خارجي في شؤونها الداخلية."


def page(body: str, title: str = "عنوان الخبر", extra_head: str = "") -> str:
    return (f"<html><head><title>{title}</title>{extra_head}</head><body><article>"
            f"<p>{body}</p><script>alert('SCRIPT-LEAK')</script><p>{AR2}</p></article></body></html>")


class Archive:
    """A WARC built in memory with warcio's writer."""

    def __init__(self, gz: bool):
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gz)
        self.writer.write_record(self.writer.create_warcinfo_record("test.warc", {"software": "hadath tests"}))

    def response(self, uri: str, body: bytes, status: str = "200 OK", content_type: str = "text/html; charset=utf-8",
                 date: str = "2023-11-21T08:00:00Z") -> "Archive":
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        self.writer.write_record(self.writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}))
        return self

    def request(self, uri: str) -> "Archive":
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        self.writer.write_record(self.writer.create_warc_record(uri, "request", http_headers=headers))
        return self

    def bytes(self) -> bytes:
        return self.buffer.getvalue()


def crawl(gz: bool) -> bytes:
    return (Archive(gz)
            .request("https://news.example.org/ar/1")
            .response("https://news.example.org/ar/1", page(AR).encode())
            .response("https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png")
            .response("https://news.example.org/gone", page(AR).encode(), status="404 Not Found")
            .response("https://news.example.org/ar/2", page(AR2, "خبر قديم").encode("cp1256"),
                      content_type="text/html; charset=windows-1256", date="2021-05-10T10:00:00Z")
            .response("https://news.example.org/en", f"<html><body><p>{'English words only. ' * 20}</p></body></html>"
                      .encode())
            .bytes())


def read(paths, options=IngestOptions(), stdin=None):
    return list(read_inputs([str(p) for p in paths], options, stdin=stdin))


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_html_pages_become_articles_and_other_records_are_skipped(tmp_path):
    path = write(tmp_path / "crawl.warc", crawl(gz=False))
    first, second, english = read([path])
    assert isinstance(first, ArticleInput) and isinstance(second, ArticleInput)
    assert AR in first.text and "LEAK" not in first.text and "alert" not in first.text
    assert first.title == "عنوان الخبر"
    assert first.url == "https://news.example.org/ar/1"
    assert first.id == stable_id("https://news.example.org/ar/1")
    assert first.source == "news.example.org"
    assert first.published == "2023-11-21"                  # WARC-Date, the page has none
    assert first.origin == f"{path}#3"                     # warcinfo, request, then this response
    assert AR2 in second.text and second.title == "خبر قديم"
    assert second.published == "2021-05-10" and second.origin == f"{path}#6"
    assert isinstance(english, InputProblem)
    assert (english.origin, english.message) == (str(path), "record 7: not Arabic text (0% Arabic letters)")


def test_published_date_of_the_page_wins_over_warc_date(tmp_path):
    meta = '<meta property="article:published_time" content="2020-03-04T10:00:00+03:00">'
    data = Archive(False).response("https://x.example/a", page(AR, extra_head=meta).encode()).bytes()
    (article,) = read([write(tmp_path / "a.warc", data)])
    assert article.published == "2020-03-04"


def test_gzipped_warc_and_stdin(tmp_path):
    path = write(tmp_path / "crawl.warc.gz", crawl(gz=True))
    assert [type(i).__name__ for i in read([path])] == ["ArticleInput", "ArticleInput", "InputProblem"]
    items = read(["-"], stdin=io.BytesIO(crawl(gz=True)))
    assert [i.origin for i in items if isinstance(i, ArticleInput)] == ["<stdin>#3", "<stdin>#6"]
    root = tmp_path / "dir"
    write(root / "b.warc.gz", crawl(gz=True))
    write(root / "a.warc", crawl(gz=False))
    origins = [i.origin for i in read([root]) if isinstance(i, ArticleInput)]
    assert origins == [f"{root / 'a.warc'}#3", f"{root / 'a.warc'}#6", f"{root / 'b.warc.gz'}#3",
                       f"{root / 'b.warc.gz'}#6"]


def test_control_characters_in_a_page(tmp_path):
    body = f"<html><body><p class='a\x01'>{AR}\x01<script>x()</script>&#2;{AR2}</p></body></html>".encode()
    (article,) = read([write(tmp_path / "ctl.warc", Archive(False).response("https://x.example/c", body).bytes())])
    assert AR in article.text and AR2 in article.text and "x()" not in article.text


def test_duplicate_uris_get_unique_ids(tmp_path):
    data = Archive(False).response("https://x.example/a", page(AR).encode()) \
                         .response("https://x.example/a", page(AR2).encode()).bytes()
    ids = [a.id for a in read([write(tmp_path / "dup.warc", data)])]
    assert ids == [stable_id("https://x.example/a"), stable_id("https://x.example/a") + "~2"]


def test_one_summary_when_no_page_comes_out(tmp_path):
    data = (Archive(False).request("https://x.example/")
            .response("https://x.example/missing", page(AR).encode(), status="404 Not Found")
            .response("https://x.example/data.json", b'{"a": 1}', content_type="application/json").bytes())
    (problem,) = read([write(tmp_path / "none.warc", data)])
    assert problem.message == ("no HTML pages in the WARC (4 records: 2 other records, "
                               "1 responses not HTML, 1 responses not status 200)")


def test_page_over_the_html_cap_is_one_problem(tmp_path):
    data = (Archive(True).response("https://x.example/big", page(AR * 100).encode())
            .response("https://x.example/small", page(AR).encode()).bytes())
    items = read([write(tmp_path / "big.warc.gz", data)], IngestOptions(max_bytes=2000))
    assert isinstance(items[0], InputProblem)
    assert items[0].message == "record 2: HTML page too large: more than 8 KB limit (raise --max-bytes)"
    assert isinstance(items[1], ArticleInput) and items[1].url == "https://x.example/small"


def many_pages(gz: bool, n: int = 40) -> bytes:
    archive = Archive(gz)
    for i in range(n):
        archive.response(f"https://x.example/{i}", page(f"{AR} {i}").encode())
    return archive.bytes()


def test_truncated_warc_gz_keeps_the_articles_before_the_cut(tmp_path):
    data = many_pages(gz=True)
    items = read([write(tmp_path / "cut.warc.gz", data[: len(data) // 2])])
    articles = [i for i in items if isinstance(i, ArticleInput)]
    assert 5 < len(articles) < 40
    assert [i for i in items if isinstance(i, InputProblem)] == [items[-1]]
    assert items[-1].message == f"truncated gzip file (after record {len(articles) + 1})"


def test_truncated_plain_warc(tmp_path):
    data = many_pages(gz=False)
    for cut in (len(data) // 2, len(data) // 3 + 7, len(data) - 5):
        items = read([write(tmp_path / f"cut{cut}.warc", data[:cut])])
        assert all(isinstance(i, ArticleInput) for i in items[:-1])
        assert isinstance(items[-1], InputProblem) and "WARC" in items[-1].message, items[-1]
        assert items[-1].message.startswith(("truncated WARC: record ", "corrupt WARC: record ",
                                             "corrupt or truncated WARC: record ")), items[-1]


def test_not_a_warc_and_empty(tmp_path):
    assert [p.message for p in read([write(tmp_path / "a.warc", b"<html>hello</html>")])] == ["not a WARC file"]
    assert [p.message for p in read([write(tmp_path / "b.warc", b"")])] == ["empty file"]
    assert [p.message for p in read([write(tmp_path / "c.warc.gz", gzip.compress(b""))])] == ["empty file"]
    garbage = b"WARC/1.0\r\nthis is not a header\r\n\r\n" + bytes(range(256)) * 4
    (problem,) = read([write(tmp_path / "d.warc", garbage)])
    assert "WARC" in problem.message


def test_gzip_bomb_inside_a_warc_is_refused(tmp_path):
    body = b"<html><body><p>" + b" " * 40_000_000 + b"</p></body></html>"
    data = Archive(True).response("https://x.example/bomb", body).bytes()
    path = write(tmp_path / "bomb.warc.gz", data)
    start = time.perf_counter()
    (problem,) = read([path])
    assert time.perf_counter() - start < 5
    assert problem.message.startswith("decompression bomb refused")


@settings(max_examples=50, deadline=None)
@given(prefix=st.sampled_from([b"", b"WARC/1.0\r\n", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n",
                               b"WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http\r\n"
                               b"WARC-Target-URI: http://x/\r\nContent-Length: 60\r\n\r\nHTTP/1.1 200 OK\r\n"]),
       body=st.binary(max_size=300), compressed=st.booleans())
def test_warc_reader_never_raises_on_random_bytes(prefix, body, compressed):
    data = prefix + body
    raw = gzip.compress(data) if compressed else data
    stream, guard = open_guarded(io.BytesIO(raw), IngestOptions(), compressed)
    items = list(read_warc(stream, guard, "fuzz.warc", IngestOptions()))
    assert items and all(isinstance(i, (ArticleInput, InputProblem)) for i in items)

"""hadath.ingest: every kind of input users bring, and every way it can be bad."""
from __future__ import annotations

import gzip
import io
import itertools
import json
import os
import random
import threading
import time
from pathlib import Path

import pytest

from hadath.ingest import ArticleInput, IngestOptions, InputProblem, read_inputs, text_checks
from tests.ingest_helpers import billion_laughs, only_article, only_problem

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
OPTIONS = IngestOptions()

AR = "قال وزير الخارجية إن المحادثات مع الجانب الآخر ستستأنف الأسبوع المقبل في العاصمة."
AR2 = "وأضاف أن الحكومة ترفض أي تدخل خارجي في شؤونها الداخلية."
EN = "The foreign minister said talks with the other side would resume next week in the capital."
FR = "Le ministre des affaires étrangères a déclaré que les pourparlers reprendraient la semaine prochaine."


def read(paths, options=OPTIONS, stdin=None):
    return list(read_inputs([str(p) for p in paths], options, stdin=stdin))


def articles(items):
    return [i for i in items if isinstance(i, ArticleInput)]


def problems(items):
    return [i for i in items if isinstance(i, InputProblem)]




def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def jsonl(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# --- text_checks ---------------------------------------------------------------

def test_text_checks_accepts_arabic():
    assert text_checks(AR, OPTIONS) is None
    assert text_checks(AR + " (Reuters) " + "NATO", OPTIONS) is None


@pytest.mark.parametrize("text, reason", [
    ("", "empty text"),
    ("  \n\t \u00a0 ", "only whitespace"),
    ("12345 67.8 -- !!", "no letters (not text)"),
    (AR + "\x00", "contains NUL characters (binary data?)"),
    (EN, "not Arabic text (0% Arabic letters)"),
])
def test_text_checks_reasons(text, reason):
    assert text_checks(text, OPTIONS) == reason


def test_text_checks_ratio_is_reported_and_configurable():
    mixed = "ماذا " + "abcdefghijklmnopqrstuvwxyz" * 4   # 4 Arabic of 108 letters
    assert text_checks(mixed, OPTIONS) == "not Arabic text (4% Arabic letters)"
    assert text_checks(mixed, IngestOptions(min_arabic_ratio=0.0)) is None


def test_text_checks_size_limit():
    text = AR * 100
    size = len(text.encode("utf-8"))
    reason = text_checks(text, IngestOptions(max_bytes=1000))
    assert reason == f"article too large: {size / 1000:.1f} KB > 1 KB limit (raise --max-bytes)"


# --- committed fixtures ---------------------------------------------------------

def test_fixture_txt():
    article = only_article(read([FIXTURES / "article.txt"]))
    assert article.id == "article"
    assert article.text.startswith("أعلنت وزارة الصحة")
    assert article.origin == str(FIXTURES / "article.txt")
    assert article.title is article.published is article.url is article.source is None


def test_fixture_html_text_and_metadata():
    article = only_article(read([FIXTURES / "article.html"]))
    assert "توصل الطرفان مساء الثلاثاء" in article.text
    assert "تنفيذ الاتفاق سيبدأ صباح الخميس" in article.text
    assert article.title == "اتفاق على تبادل الأسرى"
    assert article.published == "2023-11-21"
    assert article.url == "https://example.org/ar/news/2023/11/21/exchange"
    assert article.source == "صحيفة المثال"
    for leak in ("LEAK", "alert", "console", "javascript", "<", "{"):
        assert leak not in article.text
        assert leak not in article.title


def test_fixture_jsonl_good_and_bad_lines():
    path = FIXTURES / "articles.jsonl"
    items = read([path])
    got = [(type(i).__name__, i.id if isinstance(i, ArticleInput) else i.message) for i in items]
    assert got[0] == ("ArticleInput", "fx-1")
    assert got[1][0] == "InputProblem" and got[1][1].startswith("line 2: invalid JSON: Expecting ',' delimiter")
    assert got[2] == ("InputProblem", "line 4: no 'text' field")
    assert got[3] == ("ArticleInput", "articles:5")
    first = items[0]
    assert first.title == "زلزال يضرب المنطقة"
    assert first.published == "2022-02-06T04:17:00+03:00"
    assert first.source == "وكالة المثال"
    assert first.url == "https://example.org/1"
    assert first.origin == f"{path}:1"
    assert all(p.origin == str(path) for p in problems(items))


def test_fixture_json_list():
    path = FIXTURES / "articles.json"
    items = read([path])
    assert [a.id for a in articles(items)] == ["json-1", "articles:2"]
    assert items[0].published == "2021-05-10" and items[0].source == "صحيفة المثال"
    assert [a.origin for a in items] == [f"{path}#1", f"{path}#2"]


def test_fixture_directory_is_sorted():
    items = read([FIXTURES])
    origins = [i.origin for i in items]
    names = [Path(o.split(":")[0].split("#")[0]).name for o in origins]
    assert names == sorted(names)
    assert {"article", "fx-1", "articles:5", "json-1", "articles:2"} <= {a.id for a in articles(items)}


# --- plain text -----------------------------------------------------------------

def test_txt_bom_is_dropped(tmp_path):
    article = only_article(read([write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + AR.encode())]))
    assert article.text == AR


def test_txt_utf16_with_bom(tmp_path):
    article = only_article(read([write(tmp_path / "u16.txt", AR.encode("utf-16"))]))
    assert article.text == AR


def test_txt_windows_1256(tmp_path):
    article = only_article(read([write(tmp_path / "win.txt", (AR + "\r\n" + AR2).encode("cp1256"))]))
    assert article.text == AR + "\r\n" + AR2


def test_txt_latin1_is_not_utf8(tmp_path):
    item = only_problem(read([write(tmp_path / "latin.txt", FR.encode("latin-1"))]))
    assert item.message == "not UTF-8 text (invalid byte 0xe9 at offset 25)"


def test_binary_file_with_nul_bytes(tmp_path):
    data = bytes(range(256)) * 40
    item = only_problem(read([write(tmp_path / "image.txt", data)]))
    assert item.message == "binary file (NUL bytes)"


def test_binary_file_without_nul_bytes(tmp_path):
    data = bytes(random.Random(1).randrange(128, 256) for _ in range(4000))
    item = only_problem(read([write(tmp_path / "noise.txt", data)]))
    assert item.message.startswith("not UTF-8 text")


def test_empty_file(tmp_path):
    for name in ("empty.txt", "empty.html", "empty.jsonl", "empty.json", "empty.jsonl.gz"):
        item = only_problem(read([write(tmp_path / name, b"")]))
        assert item.message == "empty file", name


def test_whitespace_only_file(tmp_path):
    for name in ("blank.txt", "blank.html", "blank.jsonl", "blank.json"):
        item = only_problem(read([write(tmp_path / name, " \n\n\t \r\n")]))
        assert item.message == "only whitespace", name


@pytest.mark.parametrize("text", [EN, FR])
def test_non_arabic_article(tmp_path, text):
    item = only_problem(read([write(tmp_path / "foreign.txt", text)]))
    assert item.message == "not Arabic text (0% Arabic letters)"


def test_non_arabic_accepted_when_ratio_lowered(tmp_path):
    path = write(tmp_path / "foreign.txt", EN)
    assert only_article(read([path], IngestOptions(min_arabic_ratio=0.0))).text == EN


def test_fifty_megabyte_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)       # sparse: no disk, no reading
    start = time.perf_counter()
    item = only_problem(read([path]))
    assert time.perf_counter() - start < 0.5
    assert item.message == "article too large: 52.4 MB > 5 MB limit (raise --max-bytes)"


def test_large_html_file_is_refused(tmp_path):
    path = tmp_path / "huge.html"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    item = only_problem(read([path]))
    assert item.message == "HTML file too large: 52.4 MB > 20 MB limit (raise --max-bytes)"


def test_max_bytes_is_per_article(tmp_path):
    path = write(tmp_path / "a.txt", AR * 20)
    assert only_problem(read([path], IngestOptions(max_bytes=500))).message.startswith("article too large: ")
    assert only_article(read([path], IngestOptions(max_bytes=50_000)))


def test_unknown_extension_is_sniffed_when_named(tmp_path):
    assert only_article(read([write(tmp_path / "NEWS", AR)])).id == "NEWS"
    items = read([write(tmp_path / "dump.data", jsonl([{"id": "d1", "text": AR}]))])
    assert only_article(items).id == "d1"


# --- missing paths --------------------------------------------------------------

def test_missing_path(tmp_path):
    item = only_problem(read([tmp_path / "nope.txt"]))
    assert item.message == "no such file or directory"
    assert item.origin == str(tmp_path / "nope.txt")


def test_invalid_path_and_deep_json(tmp_path):
    assert only_problem(read(["bad\x00name.txt"])).message == "invalid path (NUL character)"
    deep = "[" * 100_000 + "]" * 100_000
    assert only_problem(read([write(tmp_path / "deep.json", deep)])).message.startswith("invalid JSON")
    items = read([write(tmp_path / "deep.jsonl", deep + "\n" + jsonl([{"text": AR}]))])
    assert [type(i).__name__ for i in items] == ["InputProblem", "ArticleInput"]


def test_broken_symlink(tmp_path):
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")
    assert only_problem(read([link])).message == "broken symlink"


def test_reading_goes_on_after_problems(tmp_path):
    good = write(tmp_path / "good.txt", AR)
    items = read([tmp_path / "missing", write(tmp_path / "bad.txt", b"\x00\x01"), good])
    assert [type(i).__name__ for i in items] == ["InputProblem", "InputProblem", "ArticleInput"]


# --- HTML -----------------------------------------------------------------------

HOSTILE_HTML = f"""<html><head><title>عنوان الخبر</title>
<script>var x = "SCRIPT-LEAK";</script><style>body{{background:url(javascript:alert('STYLE-LEAK'))}}</style>
</head><body onload="alert('HANDLER-LEAK')">
<article><p onclick="alert('HANDLER-LEAK')" style="x:expression(alert('CSS-LEAK'))">{AR}</p>
<img src="x" onerror="alert('IMG-LEAK')">
<script type="text/javascript">document.write('<p>SCRIPT2-LEAK</p>')</script>
<p><a href="javascript:alert('JSURL-LEAK')">{AR2}</a></p>
<iframe src="javascript:alert('IFRAME-LEAK')">IFRAME-LEAK</iframe>
<svg><script>alert('SVG-LEAK')</script></svg>
<!-- COMMENT-LEAK -->
</article></body></html>"""


def test_hostile_html_yields_only_text(tmp_path):
    article = only_article(read([write(tmp_path / "hostile.html", HOSTILE_HTML)]))
    assert AR in article.text and AR2 in article.text
    for field in (article.text, article.title or ""):
        assert "LEAK" not in field
        assert "alert" not in field and "javascript" not in field


BILLION_LAUGHS = billion_laughs("lolz", """<html><body><p>&lol9; BODY</p></body></html>""")


@pytest.mark.parametrize("name", ["bomb.html", "bomb.xhtml"])
def test_entity_expansion_bomb_is_harmless(tmp_path, name):
    path = write(tmp_path / name, BILLION_LAUGHS.replace("BODY", AR))
    start = time.perf_counter()
    items = read([path])
    assert time.perf_counter() - start < 3.0
    assert len(items) == 1
    item = items[0]
    if isinstance(item, ArticleInput):
        assert AR in item.text
        assert "lol" not in item.text and "ENTITY" not in item.text and len(item.text) < 10 * len(AR)
    else:
        assert item.message


def test_entity_bomb_without_arabic_is_a_problem(tmp_path):
    item = only_problem(read([write(tmp_path / "bomb.html", BILLION_LAUGHS.replace("BODY", ""))]))
    assert item.message in ("no article text found in the HTML", "no letters (not text)")


def test_html_with_only_scripts_is_a_problem(tmp_path):
    path = write(tmp_path / "js.html", "<html><head><script>alert('x')</script></head><body>"
                                       "<script>document.write('مرحبا')</script></body></html>")
    assert only_problem(read([path])).message == "no article text found in the HTML"


def test_html_english_page_is_not_arabic(tmp_path):
    path = write(tmp_path / "en.html", f"<html><body><article><p>{EN}</p><p>{EN}</p></article></body></html>")
    assert only_problem(read([path])).message.startswith("not Arabic text")


def test_html_declared_windows_1256(tmp_path):
    page = f'<html><head><meta charset="windows-1256"><title>خبر</title></head><body><p>{AR}</p></body></html>'
    article = only_article(read([write(tmp_path / "win.htm", page.encode("cp1256"))]))
    assert AR in article.text


def test_html_reader_comments_only_when_asked(tmp_path):
    page = (f"<html><body><article><p>{AR} {AR2}</p><p>{AR2} {AR}</p></article>"
            '<div id="comments" class="comments"><ul><li class="comment">'
            "<p>تعليق القارئ: نتمنى التوفيق للمفاوضين في مهمتهم الصعبة.</p></li></ul></div></body></html>")
    path = write(tmp_path / "c.html", page)
    assert "تعليق القارئ" not in only_article(read([path])).text
    assert "تعليق القارئ" in only_article(read([path], IngestOptions(html_include_comments=True))).text


def test_html_fragment(tmp_path):
    assert only_article(read([write(tmp_path / "frag.html", f"<p>{AR}</p>")])).text == AR


# --- JSON Lines -----------------------------------------------------------------

def test_jsonl_fields_aliases_and_derived_ids(tmp_path):
    path = write(tmp_path / "feed.jsonl", jsonl([
        {"docno": "D1", "text": AR, "time": "Sun, 18 Feb 2018", "src": "a"},
        {"id": 7, "text": AR, "date": "2020-01-01", "source": "b", "title": "t"},
        {"text": AR, "published": "2021", "url": "https://x.example/1"},
    ]))
    items = read([path])
    assert [(a.id, a.published, a.source) for a in items] == [
        ("D1", "Sun, 18 Feb 2018", "a"), ("7", "2020-01-01", "b"), ("feed:3", "2021", None)]
    assert items[2].url == "https://x.example/1"
    assert [a.origin for a in items] == [f"{path}:1", f"{path}:2", f"{path}:3"]


def test_jsonl_bad_lines_become_problems(tmp_path):
    lines = [
        json.dumps({"id": "ok1", "text": AR}),
        '{"id": "x" "text": "..."}',
        json.dumps({"id": "nt", "title": AR}),
        json.dumps([1, 2]),
        json.dumps({"id": "en", "text": EN}),
        json.dumps({"id": "num", "text": 42}),
        json.dumps({"id": "empty", "text": ""}),
        "",
        "   ",
        '{"id": "trunc", "text": "قال',
        json.dumps({"id": "ok2", "text": AR2}),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes("\n".join(lines).encode() + b"\n\xff\xfe{}\n")
    items = read([path])
    assert [a.id for a in articles(items)] == ["ok1", "ok2"]
    messages = [p.message for p in problems(items)]
    assert messages[0] == "line 2: invalid JSON: Expecting ',' delimiter (column 12)"
    assert messages[1:6] == [
        "line 3: no 'text' field",
        "line 4: not a JSON object (got list)",
        "line 5: not Arabic text (0% Arabic letters)",
        "line 6: 'text' is not a string",
        "line 7: empty 'text' field",
    ]
    assert messages[6].startswith("line 10: invalid JSON: Unterminated string")
    assert messages[7].startswith("line 12: not UTF-8 text")
    assert len(messages) == 8


def test_jsonl_duplicate_ids_are_suffixed(tmp_path):
    path = write(tmp_path / "dup.jsonl", jsonl([{"id": "a", "text": AR}] * 3 + [{"id": "a~2", "text": AR}]))
    other = write(tmp_path / "a.txt", AR)
    ids = [a.id for a in read([path, other])]
    assert ids == ["a", "a~2", "a~3", "a~2~2", "a~4"]
    assert len(set(ids)) == len(ids)


def test_jsonl_bom_and_crlf(tmp_path):
    data = b"\xef\xbb\xbf" + jsonl([{"id": "b1", "text": AR}, {"id": "b2", "text": AR2}]).replace("\n", "\r\n").encode()
    assert [a.id for a in read([write(tmp_path / "win.jsonl", data)])] == ["b1", "b2"]


def test_jsonl_lone_surrogates_are_replaced(tmp_path):
    path = write(tmp_path / "s.jsonl", '{"id": "s", "text": "' + AR + '\\ud800"}\n')
    article = only_article(read([path]))
    assert article.text == AR + "\ufffd"
    article.text.encode("utf-8")


def test_jsonl_record_too_large_and_line_too_long(tmp_path):
    options = IngestOptions(max_bytes=2000)
    path = write(tmp_path / "big.jsonl", jsonl([
        {"id": "small", "text": AR},
        {"id": "large", "text": AR * 30},            # ~4.4 KB of text: record too large
        {"id": "huge", "text": AR * 40000},          # ~6 MB line: over the line cap
        {"id": "after", "text": AR2},
    ]))
    items = read([path], options)
    assert [a.id for a in articles(items)] == ["small", "after"]
    messages = [p.message for p in problems(items)]
    assert messages[0].startswith("line 2: article too large: ") and messages[0].endswith("> 2 KB limit (raise --max-bytes)")
    assert messages[1] == "line 3: line too long (more than 1 MB; raise --max-bytes)"


def test_binary_file_named_jsonl_is_abandoned(tmp_path):
    data = b"\n".join(bytes(random.Random(n).randrange(1, 256) for _ in range(50)).replace(b"\n", b"")
                      for n in range(500))
    items = read([write(tmp_path / "junk.jsonl", data)])
    assert len(items) <= 12
    assert items[-1].message.startswith("not JSON Lines: the first 10 lines are not JSON")


def test_concatenated_pretty_printed_objects(tmp_path):
    data = "\n".join(json.dumps({"id": i, "text": AR}, indent=2) for i in ("c1", "c2")) + "\n{\n \"id\": 3"
    for name in ("cat.json", "cat.jsonl"):
        items = read([write(tmp_path / name, data)])
        assert [a.id for a in articles(items)] == ["c1", "c2"], name
        assert only_problem(problems(items)).message.startswith("invalid JSON: Expecting"), name
        assert items[0].origin == f"{tmp_path / name}#1"


def test_pretty_printed_object_in_jsonl(tmp_path):
    path = write(tmp_path / "pretty.jsonl", json.dumps({"id": "p", "text": AR}, ensure_ascii=False, indent=2))
    assert only_article(read([path])).id == "p"


# --- gzip -----------------------------------------------------------------------

def test_jsonl_gz(tmp_path):
    path = write(tmp_path / "feed.jsonl.gz", gzip.compress(jsonl([{"text": AR}, {"text": AR2}]).encode()))
    assert [a.id for a in read([path])] == ["feed:1", "feed:2"]


def test_gz_that_is_not_gzip(tmp_path):
    path = write(tmp_path / "fake.jsonl.gz", jsonl([{"text": AR}]))
    assert only_problem(read([path])).message == "not a gzip file"


def test_truncated_gz_keeps_earlier_lines(tmp_path):
    data = gzip.compress(jsonl([{"id": f"t{i}", "text": AR + str(random.Random(i).random())} for i in range(2000)]).encode())
    items = read([write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])])
    assert len(articles(items)) > 10
    assert isinstance(items[-1], InputProblem) and items[-1].message.startswith("truncated gzip file (after line ")


def test_gzip_decompression_bomb_single_line(tmp_path):
    # 200 MB of one repeated byte compresses to ~200 KB
    compressor = gzip.GzipFile(tmp_path / "bomb.jsonl.gz", "wb", compresslevel=9)
    block = b"A" * (1 << 20)
    for _ in range(200):
        compressor.write(block)
    compressor.close()
    start = time.perf_counter()
    items = read([tmp_path / "bomb.jsonl.gz"])
    assert time.perf_counter() - start < 5
    assert items[-1].message.startswith("decompression bomb refused")


def test_gzip_bomb_of_many_lines_and_total_cap(tmp_path):
    line = (json.dumps({"id": "x", "text": "ا" * 100}) + "\n").encode()
    payload = line * 200_000                                   # ~42 MB decompressed
    path = write(tmp_path / "lines.jsonl.gz", gzip.compress(payload, 9))
    items = read([path], IngestOptions(max_total_bytes=1_000_000, max_compression_ratio=1e9))
    assert items[-1].message == "decompressed data exceeds the 1 MB limit per file"
    assert 0 < len(articles(items)) < 10_000


def test_gz_txt_and_sniffed_gz(tmp_path):
    assert only_article(read([write(tmp_path / "a.txt.gz", gzip.compress(AR.encode()))])).text == AR
    stdin = io.BytesIO(gzip.compress(jsonl([{"id": "g", "text": AR}]).encode()))
    assert only_article(read(["-"], stdin=stdin)).id == "g"


# --- JSON -----------------------------------------------------------------------

def test_json_single_object(tmp_path):
    path = write(tmp_path / "one.json", json.dumps({"title": "عنوان", "text": AR}, ensure_ascii=False, indent=1))
    article = only_article(read([path]))
    assert (article.id, article.title, article.origin) == ("one", "عنوان", str(path))


def test_json_list_with_bad_items(tmp_path):
    path = write(tmp_path / "list.json", json.dumps([{"id": "l1", "text": AR}, "nope", {"text": EN}, {"text": AR2}]))
    items = read([path])
    assert [a.id for a in articles(items)] == ["l1", "list:4"]
    assert [p.message for p in problems(items)] == [
        "item 2: not a JSON object (got str)", "item 3: not Arabic text (0% Arabic letters)"]


def test_json_wrapper_object(tmp_path):
    path = write(tmp_path / "wrapped.json", json.dumps({"articles": [{"text": AR}, {"text": AR2}]}))
    assert [a.id for a in read([path])] == ["wrapped:1", "wrapped:2"]


def test_json_edge_cases(tmp_path):
    assert only_problem(read([write(tmp_path / "e.json", "[]")])).message == "no articles (empty JSON list)"
    assert only_problem(read([write(tmp_path / "n.json", "42")])).message == \
        "JSON is neither an object nor a list of objects"
    bad = only_problem(read([write(tmp_path / "b.json", '{"text": "x",\n "id": }')]))
    assert bad.message.startswith("invalid JSON: Expecting value (line 2, column")
    lines = write(tmp_path / "lines.json", jsonl([{"id": "j1", "text": AR}, {"id": "j2", "text": AR2}]))
    assert [a.id for a in read([lines])] == ["j1", "j2"]


# --- directories ----------------------------------------------------------------

def test_directory_recursive_sorted_filtered(tmp_path):
    root = tmp_path / "news"
    write(root / "b.txt", AR)
    write(root / "a" / "z.html", f"<html><body><p>{AR2}</p></body></html>")
    write(root / "a" / "y.jsonl", jsonl([{"id": "y1", "text": AR}]))
    write(root / ".hidden.txt", AR)
    write(root / ".git" / "c.txt", AR)
    write(root / "notes.md", AR)
    write(root / "photo.jpg", b"\xff\xd8\xff")
    items = read([root])
    assert [a.id for a in items] == ["y1", "z", "b"]
    assert items[1].origin == str(root / "a" / "z.html")


def test_directory_symlinks_do_not_leave_the_tree(tmp_path):
    outside = write(tmp_path / "secret.txt", AR)
    root = tmp_path / "tree"
    write(root / "in.txt", AR2)
    (root / "link_in.txt").symlink_to(root / "in.txt")
    (root / "link_out.txt").symlink_to(outside)
    (root / "loop").symlink_to(root)
    (root / "outdir").symlink_to(tmp_path)
    items = read([root])
    assert [a.origin for a in articles(items)] == [str(root / "in.txt"), str(root / "link_in.txt")]
    assert [(p.origin, p.message) for p in problems(items)] == [
        (str(root / "link_out.txt"), "symlink points outside the directory (not followed)")]
    followed = read([root], IngestOptions(follow_symlinks=True))
    assert str(root / "link_out.txt") in [a.origin for a in articles(followed)]


def test_directory_without_readable_files(tmp_path):
    root = tmp_path / "docs"
    write(root / "report.pdf", b"%PDF-1.4")
    write(root / "sub" / "notes.docx", b"PK")
    item = only_problem(read([root]))
    assert item.origin == str(root)
    assert item.message.startswith("no readable files (looked for .txt, .html")
    assert ".docx (1), .pdf (1)" in item.message


def test_empty_directory(tmp_path):
    (tmp_path / "void").mkdir()
    assert only_problem(read([tmp_path / "void"])).message.startswith("no readable files")


def test_directory_with_only_bad_files_reports_each(tmp_path):
    root = tmp_path / "bad"
    write(root / "a.txt", b"")
    write(root / "b.txt", EN)
    assert [p.message for p in read([root])] == ["empty file", "not Arabic text (0% Arabic letters)"]


# --- stdin ----------------------------------------------------------------------

def test_stdin_jsonl():
    stdin = io.BytesIO(("\n  " + jsonl([{"id": "s1", "text": AR}, {"text": AR2}])).encode())
    items = read(["-"], stdin=stdin)
    assert [(a.id, a.origin) for a in items] == [("s1", "<stdin>:2"), ("stdin:3", "<stdin>:3")]


def test_stdin_html_and_text():
    html = read(["-"], stdin=io.BytesIO(f"  <html><body><p>{AR}</p></body></html>".encode()))
    assert only_article(html).text == AR
    text = only_article(read(["-"], stdin=io.BytesIO(AR.encode())))
    assert (text.id, text.origin) == ("stdin", "<stdin>")


def test_stdin_problems():
    assert only_problem(read(["-"], stdin=io.BytesIO(b""))).message == "empty file"
    assert only_problem(read(["-"], stdin=io.BytesIO(EN.encode()))).message.startswith("not Arabic text")
    big = io.BytesIO(AR.encode() * 20)
    assert only_problem(read(["-"], IngestOptions(max_bytes=1000), stdin=big)).message == \
        "article too large: more than 1 KB limit (raise --max-bytes)"
    twice = read(["-", "-"], stdin=io.BytesIO(AR.encode()))
    assert isinstance(twice[0], ArticleInput)
    assert twice[1].message == "standard input named twice (it was already read)"


def test_stdin_pretty_json_and_list():
    obj = json.dumps({"id": "pj", "text": AR}, ensure_ascii=False, indent=2).encode()
    assert only_article(read(["-"], stdin=io.BytesIO(obj))).id == "pj"
    lst = json.dumps([{"text": AR}, {"text": AR2}]).encode()
    assert [a.id for a in read(["-"], stdin=io.BytesIO(lst))] == ["stdin:1", "stdin:2"]


# --- robustness -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["r.txt", "r.html", "r.json", "r.jsonl", "r.jsonl.gz", "r"])
def test_random_bytes_never_raise(tmp_path, name):
    rng = random.Random(name)
    for n in range(15):
        size = rng.choice([1, 2, 7, 100, 3000])
        data = bytes(rng.randrange(256) for _ in range(size))
        if n % 3 == 0:
            data = b"{" + data
        if n % 5 == 0:
            data = gzip.compress(data)
        items = read([write(tmp_path / f"{n}-{name}", data)])
        assert items and all(isinstance(i, (ArticleInput, InputProblem)) for i in items)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_is_read_as_a_stream(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(jsonl([{"id": "p1", "text": AR}]).encode()))
    writer.start()
    try:
        items = read([fifo])
    finally:
        writer.join(timeout=5)
    assert only_article(items).id == "p1"


def test_pathlike_paths_and_default_options():
    items = list(read_inputs([FIXTURES / "article.txt"]))
    assert only_article(items).id == "article"


# --- real data (../shared) ------------------------------------------------------

ANT = SHARED / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"


@pytest.mark.shared
@pytest.mark.skipif(not ANT.exists(), reason=f"shared news data not found at {ANT}")
def test_shared_ant_first_200_lines():
    with gzip.open(ANT, "rt", encoding="utf-8") as handle:
        expected = [json.loads(line) for line in itertools.islice(handle, 200)]
    items = list(itertools.islice(read_inputs([str(ANT)], IngestOptions()), 200))
    assert len(items) == 200
    assert all(isinstance(i, ArticleInput) for i in items), [i for i in items if isinstance(i, InputProblem)]
    assert [a.id for a in items] == [r["docno"] for r in expected]
    assert [a.text for a in items] == [r["text"] for r in expected]
    assert [a.published for a in items] == [r["time"].strip() or None for r in expected]
    assert [a.title for a in items] == [r["title"].strip() or None for r in expected]
    assert [a.source for a in items] == [r["src"] for r in expected]
    assert [a.origin for a in items] == [f"{ANT}:{n}" for n in range(1, 201)]

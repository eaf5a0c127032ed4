"""`hadath ingest`, `reprocess`, `export` and `stats` as a user runs them."""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from hadath.cli import main
from tests.conftest import ROOT

EXAMPLE = str(ROOT / "examples" / "article.txt")


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A database holding the example article, ingested with the rule-based entity stage."""
    db = tmp_path_factory.mktemp("corpus") / "corpus.db"
    result = run("ingest", EXAMPLE, "--db", str(db), "--ner", "rules", "--published", "2023-11-13")
    assert result.exit_code == 0, result.output
    assert "1 new" in result.stderr
    return db


def test_ingest_twice_is_idempotent(corpus):
    before = sqlite3.connect(corpus).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    result = run("ingest", EXAMPLE, "--db", str(corpus), "--ner", "rules")
    assert result.exit_code == 0 and "0 new, 0 updated, 1 unchanged" in result.stderr
    assert sqlite3.connect(corpus).execute("SELECT COUNT(*) FROM events").fetchone()[0] == before > 0


def test_bad_inputs_are_reported_and_lose_nothing(corpus, tmp_path):
    (tmp_path / "english.txt").write_text("This article is in English and has no Arabic at all. " * 5)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bomb.json").write_text("[" * 100000)
    before = sqlite3.connect(corpus).execute("SELECT COUNT(*), SUM(n_events) FROM articles").fetchone()
    result = run("ingest", str(tmp_path), "--db", str(corpus), "--ner", "rules")
    assert result.exit_code == 2
    assert "english.txt" in result.stderr and "no usable input (3 skipped)" in result.stderr
    assert "Traceback" not in result.output
    assert sqlite3.connect(corpus).execute("SELECT COUNT(*), SUM(n_events) FROM articles").fetchone() == before


def test_unusable_database_is_a_clear_error(tmp_path):
    result = run("ingest", EXAMPLE, "--db", str(tmp_path / "missing" / "x.db"), "--ner", "rules")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    result = run("stats", "--db", "mysql://nowhere/x")
    assert result.exit_code == 2 and "unknown database URL" in result.stderr


def test_export_formats(corpus, tmp_path):
    n_events = sqlite3.connect(corpus).execute("SELECT COUNT(*) FROM events WHERE has_event = 1").fetchone()[0]
    plover = run("export", "--db", str(corpus), "--format", "plover")
    records = [json.loads(line) for line in plover.stdout.splitlines()]
    assert len(records) == n_events and all(r["event"][0] and r["id"] and r["cite_info"] for r in records)
    rows = list(csv.DictReader(io.StringIO(run("export", "--db", str(corpus), "--format", "csv").stdout)))
    assert len(rows) == n_events and {"type", "cameo", "source_actor", "lat", "lon", "sentence"} <= set(rows[0])
    geo = json.loads(run("export", "--db", str(corpus), "--format", "geojson").stdout)
    located = [r for r in records if r["event_loc"] and r["event_loc"]["lat"] is not None]
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(located)
    assert all(-180 <= f["geometry"]["coordinates"][0] <= 180 for f in geo["features"])
    out = tmp_path / "events.parquet"
    assert run("export", "--db", str(corpus), "--format", "parquet", "-o", str(out)).exit_code == 0
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(out)
    assert table.num_rows == n_events and "story_mentions" in table.column_names
    assert not (tmp_path / "events.parquet.part").exists()


def test_export_filters_and_errors(corpus):
    types = {json.loads(line)["event"][0]
             for line in run("export", "--db", str(corpus), "--type", "assault").stdout.splitlines()}
    assert types <= {"ASSAULT"}
    assert run("export", "--db", str(corpus), "--since", "2030-01-01").stdout == ""
    bad = run("export", "--db", str(corpus), "--type", "BOMBING")
    assert bad.exit_code == 2 and "unknown PLOVER type" in bad.stderr
    bad = run("export", "--db", str(corpus), "--bbox", "1,2")
    assert bad.exit_code == 2 and "bbox" in bad.stderr
    bad = run("export", "--db", str(corpus), "--format", "parquet")
    assert bad.exit_code == 2 and "-o PATH" in bad.stderr


def test_reprocess_stale_articles(corpus):
    con = sqlite3.connect(corpus)
    con.execute("UPDATE articles SET model_version = 'rules-000000000000'")
    con.commit()
    result = run("reprocess", "--db", str(corpus), "--ner", "rules")
    assert result.exit_code == 0 and "1 article(s) reprocessed, 0 failed, of 1 stale" in result.stderr
    assert run("reprocess", "--db", str(corpus), "--ner", "rules").stderr.strip().endswith("of 0 stale")
    assert con.execute("SELECT model_version FROM articles").fetchone()[0] != "rules-000000000000"


def test_stats(corpus):
    stats = json.loads(run("stats", "--db", str(corpus)).stdout)
    assert stats["articles"] == 1 and stats["events"] > 0


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>وكالة تجريبية</title><link>https://news.example/</link>
<item><title>اجتماع في عمان</title><link>https://news.example/a/1</link><guid>a1</guid>
<pubDate>Mon, 13 Nov 2023 09:00:00 +0200</pubDate>
<description><![CDATA[<p>التقى وزير الخارجية الأردني أيمن الصفدي نظيره المصري سامح شكري في عمان يوم الأحد وبحثا
الأوضاع في قطاع غزة.</p><script>alert(1)</script>]]></description></item>
</channel></rss>"""


def test_ingest_a_feed_and_refuse_urls_without_fetch(tmp_path):
    db = tmp_path / "feed.db"
    feed = tmp_path / "news.rss"
    feed.write_text(FEED, encoding="utf-8")
    result = run("ingest", str(feed), "http://127.0.0.1:9/x", "--db", str(db), "--ner", "rules")
    assert result.exit_code == 0, result.output
    assert "1 new" in result.stderr and "use --fetch" in result.stderr
    row = sqlite3.connect(db).execute("SELECT url, outlet, published, text FROM articles").fetchone()
    assert row[0] == "https://news.example/a/1" and row[1] == "وكالة تجريبية" and row[2] == "2023-11-13"
    assert "alert" not in row[3] and "أيمن الصفدي" in row[3]
    again = run("ingest", str(feed), "--db", str(db), "--ner", "rules")
    assert "0 new, 0 updated, 1 unchanged" in again.stderr


def test_serve_answers_and_refuses_writes_without_key(corpus):
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    pytest.importorskip("fastapi")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in __import__("os").environ.items() if k != "HADATH_API_KEY"}
    server = subprocess.Popen([sys.executable, "-m", "hadath", "serve", "--db", str(corpus), "--port", str(port),
                               "--ner", "rules"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                stats = json.loads(urllib.request.urlopen(f"{base}/api/stats", timeout=2).read())
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("hadath serve did not answer within 10 s")
        assert stats["articles"] == 1
        page = urllib.request.urlopen(f"{base}/", timeout=5).read().decode()
        assert "<html" in page.lower()
        request = urllib.request.Request(f"{base}/api/articles", data=b'{"text": "x"}', method="POST",
                                         headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_with_an_unusable_database_is_a_clear_error(tmp_path):
    pytest.importorskip("fastapi")
    result = run("serve", "--db", str(tmp_path / "missing" / "x.db"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


@pytest.mark.parametrize("command", [["export"], ["stats"], ["reprocess", "--ner", "rules"]])
def test_reading_commands_do_not_create_a_database(tmp_path, command):
    missing = tmp_path / "typo.db"
    result = run(*command, "--db", str(missing))
    assert result.exit_code == 2 and "no database at" in result.stderr
    assert not missing.exists()

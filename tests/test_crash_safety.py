"""`hadath ingest` killed with SIGKILL at random moments, many times: every article
it reported as stored is there exactly once, and the database stays consistent
(integrity check, full-text index, counts that match the rows they summarise)."""
from __future__ import annotations

import gzip
import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time


from tests.conftest import ANT, need

KILLS = 8


def consistency_problems(db) -> list[str]:
    con = sqlite3.connect(db)
    problems = []
    if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("integrity_check failed")
    try:
        con.execute("INSERT INTO article_fts(article_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as error:
        problems.append(f"full-text index: {error}")
    checks = {
        "events of missing articles": "SELECT COUNT(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)",
        "articles whose event count is wrong":
            "SELECT COUNT(*) FROM articles a WHERE n_events <> (SELECT COUNT(*) FROM events e WHERE e.article_id = a.id)",
        "articles whose quote count is wrong":
            "SELECT COUNT(*) FROM articles a WHERE n_quotes <> (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id)",
        "articles missing from the full-text index":
            "SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT rowid FROM article_fts)",
        "actors whose mention count is wrong":
            "SELECT COUNT(*) FROM actors x WHERE mentions <> (SELECT COUNT(*) FROM entities e WHERE e.actor = x.id)",
        "stories whose mention count is wrong":
            "SELECT COUNT(*) FROM stories s WHERE mentions <> (SELECT COUNT(*) FROM events e WHERE e.story_id = s.id)",
        "events in a story that does not exist":
            "SELECT COUNT(*) FROM events WHERE story_id IS NOT NULL AND story_id NOT IN (SELECT id FROM stories)",
        "duplicate texts": "SELECT COUNT(*) - COUNT(DISTINCT text_hash) FROM articles",
    }
    for name, sql in checks.items():
        n = con.execute(sql).fetchone()[0]
        if n:
            problems.append(f"{n} {name}")
    con.close()
    return problems


def test_sigkill_during_ingest_loses_nothing_reported(tmp_path):
    corpus = need(ANT)
    sample = tmp_path / "sample.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        sample.write_text("".join(itertools.islice((l for l in lines if "middleEast" in l), 300)), encoding="utf-8")
    db, log = tmp_path / "corpus.db", tmp_path / "stored.jsonl"
    command = [sys.executable, "-m", "hadath", "ingest", str(sample), "--db", str(db), "--ner", "rules",
               "--no-progress", "--log", str(log)]
    rng = random.Random(7)
    kills = 0
    for _ in range(KILLS):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(rng.uniform(0.8, 2.5))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        assert consistency_problems(db) == []
        reported = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.endswith("}")]
        con = sqlite3.connect(db)
        stored = {row[0] for row in con.execute("SELECT id FROM articles")}
        con.close()
        missing = [r for r in reported if r["article_id"] not in stored]
        assert not missing, f"reported as stored but absent: {missing[:3]}"
    assert kills >= KILLS // 2, "the ingest finished before it could be killed: lengthen the sample"
    final = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr[-2000:]
    assert consistency_problems(db) == []
    con = sqlite3.connect(db)
    articles = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    doc_ids = [row[0] for row in con.execute("SELECT doc_id FROM articles")]
    con.close()
    assert len(doc_ids) == len(set(doc_ids)) == articles
    expected = sum(1 for line in sample.read_text(encoding="utf-8").splitlines() if line.strip())
    assert articles == expected

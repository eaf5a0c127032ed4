"""`hadath kb import/search/show` and `hadath extract --kb`: a user's dictionary becomes
part of the knowledge base the pipeline links against."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

CSV = ROOT / "tests" / "fixtures" / "kb" / "actors_sample.csv"


def hadath(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hadath.cli", *args], capture_output=True, cwd=ROOT, timeout=300)


def test_import_search_show_and_extract(tmp_path):
    kb_dir = tmp_path / "kb"
    report_only = hadath("kb", "import", str(CSV), "--format", "csv")
    assert report_only.returncode == 0, report_only.stderr.decode()
    assert not kb_dir.exists()
    imported = hadath("kb", "import", str(CSV), "--format", "csv", "--into", str(kb_dir))
    assert imported.returncode == 0, imported.stderr.decode()
    assert (kb_dir / "actors.jsonl").exists() and (kb_dir / "countries.jsonl").exists()
    found = hadath("kb", "search", "التجديد", "--kb", str(kb_dir))
    assert found.returncode == 0 and "renewal_party" in found.stdout.decode()
    assert hadath("kb", "search", "التجديد").returncode == 1  # not in the bundled knowledge base
    shown = json.loads(hadath("kb", "show", "renewal_party", "--kb", str(kb_dir)).stdout)
    assert shown["country"] == "LBN" and shown["sector"] == "PTY"
    article = tmp_path / "a.txt"
    article.write_text("أعلن حزب التجديد الوطني رفضه للقرار في بيروت.", encoding="utf-8")
    linked = json.loads(hadath("extract", str(article), "--kb", str(kb_dir)).stdout)
    assert any(e["actor"] == "renewal_party" for e in linked["entities"])
    plain = json.loads(hadath("extract", str(article)).stdout)
    assert not any(e["actor"] == "renewal_party" for e in plain["entities"])


def test_bad_dictionary_lines_are_reported_not_fatal(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name_en,type,country,sector,aliases_ar,aliases_en,qid,entity_type\n"
                   "x1,Broken,nonsense_type,ZZZ,GOV,,,,\n", encoding="utf-8")
    result = hadath("kb", "import", str(bad), "--format", "csv")
    assert result.returncode == 0 and "Traceback" not in result.stderr.decode()
    assert "skipped" in result.stdout.decode().lower()


def test_add_validates_before_keeping(tmp_path):
    kb_dir = tmp_path / "kb"
    ok = hadath("kb", "add", "--into", str(kb_dir), "--id", "test_front", "--name-en", "Test Front", "--type",
                "armed_group", "--entity-type", "ORG", "--country", "SYR", "--sector", "REB",
                "--alias-ar", "جبهة الاختبار")
    assert ok.returncode == 0, ok.stderr.decode()
    bad = hadath("kb", "add", "--into", str(kb_dir), "--id", "x_bad", "--name-en", "Bad", "--type", "nonsense",
                 "--alias-ar", "شيء ما")
    assert bad.returncode == 2 and "unknown type" in bad.stderr.decode()
    assert "x_bad" not in (kb_dir / "actors.jsonl").read_text(encoding="utf-8")
    assert hadath("kb", "show", "test_front", "--kb", str(kb_dir)).returncode == 0


def test_a_directory_that_is_not_a_knowledge_base_gets_a_clear_error(tmp_path):
    result = hadath("kb", "index", "--kb", str(tmp_path))
    assert result.returncode != 0
    stderr = result.stderr.decode()
    assert "not a knowledge base directory" in stderr and "Traceback" not in stderr


def test_search_works_when_no_index_location_is_writable(tmp_path):
    import os

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = subprocess.run([sys.executable, "-m", "hadath.cli", "kb", "search", "حماس"], capture_output=True,
                            text=True, cwd=ROOT, env={**os.environ, "HADATH_CACHE": str(blocker / "cache")})
    assert result.returncode == 0, result.stderr
    assert "hamas" in result.stdout

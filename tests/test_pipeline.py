"""The pipeline contract: requirement checks at build time, batching, the Python API."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

import hadath
from hadath.doc import Document
from hadath.pipeline import Pipeline, PipelineError


@dataclass
class Marker:
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def __call__(self, doc: Document) -> Document:
        doc.meta.setdefault("ran", []).append(self.name)
        return doc


def test_missing_requirement_is_refused():
    with pytest.raises(PipelineError, match="requires"):
        Pipeline([Marker("events", ("mentions",), ("events",))])


def test_stages_run_in_order_and_in_batches():
    pipeline = Pipeline([Marker("a", (), ("x",)), Marker("b", ("x",), ("y",))])
    docs = list(pipeline.pipe((Document(f"نص {i}") for i in range(5)), batch_size=2))
    assert len(docs) == 5
    assert all(d.meta["ran"] == ["a", "b"] and {"x", "y"} <= d.layers_done for d in docs)


def test_default_pipeline_order(pipeline):
    assert pipeline.names == ("text", "entities", "actors", "places", "dates", "events", "event_verifier", "event_calibration",
                              "quotes")


def test_python_api_returns_typed_document(pipeline):
    doc = hadath.extract("أدانت مصر الهجوم على المدنيين.", pipeline=pipeline)
    assert isinstance(doc, Document)
    assert doc.events and doc.events[0].type == "ACCUSE" and doc.events[0].source.country == "EGY"
    with pytest.raises(TypeError):
        hadath.extract(b"bytes", pipeline=pipeline)  # type: ignore[arg-type]


def test_empty_and_foreign_text_through_the_api(pipeline):
    assert hadath.extract("", pipeline=pipeline).events == ()
    doc = hadath.extract("The ministers met in Amman.", pipeline=pipeline)
    assert doc.events == () and doc.text == "The ministers met in Amman."

"""Background events (issue 4: "reported historical background is marked as such"): an
event dated well before the article is ``historical``; it still took place."""
from __future__ import annotations

import datetime

import pytest

from hadath.engine import make_document

PUBLISHED = datetime.date(2007, 4, 15)


@pytest.fixture(scope="module")
def coder_only(resources):
    """The lexicon coder without the learned check, which judges event types, not dates."""
    from hadath.engine import build_pipeline
    from hadath.options import ExtractOptions

    return build_pipeline(ExtractOptions(ner="rules", event_classifier="off"), resources)


@pytest.fixture(scope="module")
def events(coder_only):
    def _events(text: str, published=PUBLISHED):
        return [e for e in coder_only(make_document(text, published=published)).events if e.type == "ASSAULT"]
    return _events


def test_an_attack_dated_years_before_the_article_is_historical(events):
    found = events("وفي نوفمبر 2005 قتل مسلحون ثلاثة جنود في هجوم على دورية جنوب بغداد.")
    assert found and all(e.modality == "historical" for e in found)
    assert all(e.happened and e.date.year == 2005 for e in found)


def test_yesterdays_attack_is_news(events):
    found = events("وقتل مسلحون ثلاثة جنود أمس في هجوم على دورية جنوب بغداد.")
    assert found and all(e.modality == "asserted" for e in found)


def test_a_span_since_a_past_year_reaches_the_present(events):
    found = events("وتشن القوات هجمات على المسلحين منذ اندلاع الحرب في المنطقة عام 2003.")
    assert found and all(e.modality != "historical" for e in found)


def test_a_date_in_a_relative_clause_belongs_to_that_clause(events):
    found = events("وقتل مسلحون أمس ثلاثة من عناصر الحزب الذي تأسس في عام 1990.")
    assert found and all(e.modality == "asserted" for e in found)


def test_without_a_publication_date_nothing_is_historical(events):
    found = events("وفي نوفمبر 2005 قتل مسلحون ثلاثة جنود في هجوم على دورية جنوب بغداد.", published=None)
    assert found and all(e.modality == "asserted" for e in found)


def test_historical_events_are_plover_events_that_happened(coder_only):
    from hadath.export.records import plover_record

    doc = coder_only(make_document("وفي نوفمبر 2005 قتل مسلحون ثلاثة جنود في هجوم على دورية.", published=PUBLISHED))
    event = next(e for e in doc.events if e.type == "ASSAULT")
    record = plover_record(doc, event, 0)
    assert record["has_event"] is True and record["date"].startswith("2005-11")

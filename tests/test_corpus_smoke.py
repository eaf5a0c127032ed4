"""Real news end to end: no crash, and every offset points at its text."""
from __future__ import annotations

import itertools

from tests.conftest import ANT, need


def test_first_200_ant_articles(pipeline):
    from hadath.ingest.model import InputProblem, IngestOptions
    from hadath.ingest.reader import read_inputs
    from hadath.runner import to_document

    items = itertools.islice(read_inputs([str(need(ANT))], IngestOptions()), 200)
    articles = [item for item in items if not isinstance(item, InputProblem)]
    assert len(articles) >= 190
    events = 0
    for article in articles:
        doc = pipeline(to_document(article, None))
        text = doc.text
        assert text == article.text
        for entity in doc.entities:
            assert text[entity.start:entity.end] == entity.text
        for event in doc.events:
            events += 1
            assert text[event.trigger.start:event.trigger.end] == event.trigger.text
            assert event.sentence.start <= event.trigger.start < event.sentence.end
            for role in (event.source, event.target):
                if role is not None:
                    assert text[role.start:role.end] == role.text
        for quote in doc.quotes:
            assert text[quote.content.start:quote.content.end] == quote.content.text
            assert text[quote.cue.start:quote.cue.end] == quote.cue.text
        for place in doc.places:
            assert place.lat is None or -90 <= place.lat <= 90
    assert events > 100

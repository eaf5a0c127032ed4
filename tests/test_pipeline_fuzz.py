"""Property test: any text goes through the whole pipeline without an exception, and
every offset it reports points at the text it claims."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from hadath.engine import make_document

WORDS = ["قال", "وأكد", "الرئيس", "محمد", "أدانت", "الحكومة", "السورية", "في", "دمشق", "«", "»", '"', "،", ".",
         "اعتقلت", "الشرطة", "أمس", "لم", "سيزور", "إن", "أن", "وزير", "الخارجية", "الروسي", "غارة", "على", "غزة",
         "\n", "ـ", "َ", "123", "٢٠٢٣", "ABC", "حماس", "الحركة", "بيان", "داعيا", "إلى", "مع", "عبد", "بن"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join) | st.text(max_size=200))
def test_pipeline_never_fails_and_offsets_hold(pipeline, text):
    doc = pipeline(make_document(text))
    assert doc.text == text
    for span in [*doc.entities, *doc.mentions, *doc.places, *doc.dates]:
        assert text[span.start:span.end] == span.text
    for event in doc.events:
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
        for role in (event.source, event.target):
            if role is not None:
                assert text[role.start:role.end] == role.text
    for quote in doc.quotes:
        assert text[quote.content.start:quote.content.end] == quote.content.text

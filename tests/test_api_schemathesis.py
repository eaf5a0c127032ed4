"""Schemathesis against the OpenAPI document: generated requests to every operation,
writes included (with the key), never produce a server error, and every response
matches the documented schema, status codes and content types.

``positive_data_acceptance`` is left out on purpose: the schema admits values the
server rightly refuses with 400/422 (forged cursors, a bbox out of range, text
that is not Arabic)."""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (in the test extra)")
pytest.importorskip("fastapi", reason="the API needs fastapi (pip install 'hadath[serve]')")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from api_corpus import build_corpus  # noqa: E402
from hadath.api import create_app  # noqa: E402
from hadath.store import Store  # noqa: E402

KEY = "fuzz-key"


@pytest.fixture(scope="module")
def api_schema(resources):
    from hadath.engine import build_pipeline
    from hadath.options import ExtractOptions
    from hadath.runner import to_document

    pipeline = build_pipeline(ExtractOptions(ner="rules"), resources)
    store = Store.open(":memory:")
    build_corpus(store, pipeline)
    app = create_app(store, api_key=KEY, annotate=lambda article: pipeline(to_document(article, None)), ner="rules")
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    store.close()


def test_no_server_errors_and_responses_match_the_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            response = case.call_and_validate(headers={"X-API-Key": KEY}, excluded_checks=[positive_data_acceptance])
            assert response.status_code < 500, (operation.label, case.path, response.text[:300])

        check()

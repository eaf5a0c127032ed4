"""The HTTP API over a small stored corpus: filters, pagination, errors, writes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the API needs fastapi (pip install 'hadath[serve]')")

from fastapi.testclient import TestClient  # noqa: E402

from api_corpus import STRIKE, build_corpus  # noqa: E402
from hadath.api import create_app  # noqa: E402
from hadath.ingest.model import IngestOptions  # noqa: E402
from hadath.store.query import encode_cursor  # noqa: E402
from hadath.store import Store  # noqa: E402
from tests.conftest import backend_url

WEB = Path(__file__).resolve().parents[1] / "hadath" / "web"


@pytest.fixture(scope="module")
def rules_pipeline(resources):
    from hadath.engine import build_pipeline
    from hadath.options import ExtractOptions

    return build_pipeline(ExtractOptions(ner="rules"), resources)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus(request, rules_pipeline, tmp_path_factory):
    """The same corpus in each backend: every read test runs on both."""
    with backend_url(request.param, tmp_path_factory.mktemp("api")) as url:
        store = Store.open(url)
        ids = build_corpus(store, rules_pipeline)
        yield store, ids
        store.close()


@pytest.fixture(scope="module")
def client(corpus):
    return TestClient(create_app(corpus[0], api_key=None, annotate=None))


def all_events(client, **params):
    page = client.get("/api/events", params={**params, "limit": 1000, "total": "true"}).json()
    assert page["next_cursor"] is None and page["total"] == len(page["items"])
    return page["items"]


def test_openapi_document_lists_every_endpoint(client):
    doc = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles", "/api/articles/{article_id}",
                 "/api/actors", "/api/actors/{actor_id}", "/api/places", "/api/search", "/api/stats",
                 "/api/timeline", "/api/map", "/api/network"):
        assert "get" in doc["paths"][path], path
    post = doc["paths"]["/api/articles"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["required"] == ["text"]
    assert {"401", "403", "413", "422", "503"} <= set(post["responses"])
    assert "EventPage" in doc["components"]["schemas"]
    types = doc["components"]["schemas"]["PloverType"]["enum"]
    assert "ASSAULT" in types and len(types) == 16


def test_every_event_once_across_pages(client, corpus):
    everything = all_events(client, include_unreal="true")
    assert len(everything) == client.get("/api/stats").json()["events"]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, "include_unreal": "true", **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/events", params=params).json()
        assert page["total"] is None            # counted only when asked for
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == len(everything) and pages > 3
    assert seen == [item["id"] for item in everything]


def test_real_events_exclude_unreal_by_default(client):
    real = all_events(client)
    assert real and all(item["has_event"] for item in real)
    assert len(real) <= len(all_events(client, include_unreal="true"))


def test_type_filter(client):
    everything = all_events(client)
    assaults = all_events(client, type="ASSAULT")
    assert assaults and len(assaults) < len(everything)
    assert all(item["event"] == ["ASSAULT"] for item in assaults)
    two = all_events(client, type=["ASSAULT", "CONSULT"])
    assert {item["event"][0] for item in two} == {"ASSAULT", "CONSULT"}
    assert len(two) == len(assaults) + len(all_events(client, type="CONSULT"))


def test_country_date_confidence_outlet_filters(client):
    everything = all_events(client)
    syria = all_events(client, country="SYR")
    assert syria and len(syria) < len(everything)
    assert all(item["event_loc"]["country_code"] == "SYR" for item in syria)
    november = all_events(client, since="2023-11-20", until="2023-11-30")
    assert november and len(november) < len(everything)
    assert all("2023-11-20" <= item["date"] <= "2023-11-30" for item in november if item["date"])
    levels = sorted({item["confidence"] for item in everything})
    threshold = levels[len(levels) // 2]   # a confidence some events have and some lack
    sure = all_events(client, min_confidence=threshold)
    assert len(levels) > 1 and sure and len(sure) < len(everything)
    assert all(item["confidence"] >= threshold for item in sure)
    assert len(sure) == sum(1 for item in everything if item["confidence"] >= threshold)
    sana = all_events(client, outlet="SANA")
    assert sana and all(item["cite_info"]["corpus"] == "SANA" for item in sana)
    consult = all_events(client, cameo_root="04")
    assert consult and all(item["cameo"].startswith("04") for item in consult)


def test_bbox_filter(client):
    located = [i for i in all_events(client) if i["event_loc"] and i["event_loc"]["lat"] is not None]
    assert located
    box = "34,29,36.5,32.5"                  # Gaza, Jordan valley, Amman
    inside = all_events(client, bbox=box)
    assert inside and len(inside) < len(located)
    for item in inside:
        assert 34 <= item["event_loc"]["lon"] <= 36.5 and 29 <= item["event_loc"]["lat"] <= 32.5


def test_actor_and_article_filters(client, corpus):
    _, ids = corpus
    mine = all_events(client, article_id=ids["example"])
    assert mine and all(item["article_id"] == ids["example"] for item in mine)
    actor = next(a["identifier_id"] for item in all_events(client) for a in item["actor"] if a["identifier_id"])
    acting = all_events(client, actor=actor)
    assert acting and all(actor in {p["identifier_id"] for p in item["actor"] + item["recipient"]}
                          for item in acting)
    assert all(item["actor"][0]["identifier_id"] == actor for item in all_events(client, source_actor=actor))


def test_aggregates_agree_with_events(client, corpus):
    filters = {"type": "ASSAULT"}
    events = all_events(client, **filters)
    days = client.get("/api/timeline", params=filters).json()["days"]
    assert sum(d["events"] for d in days) == len(events)
    places = client.get("/api/map", params=filters).json()["places"]
    assert places and sum(p["events"] for p in places) <= len(events)
    network = client.get("/api/network").json()
    ids = {n["id"] for n in network["nodes"]}
    assert network["edges"] and all(e["source"] in ids and e["target"] in ids for e in network["edges"])
    stats = client.get("/api/stats").json()
    assert stats["articles"] == len(corpus[1]) and any(o["outlet"] == "SANA" for o in stats["outlets"])


def test_article_detail_and_near_duplicates(client, corpus):
    _, ids = corpus
    article = client.get(f"/api/articles/{ids['strike']}").json()
    assert article["text"] == STRIKE and article["annotations"]["entities"]
    events = all_events(client, article_id=ids["strike"], include_unreal="true")
    assert sorted(article["event_ids"]) == sorted(item["id"] for item in events)
    assert ids["strike-copy"] in [d["article_id"] for d in article["near_duplicates"]]
    first = client.get(f"/api/events/{article['event_ids'][0]}").json()
    assert first["article_id"] == ids["strike"] and first["text"] in STRIKE


def test_articles_search_actors_places(client, corpus):
    _, ids = corpus
    listed = client.get("/api/articles", params={"limit": 1000, "total": "true"}).json()
    assert listed["total"] == len(listed["items"]) == len(ids)
    hits = client.get("/api/search", params={"q": "إدلب"}).json()["items"]
    assert {h["id"] for h in hits} == {ids["strike"], ids["strike-copy"]}
    assert client.get("/api/articles", params={"q": "إدلب"}).json()["items"] == hits
    assert client.get("/api/search", params={"q": "zzzz"}).json()["items"] == []
    for path in ("/api/actors", "/api/places"):
        everything = client.get(path, params={"limit": 1000}).json()["items"]
        seen, cursor = [], None
        while True:
            page = client.get(path, params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
            seen += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == everything and len(seen) > 2
    actor = client.get("/api/actors", params={"limit": 1}).json()["items"][0]
    assert client.get(f"/api/actors/{actor['id']}").json() == actor


@pytest.mark.parametrize("path,status", [("/api/events/999999", 404), ("/api/articles/999999", 404),
                                         ("/api/actors/no_such_actor", 404), ("/api/nothing", 404),
                                         ("/api/events/0", 422), ("/api/articles/x", 422)])
def test_unknown_ids(client, path, status):
    response = client.get(path)
    assert response.status_code == status and response.json()["detail"]


@pytest.mark.parametrize("path", ["/articles/999999", "/articles/abc", "/articles/1x"])
def test_unknown_article_page_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "Not found" in response.text


@pytest.mark.parametrize("params,status,words", [
    ({"since": "2023-13-01"}, 422, "since"),
    ({"until": "yesterday"}, 422, "until"),
    ({"type": "NOPE"}, 422, "type"),
    ({"bbox": "1,2,3"}, 422, "bbox"),
    ({"bbox": "10,10,0,0"}, 400, "bbox"),
    ({"bbox": "a,b,c,d"}, 422, "bbox"),
    ({"bbox": "-200,0,10,10"}, 400, "bbox"),
    ({"cursor": "garbage"}, 400, "cursor"),
    ({"cursor": "WyJ4IiwieCJd"}, 400, "cursor"),            # ["x","x"]: right shape, wrong types
    ({"cursor": encode_cursor("2023-01-01", 10 ** 20)}, 400, "cursor"),       # id too large
    ({"limit": 0}, 422, "limit"),
    ({"limit": 1001}, 422, "limit"),
    ({"min_confidence": 2}, 422, "min_confidence"),
    ({"since": "2023-12-01", "until": "2023-11-01"}, 400, "since"),
    ({"country": "syr"}, 422, "country"),
    ({"cameo_root": "1"}, 422, "cameo_root"),
    ({"article_id": 2 ** 70}, 422, "article_id"),
    ({"actor": "x\x00y"}, 400, "NUL"),
])
def test_bad_filters_are_client_errors(client, params, status, words):
    response = client.get("/api/events", params=params)
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]


WEIRD = ["", " ", "%", "'", '"', "\\", "ñ", "🙂", "ش" * 3000, "-1", "1e309", "nan", "0x10", "[]", "{}", "9" * 30,
         "2023-02-30", "true", "*", "NEAR(a b)", "a OR b"]


@pytest.mark.parametrize("path,names", [
    ("/api/events", ["since", "until", "type", "cameo_root", "actor", "source_actor", "target_actor", "country",
                     "actor_country", "bbox", "outlet", "min_confidence", "article_id", "story_id", "include_unreal",
                     "limit", "cursor", "total"]),
    ("/api/articles", ["q", "since", "until", "outlet", "limit", "cursor", "total"]),
    ("/api/search", ["q", "cursor"]),
    ("/api/actors", ["q", "country", "limit", "cursor"]),
    ("/api/places", ["country", "limit", "cursor"]),
    ("/api/timeline", ["bbox", "type", "min_confidence"]),
    ("/api/network", ["actor", "limit"]),
    ("/api/map", ["country", "limit"]),
])
def test_no_input_gives_a_server_error(client, path, names):
    for name in names:
        for value in WEIRD:
            response = client.get(path, params={name: value})
            assert response.status_code in (200, 400, 422), (path, name, value, response.text)


def test_headers(client):
    page = client.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    api = client.get("/api/stats")
    assert api.headers["cache-control"] == "no-store"


# -- writing --------------------------------------------------------------------------

ARTICLE = {"text": "أعلن الجيش اللبناني اليوم الخميس إغلاق المعبر الحدودي مع سوريا أمام حركة الشاحنات.",
           "title": "إغلاق معبر", "published": "2023-12-07", "url": "https://example.org/new/1", "source": "NNA"}


@pytest.fixture()
def writer(rules_pipeline):
    from hadath.runner import to_document

    store = Store.open(":memory:")
    app = create_app(store, api_key="s3cret", annotate=lambda a: rules_pipeline(to_document(a, None)), ner="rules",
                     ingest_options=IngestOptions(max_bytes=20_000))
    yield TestClient(app), store
    store.close()


def test_writes_refused_when_no_key_configured(client):
    response = client.post("/api/articles", json=ARTICLE, headers={"X-API-Key": "anything"})
    assert response.status_code == 403 and "--api-key" in response.json()["detail"]


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}, {"X-API-Key": "s3cret "}])
def test_writes_need_the_right_key(writer, headers):
    client, store = writer
    response = client.post("/api/articles", json=ARTICLE, headers=headers)
    assert response.status_code == 401 and "X-API-Key" in response.json()["detail"]
    assert store.stats()["articles"] == 0


def test_write_is_stored_and_idempotent(writer):
    client, store = writer
    key = {"X-API-Key": "s3cret"}
    first = client.post("/api/articles", json=ARTICLE, headers=key)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "new"
    again = client.post("/api/articles", json=ARTICLE, headers=key)
    assert again.status_code == 200 and again.json() == {"status": "unchanged", "article_id": body["article_id"],
                                                          "near_duplicates": []}
    stored = client.get(f"/api/articles/{body['article_id']}").json()
    assert stored["text"] == ARTICLE["text"] and stored["outlet"] == "NNA" and stored["published"] == "2023-12-07"
    assert store.stats()["articles"] == 1
    newer = dict(ARTICLE, text=ARTICLE["text"] + " وقال مصدر عسكري إن الإغلاق مؤقت.", published="2023-12-08")
    updated = client.post("/api/articles", json=newer, headers=key)
    assert updated.status_code == 200 and updated.json()["status"] == "updated"


@pytest.mark.parametrize("body,status,words", [
    ({"text": "The army closed the border crossing with Syria to trucks on Thursday."}, 422, "not Arabic"),
    ({"text": ""}, 422, "empty"),
    ({"text": "   "}, 422, "whitespace"),
    ({"title": "بلا نص"}, 422, "text"),
    ({"text": 5}, 422, "text"),
    ({"text": "نص عربي قصير عن الأخبار", "colour": "red"}, 422, "colour"),
    ({"text": "نص عربي قصير عن الأخبار", "published": "not a date at all"}, 422, "published"),
    ({"text": "خبر " * 6000}, 413, "too large"),
    (["not", "an", "object"], 422, "body"),
])
def test_bad_articles_are_refused(writer, body, status, words):
    client, store = writer
    response = client.post("/api/articles", json=body, headers={"X-API-Key": "s3cret"})
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert store.stats()["articles"] == 0


def test_malformed_and_oversized_bodies(writer):
    client, _ = writer
    key = {"X-API-Key": "s3cret", "Content-Type": "application/json"}
    assert client.post("/api/articles", content=b"{not json", headers=key).status_code == 422
    assert client.post("/api/articles", content=b"\xff\xfe", headers=key).status_code == 422
    huge = b'{"text": "' + b"a" * 1_100_000 + b'"}'
    response = client.post("/api/articles", content=huge, headers=key)
    assert response.status_code == 413 and "too large" in response.json()["detail"]


def test_served_annotator_and_key(monkeypatch):
    from hadath.api.server import api_key_from, make_annotator
    from hadath.ingest.model import ArticleInput

    monkeypatch.setenv("HADATH_API_KEY", "from-env")
    assert api_key_from(None) == "from-env" and api_key_from("given") == "given"
    monkeypatch.delenv("HADATH_API_KEY")
    assert api_key_from(None) is None and api_key_from("") is None
    annotate = make_annotator("rules")
    doc = annotate(ArticleInput(id="a", text=ARTICLE["text"], title=None, published="2023-12-07", url=None,
                                source=None, origin="<test>"))
    assert doc.published.isoformat() == "2023-12-07" and doc.entities


def test_writes_without_annotator_are_503():
    store = Store.open(":memory:")
    client = TestClient(create_app(store, api_key="k", annotate=None))
    response = client.post("/api/articles", json=ARTICLE, headers={"X-API-Key": "k"})
    assert response.status_code == 503
    store.close()


# -- the explorer's files -----------------------------------------------------------------

def test_static_files_are_offline_small_and_escape_text(client):
    assert client.get("/static/world.json").status_code == 200
    assert (WEB / "static" / "world.json").stat().st_size < 300_000
    for path in list((WEB / "static").rglob("*")) + list((WEB / "pages").glob("*.html")):
        if path.suffix not in (".js", ".css", ".html", ".svg"):
            continue
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", source), f"{path} loads from the network"
        assert "@import" not in source and "url(http" not in source
        if path.suffix == ".js":
            assert not re.search(r"\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(", source), path
            assert len(source.splitlines()) < 400, path
        if path.suffix == ".html":
            assert not re.search(r"<script(?![^>]*\bsrc=)", source), f"{path} has an inline script"
            assert " style=" not in source and "<style" not in source
            assert not re.search(r"<[^>]+\son\w+=", source), f"{path} has an inline event handler"
    world = json.loads((WEB / "static" / "world.json").read_text())
    assert len(world["countries"]) > 150 and any(c["iso3"] == "SYR" for c in world["countries"])

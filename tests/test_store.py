"""The corpus store on SQLite and PostgreSQL: idempotent ingest, new versions,
near duplicates, story clustering, filters, cursors, search, atomic writes."""
from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from hadath.doc import Document
from hadath.store import BBox, EventQuery, QueryError, Store, StoreError, canonical_url
from tests.conftest import BACKENDS
from tests.store_docs import RAID, RAID_WIRE_COPY, meeting_doc, protest_doc, raid_doc

@pytest.fixture
def store(store_url):
    with Store.open(store_url) as opened:
        yield opened


def counts(store: Store) -> dict:
    stats = store.stats()
    return {k: stats[k] for k in ("articles", "events", "entities", "quotes", "actors", "places", "stories",
                                  "near_duplicates")}


@BACKENDS
def test_same_article_twice_changes_nothing(store):
    first = store.save(raid_doc(url="https://www.wafa.ps/news/1?utm_source=x"))
    before = counts(store)
    again = store.save(raid_doc(url="https://www.wafa.ps/news/1?utm_source=x"))
    assert first.status == "new" and again.status == "unchanged" and again.article_id == first.article_id
    assert counts(store) == before
    # other diacritics and spacing are the same normalised text
    respaced = Document(text=RAID.replace(" ", "  ").replace("غارات", "غارَات"))
    assert store.save(respaced).status == "unchanged"
    assert store.known(RAID) == first.article_id


@BACKENDS
def test_new_version_at_same_url_replaces_events_in_place(store):
    old = store.save(raid_doc(url="https://wafa.ps/news/1"))
    newer_text = RAID + " وأعلنت الوزارة لاحقا ارتفاع عدد الضحايا."
    newer = store.save(raid_doc(newer_text, url="https://www.wafa.ps/news/1/?utm_medium=rss",
                                day=date(2023, 11, 14)))
    assert newer.status == "updated" and newer.article_id == old.article_id
    stored = store.article(old.article_id)
    assert stored["text"] == newer_text and stored["published"] == "2023-11-14"
    assert counts(store)["articles"] == 1 and counts(store)["events"] == 1
    # running counts follow the replacement: one mention of the ministry, one event of ISR_MIL
    assert store.actor("pse_moh")["mentions"] == 1
    assert store.actor("ISR_MIL")["events"] == 1
    # an older version of the same page is ignored
    older = store.save(raid_doc(RAID + " نص قديم.", url="https://wafa.ps/news/1", day=date(2023, 11, 10)))
    assert older.status == "older" and store.article(old.article_id)["text"] == newer_text


@BACKENDS
def test_wire_copy_is_a_near_duplicate_and_one_story(store):
    a = store.save(raid_doc(source="WAFA"))
    b = store.save(raid_doc(RAID_WIRE_COPY, doc_id="raid-reuters", source="Reuters"))
    assert b.near_duplicates == (a.article_id,)
    assert [d["article_id"] for d in store.article(a.article_id)["near_duplicates"]] == [b.article_id]
    events = store.events(EventQuery(types=("ASSAULT",))).items
    assert len(events) == 2 and len({e["story_id"] for e in events}) == 1
    assert {e["story_mentions"] for e in events} == {2} and {e["story_articles"] for e in events} == {2}
    # an unrelated article is neither
    c = store.save(protest_doc())
    assert c.near_duplicates == () and counts(store)["stories"] == 2


@BACKENDS
def test_story_loses_a_mention_when_its_article_changes(store):
    store.save(raid_doc())
    store.save(raid_doc(RAID_WIRE_COPY, doc_id="copy", url="https://reuters.com/a"))
    store.save(raid_doc(RAID_WIRE_COPY + " تحديث: ارتفاع عدد الضحايا.", doc_id="copy", url="https://reuters.com/a",
                        day=date(2023, 11, 20)))          # now 7 days later: not the same story
    events = store.events(EventQuery(types=("ASSAULT",))).items
    assert sorted(e["story_mentions"] for e in events) == [1, 1]
    assert counts(store)["stories"] == 2


@BACKENDS
def test_different_date_or_negation_is_not_the_same_story(store):
    store.save(raid_doc())
    store.save(raid_doc(RAID_WIRE_COPY, doc_id="later", day=date(2023, 11, 16)))
    assert counts(store)["stories"] == 2
    store.save(raid_doc(RAID + " (نفي)", doc_id="denied", negated=True))
    assert counts(store)["stories"] == 2          # negated events are not clustered


@BACKENDS
def test_filters(store):
    store.save(raid_doc())
    store.save(protest_doc())
    store.save(meeting_doc())

    def types(query: EventQuery) -> list[str]:
        return sorted(e["event"][0] for e in store.events(query).items)

    assert types(EventQuery()) == ["ASSAULT", "CONSULT", "PROTEST"]       # the future AID is not an event
    assert types(EventQuery(include_unreal=True)) == ["AID", "ASSAULT", "CONSULT", "PROTEST"]
    assert types(EventQuery(types=("PROTEST", "CONSULT"))) == ["CONSULT", "PROTEST"]
    assert types(EventQuery(cameo_root="19")) == ["ASSAULT"]
    assert types(EventQuery(country="JOR")) == ["PROTEST"]
    assert types(EventQuery(actor_country="EGY")) == ["CONSULT"]
    assert types(EventQuery(actor="sameh_shoukry")) == ["CONSULT"]
    assert types(EventQuery(source_actor="sameh_shoukry")) == []
    assert types(EventQuery(since=date(2023, 11, 13), until=date(2023, 11, 13))) == ["ASSAULT"]
    assert types(EventQuery(bbox=BBox.parse("34,31,35,32"))) == ["ASSAULT"]
    assert types(EventQuery(outlet="Petra")) == ["CONSULT", "PROTEST"]
    assert types(EventQuery(min_confidence=0.75)) == ["ASSAULT", "CONSULT"]
    newest = store.events(EventQuery()).items
    assert [e["date"] for e in newest] == ["2023-11-17", "2023-11-13", "2023-11-12"]


@BACKENDS
def test_background_events_count_and_can_be_left_out(store):
    store.save(raid_doc())
    old = raid_doc(RAID + " وكانت الطائرات قد قصفت المنطقة نفسها عام 2014.", doc_id="raid-2014")
    old.events = tuple(dataclasses.replace(e, modality="historical", date=date(2014, 7, 8)) for e in old.events)
    store.save(old)
    everything = store.events(EventQuery()).items
    recent = store.events(EventQuery(exclude_historical=True)).items
    assert len(everything) == 2 and len(recent) == 1          # a historical event happened: counted
    assert recent[0]["date"] == "2023-11-13"


@BACKENDS
def test_cursor_pages_cover_every_event_once(store):
    for n in range(7):
        store.save(raid_doc(RAID + f" تحديث رقم {n}.", doc_id=f"r{n}", day=date(2023, 11, 1 + n % 3)))
    seen, cursor = [], None
    while True:
        page = store.events(EventQuery(), limit=3, cursor=cursor, total=True)
        assert page.total == 7
        seen += [e["id"] for e in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    with pytest.raises(QueryError):
        store.events(EventQuery(), cursor="not-a-cursor")
    with pytest.raises(QueryError):
        store.events(EventQuery(), limit=0)


def test_bad_filters_are_clear_errors():
    with pytest.raises(QueryError, match="PLOVER type"):
        EventQuery(types=("BOMBING",))
    with pytest.raises(QueryError, match="alpha-3"):
        EventQuery(country="sy")
    with pytest.raises(QueryError, match="bbox"):
        BBox.parse("1,2,3")
    with pytest.raises(QueryError, match="since is after until"):
        EventQuery(since=date(2024, 1, 2), until=date(2024, 1, 1))


@BACKENDS
def test_full_text_search_over_folded_arabic(store):
    raid = store.save(raid_doc())
    store.save(protest_doc())
    hits = store.articles(q="خان يونس", total=True)
    assert [a["id"] for a in hits.items] == [raid.article_id] and hits.total == 1
    # hamza, diacritics and taa marbuta spelled differently still match
    assert [a["id"] for a in store.articles(q="وِزاره الصحه").items] == [raid.article_id]
    assert store.articles(q="برشلونة").items == []
    with pytest.raises(QueryError):
        store.articles(q="  ")


@BACKENDS
def test_a_failed_write_leaves_nothing_behind(store, monkeypatch):
    store.save(protest_doc())
    before = counts(store)
    from hadath.store import stories

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(stories, "assign_stories", broken)
    with pytest.raises(RuntimeError):
        store.save(raid_doc())
    assert counts(store) == before
    assert store.articles(q="خان يونس").items == []


@BACKENDS
def test_reprocess_replaces_annotations_of_stale_articles(store):
    saved = store.save(meeting_doc())
    assert store.stale() == []
    store.db.execute("UPDATE articles SET model_version = 'hybrid-000000000000' WHERE id = ?", (saved.article_id,))
    assert store.stale() == [saved.article_id]
    redone = dataclasses.replace(meeting_doc(), events=meeting_doc().events[:1])
    store.replace(saved.article_id, redone)
    assert store.stale() == []
    assert len(store.article(saved.article_id)["event_ids"]) == 1
    assert store.actor("ayman_safadi")["events"] == 1


@BACKENDS
def test_aggregates(store):
    store.save(raid_doc())
    store.save(raid_doc(RAID_WIRE_COPY, doc_id="copy"))
    store.save(meeting_doc())
    assert store.timeline() == [{"date": "2023-11-12", "events": 1}, {"date": "2023-11-13", "events": 2}]
    places = {p["geonameid"]: p["events"] for p in store.event_places()}
    assert places == {281124: 2, 360630: 1}
    net = store.network()
    assert net["edges"] == [{"source": "ayman_safadi", "target": "sameh_shoukry", "events": 1}]
    assert {n["id"] for n in net["nodes"]} == {"ayman_safadi", "sameh_shoukry"}
    assert store.places(limit=1).next_cursor is not None
    assert store.actors(q="safadi").items[0]["id"] == "ayman_safadi"


@BACKENDS
def test_event_record_is_plover(store):
    store.save(meeting_doc())
    event = store.events(EventQuery(types=("CONSULT",))).items[0]
    assert event["event"] == ["CONSULT"] and event["mode"] == ["visit"] and event["cameo"] == "040"
    assert event["actor"][0]["identifier_id"] == "ayman_safadi"
    assert event["recipient"][0]["country_code"] == "EGY"
    assert event["event_loc"]["geonameid"] == 360630
    assert store.event(event["id"])["record_id"] == event["record_id"]
    article = store.article(event["article_id"])
    start, end = event["text_info"]["trigger_start"], event["text_info"]["trigger_end"]
    assert article["text"][start:end] == event["event_text"][0]
    json.dumps(article)


def test_canonical_url():
    assert canonical_url("https://www.Example.org/a/b/?utm_source=x&b=2&a=1#top") == "example.org/a/b?a=1&b=2"
    assert canonical_url("http://example.org:80/a") == "example.org/a"
    assert canonical_url("example.org/a") is None and canonical_url(None) is None


@BACKENDS
def test_unusable_databases_are_clear_errors(tmp_path, store_url):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(str(tmp_path / "no" / "such" / "dir.db"))
    with pytest.raises(StoreError, match="unknown database URL"):
        Store.open("mysql://localhost/x")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store.open(str(garbage))
    with Store.open(store_url) as store:
        store.db.execute("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer hadath"):
        Store.open(store_url)

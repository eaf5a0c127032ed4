"""The knowledge base's SQLite index: same content as the records, rebuilt when they change."""
from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from hadath.actors import index
from hadath.actors.kb import KnowledgeBase


@pytest.fixture()
def kb_dir(tmp_path: Path) -> Path:
    data = resources.files("hadath.actors") / "data"
    for name in ("countries.jsonl", "actors.jsonl"):
        with resources.as_file(data / name) as source:
            shutil.copyfile(source, tmp_path / name)
    return tmp_path


def test_index_holds_what_the_records_compile_to(kb_dir: Path) -> None:
    built = KnowledgeBase.load(kb_dir)
    assert built.index_path == kb_dir / index.INDEX_NAME
    from_index = KnowledgeBase.load(kb_dir)
    direct = KnowledgeBase.load(kb_dir, use_index=False)
    assert from_index.actors == direct.actors
    assert from_index.aliases == direct.aliases
    assert from_index.offices == direct.offices
    assert from_index.demonyms == direct.demonyms
    assert from_index.ambiguous == direct.ambiguous and from_index.ambiguous
    assert (from_index.max_len, from_index.first_words) == (direct.max_len, direct.first_words)


def test_index_is_rebuilt_when_the_records_change(kb_dir: Path) -> None:
    KnowledgeBase.load(kb_dir)
    before = index.index_digest(kb_dir / index.INDEX_NAME)
    record = {"id": "renewal_party", "name_en": "Renewal Party", "type": "party", "entity_type": "ORG",
              "country": "TUN", "sector": "PTY", "qid": None, "aliases_ar": ["حزب التجديد الوطني"],
              "aliases_en": ["Renewal Party"], "nominal_ar": [], "offices": []}
    with open(kb_dir / "actors.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    kb = KnowledgeBase.load(kb_dir)
    assert "renewal_party" in kb.actors
    assert index.index_digest(kb_dir / index.INDEX_NAME) != before
    hits = index.search(kb_dir / index.INDEX_NAME, "التجديد الوطني")
    assert [h["id"] for h in hits] == ["renewal_party"]


def test_a_corrupt_index_is_replaced(kb_dir: Path) -> None:
    (kb_dir / index.INDEX_NAME).write_bytes(b"not a database at all")
    kb = KnowledgeBase.load(kb_dir)
    assert "hamas" in kb.actors
    assert index.index_digest(kb_dir / index.INDEX_NAME) is not None


def test_unwritable_cache_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("HADATH_CACHE", str(blocker / "cache"))
    kb = KnowledgeBase.load()
    assert kb.index_path is None
    assert "hamas" in kb.actors


def test_search_by_arabic_spelling_variant_and_english(kb_dir: Path) -> None:
    path = KnowledgeBase.load(kb_dir).index_path
    assert "osama_hamdan" in [h.get("id") for h in index.search(path, "اسامه حمدان")]
    assert "hamas" in [h.get("id") for h in index.search(path, "Islamic Resistance")]
    assert [h.get("iso3") for h in index.search(path, "سوريا")][:1] == ["SYR"]
    assert index.record(path, "SYR")["name_en"] == "Syria"
    assert index.record(path, "no_such_actor") is None

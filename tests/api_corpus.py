"""A small stored corpus for the API and explorer tests: the repository's example
and fixture articles, the seed article when ../shared is present, and a few short
articles written for these tests (an airstrike and a near-duplicate of it, a
protest, a meeting, and a hostile one whose title and text carry markup)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_6a46131283f92863.txt"

HOSTILE_TITLE = "عاجل <script>alert(1)</script> <img src=x onerror=alert(1)>"
HOSTILE_TEXT = ("أعلنت وزارة الداخلية العراقية <script>alert(1)</script> اعتقال خمسة مطلوبين في بغداد "
                "<img src=x onerror=alert(1)> بعد اشتباك مسلح مع قوات الأمن.")
STRIKE = ("شنت طائرات حربية روسية غارات جوية على مدينة إدلب شمال غربي سوريا صباح اليوم، ما أسفر عن مقتل "
          "ثمانية مدنيين وإصابة آخرين، بحسب الدفاع المدني السوري.\n"
          "وقال مدير الدفاع المدني إن الغارات استهدفت سوقا شعبية وسط المدينة.")

# key: (text, published, title, outlet)
WRITTEN: dict[str, tuple[str, date, str, str]] = {
    "strike": (STRIKE, date(2023, 11, 20), "غارات على إدلب", "SANA"),
    "strike-copy": (STRIKE.replace("روسية غارات", "روسية اليوم غارات"), date(2023, 11, 21), "غارات جوية على إدلب",
                    "Enab Baladi"),
    "protest": ("تظاهر آلاف المواطنين في العاصمة اللبنانية بيروت احتجاجا على تدهور الأوضاع المعيشية، وطالب "
                "المحتجون الحكومة اللبنانية بإجراء إصلاحات عاجلة.", date(2023, 11, 22), "مظاهرات في بيروت",
                "An-Nahar"),
    "meeting": ("استقبل الرئيس المصري عبد الفتاح السيسي في القاهرة اليوم وزير الخارجية الأمريكي أنتوني بلينكن، "
                "وبحث الجانبان سبل وقف إطلاق النار في قطاع غزة.", date(2023, 11, 25), "السيسي يستقبل بلينكن",
                "Al-Ahram"),
    "hostile": (HOSTILE_TEXT, date(2023, 11, 26), HOSTILE_TITLE, "Hostile <b>News</b>"),
}


def corpus_articles() -> list[dict[str, Any]]:
    """Every article of the test corpus, as make_document keywords (plus ``key``)."""
    items = [
        {"key": "example", "text": (ROOT / "examples/article.txt").read_text(encoding="utf-8"),
         "published": date(2023, 11, 13), "title": "الصفدي يلتقي شكري في عمّان", "source": "Petra"},
        {"key": "hospital", "text": (ROOT / "tests/fixtures/ingest/article.txt").read_text(encoding="utf-8"),
         "published": date(2023, 11, 15), "title": "مستشفى جديد في الزرقاء", "source": "Roya"},
    ]
    for n, record in enumerate(json.loads((ROOT / "tests/fixtures/ingest/articles.json").read_text("utf-8"))):
        items.append({"key": f"json-{n}", "text": record["text"], "published": date(2021, 5, 10 + n),
                      "title": None, "source": record.get("source")})
    if SEED.exists():
        items.append({"key": "seed", "text": SEED.read_text(encoding="utf-8"), "published": date(2023, 2, 20),
                      "title": "اجتماع الفصائل في دمشق", "source": "SANA"})
    for key, (text, published, title, outlet) in WRITTEN.items():
        items.append({"key": key, "text": text, "published": published, "title": title, "source": outlet})
    return items


def build_corpus(store: Any, pipeline: Callable) -> dict[str, int]:
    """Annotate and save the corpus; the stored article id of each key."""
    from hadath.engine import make_document

    ids = {}
    for item in corpus_articles():
        doc = pipeline(make_document(item["text"], id=item["key"], published=item["published"], title=item["title"],
                                     url=f"https://example.org/news/{item['key']}", source=item["source"]))
        ids[item["key"]] = store.save(doc, ner="rules").article_id
    return ids

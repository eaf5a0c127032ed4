#!/usr/bin/env python3
"""Reproducible selection of the 20 ANT v2.1 articles in the hadath HELD-OUT test gold set.

The selection is purely mechanical (no choice by reading, so no selection bias
towards articles the system handles well):

  1. Eligible: cat in {middleEast, internationalNews} and a `text` of 800-3000
     characters (the same filter as select_ant.py).
  2. Excluded: every docno of the 200-article dev shortlist that select_ant.py
     draws from (this includes the 30 dev gold docnos), every docno that has a
     file in benchmarks/gold/ant/, and any article whose text is identical
     (sha256) to the text of an excluded article or of an article already
     picked (the corpus has some verbatim re-posts).
  3. Per source (`src`, 5 sources): shuffle the sorted remaining docnos with
     random.Random("20181031:<src>") -- a seed different from select_ant.py's
     20180301 -- and take the first PER_SRC = 4.

The chosen docnos are frozen in CHOSEN below; the script re-derives them and
fails if the corpus or the dev set changed so that the derivation differs.

Usage:
  python benchmarks/gold/select_ant_test.py           # print the 20 chosen docnos (checks CHOSEN)
  python benchmarks/gold/select_ant_test.py --derive  # print the derivation only
Corpus path: $HADATH_ANT or ../shared/data/news/ant_v2.1_multisource.jsonl.gz
"""
import hashlib
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import select_ant  # noqa: E402  (dev selection: shortlist(), corpus_path(), CATS, length limits)

SEED = 20181031          # must differ from select_ant.SEED (20180301)
PER_SRC = 4
CATS = select_ant.CATS
MIN_LEN, MAX_LEN = select_ant.MIN_LEN, select_ant.MAX_LEN
DEV_GOLD_DIR = HERE / "ant"

# Frozen output of derive() (filled in after the first run; checked on every run).
CHOSEN = [
    # BBC
    "BB-internationalNews-1107-20180929",  # البريكست: رئيس وزراء بريطاني سابق يدعو لاستفتاء شعبي آخر
    "BB-internationalNews-351-20180418",  # الهند.. وزير يثير السخرية لادعائه أن الهنود القدماء اخترعوا الانترنت
    "BB-middleEast-524-20180521",  # الجيش السوري يعلن استعادة السيطرة على آخر مناطق المعارضة قرب دمشق
    "BB-internationalNews-674-20180620",  # مهاجر سوري يعتذر بعد الاعتداء على إسرائيلي في ألمانيا
    # CNN
    "CN-middleEast-456-20180402",  # الهيئة الوطنية للانتخابات بمصر تعلن فوز السيسي بنسبة 97.8%
    "CN-middleEast-1109-20180604",  # حمد بن جاسم عن احتجاجات الأردن: أرجو ألا يكون مخططا للقبول بـ"صفقة القرن"
    "CN-middleEast-384-20180326",  # إعلامية بحرينية: ولا ألف صاروخ يهزون شعرة فإنها السعودية
    "CN-internationalNews-617-20181002",  # بكين: أمريكا تهدد "سيادتنا" في بحر الصين الجنوبي
    # Al Arabiya
    "AL-internationalNews-2007-20180721",  # صعدة.. بضعة أمتار تفصل الجيش اليمني عن مركز مديرية باقم
    "AL-internationalNews-252-20180227",  # تفاصيل معركة "القيامة" بين الفلسطينيين والإسرائيليين
    "AL-internationalNews-1228-20180518",  # إسرائيل تبني سياجا دفاعيا حول مطار جديد في إيلات
    "AL-internationalNews-227-20180226",  # ميليشيا الحوثي تحوّل مزارع الساحل الغربي لثكنات عسكرية
    # France 24
    "FR-internationalNews-1466-20180527",  # مون جاي إن: "كيم ملتزم بالتخلي عن أسلحة بلاده النووية لكنه متخوف على مصير نظامه"
    "FR-internationalNews-704-20180412",  # خبراء من منظمة حظر الأسلحة الكيميائية يتوجهون إلى سوريا
    "FR-middleEast-601-20180607",  # الرئيس الروسي يؤكد أن قوات بلاده باقية في سوريا ما دامت هناك "مصلحة"
    "FR-internationalNews-13-20180217",  # دبلوماسي تركي ينفي استخدام أسلحة كيميائية في عفرين بسوريا
    # Sky News Arabia
    "SK-middleEast-1304-20180428",  # مصر.. حكم نهائي بإعدام 6 في "أحداث مطاي"
    "SK-middleEast-3303-20180809",  # "الكابينيت" الإسرائيلي يدعو الجيش لمواصلة عملياته في غزة
    "SK-internationalNews-333-20180314",  # توقيف مدرب صور لاعبين عراة في حمام فندق
    "SK-middleEast-1610-20180512",  # العراقيون إلى أول انتخابات بعد "هزيمة داعش"
]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def derive():
    path = select_ant.corpus_path()
    dev_shortlist, _ = select_ant.shortlist(path)
    excluded = set(dev_shortlist) | set(select_ant.CHOSEN)
    excluded |= {p.name[: -len(".gold.json")] for p in DEV_GOLD_DIR.glob("*.gold.json")}

    by_src, docs, excluded_sha = {}, {}, set()
    for d in select_ant.load(path):
        text = d.get("text") or ""
        if d["docno"] in excluded:
            excluded_sha.add(sha(text))
            continue
        if d.get("cat") in CATS and MIN_LEN <= len(text) <= MAX_LEN:
            by_src.setdefault(d["src"], []).append(d["docno"])
            docs[d["docno"]] = d
    out, seen_sha = [], set(excluded_sha)
    for src in sorted(by_src):
        ids = sorted(by_src[src])
        random.Random(f"{SEED}:{src}").shuffle(ids)
        n = 0
        for dn in ids:
            h = sha(docs[dn]["text"])
            if h in seen_sha:
                continue
            seen_sha.add(h)
            out.append(dn)
            n += 1
            if n == PER_SRC:
                break
    return out, docs, excluded


def main(argv):
    assert SEED != select_ant.SEED, "test seed must differ from the dev seed"
    chosen, docs, excluded = derive()
    overlap = set(chosen) & excluded
    if overlap:
        print("OVERLAP WITH DEV:", sorted(overlap), file=sys.stderr)
        return 1
    for dn in chosen:
        d = docs[dn]
        print(f"{dn}\t{d['src']}\t{d['cat']}\t{len(d['text'])}\t{d['title']}")
    print(f"{len(chosen)} chosen; {len(excluded)} dev docnos excluded")
    if "--derive" not in argv and CHOSEN and sorted(CHOSEN) != sorted(chosen):
        print("DERIVATION DIFFERS FROM FROZEN CHOSEN:",
              sorted(set(CHOSEN) ^ set(chosen)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

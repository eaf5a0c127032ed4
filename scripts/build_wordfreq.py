"""Build hadath/text/data/wordfreq.tsv.gz: folded Arabic word frequencies.

The clitic splitter uses them to decide whether و/ب/ل/ك/ف at the start of a
token is a proclitic (وأكدت -> و + أكدت) or part of the stem (وزير, بدران).
Derived from the ANT v2.1 corpus in ../shared (counts only, no text).

    python scripts/build_wordfreq.py ../shared/data/news/ant_v2.1_multisource.jsonl.gz
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hadath.text.normalize import fold  # noqa: E402

WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669\u066E-\u06D3\u06FA-\u06FF\u064B-\u065F\u0670\u0640]+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--top", type=int, default=80_000)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--out", default="hadath/text/data/wordfreq.tsv.gz")
    args = parser.parse_args()
    counts: collections.Counter[str] = collections.Counter()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            for field in ("title", "text"):
                for match in WORD.finditer(record.get(field) or ""):
                    counts[fold(match.group())] += 1
    rows = [(w, c) for w, c in counts.most_common(args.top) if c >= args.min_count and len(w) > 1]
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("# folded word\tcount (ANT v2.1, 31,525 articles)\n")
        for word, count in rows:
            out.write(f"{word}\t{count}\n")
    print(f"{len(rows)} words written to {args.out}")


if __name__ == "__main__":
    main()

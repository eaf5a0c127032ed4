"""Time hadath.dates.find_dates over the first N articles of the ANT corpus.

    python benchmarks/bench_dates.py [N] [path]

Prints articles/s, dates per article, the mix of calendars/precisions and the 20
most frequent matched strings.  Skips with a message if the corpus is absent.
"""
from __future__ import annotations

import collections
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT = Path("/work/shared/data/news/ant_v2.1_multisource.jsonl.gz")


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 500
    path = Path(argv[2]) if len(argv) > 2 else DEFAULT
    if not path.exists():
        print(f"skipped: {path} not found")
        return 0

    t0 = time.perf_counter()
    from hadath.dates.resolve import find_dates, parse_published
    import_s = time.perf_counter() - t0

    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if len(docs) >= n:
                break
            row = json.loads(line)
            docs.append((row.get("text") or "", row.get("time")))

    t0 = time.perf_counter()
    published = [parse_published(t) for _, t in docs]
    parse_s = time.perf_counter() - t0

    strings: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    total = chars = 0
    t0 = time.perf_counter()
    for (text, _), pub in zip(docs, published):
        mentions = find_dates(text, pub)
        total += len(mentions)
        chars += len(text)
        for m in mentions:
            strings[" ".join(m.text.split())] += 1
            kinds[f"{m.calendar}/{m.precision}"] += 1
    elapsed = time.perf_counter() - t0

    rows = [
        ("articles", f"{len(docs)}"),
        ("characters", f"{chars:,}"),
        ("import time", f"{import_s * 1000:.0f} ms"),
        ("publication dates parsed", f"{sum(p is not None for p in published)}/{len(docs)} "
                                     f"({parse_s * 1000:.1f} ms)"),
        ("find_dates total", f"{elapsed:.2f} s"),
        ("articles/s", f"{len(docs) / elapsed:.0f}" if elapsed else "inf"),
        ("MB/s", f"{chars / elapsed / 1e6:.2f}" if elapsed else "inf"),
        ("dates found", f"{total}"),
        ("dates/article", f"{total / max(1, len(docs)):.2f}"),
    ]
    width = max(len(k) for k, _ in rows)
    print("| metric".ljust(width + 2) + " | value |")
    print("|" + "-" * (width + 2) + "|-------|")
    for key, val in rows:
        print(f"| {key.ljust(width)} | {val} |")
    print()
    print("| calendar/precision | count |")
    print("|--------------------|-------|")
    for key, count in kinds.most_common():
        print(f"| {key} | {count} |")
    print()
    print("| # | matched string | count |")
    print("|---|----------------|-------|")
    for i, (s, count) in enumerate(strings.most_common(20), 1):
        print(f"| {i} | {s} | {count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

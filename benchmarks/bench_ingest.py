"""Ingest the ANT corpus into a fresh database: articles/second, database size, and
what the store holds afterwards (near-duplicate links, stories).

    python benchmarks/bench_ingest.py --db /tmp/ant.db [--n 31525] [--ner rules|hybrid]
        [--corpus ../shared/data/news/ant_v2.1_multisource.jsonl.gz]

The time includes reading, annotating and storing (one transaction per article);
``store`` is the share spent in the database.  A second pass over the same inputs
measures re-ingesting (everything unchanged).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared/data/news/ant_v2.1_multisource.jsonl.gz"


def _limited(items, n):
    for i, item in enumerate(items):
        if i >= n:
            return
        yield item


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="database to create (an existing file is refused)")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--ner", choices=["hybrid", "rules", "tagger"], default="rules")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: corpus {args.corpus} not found (needs ../shared)")
        return 0
    if "://" not in args.db and Path(args.db).exists():
        print(f"{args.db} exists: give a new path", file=sys.stderr)
        return 2

    from hadath.engine import build_pipeline
    from hadath.ingest.loader import ingest_items
    from hadath.ingest.model import IngestOptions
    from hadath.ingest.reader import read_inputs
    from hadath.options import ExtractOptions
    from hadath.store import Store

    options = ExtractOptions(ner=args.ner)
    t0 = time.perf_counter()
    pipeline = build_pipeline(options)
    load = time.perf_counter() - t0
    store = Store.open(args.db)
    store_seconds = 0.0
    save = store.save

    def timed_save(*a, **k):
        nonlocal store_seconds
        start = time.perf_counter()
        try:
            return save(*a, **k)
        finally:
            store_seconds += time.perf_counter() - start

    store.save = timed_save  # type: ignore[method-assign]
    problems: list[str] = []
    t0 = time.perf_counter()
    summary = ingest_items(_limited(read_inputs([str(args.corpus)], IngestOptions()), args.n), store, pipeline,
                           options, report=problems.append)
    store.optimize()            # as `hadath ingest` does after storing
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    again = ingest_items(_limited(read_inputs([str(args.corpus)], IngestOptions()), args.n), store, pipeline,
                         options)
    again_seconds = time.perf_counter() - t1
    stats = store.stats()
    store.close()
    size = sum(os.path.getsize(p) for p in (args.db, args.db + "-wal") if os.path.exists(p)) \
        if "://" not in args.db else None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    done = summary.stored + summary.unchanged
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; entity stage: {args.ner}; models loaded in {load:.1f} s")
    print("| measure | value |\n|---|---|")
    rows = [
        ("articles read", summary.stored + summary.unchanged + summary.skipped + summary.older),
        ("stored (new)", summary.new),
        ("unchanged on first pass (exact duplicates in the corpus)", summary.unchanged),
        ("skipped (reasons below)", summary.skipped),
        ("wall time", f"{seconds:.0f} s"),
        ("articles/second", f"{done / seconds:.1f}"),
        ("share of time in the store", f"{store_seconds / seconds:.0%}"),
        ("re-ingest of the same inputs", f"{again_seconds:.0f} s ({again.unchanged} unchanged, {again.new} new)"),
        ("database size", f"{size / 1e6:.0f} MB" if size else "n/a"),
        ("events / stories / near-duplicate links", f"{stats['events']} / {stats['stories']} / "
                                                    f"{stats['near_duplicates']}"),
        ("actors / places", f"{stats['actors']} / {stats['places']}"),
        ("peak RSS", f"{rss:.0f} MB"),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    for line in problems[:10]:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

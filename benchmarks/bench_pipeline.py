"""End-to-end throughput and memory of `hadath extract` on ANT news articles.

    python benchmarks/bench_pipeline.py [--n 1000] [--ner hybrid|rules|tagger | --fast] [--id-contains middleEast]
        [--corpus ../shared/data/news/ant_v2.1_multisource.jsonl.gz]

Prints a table: articles/s, tokens/s, per-stage share of time, peak RSS, events,
quotes and entities per article, and how many articles failed (must be 0).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared/data/news/ant_v2.1_multisource.jsonl.gz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--ner", choices=["hybrid", "rules", "tagger"], default="hybrid", help="entity stage")
    parser.add_argument("--id-contains", default="", help="only articles whose id contains this (e.g. middleEast)")
    parser.add_argument("--fast", action="store_true", help="no neural model (implies --ner rules)")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: corpus {args.corpus} not found (needs ../shared)")
        return 0

    from hadath.engine import Resources, build_pipeline
    from hadath.ingest.model import IngestOptions
    from hadath.ingest.reader import read_inputs
    from hadath.ingest.model import InputProblem
    from hadath.runner import to_document

    t0 = time.perf_counter()
    resources = Resources()
    from hadath.options import ExtractOptions

    options = ExtractOptions(ner="rules", fast=True) if args.fast else ExtractOptions(ner=args.ner)
    pipeline = build_pipeline(options, resources)
    load_seconds = time.perf_counter() - t0
    rss_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    articles = []
    for item in read_inputs([str(args.corpus)], IngestOptions()):
        if isinstance(item, InputProblem) or args.id_contains not in item.id:
            continue
        articles.append(item)
        if len(articles) >= args.n:
            break

    stage_time: dict[str, float] = defaultdict(float)
    per_article: list[float] = []
    failures: list[str] = []
    totals: Counter[str] = Counter()
    event_types: Counter[str] = Counter()
    start = time.perf_counter()
    for article in articles:
        t_article = time.perf_counter()
        try:
            doc = to_document(article, None)
            for stage in pipeline.stages:
                t = time.perf_counter()
                doc = stage(doc)
                stage_time[stage.name] += time.perf_counter() - t
        except Exception as error:  # noqa: BLE001 - counted and reported
            failures.append(f"{article.id}: {type(error).__name__}: {error}")
            continue
        per_article.append(time.perf_counter() - t_article)
        totals["tokens"] += len(doc.tokens)
        totals["entities"] += len(doc.entities)
        totals["events"] += len(doc.events)
        totals["quotes"] += len(doc.quotes)
        totals["places"] += len(doc.places)
        event_types.update(e.type for e in doc.events)
    elapsed = time.perf_counter() - start
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    done = len(per_article)

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    subset = f" with '{args.id_contains}' in the id" if args.id_contains else ""
    print(f"corpus: {args.corpus.name}, first {len(articles)} readable articles{subset}; profile: {options.profile}")
    print()
    print(f"{'measure':<34} {'value':>12}")
    rows = [
        ("articles processed", f"{done}"),
        ("articles failed", f"{len(failures)}"),
        ("startup (load services), s", f"{load_seconds:.2f}"),
        ("wall time, s", f"{elapsed:.1f}"),
        ("articles / second", f"{done / elapsed:.1f}" if elapsed else "-"),
        ("tokens / second", f"{totals['tokens'] / elapsed:,.0f}" if elapsed else "-"),
        ("median ms / article", f"{statistics.median(per_article) * 1000:.1f}" if per_article else "-"),
        ("p95 ms / article", f"{sorted(per_article)[int(0.95 * (done - 1))] * 1000:.1f}" if per_article else "-"),
        ("peak RSS after loading, MB", f"{rss_after_load:.0f}"),
        ("peak RSS, MB", f"{peak_rss:.0f}"),
        ("entities / article", f"{totals['entities'] / max(done, 1):.1f}"),
        ("events / article", f"{totals['events'] / max(done, 1):.2f}"),
        ("quotes / article", f"{totals['quotes'] / max(done, 1):.2f}"),
        ("geocoded places / article", f"{totals['places'] / max(done, 1):.1f}"),
    ]
    for name, value in rows:
        print(f"{name:<34} {value:>12}")
    print()
    print("time per stage:")
    total_stage = sum(stage_time.values()) or 1.0
    for name, seconds in stage_time.items():
        print(f"  {name:<12} {seconds:8.2f} s  {100 * seconds / total_stage:5.1f}%")
    print("events by type:", ", ".join(f"{t} {n}" for t, n in event_types.most_common()))
    for line in failures[:10]:
        print("FAILED", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

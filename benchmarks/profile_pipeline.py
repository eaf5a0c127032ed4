"""Where the pipeline's time goes: cProfile over ANT articles, hot functions listed.

    python benchmarks/profile_pipeline.py [--ner hybrid|rules|tagger | --fast] [--n 150]
        [--id-contains middleEast] [--top 25] [--sort tottime|cumulative]

The profiler slows pure-Python code more than native code (ONNX Runtime, NumPy),
so read shares from ``bench_pipeline.py``'s per-stage times and use this list to
find *which* functions to make faster.
"""
from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared/data/news/ant_v2.1_multisource.jsonl.gz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ner", choices=["hybrid", "rules", "tagger"], default="hybrid")
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--n", type=int, default=150)
    parser.add_argument("--id-contains", default="middleEast")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", choices=["tottime", "cumulative"], default="cumulative")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: corpus {args.corpus} not found (needs ../shared)")
        return 0
    from hadath.engine import Resources, build_pipeline, make_document
    from hadath.options import ExtractOptions

    options = ExtractOptions(ner="rules", fast=True) if args.fast else ExtractOptions(ner=args.ner)
    pipeline = build_pipeline(options, Resources())
    texts = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if args.id_contains in str(item.get("docno") or item.get("id") or "") and item.get("text"):
                texts.append(item["text"])
                if len(texts) >= args.n + 5:
                    break
    for text in texts[:5]:                       # load lazily built services first
        pipeline(make_document(text))
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts[5:]:
        pipeline(make_document(text))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(f"profile: {options.profile}, {len(texts) - 5} ANT articles with '{args.id_contains}' in the id")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

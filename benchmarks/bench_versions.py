"""Speed of this hadath against an earlier commit (by default the foundation,
138e829), measured in the same run on the same articles.

    python benchmarks/bench_versions.py [--ref 138e829] [--n 200] [--repeats 2]
        [--id-contains middleEast] [--corpus ../shared/data/news/ant_v2.1_multisource.jsonl.gz]

The earlier commit is checked out into a temporary git worktree and imported from
there (``PYTHONPATH``), with the same Python and packages.  Each measurement is a
fresh process: load the pipeline, warm it on 3 articles, then time the first
``--n`` articles whose id contains ``--id-contains``, one at a time.  Runs of the two
versions alternate, ``--repeats`` times each; the table gives the median.

Two modes are compared: the default neural pipeline (``--ner hybrid`` in both) and
the fast one (``--fast`` here; the earlier commit had no neural-free mode, so its
closest, ``--ner rules``, which still romanises names with a neural model).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared/data/news/ant_v2.1_multisource.jsonl.gz"

# Runs inside each measured process; it only uses API both versions have.
DRIVER = r"""
import gzip, json, resource, statistics, sys, time
corpus, n, contains, ner, fast = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5] == "1"
import hadath
from hadath.engine import Resources, build_pipeline, make_document
from hadath.options import ExtractOptions
texts = []
with gzip.open(corpus, "rt", encoding="utf-8") as lines:
    for line in lines:
        item = json.loads(line)
        if contains in str(item.get("docno") or item.get("id") or "") and item.get("text"):
            texts.append(item["text"])
            if len(texts) >= n + 3:
                break
t0 = time.perf_counter()
options = ExtractOptions(ner=ner, fast=True) if fast else ExtractOptions(ner=ner)
pipeline = build_pipeline(options, Resources())
for text in texts[:3]:
    pipeline(make_document(text))
load = time.perf_counter() - t0
times, events, entities = [], 0, 0
start = time.perf_counter()
for text in texts[3:]:
    t = time.perf_counter()
    doc = pipeline(make_document(text))
    times.append(time.perf_counter() - t)
    events += len(doc.events)
    entities += len(doc.entities)
seconds = time.perf_counter() - start
print(json.dumps({"articles": len(times), "seconds": seconds, "median_ms": 1000 * statistics.median(times),
                  "load_s": load, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "events": events, "entities": entities, "package": hadath.__file__}))
"""


def measure(tree: Path, corpus: Path, n: int, contains: str, ner: str, fast: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run([sys.executable, "-c", DRIVER, str(corpus), str(n), contains, ner, "1" if fast else "0"],
                            capture_output=True, text=True, env=env, cwd=tree, check=False)
    if result.returncode != 0:
        raise SystemExit(f"measurement failed in {tree}:\n{result.stderr[-3000:]}")
    record = json.loads(result.stdout.strip().splitlines()[-1])
    if not record["package"].startswith(str(tree)):
        raise SystemExit(f"imported {record['package']}, not the tree {tree}")
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ref", default="138e829", help="the earlier commit (default: the foundation)")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--id-contains", default="middleEast")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: corpus {args.corpus} not found (needs ../shared)")
        return 0
    from bench_batch import machine

    with tempfile.TemporaryDirectory() as scratch:
        old_tree = Path(scratch) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old_tree), args.ref],
                       check=True, capture_output=True)
        try:
            modes = [("neural", ("hybrid", False), ("hybrid", False)), ("fast", ("rules", False), ("rules", True))]
            rows = []
            for mode, old_mode, new_mode in modes:
                runs: dict[str, list[dict]] = {"old": [], "new": []}
                for _ in range(args.repeats):
                    for which, tree, (ner, fast) in (("old", old_tree, old_mode), ("new", ROOT, new_mode)):
                        record = measure(tree, args.corpus, args.n, args.id_contains, ner, fast)
                        runs[which].append(record)
                        print(f"{mode} {which}: {record['articles'] / record['seconds']:.1f} articles/s", file=sys.stderr)
                rows.append((mode, old_mode, new_mode, runs))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)],
                           check=False, capture_output=True)
    print(f"Machine: {machine()}")
    print(f"{args.n} ANT articles with '{args.id_contains}' in the id, one process per run, median of "
          f"{args.repeats} runs each\n")
    print(f"| mode | {args.ref} | articles/s | ms/article (median) | peak RSS MB | this tree | articles/s "
          "| ms/article (median) | peak RSS MB | speed-up |")
    print("|---|---|---:|---:|---:|---|---:|---:|---:|---:|")
    for mode, old_mode, new_mode, runs in rows:
        def rate(which: str) -> float:
            return statistics.median(r["articles"] / r["seconds"] for r in runs[which])

        def med(which: str, key: str) -> float:
            return statistics.median(r[key] for r in runs[which])

        label = lambda m: f"--ner {m[0]}" + (" --fast" if m[1] else "")  # noqa: E731
        print(f"| {mode} | {label(old_mode)} | {rate('old'):.1f} | {med('old', 'median_ms'):.1f} | "
              f"{med('old', 'peak_rss_mb'):.0f} | {label(new_mode)} | {rate('new'):.1f} | {med('new', 'median_ms'):.1f} | "
              f"{med('new', 'peak_rss_mb'):.0f} | {rate('new') / rate('old'):.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

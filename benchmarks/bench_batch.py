"""``hadath batch`` throughput: articles/second for the local engine with 1 and 2
worker processes, and Ray Data with 2 actors, on ANT articles, for each entity stage.

    python benchmarks/bench_batch.py [--n 400] [--n-hybrid 60] [--ner rules,hybrid]
        [--engines local:1,local:2,ray:2] [--id-contains middleEast]
        [--corpus ../shared/data/news/ant_v2.1_multisource.jsonl.gz]

Times are wall clock for a whole run into a fresh folder: reading, starting the
workers and loading their pipelines, annotating and writing Parquet.  The Ray
cluster is started before timing (as a running cluster would be), its actors are
not.  Prints a Markdown table and the machine it ran on.
"""
from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared/data/news/ant_v2.1_multisource.jsonl.gz"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory = 0.0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cpu}, {cores} cores, {memory:.0f} GB, Python {platform.python_version()}, {platform.system()}"


def sample(corpus: Path, n: int, contains: str, into: Path) -> Path:
    """The first ``n`` JSONL lines whose text contains ``contains`` (all when empty)."""
    path = into / f"sample-{n}.jsonl"
    taken = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as out:
        for line in lines:
            if contains in line:
                out.write(line)
                taken += 1
                if taken >= n:
                    break
    return path


def run(path: Path, ner: str, engine: str, workers: int, into: Path) -> tuple[int, float]:
    from hadath.batch import BatchOptions, run_batch

    out = into / f"out-{ner}-{engine}-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    summary = run_batch(BatchOptions(inputs=(str(path),), output=out, engine=engine, workers=workers, ner=ner,
                                     batch_size=16))
    return summary.articles, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400, help="articles for --ner rules")
    parser.add_argument("--n-hybrid", type=int, default=60, help="articles for the tagger stages (slower)")
    parser.add_argument("--ner", default="rules,hybrid")
    parser.add_argument("--engines", default="local:1,local:2,ray:2")
    parser.add_argument("--id-contains", default="middleEast")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: corpus {args.corpus} not found (needs ../shared)")
        return 0
    engines = [(name, int(workers)) for name, workers in (item.split(":") for item in args.engines.split(","))]
    if any(name == "ray" for name, _ in engines):
        try:
            import ray
        except ImportError:
            print("Ray is not installed: ray rows skipped (pip install 'hadath[ray]')", file=sys.stderr)
            engines = [e for e in engines if e[0] != "ray"]
        else:
            ray.init(num_cpus=max(w for name, w in engines if name == "ray"), include_dashboard=False,
                     log_to_driver=False)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for ner in args.ner.split(","):
            n = args.n if ner == "rules" else args.n_hybrid
            path = sample(args.corpus, n, args.id_contains, folder)
            for engine, workers in engines:
                done, seconds = run(path, ner, engine, workers, folder)
                rows.append((ner, engine, workers, done, seconds))
                print(f"{ner} {engine}:{workers}: {done} articles in {seconds:.1f} s", file=sys.stderr)
    print(f"Machine: {machine()}\n")
    print("| --ner | engine | workers | articles | seconds | articles / s |")
    print("|---|---|---|---|---|---|")
    for ner, engine, workers, done, seconds in rows:
        print(f"| {ner} | {engine} | {workers} | {done} | {seconds:.1f} | {done / seconds:.1f} |")
    return 0


if __name__ == "__main__":      # the local engine spawns workers that import this file
    sys.exit(main())
